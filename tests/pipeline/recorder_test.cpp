// Group commit: polls staged together are written in one transaction, see each other's decisions,
// and a poll the store refuses fails alone.
#include "newswatch/pipeline/recorder.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "newswatch/pipeline/feed_work.hpp"
#include "newswatch/pipeline/stages.hpp"
#include "newswatch/store/sqlite_database.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono;

const TimePoint now = sys_days{year{2026} / November / 30} + 9h;

std::string rss_with(const std::string& guid, const std::string& link, const std::string& title) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link>"
         "<description>d</description><item><guid>" +
         guid + "</guid><link>" + link + "</link><title>" + title +
         "</title><pubDate>Mon, 30 Nov 2026 08:00:00 GMT</pubDate></item></channel></rss>";
}

class RecorderTest : public ::testing::Test {
 protected:
  RecorderTest() {
    auto compiled = rules::RuleSet::compile({{"coalition", "coalition", {}}});
    EXPECT_TRUE(compiled);
    rules_ = std::move(*compiled);
    auto opened = store::SqliteStore::open(dir_.path());
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    settings_.rule_targets["coalition"] = {"desk"};
  }

  static Feed feed(const std::string& name) {
    Feed configured;
    configured.name = name;
    configured.url = "https://" + name + ".example/rss";
    configured.baseline = false;
    return configured;
  }

  static FeedState state_of(const Feed& configured) {
    FeedState state;
    state.feed_name = configured.name;
    state.url = state.configured_url = configured.url;
    return state;
  }

  /// Parses `body` as `configured`'s poll and stages it.
  void stage(Recorder& recorder, const Feed& configured, const std::string& body) {
    const WorkerStages stages = make_worker_stages(config::DaemonSettings{}, rules_);
    auto known = store_->load_known_items(configured.name);
    ASSERT_TRUE(known) << known.error().message;
    FeedWork work = work_on_body(configured, body, "application/rss+xml", configured.url, *known, now, stages);
    recorder.stage(configured, state_of(configured), std::move(work), PollVerdict::fetched, now);
  }

  std::size_t stored_items(const std::string& feed_name) {
    auto items = store_->list_items(feed_name, 100);
    EXPECT_TRUE(items) << items.error().message;
    return items ? items->size() : 0;
  }

  testing::TempDir dir_;
  rules::RuleSet rules_;
  std::unique_ptr<store::SqliteStore> store_;
  RecorderSettings settings_;
};

TEST_F(RecorderTest, PollsStagedTogetherAreOneCommitAndSeeEachOther) {
  Recorder recorder(*store_, settings_);
  // The same article in two feeds, staged before either is written: one story, one alert.
  stage(recorder, feed("wire"), rss_with("a1", "https://news.example/coalition-talks", "Coalition talks resume"));
  stage(recorder, feed("paper"),
        rss_with("b7", "https://www.news.example/coalition-talks?utm_source=rss", "Coalition talks resume"));
  EXPECT_EQ(recorder.staged(), 2U);
  EXPECT_EQ(stored_items("wire"), 0U) << "nothing is written before the commit";

  const auto outcomes = recorder.commit();
  ASSERT_EQ(outcomes.size(), 2U);
  EXPECT_EQ(recorder.staged(), 0U);
  for (const auto& outcome : outcomes) {
    EXPECT_FALSE(outcome.store_error) << *outcome.store_error;
    ASSERT_TRUE(outcome.state);
  }
  EXPECT_EQ(outcomes[0].alert_ids.size(), 1U);
  EXPECT_TRUE(outcomes[1].alert_ids.empty()) << "the story already alerted in the same batch";
  EXPECT_EQ(outcomes[1].counts.folded, 1U);
  EXPECT_EQ(stored_items("wire"), 1U);
  EXPECT_EQ(stored_items("paper"), 1U);

  auto alerts = store_->load_alerts(outcomes[0].alert_ids);
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 1U);
  ASSERT_EQ(alerts->front().also.size(), 1U);
  EXPECT_EQ(alerts->front().also.front().feed, "paper");
}

TEST_F(RecorderTest, APollTheStoreRefusesFailsAloneAndComesBackWhole) {
  // The store refuses any item of feed "bad" (as a full disk or a corrupt page would, for one poll).
  {
    auto database = store::Database::open(store::SqliteStore::database_path(dir_.path()));
    ASSERT_TRUE(database) << database.error().message;
    ASSERT_TRUE(
        database->execute("CREATE TRIGGER refuse_bad BEFORE INSERT ON seen_items WHEN NEW.feed = 'bad' "
                          "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"));
  }
  Recorder recorder(*store_, settings_);
  const std::string bad_body = rss_with("x1", "https://bad.example/coalition-vote", "Coalition vote tonight");
  stage(recorder, feed("good"), rss_with("g1", "https://good.example/coalition-summit", "Coalition summit opens"));
  stage(recorder, feed("bad"), bad_body);
  stage(recorder, feed("later"), rss_with("l1", "https://later.example/coalition-budget", "Coalition budget agreed"));

  const auto outcomes = recorder.commit();
  ASSERT_EQ(outcomes.size(), 3U);
  EXPECT_FALSE(outcomes[0].store_error);
  ASSERT_TRUE(outcomes[1].store_error);
  EXPECT_NE(outcomes[1].store_error->find("refused for the test"), std::string::npos) << *outcomes[1].store_error;
  EXPECT_TRUE(outcomes[1].alert_ids.empty());
  EXPECT_FALSE(outcomes[1].state);
  EXPECT_FALSE(outcomes[2].store_error);
  EXPECT_EQ(outcomes[0].alert_ids.size(), 1U);
  EXPECT_EQ(outcomes[2].alert_ids.size(), 1U);
  EXPECT_EQ(stored_items("good"), 1U);
  EXPECT_EQ(stored_items("bad"), 0U);
  EXPECT_EQ(stored_items("later"), 1U);

  // Once the store takes it again, the refused poll's item is new and alerts: nothing was lost.
  {
    auto database = store::Database::open(store::SqliteStore::database_path(dir_.path()));
    ASSERT_TRUE(database) << database.error().message;
    ASSERT_TRUE(database->execute("DROP TRIGGER refuse_bad"));
  }
  stage(recorder, feed("bad"), bad_body);
  const auto retried = recorder.commit();
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_FALSE(retried[0].store_error);
  EXPECT_EQ(retried[0].counts.fresh, 1U);
  EXPECT_EQ(retried[0].counts.folded, 0U) << "the failed attempt left no story behind";
  EXPECT_EQ(retried[0].alert_ids.size(), 1U);
  EXPECT_EQ(stored_items("bad"), 1U);
}

}  // namespace
}  // namespace newswatch::pipeline
