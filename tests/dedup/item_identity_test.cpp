#include "newswatch/dedup/item_identity.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace newswatch::dedup {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;

Item wire_item() {
  Item item;
  item.id = "urn:wire:2015-08-25:raqqa";
  item.title = "Coalition air strikes hit Islamic State positions around Raqqa";
  item.link = "https://news.example/world/raqqa-strikes?utm_source=rss";
  item.published = TimePoint{sys_days{year{2015} / 8 / 25}};
  item.summary =
      "BEIRUT (Reuters) - U.S.-led coalition warplanes carried out at least 18 air strikes on Islamic State "
      "positions around the Syrian city of Raqqa overnight, a monitoring group said on Tuesday.";
  item.content = item.summary + " There was no immediate word on casualties.";
  return item;
}

TEST(ItemIdentity, UsesThePublishedIdFirst) {
  const ItemIdentity identity = identify(wire_item(), "https://news.example/world/raqqa-strikes");
  EXPECT_EQ(identity.key, "id:urn:wire:2015-08-25:raqqa");
  EXPECT_EQ(identity.canonical_url, "https://news.example/world/raqqa-strikes");
}

TEST(ItemIdentity, UsesTheCanonicalLinkWithoutAnId) {
  Item item = wire_item();
  item.id.clear();
  const ItemIdentity identity = identify(item, "https://news.example/world/raqqa-strikes");
  EXPECT_EQ(identity.key, "url:https://news.example/world/raqqa-strikes");
}

TEST(ItemIdentity, HashesTitleAndDateWithoutIdOrLink) {
  Item item = wire_item();
  item.id.clear();
  const std::string key = identify(item, "").key;
  ASSERT_TRUE(key.starts_with("hash:"));
  EXPECT_EQ(key.size(), 5U + 16U);

  Item recased = item;
  recased.title = "COALITION AIR STRIKES HIT ISLAMIC STATE POSITIONS AROUND RAQQA";
  recased.summary = "A different summary.";
  EXPECT_EQ(identify(recased, "").key, key) << "the key covers the normalised title and date only";

  Item next_day = item;
  next_day.published = *item.published + days{1};
  EXPECT_NE(identify(next_day, "").key, key);

  Item other_title = item;
  other_title.title = "Coalition air strikes hit Islamic State positions around Palmyra";
  EXPECT_NE(identify(other_title, "").key, key);
}

TEST(ItemIdentity, HashesTheTextWhenThereIsNoTitle) {
  Item first;
  first.summary = "Storm warning for the coast tonight.";
  Item second;
  second.summary = "Storm warning for the mountains tonight.";
  EXPECT_NE(identify(first, "").key, identify(second, "").key);
  EXPECT_EQ(identify(first, "").key, identify(first, "").key);
}

TEST(ItemIdentity, KeysDoNotDependOnTheFingerprintOrContent) {
  Item item = wire_item();
  const std::string key = identify(item, "https://x.example/a").key;
  item.summary += " Updated.";
  EXPECT_EQ(identify(item, "https://x.example/a").key, key);
}

TEST(ContentHash, ChangesWhenTheWordsAreEdited) {
  const Item item = wire_item();
  const std::uint64_t original = identify(item, "").content_hash;

  Item edited = item;
  edited.content = item.summary + " There was no immediate word on casualties, the group said.";
  EXPECT_NE(identify(edited, "").content_hash, original);

  Item retitled = item;
  retitled.title = "Coalition strikes hit Islamic State positions around Raqqa";
  EXPECT_NE(identify(retitled, "").content_hash, original);

  Item renumbered = item;
  renumbered.summary.replace(renumbered.summary.find("18"), 2, "19");
  EXPECT_NE(identify(renumbered, "").content_hash, original);
}

TEST(ContentHash, StaysWhenOnlyMarkupSpacingOrCaseChange) {
  const Item item = wire_item();
  const std::uint64_t original = identify(item, "").content_hash;

  Item respaced = item;
  respaced.title = "  Coalition  air strikes hit Islamic State positions around Raqqa\n";
  respaced.summary_html = "<p>" + item.summary + "</p>";
  EXPECT_EQ(identify(respaced, "").content_hash, original);

  Item recased = item;
  recased.title = "COALITION AIR STRIKES HIT ISLAMIC STATE POSITIONS AROUND RAQQA";
  EXPECT_EQ(identify(recased, "").content_hash, original);

  Item relinked = item;
  relinked.link = "https://mirror.example/raqqa";
  relinked.id = "another-id";
  EXPECT_EQ(identify(relinked, "").content_hash, original) << "the hash covers words, not identity";
}

TEST(ContentHash, TellsWordsMovedBetweenFieldsApart) {
  Item first;
  first.title = "Talks resume";
  first.summary = "in Istanbul";
  Item second;
  second.title = "Talks resume in Istanbul";
  EXPECT_NE(identify(first, "").content_hash, identify(second, "").content_hash);
}

TEST(ItemIdentity, KeepsItsValuesAcrossVersions) {
  // Keys and content hashes are stored: if these change, every stored item looks new or edited.
  Item item;
  item.title = "Coalition air strikes hit Islamic State positions around Raqqa";
  item.summary =
      "BEIRUT (Reuters) - U.S.-led coalition warplanes carried out at least 18 air strikes on Islamic State "
      "positions around the Syrian city of Raqqa overnight, a monitoring group said on Tuesday. The Syrian "
      "Observatory for Human Rights said the strikes targeted weapons depots and a training camp east of the city. "
      "There was no immediate word on casualties.";
  const ItemIdentity identity = identify(item, "");
  EXPECT_EQ(identity.content_hash, 0xaa862700d90aa111U);
  EXPECT_EQ(identity.key, "hash:35d3478153b453b8");
}

TEST(SourceHash, ChangesWithAnyByteOfTheTextAndNothingElse) {
  const Item item = wire_item();
  const std::uint64_t original = identify_key(item, "").source_hash;
  EXPECT_NE(original, 0U);
  EXPECT_EQ(identify_key(item, "").source_hash, original);

  Item respaced = item;
  respaced.title += " ";
  EXPECT_NE(identify_key(respaced, "").source_hash, original) << "bytes, not words";

  Item moved;
  moved.title = "Talks resume";
  moved.summary = "in Istanbul";
  Item joined;
  joined.title = "Talks resume in Istanbul";
  EXPECT_NE(identify_key(moved, "").source_hash, identify_key(joined, "").source_hash);

  Item relinked = item;
  relinked.link = "https://mirror.example/raqqa";
  relinked.id = "another-id";
  EXPECT_EQ(identify_key(relinked, "").source_hash, original) << "the hash covers the text, not identity";
}

TEST(ItemIdentity, IsTheKeyCompletedWithHashAndFingerprint) {
  for (Item item : {wire_item(), Item{}}) {
    if (item.title.empty()) {
      item.summary = "No title: the words of the text stand in for it.";
    }
    const ItemIdentity whole = identify(item, "https://news.example/world/raqqa-strikes");
    ItemIdentity staged = identify_key(item, "https://news.example/world/raqqa-strikes");
    EXPECT_EQ(staged.key, whole.key);
    EXPECT_EQ(staged.source_hash, whole.source_hash);
    EXPECT_EQ(staged.content_hash, 0U) << "identify_key leaves the text alone";
    complete_identity(item, staged);
    EXPECT_EQ(staged.content_hash, whole.content_hash);
    EXPECT_EQ(staged.fingerprint, whole.fingerprint);
    // From the fields tokenised by the caller (the pipeline shares them with the rules): the same.
    text::FieldTokens tokens;
    text::tokenize_fields(item.title, item.summary, item.content, tokens);
    ItemIdentity from_tokens = identify_key(item, "https://news.example/world/raqqa-strikes");
    complete_identity(item, from_tokens, tokens);
    EXPECT_EQ(from_tokens.content_hash, whole.content_hash);
    EXPECT_EQ(from_tokens.fingerprint, whole.fingerprint);
  }
}

TEST(ItemIdentity, CarriesTheStoryFingerprint) {
  const Item item = wire_item();
  EXPECT_EQ(identify(item, "").fingerprint, fingerprint_story(item));
}

}  // namespace
}  // namespace newswatch::dedup
