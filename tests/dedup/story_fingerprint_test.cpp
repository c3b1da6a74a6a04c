#include "newswatch/dedup/story_fingerprint.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace newswatch::dedup {
namespace {

Item story(std::string title, std::string summary, std::string link = "") {
  Item item;
  item.title = std::move(title);
  item.summary = std::move(summary);
  item.link = std::move(link);
  return item;
}

bool same(const Item& first, const Item& second) {
  return same_story(fingerprint_story(first), fingerprint_story(second));
}

const std::string raqqa_lead =
    "U.S.-led coalition warplanes carried out at least 18 air strikes on Islamic State positions around the "
    "Syrian city of Raqqa overnight, a monitoring group said on Tuesday. The Syrian Observatory for Human Rights "
    "said the strikes targeted weapons depots and a training camp east of the city. There was no immediate word "
    "on casualties.";

const Item raqqa_wire = story("Coalition air strikes hit Islamic State positions around Raqqa",
                              "BEIRUT (Reuters) - " + raqqa_lead, "https://wire.example/world/raqqa");

TEST(StoryFingerprint, IgnoresCaseAndAccents) {
  const Item shouting =
      story("COALITION AIR STRIKES HIT ISLAMIC STATE POSITIONS AROUND RAQQA",
            "BEIRUT (Reuters) - " + std::string("U.S.-LED COALITION WARPLANES CARRIED OUT AT LEAST 18 "
                                                "AIR STRIKES ON ISLAMIC STATE POSITIONS AROUND THE "
                                                "SYRIAN CITY OF RAQQA OVERNIGHT, A MONITORING GROUP "
                                                "SAID ON TUESDAY. THE SYRIAN OBSERVATORY FOR HUMAN "
                                                "RIGHTS SAID THE STRIKES TARGETED WEAPONS DEPOTS"),
            raqqa_wire.link);
  EXPECT_EQ(fingerprint_story(shouting), fingerprint_story(raqqa_wire));

  const Item accented = story("Le gouvernement engage sa responsabilité",
                              "La Première ministre a engagé mercredi la responsabilité de son gouvernement sur le "
                              "projet de loi de finances pour 2024 en recourant à l'article 49.3 de la Constitution.");
  const Item plain = story("LE GOUVERNEMENT ENGAGE SA RESPONSABILITE",
                           "La Premiere ministre a engage mercredi la responsabilite de son gouvernement sur le projet "
                           "de loi de finances pour 2024 en recourant a l'article 49.3 de la Constitution.");
  EXPECT_EQ(fingerprint_story(accented), fingerprint_story(plain));

  const Item turkish = story("İSTANBUL'DA YENİ METRO HATTI AÇILDI",
                             "KADIKÖY İLE SULTANBEYLİ ARASINDA ÇALIŞACAK YENİ METRO HATTI DÜZENLENEN TÖRENLE HİZMETE "
                             "AÇILDI. 19 KİLOMETRE UZUNLUĞUNDAKİ HATTA 16 İSTASYON BULUNUYOR.");
  const Item turkish_lower = story("İstanbul'da yeni metro hattı açıldı",
                                   "Kadıköy ile Sultanbeyli arasında çalışacak yeni metro hattı düzenlenen törenle "
                                   "hizmete açıldı. 19 kilometre uzunluğundaki hatta 16 istasyon bulunuyor.");
  EXPECT_EQ(fingerprint_story(turkish), fingerprint_story(turkish_lower));
}

TEST(StoryFingerprint, IgnoresTheDateline) {
  const Item reprint = story(raqqa_wire.title, raqqa_lead, raqqa_wire.link);
  EXPECT_EQ(fingerprint_story(reprint), fingerprint_story(raqqa_wire));
  const Item other_dateline = story(raqqa_wire.title, "DAMASCUS, Syria (AP) — " + raqqa_lead, raqqa_wire.link);
  EXPECT_EQ(fingerprint_story(other_dateline), fingerprint_story(raqqa_wire));
}

TEST(StoryFingerprint, MatchesACopyWithANewHeadlineAndADroppedSentence) {
  const Item reprint = story("US-led coalition pounds ISIS targets near Raqqa overnight",
                             "U.S.-led coalition warplanes carried out at least 18 air strikes on Islamic State "
                             "positions around the Syrian city of Raqqa overnight, a monitoring group said on Tuesday. "
                             "There was no immediate word on casualties.",
                             "https://daily.example/raqqa-strikes");
  EXPECT_TRUE(same(raqqa_wire, reprint));
}

TEST(StoryFingerprint, MatchesACopyEditedToHouseStyle) {
  const Item edited = story("Airstrikes target IS depots around Raqqa: monitor",
                            "US-led coalition warplanes carried out at least 18 airstrikes against Islamic State "
                            "positions around the Syrian city of Raqqa overnight, a monitoring group said Tuesday. "
                            "The Syrian Observatory for Human Rights said the strikes targeted weapons depots and a "
                            "training camp east of the city.",
                            "https://portal.example/n/8812");
  EXPECT_TRUE(same(raqqa_wire, edited));
}

TEST(StoryFingerprint, UsesTheContentWhenThereIsNoSummary) {
  Item content_only = raqqa_wire;
  content_only.content = content_only.summary + " Raqqa has been the militants' de facto capital since 2014.";
  content_only.summary = " ";
  EXPECT_EQ(fingerprint_story(content_only).shingles, fingerprint_story(raqqa_wire).shingles);
}

TEST(StoryFingerprint, CoversOnlyTheLead) {
  Item longer = raqqa_wire;
  longer.summary += " Raqqa has been the militants' de facto capital in Syria since early 2014.";
  EXPECT_EQ(fingerprint_story(longer), fingerprint_story(raqqa_wire));
}

TEST(StoryFingerprint, NeverMergesDifferentStoriesOnOneTopic) {
  const Item regime = story("Little hope for Syrian regime to join anti-ISIS coalition",
                            "ANKARA (AA) - Analysts see little chance that the Syrian regime will be invited into the "
                            "international coalition against ISIS, despite Damascus offering to cooperate in the fight "
                            "against the militants. Western governments have repeatedly said that Bashar al-Assad has "
                            "lost all legitimacy.",
                            "https://aa.example/regime-coalition");
  EXPECT_FALSE(same(raqqa_wire, regime));
  EXPECT_LT(story_similarity(fingerprint_story(raqqa_wire), fingerprint_story(regime)), 0.1);
}

TEST(StoryFingerprint, NeverMergesSameGenericTitleWithDifferentText) {
  const Item monday = story("Morning briefing",
                            "Good morning. Coalition warplanes struck Islamic State positions around Raqqa overnight, "
                            "a monitoring group said. In Turkey, the lira slid to a record low after inflation data "
                            "came in above forecasts. Here is what else you need to know today.",
                            "https://daily.example/briefing/monday");
  const Item tuesday = story("Morning briefing",
                             "Good morning. Turkey's central bank is expected to raise interest rates again on "
                             "Thursday as inflation stays above 60%. Climate negotiators in Dubai remain split over "
                             "fossil fuels. Here is what else you need to know today.",
                             "https://other.example/briefing/tuesday");
  EXPECT_FALSE(same(monday, tuesday));

  const Item live_storm = story("Live updates", "Follow our live coverage as the storm sweeps across the Channel.");
  const Item live_vote = story("Live updates", "Follow our live coverage of election night as results come in.");
  EXPECT_FALSE(same(live_storm, live_vote));
}

TEST(StoryFingerprint, ShortTextsMergeOnlyWhenIdentical) {
  EXPECT_TRUE(same(story("Live updates", ""), story("LIVE UPDATES", "")));
  EXPECT_FALSE(same(story("Live updates", ""), story("Live updates: storm", "")));
  EXPECT_FALSE(same(story("Earthquake hits eastern Turkey", ""), story("Earthquake hits eastern Turkey, 12 dead", "")));
  EXPECT_FALSE(same(story("Lira hits record low", "Markets react."), story("Lira hits record low", "Markets calm.")));
  EXPECT_TRUE(same(story("Lira hits record low", "Markets react."), story("Lira hits record low", "markets react")));
  EXPECT_EQ(fingerprint_story(story("Live updates", "")).kind, FingerprintKind::exact);
}

TEST(StoryFingerprint, NeverMergesTemplateReportsWithDifferentNumbers) {
  const Item monday = story("Dolar/TL güne 32,15 seviyesinden başladı",
                            "ANKARA (AA) - Dolar/TL, pazartesi günü saat 09.30 itibarıyla 32,15 seviyesinden işlem "
                            "gördü. Avro/TL 34,82, sterlin/TL ise 40,61 seviyesinde bulunuyor. Gram altın 2 bin 243 "
                            "liradan alıcı buldu.");
  const Item tuesday = story("Dolar/TL güne 32,21 seviyesinden başladı",
                             "ANKARA (AA) - Dolar/TL, salı günü saat 09.30 itibarıyla 32,21 seviyesinden işlem gördü. "
                             "Avro/TL 34,95, sterlin/TL ise 40,77 seviyesinde bulunuyor. Gram altın 2 bin 251 liradan "
                             "alıcı buldu.");
  EXPECT_GT(story_similarity(fingerprint_story(monday), fingerprint_story(tuesday)), same_story_similarity)
      << "the words alone would merge them";
  EXPECT_FALSE(same(monday, tuesday));
}

TEST(StoryFingerprint, NeverMergesOneOutletsItemsUnderDifferentHeadlines) {
  const std::string series_opening =
      "This is another post in our Code Health series. A version of this post originally appeared in bathrooms "
      "worldwide as an episode of our testing newsletter. You can download a printer-friendly version to display.";
  const Item first = story("Code Health: Eliminate YAGNI Smells", series_opening, "https://blog.example/yagni");
  const Item second = story("Code Health: Reduce Nesting", series_opening, "https://www.blog.example/nesting");
  EXPECT_FALSE(same(first, second));
  const Item same_post_other_feed =
      story("Code Health: Eliminate YAGNI Smells", series_opening, "https://BLOG.example/feeds/yagni?from=rss");
  EXPECT_TRUE(same(first, same_post_other_feed));
  const Item copy_elsewhere =
      story("Reduce nesting, says code health series", series_opening, "https://aggregator.example/item/1");
  EXPECT_TRUE(same(first, copy_elsewhere)) << "across outlets headlines are rewritten and do not count";
}

TEST(StoryFingerprint, AcceptsLowSimilarityOnlyWithTwoSharedKeys) {
  // Thirty word-pair bits each, overlapping by as few as keep the estimate at the threshold.
  const auto bits = [](int first_bit) {
    StoryFingerprint fingerprint;
    fingerprint.kind = FingerprintKind::near;
    for (int bit = first_bit; bit < first_bit + 30; ++bit) {
      fingerprint.shingles[static_cast<std::size_t>(bit / 64)] |= std::uint64_t{1} << (bit % 64);
    }
    return fingerprint;
  };
  const StoryFingerprint first = bits(0);
  int offset = 0;
  while (offset < 30 && story_similarity(first, bits(offset + 1)) >= same_story_similarity) {
    ++offset;
  }
  StoryFingerprint second = bits(offset);
  const double similarity = story_similarity(first, second);
  ASSERT_GE(similarity, same_story_similarity);
  ASSERT_LT(similarity, one_key_similarity);
  EXPECT_FALSE(story_match(first, second, 1));
  EXPECT_EQ(story_match(first, second, 2), similarity);
  second.anchors = first.anchors;
  EXPECT_TRUE(same_story(first, second)) << "all six keys shared";
  second.anchors[0] = 1;
  second.anchors[1] = 1;
  second.anchors[2] = 1;
  second.anchors[3] = 1;
  second.anchors[4] = 1;
  EXPECT_FALSE(same_story(first, second)) << "one key shared";
}

TEST(StoryFingerprint, MatchAgreesWithSimilarityOnEveryKindOfPair) {
  // story_match() counts bits with the CPU's instruction where there is one, story_similarity()
  // portably: over random pairs (shared word pairs, numbers and outlets drawn from small pools so
  // that every rule is hit) both must decide alike.
  std::mt19937_64 random(77);
  const auto make = [&random] {
    StoryFingerprint fingerprint;
    fingerprint.kind = random() % 5 == 0 ? FingerprintKind::exact : FingerprintKind::near;
    const std::uint64_t common = random();
    for (std::uint64_t& word : fingerprint.shingles) {
      word = random() % 2 == 0 ? (common & random()) | (random() & random() & random()) : random() & random();
    }
    fingerprint.numbers = static_cast<std::uint32_t>(random() & random() & random());
    fingerprint.outlet = static_cast<std::uint16_t>(random() % 3);
    fingerprint.title = static_cast<std::uint16_t>(random() % 2);
    return fingerprint;
  };
  int matched = 0;
  for (int i = 0; i < 20000; ++i) {
    const StoryFingerprint first = make();
    StoryFingerprint second = random() % 3 == 0 ? first : make();
    second.numbers ^= static_cast<std::uint32_t>(random() % 4 == 0 ? random() & random() : 0);
    const int shared = static_cast<int>(random() % 3);
    const double similarity = story_similarity(first, second);
    const bool numbers_conflict = first.kind == FingerprintKind::near && second.kind == FingerprintKind::near &&
                                  std::popcount(first.numbers & ~second.numbers) >= conflicting_numbers &&
                                  std::popcount(second.numbers & ~first.numbers) >= conflicting_numbers;
    const bool same_outlet_other_title =
        first.outlet != 0 && first.outlet == second.outlet && first.title != second.title;
    const bool expected = !numbers_conflict && !same_outlet_other_title && similarity >= same_story_similarity &&
                          (similarity >= one_key_similarity || shared >= 2);
    const std::optional<double> match = story_match(first, second, shared);
    ASSERT_EQ(match.has_value(), expected) << i;
    if (match) {
      EXPECT_EQ(*match, similarity) << i;
      ++matched;
    }
  }
  EXPECT_GT(matched, 1000);
}

TEST(StoryFingerprint, ItemWithoutTextMatchesNothing) {
  const StoryFingerprint empty = fingerprint_story(Item{});
  EXPECT_EQ(empty.kind, FingerprintKind::none);
  EXPECT_FALSE(same_story(empty, empty));
  EXPECT_EQ(story_similarity(empty, empty), 0);
}

TEST(StoryFingerprint, NamesTheOutletByHost) {
  EXPECT_EQ(outlet_of("https://www.Example.com/a"), outlet_of("http://example.com:8080/b?c#d"));
  EXPECT_EQ(outlet_of("https://user@example.com/"), outlet_of("https://example.com"));
  EXPECT_NE(outlet_of("https://example.com/a"), outlet_of("https://example.org/a"));
  EXPECT_EQ(outlet_of("example.com/a"), 0);
  EXPECT_EQ(outlet_of(""), 0);
  EXPECT_EQ(outlet_of("https:///path"), 0);
}

TEST(StoryFingerprint, RoundTripsThroughItsEncoding) {
  for (const Item& item : {raqqa_wire, story("Live updates", ""), Item{}}) {
    const StoryFingerprint fingerprint = fingerprint_story(item);
    const std::string bytes = encode_fingerprint(fingerprint);
    EXPECT_EQ(bytes.size(), encoded_fingerprint_size);
    EXPECT_EQ(decode_fingerprint(bytes), fingerprint);
  }
}

TEST(StoryFingerprint, RejectsEncodingsOfAnotherSizeVersionOrKind) {
  const std::string bytes = encode_fingerprint(fingerprint_story(raqqa_wire));
  EXPECT_FALSE(decode_fingerprint(bytes.substr(1)));
  EXPECT_FALSE(decode_fingerprint(bytes + "x"));
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(decode_fingerprint(other_version));
  std::string other_kind = bytes;
  other_kind[1] = 7;
  EXPECT_FALSE(decode_fingerprint(other_kind));
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char byte : bytes) {
    out.push_back(digits[static_cast<unsigned char>(byte) >> 4U]);
    out.push_back(digits[static_cast<unsigned char>(byte) & 0xFU]);
  }
  return out;
}

TEST(StoryFingerprint, KeepsItsValuesAcrossVersions) {
  // Fingerprints are stored: if these change, every stored one compares wrong.
  const Item wire = story("Coalition air strikes hit Islamic State positions around Raqqa",
                          "BEIRUT (Reuters) - " + raqqa_lead, "https://wire.example/world/raqqa");
  EXPECT_EQ(hex(encode_fingerprint(fingerprint_story(wire))),
            "0102845dcd5f000000028400002010a0001630001c2081941480b7cebd0a8d66b90c289f72166743670914df8a0a6e179d03");
  EXPECT_EQ(hex(encode_fingerprint(fingerprint_story(story("Live updates", "")))),
            "0101000041b20000000036439392ccb4795a7ce32c01851f1237d006306d393f84453e2e396b3f5703cc828bba87adcd47c1");
}

}  // namespace
}  // namespace newswatch::dedup
