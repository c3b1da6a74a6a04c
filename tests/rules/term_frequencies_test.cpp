#include "newswatch/rules/term_frequencies.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace newswatch::rules {
namespace {

std::vector<std::uint64_t> keys_of(const std::vector<std::string>& words) {
  std::vector<std::uint64_t> keys;
  for (const std::string& word : words) {
    keys.push_back(word_key(word));
  }
  return keys;
}

Item item_with(std::string title, std::string content = {}) {
  Item item;
  item.title = std::move(title);
  item.content = std::move(content);
  return item;
}

TEST(TermFrequencies, CountsDocumentsNotOccurrences) {
  DocumentTerms terms;
  TermFrequencies frequencies;
  frequencies.observe(terms.extract(item_with("Syria, Syria and SYRIA", "syria again")));
  frequencies.observe(terms.extract(item_with("Talks in Geneva")));
  EXPECT_EQ(frequencies.documents(), 2U);
  EXPECT_EQ(frequencies.count(word_key("syria")), 1U);
  EXPECT_EQ(frequencies.count(word_key("geneva")), 1U);
  EXPECT_EQ(frequencies.count(word_key("kobani")), 0U);
}

TEST(TermFrequencies, NeverUnderestimatesAndStaysCloseOnAWideSketch) {
  std::mt19937 random(12);
  TermFrequencies frequencies(TermFrequencySettings{1U << 14U, 4, 1U << 30U});
  std::map<std::string, std::uint32_t> exact;
  for (int document = 0; document < 3000; ++document) {
    std::vector<std::string> words;
    for (int i = 0; i < 20; ++i) {
      // Zipf-like: a few words everywhere, most rare.
      const auto rank = static_cast<int>(std::exp(std::uniform_real_distribution<double>(0, 9)(random)));
      words.push_back("w" + std::to_string(rank));
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    for (const std::string& word : words) {
      ++exact[word];
    }
    frequencies.observe(keys_of(words));
  }
  std::size_t close = 0;
  for (const auto& [word, count] : exact) {
    const std::uint32_t estimate = frequencies.count(word_key(word));
    ASSERT_GE(estimate, count) << word;
    close += estimate <= count + 3 ? 1 : 0;
  }
  EXPECT_GE(close, exact.size() * 95 / 100);
}

TEST(TermFrequencies, MemoryIsBoundedWhateverTheVocabulary) {
  TermFrequencies frequencies(TermFrequencySettings{1U << 10U, 3, 1000});
  const std::size_t bytes = frequencies.memory_bytes();
  EXPECT_EQ(bytes, std::size_t{1U << 10U} * 3 * 4);
  for (int document = 0; document < 5000; ++document) {
    frequencies.observe(keys_of({"unique" + std::to_string(document), "other" + std::to_string(document)}));
  }
  EXPECT_EQ(frequencies.memory_bytes(), bytes);
  // Stored, a counter takes at most five bytes (a varint of 32 bits), whatever was counted.
  EXPECT_LE(frequencies.serialize().size(), 5 + 40 + std::size_t{5} * (bytes / 4));
}

TEST(TermFrequencies, StoredSizeFollowsTheCountsNotTheShape) {
  TermFrequencies frequencies;  // the default shape: 2 MB of counters
  ASSERT_EQ(frequencies.memory_bytes(), std::size_t{2} << 20U);
  EXPECT_LT(frequencies.serialize().size(), 64U);
  frequencies.observe(keys_of({"assad", "syria"}));
  const std::string bytes = frequencies.serialize();
  // Two terms, four rows: eight counters of 1 between nine runs of zeros.
  EXPECT_LT(bytes.size(), 5 + 40 + 8 + 9 * 4);
  const auto restored = TermFrequencies::deserialize(bytes);
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*restored, frequencies);
  EXPECT_EQ(restored->count(word_key("syria")), 1U);
}

TEST(TermFrequencies, LargeCountsAndLongRunsRoundTrip) {
  TermFrequencies frequencies(TermFrequencySettings{1U << 8U, 2, 1U << 30U});
  for (int document = 0; document < 70000; ++document) {  // counts past two varint bytes (16,383)
    frequencies.observe(keys_of({"nato", document % 3 == 0 ? "summit" : "talks"}));
  }
  const auto restored = TermFrequencies::deserialize(frequencies.serialize());
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*restored, frequencies);
  EXPECT_EQ(restored->count(word_key("nato")), 70000U);
}

// The form earlier versions stored: magic NWTF1, the header (width, depth, half-life, documents,
// documents since the last decay), then every counter as four bytes.
std::string fixed_width_form(const TermFrequencies& frequencies, std::uint64_t since_decay,
                             const std::vector<std::uint32_t>& counters) {
  std::string bytes = "NWTF1";
  for (const std::uint64_t value :
       {std::uint64_t{frequencies.settings().width}, std::uint64_t{frequencies.settings().depth},
        frequencies.settings().half_life, frequencies.documents(), since_decay}) {
    for (int i = 0; i < 8; ++i) {
      bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
    }
  }
  for (const std::uint32_t counter : counters) {
    for (int i = 0; i < 4; ++i) {
      bytes.push_back(static_cast<char>((counter >> (8 * i)) & 0xFFU));
    }
  }
  return bytes;
}

TEST(TermFrequencies, ReadsTheFixedWidthFormEarlierVersionsStored) {
  const TermFrequencySettings settings{64, 1, 1000};
  TermFrequencies frequencies(settings);
  frequencies.observe(keys_of({"kobani"}));
  // With one row, one counter holds 1 and all others 0: the stored form of exactly one of the 64
  // placements reads back equal to the sketch.
  std::vector<std::uint32_t> counters(64, 0);
  std::size_t slot_of_word = 64;
  for (std::size_t slot = 0; slot < 64 && slot_of_word == 64; ++slot) {
    counters.assign(64, 0);
    counters[slot] = 1;
    const auto candidate = TermFrequencies::deserialize(fixed_width_form(frequencies, 1, counters));
    ASSERT_TRUE(candidate.has_value());
    if (*candidate == frequencies) {
      slot_of_word = slot;
    }
  }
  ASSERT_LT(slot_of_word, 64U) << "no fixed-width form of the sketch read back equal to it";
  const auto restored = TermFrequencies::deserialize(fixed_width_form(frequencies, 1, counters));
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(restored->count(word_key("kobani")), 1U);
  EXPECT_EQ(restored->documents(), 1U);
  // Its length must be exact.
  EXPECT_FALSE(TermFrequencies::deserialize(fixed_width_form(frequencies, 1, counters) + '\0'));
}

TEST(TermFrequencies, RejectsDamagedCompactForms) {
  TermFrequencies frequencies(TermFrequencySettings{1U << 8U, 2, 77});
  frequencies.observe(keys_of({"assad", "syria"}));
  const std::string bytes = frequencies.serialize();
  const std::string header = bytes.substr(0, 45);
  ASSERT_TRUE(TermFrequencies::deserialize(bytes));
  EXPECT_FALSE(TermFrequencies::deserialize(bytes + '\x01'));  // a counter past the last
  EXPECT_FALSE(TermFrequencies::deserialize(header));          // no counters at all
  // 512 counters: a run of all of them is whole, one more or one fewer is not, nor a run of none.
  EXPECT_TRUE(TermFrequencies::deserialize(header + std::string("\0\x80\x04", 3)));
  EXPECT_FALSE(TermFrequencies::deserialize(header + std::string("\0\x81\x04", 3)));
  EXPECT_FALSE(TermFrequencies::deserialize(header + std::string("\0\xff\x03", 3)));
  EXPECT_FALSE(TermFrequencies::deserialize(header + std::string("\0\0\0\x80\x04", 5)));
  // A varint cut short, and one wider than 32 bits.
  EXPECT_FALSE(TermFrequencies::deserialize(header + std::string("\x85", 1)));
  EXPECT_FALSE(TermFrequencies::deserialize(header + std::string("\xff\xff\xff\xff\x1f\0\xff\x03", 8)));
}

TEST(TermFrequencies, HalvesOldCountsEveryHalfLife) {
  TermFrequencies frequencies(TermFrequencySettings{1U << 12U, 4, 100});
  for (int document = 0; document < 99; ++document) {
    frequencies.observe(keys_of({"election"}));
  }
  EXPECT_EQ(frequencies.count(word_key("election")), 99U);
  frequencies.observe(keys_of({"ceasefire"}));  // the 100th document: every count halves
  EXPECT_EQ(frequencies.documents(), 50U);
  EXPECT_EQ(frequencies.count(word_key("election")), 49U);
  // A term that stops occurring fades towards nothing.
  for (int document = 0; document < 400; ++document) {
    frequencies.observe(keys_of({"ceasefire"}));
  }
  EXPECT_LE(frequencies.count(word_key("election")), 4U);
  EXPECT_GE(frequencies.count(word_key("ceasefire")), 80U);
}

TEST(TermFrequencies, MergeAddsCountsOfTheSameShapeOnly) {
  const TermFrequencySettings settings{1U << 12U, 4, 1U << 20U};
  TermFrequencies one(settings);
  TermFrequencies two(settings);
  for (int document = 0; document < 30; ++document) {
    one.observe(keys_of({"nato", "summit"}));
    two.observe(keys_of({"nato"}));
  }
  ASSERT_TRUE(one.merge(two));
  EXPECT_EQ(one.documents(), 60U);
  EXPECT_EQ(one.count(word_key("nato")), 60U);
  EXPECT_EQ(one.count(word_key("summit")), 30U);

  TermFrequencies other_shape(TermFrequencySettings{1U << 11U, 4, 1U << 20U});
  EXPECT_FALSE(one.merge(other_shape));
  EXPECT_EQ(one.documents(), 60U);
}

TEST(TermFrequencies, SerializeRoundTripsAndRejectsDamage) {
  TermFrequencies frequencies(TermFrequencySettings{1U << 8U, 2, 77});
  frequencies.observe(keys_of({"assad", "syria"}));
  const std::string bytes = frequencies.serialize();
  const auto restored = TermFrequencies::deserialize(bytes);
  ASSERT_TRUE(restored.has_value());
  EXPECT_EQ(*restored, frequencies);
  EXPECT_EQ(restored->settings().half_life, 77U);
  EXPECT_FALSE(TermFrequencies::deserialize(bytes.substr(0, bytes.size() - 1)));
  EXPECT_FALSE(TermFrequencies::deserialize("NWTF0" + bytes.substr(5)));
  EXPECT_FALSE(TermFrequencies::deserialize(""));
}

TEST(DocumentTerms, KeysWordsAndPrefixesOfEveryField) {
  DocumentTerms terms;
  Item item = item_with("Government talks");
  item.categories = {"Kobani"};
  item.authors = {"Jane"};
  const auto keys = terms.extract(item);
  const auto has = [&keys](std::uint64_t key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
  EXPECT_TRUE(has(word_key("government")));
  EXPECT_TRUE(has(word_key("kobani")));
  EXPECT_TRUE(has(word_key("jane")));
  EXPECT_TRUE(has(prefix_key("gov")));
  EXPECT_TRUE(has(prefix_key("talks")));
  EXPECT_FALSE(has(prefix_key("ta")));  // stems have 3 characters at least
  // Stems past max_counted_prefix bytes count as their first max_counted_prefix bytes.
  EXPECT_EQ(prefix_key("governmen"), prefix_key("governme"));
  EXPECT_TRUE(has(prefix_key("governmen")));
  EXPECT_NE(prefix_key("gov"), word_key("gov"));
  std::vector<std::uint64_t> sorted(keys.begin(), keys.end());
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "keys are distinct";

  // The buffers are reused: a second, shorter item gives only its own keys.
  const auto second = terms.extract(item_with("Ankara"));
  EXPECT_EQ(second.size(), 5U);  // the word ankara; the stems ank, anka, ankar, ankara
}

}  // namespace
}  // namespace newswatch::rules
