// Group commit: polls staged together are written in one transaction, see each other's decisions,
// and a poll the store refuses fails alone; a batch written on another connection counts for the
// polls staged while it is on its way.
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

  /// Runs `sql` on a connection of its own (as another process would).
  void execute(const std::string& sql) {
    auto database = store::Database::open(store::SqliteStore::database_path(dir_.path()));
    ASSERT_TRUE(database) << database.error().message;
    ASSERT_TRUE(database->execute(sql)) << sql;
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
  execute(
      "CREATE TRIGGER refuse_bad BEFORE INSERT ON seen_items WHEN NEW.feed = 'bad' "
      "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
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
  execute("DROP TRIGGER refuse_bad");
  stage(recorder, feed("bad"), bad_body);
  const auto retried = recorder.commit();
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_FALSE(retried[0].store_error);
  EXPECT_EQ(retried[0].counts.fresh, 1U);
  EXPECT_EQ(retried[0].counts.folded, 0U) << "the failed attempt left no story behind";
  EXPECT_EQ(retried[0].alert_ids.size(), 1U);
  EXPECT_EQ(stored_items("bad"), 1U);
}

TEST_F(RecorderTest, ABatchOnItsWayToTheStoreCountsForThePollsStagedMeanwhile) {
  Recorder recorder(*store_, settings_);
  stage(recorder, feed("wire"), rss_with("a1", "https://news.example/coalition-talks", "Coalition talks resume"));
  auto batch = recorder.take();
  EXPECT_TRUE(recorder.writing());
  EXPECT_EQ(recorder.staged(), 0U);
  // While the batch is being written, the same article in another feed, under another headline, is
  // decided: it is the batch's story, which has alerted already.
  stage(recorder, feed("paper"),
        rss_with("b7", "https://www.news.example/coalition-talks?utm_source=rss", "Talks on the coalition go on"));
  EXPECT_EQ(recorder.staged(), 1U);

  // The store thread's own connection writes the batch.
  auto writer = store::SqliteStore::open(dir_.path());
  ASSERT_TRUE(writer) << writer.error().message;
  const auto written = Recorder::write(**writer, batch.records());
  ASSERT_EQ(written.size(), 1U);
  EXPECT_FALSE(written[0]);
  const auto first = recorder.settle(std::move(batch), written);
  EXPECT_FALSE(recorder.writing());
  ASSERT_EQ(first.size(), 1U);
  EXPECT_FALSE(first[0].store_error);
  EXPECT_EQ(first[0].alert_ids.size(), 1U);

  const auto second = recorder.commit();
  ASSERT_EQ(second.size(), 1U);
  EXPECT_FALSE(second[0].store_error);
  EXPECT_EQ(second[0].counts.folded, 1U);
  EXPECT_TRUE(second[0].alert_ids.empty()) << "the story alerted in the batch still on its way";

  // Once settled, the store answers for the batch's links, through the recorder's own connection.
  stage(recorder, feed("radio"), rss_with("c3", "https://news.example/coalition-talks/", "Coalition talks, day two"));
  const auto third = recorder.commit();
  ASSERT_EQ(third.size(), 1U);
  EXPECT_EQ(third[0].counts.folded, 1U);
  EXPECT_TRUE(third[0].alert_ids.empty());

  auto alerts = store_->load_alerts(first[0].alert_ids);
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 1U);
  EXPECT_EQ(alerts->front().feed, "wire");
  EXPECT_EQ(alerts->front().also.size(), 2U);
}

TEST_F(RecorderTest, AFailedBatchForgetsItsStoriesButNotThoseStagedSince) {
  execute(
      "CREATE TRIGGER refuse_bad BEFORE INSERT ON seen_items WHEN NEW.feed = 'bad' "
      "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
  Recorder recorder(*store_, settings_);
  stage(recorder, feed("bad"), rss_with("x1", "https://bad.example/coalition-vote", "Coalition vote tonight"));
  auto batch = recorder.take();
  stage(recorder, feed("later"), rss_with("l1", "https://later.example/coalition-budget", "Coalition budget agreed"));
  EXPECT_EQ(recorder.fingerprints(), 2U);

  auto writer = store::SqliteStore::open(dir_.path());
  ASSERT_TRUE(writer) << writer.error().message;
  const auto written = Recorder::write(**writer, batch.records());
  ASSERT_EQ(written.size(), 1U);
  ASSERT_TRUE(written[0]);
  EXPECT_NE(written[0]->find("refused for the test"), std::string::npos) << *written[0];
  const auto failed = recorder.settle(std::move(batch), written);
  ASSERT_EQ(failed.size(), 1U);
  ASSERT_TRUE(failed[0].store_error);
  EXPECT_TRUE(failed[0].alert_ids.empty());
  EXPECT_FALSE(failed[0].state);
  EXPECT_EQ(recorder.fingerprints(), 1U) << "the refused poll's story is forgotten, the one staged since kept";

  // A copy of the story staged since, from another outlet, still joins it.
  stage(recorder, feed("copy"), rss_with("k9", "https://copy.example/budget", "Coalition budget agreed"));
  const auto rest = recorder.commit();
  ASSERT_EQ(rest.size(), 2U);
  EXPECT_FALSE(rest[0].store_error);
  EXPECT_EQ(rest[0].alert_ids.size(), 1U);
  EXPECT_EQ(rest[1].counts.folded, 1U);
  EXPECT_TRUE(rest[1].alert_ids.empty());
  EXPECT_EQ(stored_items("bad"), 0U);
  EXPECT_EQ(stored_items("later"), 1U);
}

TEST(StoryIds, GrowWithTimeAndNeverGoBack) {
  const auto seconds = static_cast<std::uint64_t>(now.time_since_epoch().count());
  EXPECT_EQ(sequential_story_id(1, now), seconds << 31U) << "a fresh store starts at the time";
  EXPECT_EQ(sequential_story_id((seconds << 31U) + 7, now), (seconds << 31U) + 7) << "after ids already given";
  EXPECT_EQ(sequential_story_id(5, now + 1s), (seconds + 1) << 31U) << "a later second starts above";
  EXPECT_EQ(sequential_story_id((seconds + 9) << 31U, now), (seconds + 9) << 31U) << "a clock set back";
  EXPECT_EQ(sequential_story_id(1, TimePoint{}), 1U);
  EXPECT_EQ(sequential_story_id((std::uint64_t{1} << 63U) - 1, now), (std::uint64_t{1} << 63U) - 1);
  EXPECT_EQ(sequential_story_id(std::uint64_t{1} << 63U, now), std::nullopt) << "no 64th bit";
  // Past that, ids are hashed; a poll that failed on a taken one tries another the next time.
  const std::uint64_t hashed = make_story_id("wire", "id:a1", now);
  EXPECT_LT(hashed, std::uint64_t{1} << 63U);
  EXPECT_EQ(make_story_id("wire", "id:a1", now), hashed);
  EXPECT_NE(make_story_id("wire", "id:a1", now + 1s), hashed);
  EXPECT_NE(make_story_id("wire", "id:a2", now), hashed);
}

TEST_F(RecorderTest, NewStoriesTakeIdsAboveEveryStoredOneInStagingOrder) {
  // An alert outlives its story and items (pruned): its story id is still never given again.
  const std::uint64_t taken = (static_cast<std::uint64_t>(now.time_since_epoch().count()) << 31U) + 1000;
  execute(
      "INSERT INTO alerts (id, rule, story, feed, item_identity, item_id, title, link, summary, why, updated, "
      "created) VALUES ('old', 'coalition', " +
      std::to_string(taken) + ", 'gone', 'i', 'i', 't', 'l', 's', 'w', 0, 0)");
  Recorder recorder(*store_, settings_);
  stage(recorder, feed("wire"), rss_with("a1", "https://wire.example/coalition-talks", "Coalition talks resume"));
  stage(recorder, feed("paper"), rss_with("b1", "https://paper.example/harbour", "Harbour reopens after storm"));
  const auto outcomes = recorder.commit();
  ASSERT_EQ(outcomes.size(), 2U);
  for (const auto& outcome : outcomes) {
    EXPECT_FALSE(outcome.store_error) << *outcome.store_error;
  }
  auto wire = store_->list_items("wire", 10);
  auto paper = store_->list_items("paper", 10);
  ASSERT_TRUE(wire && paper);
  ASSERT_EQ(wire->size(), 1U);
  ASSERT_EQ(paper->size(), 1U);
  EXPECT_EQ(wire->front().story, taken + 1);
  EXPECT_EQ(paper->front().story, taken + 2);
  auto largest = store_->largest_story_id();
  ASSERT_TRUE(largest) << largest.error().message;
  EXPECT_EQ(*largest, taken + 2);
}

TEST_F(RecorderTest, AStoryIdAnotherProcessTookMeanwhileFailsThePollInsteadOfJoiningTheStories) {
  Recorder recorder(*store_, settings_);
  const std::string body = rss_with("a1", "https://wire.example/coalition-talks", "Coalition talks resume");
  stage(recorder, feed("wire"), body);
  // Between the decision and the write, another process starts a story with the id just given.
  const std::uint64_t given = static_cast<std::uint64_t>(now.time_since_epoch().count()) << 31U;
  execute("INSERT INTO stories (id, first_seen, last_seen, title) VALUES (" + std::to_string(given) +
          ", 0, 0, 'Another story')");
  const auto failed = recorder.commit();
  ASSERT_EQ(failed.size(), 1U);
  ASSERT_TRUE(failed[0].store_error);
  EXPECT_NE(failed[0].store_error->find("UNIQUE"), std::string::npos) << *failed[0].store_error;
  EXPECT_EQ(stored_items("wire"), 0U);
  // Meanwhile the other process went on: a failed write makes the recorder read the store again.
  const std::uint64_t ahead = given + 1000;
  execute("INSERT INTO stories (id, first_seen, last_seen, title) VALUES (" + std::to_string(ahead) +
          ", 0, 0, 'Yet another story')");

  // The next poll takes an id above both, and the item alerts then: nothing lost, nothing joined.
  stage(recorder, feed("wire"), body);
  const auto retried = recorder.commit();
  ASSERT_EQ(retried.size(), 1U);
  EXPECT_FALSE(retried[0].store_error) << *retried[0].store_error;
  EXPECT_EQ(retried[0].alert_ids.size(), 1U);
  auto items = store_->list_items("wire", 10);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1U);
  EXPECT_EQ(items->front().story, ahead + 1);
  auto stories = store_->list_stories(TimePoint{}, 10);
  ASSERT_TRUE(stories) << stories.error().message;
  ASSERT_EQ(stories->size(), 3U);
  for (const auto& story : *stories) {
    if (story.story.id == given || story.story.id == ahead) {
      EXPECT_EQ(story.story.title, story.story.id == given ? "Another story" : "Yet another story");
      EXPECT_TRUE(story.members.empty());
    } else {
      EXPECT_EQ(story.story.title, "Coalition talks resume");
      EXPECT_EQ(story.members.size(), 1U);
    }
  }
}

}  // namespace
}  // namespace newswatch::pipeline
