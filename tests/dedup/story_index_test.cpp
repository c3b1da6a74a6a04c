#include "newswatch/dedup/story_index.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace newswatch::dedup {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint noon{std::chrono::sys_days{std::chrono::year{2024} / 3 / 5} + hours{12}};

Item story(std::string title, std::string summary, std::string link) {
  Item item;
  item.title = std::move(title);
  item.summary = std::move(summary);
  item.link = std::move(link);
  return item;
}

const Item wire = story("Turkey's central bank hikes rates by 500 basis points to 40%",
                        "ISTANBUL (Reuters) - Turkey's central bank raised its main interest rate by 500 basis points "
                        "to 40% on Thursday, in line with expectations, and said it would continue tightening until "
                        "inflation showed a sustained decline. Annual inflation stood at 61.4% in October.",
                        "https://wire.example/cbrt");
const Item reprint = story("Central bank raises policy rate to 40 percent, signals more tightening",
                           "Turkey's central bank raised its main interest rate by 500 basis points to 40% on "
                           "Thursday, in line with expectations, and said it would continue tightening until inflation "
                           "showed a sustained decline.",
                           "https://daily.example/economy/cbrt");
const Item other_story = story("Turkish lira slides to record low as inflation data disappoints",
                               "ISTANBUL (Reuters) - The Turkish lira weakened to a record low of 29.1 against the "
                               "dollar on Monday after data showed consumer prices rose more than expected last "
                               "month, adding to pressure on the central bank.",
                               "https://wire.example/lira");

// A near fingerprint made by hand: word-pair bits `bits` of the 128, and the given anchors.
StoryFingerprint near(const std::vector<int>& bits, std::array<std::uint32_t, anchor_count> anchors) {
  StoryFingerprint fingerprint;
  fingerprint.kind = FingerprintKind::near;
  for (const int bit : bits) {
    fingerprint.shingles[static_cast<std::size_t>(bit / 64)] |= std::uint64_t{1} << (bit % 64);
  }
  fingerprint.anchors = anchors;
  return fingerprint;
}

std::vector<int> range(int first, int end) {
  std::vector<int> bits;
  for (int bit = first; bit < end; ++bit) {
    bits.push_back(bit);
  }
  return bits;
}

TEST(StoryIndex, FindsTheStoryOfANearDuplicate) {
  StoryIndex index;
  index.add(fingerprint_story(wire), 7, noon);
  EXPECT_EQ(index.find(fingerprint_story(reprint)), 7U);
  EXPECT_EQ(index.find(fingerprint_story(wire)), 7U);
  EXPECT_EQ(index.find(fingerprint_story(other_story)), std::nullopt);
  EXPECT_EQ(index.size(), 1U);
}

TEST(StoryIndex, EmptyIndexAndTextlessItemsFindNothing) {
  StoryIndex index;
  EXPECT_EQ(index.find(fingerprint_story(wire)), std::nullopt);
  index.add(fingerprint_story(Item{}), 1, noon);
  EXPECT_EQ(index.size(), 0U);
  EXPECT_EQ(index.find(fingerprint_story(Item{})), std::nullopt);
}

TEST(StoryIndex, FindsShortTextsOnlyWhenIdentical) {
  StoryIndex index;
  index.add(fingerprint_story(story("Live updates", "", "https://a.example/1")), 3, noon);
  EXPECT_EQ(index.find(fingerprint_story(story("LIVE UPDATES", "", "https://b.example/2"))), 3U);
  EXPECT_EQ(index.find(fingerprint_story(story("Live updates: storm", "", "https://b.example/3"))), std::nullopt);
}

TEST(StoryIndex, PrefersTheClosestThenTheNewest) {
  const std::array<std::uint32_t, anchor_count> anchors{11, 12, 13, 14, 15, 16};
  const StoryFingerprint query = near(range(0, 30), anchors);
  StoryIndex index;
  index.add(near(range(0, 30), anchors), 1, noon);
  index.add(near(range(5, 35), anchors), 2, noon + hours{1});
  EXPECT_EQ(index.find(query), 1U) << "closest";
  index.add(near(range(0, 30), anchors), 3, noon - hours{1});
  EXPECT_EQ(index.find(query), 1U) << "as close, but older";
  index.add(near(range(0, 30), anchors), 4, noon + hours{2});
  EXPECT_EQ(index.find(query), 4U) << "as close and newer";
}

TEST(StoryIndex, MatchesAtTheSimilarityThresholdAndNotBelowIt) {
  // Two 30-pair leads sharing `shared` pairs; the least `shared` that reaches the threshold matches
  // and one fewer does not.
  const std::array<std::uint32_t, anchor_count> anchors{1, 2, 3, 4, 5, 6};
  const StoryFingerprint query = near(range(0, 30), anchors);
  int least = -1;
  for (int shared = 0; shared <= 30 && least < 0; ++shared) {
    if (story_similarity(query, near(range(30 - shared, 60 - shared), anchors)) >= same_story_similarity) {
      least = shared;
    }
  }
  ASSERT_GT(least, 0);
  StoryIndex at;
  at.add(near(range(30 - least, 60 - least), anchors), 1, noon);
  EXPECT_EQ(at.find(query), 1U);
  StoryIndex below;
  below.add(near(range(31 - least, 61 - least), anchors), 1, noon);
  EXPECT_EQ(below.find(query), std::nullopt);
}

TEST(StoryIndex, NeedsTwoSharedAnchorsBelowOneKeySimilarity) {
  // Leads whose estimate lies between same_story_similarity and one_key_similarity: chance
  // collisions in 128 bits reach there, so one shared key is not enough.
  const StoryFingerprint query = near(range(0, 30), {1, 2, 3, 4, 5, 6});
  int shared = 30;
  while (shared > 0 && story_similarity(query, near(range(30 - shared, 60 - shared), {})) >= one_key_similarity) {
    --shared;
  }
  const std::vector<int> bits = range(30 - shared, 60 - shared);
  ASSERT_GE(story_similarity(query, near(bits, {})), same_story_similarity);
  StoryIndex one_key;
  one_key.add(near(bits, {1, 20, 30, 40, 50, 60}), 1, noon);
  EXPECT_EQ(one_key.find(query), std::nullopt);
  StoryIndex two_keys;
  two_keys.add(near(bits, {1, 20, 3, 40, 50, 60}), 1, noon);
  EXPECT_EQ(two_keys.find(query), 1U);
}

TEST(StoryIndex, FindsThroughAnyOneSharedAnchor) {
  const std::vector<int> bits = range(0, 30);
  for (std::size_t band = 0; band < anchor_count; ++band) {
    std::array<std::uint32_t, anchor_count> stored{100, 101, 102, 103, 104, 105};
    std::array<std::uint32_t, anchor_count> query{200, 201, 202, 203, 204, 205};
    query[band] = stored[band];
    StoryIndex index;
    index.add(near(bits, stored), 9, noon);
    EXPECT_EQ(index.find(near(bits, query)), 9U) << "band " << band;
  }
}

TEST(StoryIndex, IdenticalWordsWithoutASharedAnchorAreNotFound) {
  // The index only checks candidates that share a MinHash value; real fingerprints of identical
  // leads always share all of them.
  StoryIndex index;
  index.add(near(range(0, 30), {100, 101, 102, 103, 104, 105}), 9, noon);
  EXPECT_EQ(index.find(near(range(0, 30), {200, 201, 202, 203, 204, 205})), std::nullopt);
}

TEST(StoryIndex, AppliesTheNumberAndOutletRules) {
  const std::array<std::uint32_t, anchor_count> anchors{1, 2, 3, 4, 5, 6};
  StoryFingerprint stored = near(range(0, 30), anchors);
  stored.numbers = 0b0111;
  StoryFingerprint query = near(range(0, 30), anchors);
  query.numbers = 0b111000;
  StoryIndex index;
  index.add(stored, 1, noon);
  EXPECT_EQ(index.find(query), std::nullopt) << "each side has numbers the other lacks";
  query.numbers = 0b0011;
  EXPECT_EQ(index.find(query), 1U) << "a cut removes numbers on one side only";

  StoryFingerprint series = near(range(0, 30), anchors);
  series.outlet = 42;
  series.title = 1;
  StoryIndex outlet_index;
  outlet_index.add(series, 2, noon);
  StoryFingerprint next_in_series = series;
  next_in_series.title = 2;
  EXPECT_EQ(outlet_index.find(next_in_series), std::nullopt);
  next_in_series.outlet = 43;
  EXPECT_EQ(outlet_index.find(next_in_series), 2U);
}

TEST(StoryIndex, ExpireDropsEntriesSeenBefore) {
  StoryIndex index;
  index.add(fingerprint_story(wire), 1, noon);
  index.add(fingerprint_story(other_story), 2, noon + hours{2});
  index.expire(noon);
  EXPECT_EQ(index.size(), 2U) << "entries seen at the cut-off stay";
  index.expire(noon + seconds{1});
  EXPECT_EQ(index.size(), 1U);
  EXPECT_EQ(index.find(fingerprint_story(reprint)), std::nullopt);
  EXPECT_EQ(index.find(fingerprint_story(other_story)), 2U);
  index.expire(noon + hours{3});
  EXPECT_EQ(index.size(), 0U);
  EXPECT_EQ(index.find(fingerprint_story(other_story)), std::nullopt);
  index.add(fingerprint_story(wire), 3, noon + hours{4});
  EXPECT_EQ(index.find(fingerprint_story(reprint)), 3U);
}

TEST(StoryIndex, AcceptsTimesBeforeTheFirstOne) {
  StoryIndex index;
  index.add(fingerprint_story(wire), 1, noon);
  index.add(fingerprint_story(other_story), 2, noon - hours{24 * 365 * 10});
  index.expire(noon - hours{24});
  EXPECT_EQ(index.size(), 1U);
  EXPECT_EQ(index.find(fingerprint_story(wire)), 1U);
}

TEST(StoryIndex, FindsAMatchThroughAnotherBandWhenOneKeyIsHot) {
  // Thousands of unrelated entries share the query's first anchor (a word pair in every item);
  // only max_candidates_per_band of them are checked, and the match is found through its fourth.
  StoryIndex index;
  const std::array<std::uint32_t, anchor_count> match_anchors{7, 1000, 1001, 77, 1002, 1003};
  index.add(near(range(0, 30), match_anchors), 1, noon);
  for (std::uint32_t i = 0; i < 3000; ++i) {
    index.add(near(range(60, 90), {7, 5000 + i, 9000 + i, 13000 + i, 17000 + i, 21000 + i}), 100 + i, noon);
  }
  EXPECT_EQ(index.find(near(range(0, 30), {7, 2000, 2001, 77, 2002, 2003})), 1U);
}

TEST(StoryIndex, KeepsEveryEntryFindableAsItGrowsAndCompacts) {
  // Enough entries for buckets to borrow room from their neighbours and bands to be rebuilt, then
  // an expiry that compacts them.
  std::mt19937 random(12345);
  std::vector<StoryFingerprint> fingerprints;
  StoryIndex index;
  constexpr std::uint32_t count = 40000;
  for (std::uint32_t i = 0; i < count; ++i) {
    StoryFingerprint fingerprint;
    fingerprint.kind = FingerprintKind::near;
    fingerprint.shingles = {(std::uint64_t{random()} << 32U) | random(), (std::uint64_t{random()} << 32U) | random()};
    for (std::uint32_t& anchor : fingerprint.anchors) {
      anchor = static_cast<std::uint32_t>(random());
    }
    fingerprints.push_back(fingerprint);
    index.add(fingerprint, i, noon + seconds{i});
  }
  EXPECT_EQ(index.size(), count);
  for (std::uint32_t i = 0; i < count; i += 7) {
    ASSERT_EQ(index.find(fingerprints[i]), i) << i;
  }
  const std::size_t memory_before = index.memory_bytes();
  index.expire(noon + seconds{count * 3 / 4});
  EXPECT_EQ(index.size(), count / 4);
  EXPECT_LT(index.memory_bytes(), memory_before);
  for (std::uint32_t i = 0; i < count; i += 7) {
    ASSERT_EQ(index.find(fingerprints[i]), i >= count * 3 / 4 ? std::optional<std::uint64_t>(i) : std::nullopt) << i;
  }
}

TEST(StoryIndex, LoadingFindsWhatAddingOneByOneFinds) {
  // Random entries, and many that share word pairs and anchors from a small pool, so that buckets
  // overflow the candidates checked per band and closeness ties are decided by age; some exact and
  // some empty fingerprints. One index takes them one by one, the other a part that way (with an
  // expiry between) and the rest through a Loader whose postings join their bands in batches of
  // at least 1,000 (the last one short); every lookup must agree.
  std::mt19937 random(2024);
  const auto make = [&random](std::uint32_t i) {
    StoryFingerprint fingerprint;
    fingerprint.kind =
        i % 11 == 0 ? FingerprintKind::exact : (i % 13 == 0 ? FingerprintKind::none : FingerprintKind::near);
    const bool crowded = i % 3 == 0;
    for (auto& shingle : fingerprint.shingles) {
      shingle = crowded ? ~std::uint64_t{0} << (random() % 8) : (std::uint64_t{random()} << 32U) | random();
    }
    for (std::uint32_t& anchor : fingerprint.anchors) {
      anchor = crowded ? static_cast<std::uint32_t>(random() % 40) : static_cast<std::uint32_t>(random());
    }
    return fingerprint;
  };
  constexpr std::uint32_t count = 12000;
  std::vector<StoryIndex::Entry> entries;
  for (std::uint32_t i = 0; i < count; ++i) {
    entries.push_back(StoryIndex::Entry{make(i), i + 1, noon + seconds{i}});
  }
  StoryIndex one_by_one;
  StoryIndex in_batches;
  constexpr std::uint32_t first_part = 3000;
  for (std::uint32_t i = 0; i < count; ++i) {
    one_by_one.add(entries[i].fingerprint, entries[i].story, entries[i].seen);
    if (i < first_part) {
      in_batches.add(entries[i].fingerprint, entries[i].story, entries[i].seen);
    }
    if (i + 1 == first_part) {
      one_by_one.expire(noon + seconds{first_part / 2});
      in_batches.expire(noon + seconds{first_part / 2});
    }
  }
  StoryIndex::Loader loader(std::move(in_batches), 1000);
  for (std::uint32_t i = first_part; i < count; ++i) {
    loader.add(entries[i].fingerprint, entries[i].story, entries[i].seen);
  }
  in_batches = std::move(loader).finish();
  ASSERT_EQ(in_batches.size(), one_by_one.size());
  std::size_t found = 0;
  for (std::uint32_t i = 0; i < count + 2000; ++i) {
    const StoryFingerprint query = i < count ? entries[i].fingerprint : make(i);
    const auto expected = one_by_one.find(query);
    ASSERT_EQ(in_batches.find(query), expected) << i;
    found += expected ? 1 : 0;
  }
  EXPECT_GT(found, count / 2);
}

TEST(StoryIndex, ReportsTheMemoryItHolds) {
  StoryIndex index;
  const std::size_t empty = index.memory_bytes();
  EXPECT_GT(empty, 0U);
  index.add(fingerprint_story(wire), 1, noon);
  EXPECT_GT(index.memory_bytes(), empty);
}

}  // namespace
}  // namespace newswatch::dedup
