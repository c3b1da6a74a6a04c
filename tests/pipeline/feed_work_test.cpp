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

TEST(FeedWork, CollectsTermKeysOfNewItemsForTheLoopToCount) {
  auto rule_set = rules::RuleSet::compile({{"kobani", "kobani", {}}});
  ASSERT_TRUE(rule_set);
  const WorkerStages stages = make_worker_stages(config::DaemonSettings{}, *rule_set);
  Feed feed;
  feed.name = "wire";
  feed.url = "https://wire.example/rss";
  FeedWork work = work_on_body(feed, body, "application/rss+xml", feed.url, {}, now, stages);
  ASSERT_EQ(work.items.size(), 2U);
  const auto has = [](const std::vector<std::uint64_t>& keys, std::uint64_t key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  EXPECT_TRUE(has(work.items[0].term_keys, rules::word_key("kobani")));
  EXPECT_TRUE(has(work.items[1].term_keys, rules::prefix_key("gov")));
  EXPECT_FALSE(has(work.items[0].term_keys, rules::prefix_key("gov")));

  auto store = store::SqliteStore::open_scratch();
  ASSERT_TRUE(store);
  Recorder recorder(**store, RecorderSettings{});
  rules::TermFrequencies frequencies;
  recorder.observe_terms(&frequencies);
  FeedState state;
  state.feed_name = feed.name;
  state.url = state.configured_url = feed.url;
  const RecordOutcome outcome = recorder.record(feed, state, std::move(work), PollVerdict::fetched, now);
  ASSERT_FALSE(outcome.store_error) << *outcome.store_error;
  EXPECT_EQ(frequencies.documents(), 2U);
  EXPECT_EQ(frequencies.count(rules::word_key("kobani")), 1U);
  EXPECT_EQ(frequencies.count(rules::prefix_key("gov")), 1U);
}

}  // namespace
}  // namespace newswatch::pipeline
