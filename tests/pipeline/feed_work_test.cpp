// The term keys a worker collects for the frequency sketch, and the loop side counting them.
#include "newswatch/pipeline/feed_work.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/pipeline/stages.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono;

const TimePoint now = sys_days{year{2026} / November / 30} + 9h;

const std::string body =
    "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>https://wire.example/</link>"
    "<description>d</description>"
    "<item><title>Kobani talks resume</title><link>https://wire.example/1</link><guid>1</guid></item>"
    "<item><title>Government budget passes</title><link>https://wire.example/2</link><guid>2</guid></item>"
    "</channel></rss>";

/// One feed, "wire", under one rule, "kobani", with the pipeline's real worker stages.
class FeedWorkTest : public ::testing::Test {
 protected:
  FeedWorkTest() {
    auto compiled = rules::RuleSet::compile({{"kobani", "kobani", {}}});
    EXPECT_TRUE(compiled);
    if (compiled) {
      rules_ = std::move(*compiled);
    }
    feed.name = "wire";
    feed.url = "https://wire.example/rss";
  }

  [[nodiscard]] FeedWork work_on(const std::string& text, const std::vector<store::KnownItem>& known = {},
                                 TimePoint at = now) const {
    return work_on_body(feed, text, "application/rss+xml", feed.url, known, at, stages);
  }

  rules::RuleSet rules_;
  Feed feed;
  WorkerStages stages = make_worker_stages(config::DaemonSettings{}, rules_);
};

TEST_F(FeedWorkTest, CollectsTermKeysOfNewItemsForTheLoopToCount) {
  FeedWork first = work_on(body);
  ASSERT_EQ(first.items.size(), 2U);
  const auto has = [](const std::vector<std::uint64_t>& keys, std::uint64_t key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  ASSERT_EQ(term_samples_per_poll, 1U);
  EXPECT_TRUE(has(first.items[0].term_keys, rules::word_key("kobani")));
  EXPECT_FALSE(has(first.items[0].term_keys, rules::prefix_key("gov")));
  EXPECT_TRUE(first.items[1].term_keys.empty()) << "one item of a poll is counted";
  // The next poll brings a new item, which is counted in turn.
  FeedWork second = work_on(
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>https://wire.example/</link>"
      "<item><title>Government reshuffle</title><link>https://wire.example/3</link><guid>3</guid></item>"
      "</channel></rss>");
  ASSERT_EQ(second.items.size(), 1U);
  EXPECT_TRUE(has(second.items[0].term_keys, rules::prefix_key("gov")));

  auto store = store::SqliteStore::open_scratch();
  ASSERT_TRUE(store);
  Recorder recorder(**store, RecorderSettings{});
  rules::TermFrequencies frequencies;
  recorder.observe_terms(&frequencies);
  FeedState state;
  state.feed_name = feed.name;
  state.url = state.configured_url = feed.url;
  for (FeedWork* work : {&first, &second}) {
    const RecordOutcome outcome = recorder.record(feed, state, std::move(*work), PollVerdict::fetched, now);
    ASSERT_FALSE(outcome.store_error) << *outcome.store_error;
  }
  EXPECT_EQ(frequencies.documents(), 2U);
  EXPECT_EQ(frequencies.count(rules::word_key("kobani")), 1U);
  EXPECT_EQ(frequencies.count(rules::prefix_key("gov")), 1U);
}

TEST_F(FeedWorkTest, CountsTheTermsOfASampleOfALargeBody) {
  std::string items;
  for (int i = 0; i < 25; ++i) {
    items += "<item><title>Story number " + std::to_string(i) + " on Kobani</title><link>https://wire.example/s" +
             std::to_string(i) + "</link><guid>s" + std::to_string(i) + "</guid></item>";
  }
  const std::string large =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>" + items + "</channel></rss>";
  const FeedWork work = work_on(large);
  ASSERT_EQ(work.items.size(), 25U);
  std::size_t sampled = 0;
  std::size_t matched = 0;
  for (const auto& entry : work.items) {
    sampled += entry.term_keys.empty() ? 0U : 1U;
    matched += entry.matches.size();
  }
  EXPECT_EQ(sampled, term_samples_per_poll);
  EXPECT_EQ(matched, 25U) << "the sample is of counting only; every item is matched";
}

TEST_F(FeedWorkTest, KnowsAnItemUnchangedByItsBytesOrByItsWords) {
  const FeedWork first = work_on(body);
  ASSERT_EQ(first.items.size(), 2U);
  const auto known = [&first](std::size_t index) {
    const auto& identity = first.items.at(index).identity;
    return store::KnownItem{
        identity.key, identity.canonical_url, identity.content_hash, identity.source_hash, now, 7, {}};
  };

  // Same bytes as stored: unchanged without looking at the words (a stale word hash cannot make it an edit).
  store::KnownItem same_bytes = known(0);
  same_bytes.content_hash ^= 1U;
  // Stored before source hashes were kept: its words decide.
  store::KnownItem words_only = known(1);
  words_only.source_hash = 0;
  const FeedWork second = work_on(body, {same_bytes, words_only}, now + hours{1});
  EXPECT_EQ(second.seen, 2U);
  EXPECT_TRUE(second.items.empty()) << "both unchanged, neither due for a refresh";

  // Other bytes, other words: an edit.
  store::KnownItem edited = known(1);
  edited.source_hash ^= 1U;
  edited.content_hash ^= 1U;
  const FeedWork third = work_on(body, {edited}, now + hours{1});
  std::size_t edits = 0;
  for (const auto& entry : third.items) {
    edits += entry.kind == ItemKind::edited ? 1U : 0U;
  }
  EXPECT_EQ(edits, 1U);
}

TEST_F(FeedWorkTest, HandsTheLoopOnlyWhatItRecordsAndAMatchAnExcerpt) {
  // A matching item with a long summary and content; a plain one with both; a matching one whose
  // only text is its content, cut in the middle of a two-byte letter at byte 500.
  std::string long_summary = "Kobani " + std::string(1200, 'a');
  std::string content_only = std::string(499, 'x') + "\u00e9 kobani";
  const std::string text =
      "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
      "<channel><title>t</title><link>https://wire.example/</link><description>d</description>"
      "<item><title>Kobani talks</title><link>https://wire.example/1</link><guid>g1</guid>"
      "<pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate><category>World</category><description>" +
      long_summary +
      "</description><content:encoded>body text</content:encoded></item>"
      "<item><title>Budget passes</title><link>https://wire.example/2</link><guid>g2</guid>"
      "<description>A short summary</description><content:encoded>more text</content:encoded></item>"
      "<item><title>Harbour</title><link>https://wire.example/3</link><guid>g3</guid>"
      "<content:encoded>" +
      content_only + "</content:encoded></item></channel></rss>";
  const FeedWork work = work_on(text);
  ASSERT_EQ(work.items.size(), 3U);

  const Item& matched = work.items[0].item;
  ASSERT_EQ(work.items[0].matches.size(), 1U);
  EXPECT_EQ(matched.id, "g1");
  EXPECT_EQ(matched.title, "Kobani talks");
  EXPECT_EQ(matched.link, "https://wire.example/1");
  ASSERT_TRUE(matched.published);
  EXPECT_EQ(matched.summary, long_summary.substr(0, alert_summary_bytes) + "\u2026");
  EXPECT_TRUE(matched.content.empty());
  EXPECT_TRUE(matched.categories.empty());

  const Item& plain = work.items[1].item;
  EXPECT_TRUE(work.items[1].matches.empty());
  EXPECT_EQ(plain.title, "Budget passes");
  EXPECT_TRUE(plain.summary.empty()) << "no alert quotes it";
  EXPECT_TRUE(plain.content.empty());

  ASSERT_EQ(work.items[2].matches.size(), 1U);
  EXPECT_EQ(work.items[2].item.summary, std::string(499, 'x') + "\u2026") << "not half a letter";
}

}  // namespace
}  // namespace newswatch::pipeline
