#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>

#include "newswatch/store/sqlite_store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using testing::open_store;
using testing::run_raw_sql;
using testing::TempDir;

const TimePoint now = sys_days{year{2026} / November / 25} + 10h;

FeedState state_of(const std::string& feed) {
  FeedState state;
  state.feed_name = feed;
  state.url = "https://" + feed + ".example/rss";
  state.configured_url = state.url;
  state.baselined = true;
  return state;
}

SeenItem item(const std::string& feed, const std::string& identity, std::uint64_t story, TimePoint seen,
              const std::string& url = "") {
  SeenItem result;
  result.feed = feed;
  result.identity = identity;
  result.canonical_url = url;
  result.content_hash = 42;
  result.fingerprint = std::string("\x01\x02\0\xff", 4);  // Opaque bytes, NUL included, kept byte for byte.
  result.first_seen = seen;
  result.last_seen = seen;
  result.published = seen - 1h;
  result.story = story;
  result.title = "Title of " + identity;
  result.link = "https://" + feed + ".example/" + identity;
  result.rules = {"isis-coalition", "syria"};
  return result;
}

Alert alert(const std::string& id, const std::string& rule, std::uint64_t story, const SeenItem& source,
            std::vector<std::string> targets = {}) {
  Alert result;
  result.id = id;
  result.rule = rule;
  result.story = format_story_id(story);
  result.feed = source.feed;
  result.item_identity = source.identity;
  result.item_id = source.identity;
  result.title = source.title;
  result.link = source.link;
  result.published = source.published;
  result.summary = "Summary";
  result.why = {MatchEvidence{"title", {{0, 4}}, {"ISIS"}}};
  result.created = source.first_seen;
  result.targets = std::move(targets);
  return result;
}

/// One poll of `feed` at `at` that records these items, stories and alerts.
PollRecord poll_of(const std::string& feed, TimePoint at, std::vector<SeenItem> items,
                   std::vector<StoryRecord> stories = {}, std::vector<Alert> alerts = {}) {
  PollRecord record;
  record.now = at;
  record.state = state_of(feed);
  record.items = std::move(items);
  record.stories = std::move(stories);
  record.alerts = std::move(alerts);
  return record;
}

TEST(StoreMemory, RecordsAPollWholeAndReadsItBack) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto first = item("trt", "id:1", 7, now, "https://trt.example/a");
  const auto record = poll_of("trt", now, {first, item("trt", "id:2", 8, now)},
                              {StoryRecord{7, now, "Story seven"}, StoryRecord{8, now, "Story eight"}},
                              {alert("a1", "isis-coalition", 7, first, {"desk", "ops"})});
  ASSERT_TRUE(store->record_poll(record));

  auto state = store->load_feed_state("trt");
  ASSERT_TRUE(state && *state);
  EXPECT_TRUE((*state)->baselined);

  auto known = store->load_known_items("trt");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2U);
  EXPECT_EQ((*known)[0].canonical_url, "https://trt.example/a");
  EXPECT_EQ((*known)[0].rules, (std::vector<std::string>{"isis-coalition", "syria"}));
  EXPECT_EQ((*known)[0].story, 7U);

  const std::vector<std::string_view> urls{"https://trt.example/a", "", "https://trt.example/unknown",
                                           "https://trt.example/a"};
  auto stories = store->stories_of_urls(urls);
  ASSERT_TRUE(stories);
  EXPECT_EQ(*stories, (std::vector<std::optional<std::uint64_t>>{7, std::nullopt, std::nullopt, 7}))
      << "an item without a link shares no story by link";
  auto nothing = store->stories_of_urls({});
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());

  auto rules = store->rules_alerted(7);
  ASSERT_TRUE(rules);
  EXPECT_EQ(*rules, std::vector<std::string>{"isis-coalition"});

  auto alerts = store->list_alerts(AlertFilter{});
  ASSERT_TRUE(alerts);
  ASSERT_EQ(alerts->size(), 1U);
  EXPECT_EQ((*alerts)[0].alert.why, record.alerts[0].why);
  ASSERT_EQ((*alerts)[0].deliveries.size(), 2U);
  EXPECT_EQ((*alerts)[0].deliveries[0].target, "desk");
  EXPECT_EQ((*alerts)[0].deliveries[0].state, DeliveryState::pending);

  std::vector<std::string> fingerprints;
  ASSERT_TRUE(store->scan_fingerprints(
      now - 1h, [&fingerprints](const FingerprintRecord& entry) { fingerprints.emplace_back(entry.fingerprint); }));
  ASSERT_EQ(fingerprints.size(), 2U);
  EXPECT_EQ(fingerprints[0], std::string("\x01\x02\0\xff", 4));
}

TEST(StoreMemory, AFailedPollLeavesNothingBehind) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  PollRecord record;
  record.now = now;
  record.state = state_of("trt");
  const auto first = item("trt", "id:1", 7, now);
  record.items = {first};
  auto broken = alert("a1", "isis-coalition", 7, first);
  broken.story = "not a story id";  // Fails after the state and the item were written.
  record.alerts = {broken};
  EXPECT_FALSE(store->record_poll(record));

  auto state = store->load_feed_state("trt");
  ASSERT_TRUE(state);
  EXPECT_FALSE(state->has_value()) << "the feed state must roll back with the rest";
  auto known = store->load_known_items("trt");
  ASSERT_TRUE(known);
  EXPECT_TRUE(known->empty()) << "items must never be marked seen without their alerts";
}

TEST(StoreMemory, AlsoListsOtherMembersUntilTheAlertIsClosed) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto origin = item("reuters", "id:r", 9, now);
  PollRecord first;
  first.now = now;
  first.state = state_of("reuters");
  first.items = {origin};
  first.stories = {StoryRecord{9, now, "Wire story"}};
  first.alerts = {alert("a9", "isis-coalition", 9, origin)};
  ASSERT_TRUE(store->record_poll(first));

  PollRecord second;
  second.now = now + 1min;
  second.state = state_of("bbc");
  second.items = {item("bbc", "id:b", 9, now + 1min)};
  ASSERT_TRUE(store->record_poll(second));

  auto loaded = store->load_alerts({"a9"});
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 1U);
  ASSERT_EQ((*loaded)[0].also.size(), 1U);
  EXPECT_EQ((*loaded)[0].also[0], (StoryMember{"bbc", "Title of id:b", "https://bbc.example/id:b"}));

  ASSERT_TRUE(store->close_alerts({"a9"}, now + 2min));
  PollRecord third;
  third.now = now + 5min;
  third.state = state_of("aljazeera");
  third.items = {item("aljazeera", "id:j", 9, now + 5min)};
  ASSERT_TRUE(store->record_poll(third));
  loaded = store->load_alerts({"a9"});
  ASSERT_TRUE(loaded);
  ASSERT_EQ((*loaded)[0].also.size(), 1U) << "a member that joins after the alert went out is not on it";

  auto stories = store->list_stories(now - 1h, 10);
  ASSERT_TRUE(stories);
  ASSERT_EQ(stories->size(), 1U);
  EXPECT_EQ((*stories)[0].members.size(), 3U) << "but it joins the story";
}

TEST(StoreMemory, AnEditKeepsFirstSeenAndStory) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  PollRecord first;
  first.now = now;
  first.state = state_of("trt");
  first.items = {item("trt", "id:1", 7, now)};
  ASSERT_TRUE(store->record_poll(first));
  auto edited = item("trt", "id:1", 99, now + 1h);
  edited.content_hash = 43;
  edited.title = "Edited";
  PollRecord second;
  second.now = now + 1h;
  second.state = state_of("trt");
  second.items = {edited};
  ASSERT_TRUE(store->record_poll(second));
  auto items = store->list_items("trt", 10);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1U);
  EXPECT_EQ((*items)[0].title, "Edited");
  EXPECT_EQ((*items)[0].content_hash, 43U);
  EXPECT_EQ((*items)[0].first_seen, now);
  EXPECT_EQ((*items)[0].story, 7U);
}

TEST(StoreMemory, ForgetDropsStateAndItemsOfOneFeed) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  for (const std::string feed : {"trt", "bbc"}) {
    ASSERT_TRUE(store->record_poll(poll_of(feed, now, {item(feed, "id:1", feed == "trt" ? 1 : 2, now)})));
  }
  auto forgotten = store->forget_feed("trt");
  ASSERT_TRUE(forgotten);
  EXPECT_TRUE(*forgotten);
  auto again = store->forget_feed("trt");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto feeds = store->list_feeds();
  ASSERT_TRUE(feeds);
  ASSERT_EQ(feeds->size(), 1U);
  EXPECT_EQ((*feeds)[0].state.feed_name, "bbc");
  EXPECT_EQ((*feeds)[0].items, 1U);
}

TEST(StoreMemory, PruneForgetsItemsGoneLongAndEmptyStoriesButKeepsPendingAlerts) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto old_item = item("trt", "id:old", 1, now - days{100});
  const auto fresh_item = item("trt", "id:new", 2, now);
  // First seen as long ago as the old one, but still listed by its feed.
  auto evergreen = item("trt", "id:evergreen", 4, now - days{100});
  evergreen.last_seen = now - days{1};
  ASSERT_TRUE(store->record_poll(
      poll_of("trt", now, {old_item, fresh_item, evergreen},
              {StoryRecord{1, now - days{100}, "Old"}, StoryRecord{2, now, "New"},
               StoryRecord{3, now - days{100}, "Alerted"}, StoryRecord{4, now - days{100}, "Evergreen"}},
              {alert("done", "r", 1, old_item), alert("waiting", "r", 3, old_item, {"desk"})})));

  auto pruned = prune_all(*store, now - days{90}, now - days{90});
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->items, 1U);
  EXPECT_EQ(pruned->alerts, 1U) << "the finished alert goes, the pending one stays";
  EXPECT_EQ(pruned->stories, 1U) << "story 1 lost its last member and alert; 3 keeps its pending alert";
  auto items = store->list_items("trt", 10);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 2U);
  EXPECT_EQ((*items)[0].identity, "id:new");
  EXPECT_EQ((*items)[1].identity, "id:evergreen");
}

TEST(StoreMemory, PruneTakesAtMostItsLimitPerCallAndSaysWhenMoreIsLeft) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  PollRecord record;
  record.now = now;
  record.state = state_of("trt");
  for (std::uint64_t story = 1; story <= 5; ++story) {
    record.items.push_back(item("trt", "id:old" + std::to_string(story), story, now - days{100}));
    record.stories.push_back(StoryRecord{story, now - days{100}, "Old"});
  }
  record.items.push_back(item("trt", "id:new", 9, now));
  record.stories.push_back(StoryRecord{9, now, "New"});
  ASSERT_TRUE(store->record_poll(record));

  auto first = store->prune(now - days{90}, now - days{90}, 2);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->items, 2U);
  EXPECT_EQ(first->stories, 2U) << "the stories of the items this slice took";
  EXPECT_TRUE(first->more);
  auto rest = prune_all(*store, now - days{90}, now - days{90}, 2);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->items, 3U);
  EXPECT_EQ(rest->stories, 3U);
  EXPECT_FALSE(rest->more);
  auto items = store->list_items("trt", 10);
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1U);
  EXPECT_EQ((*items)[0].identity, "id:new");
  auto none = store->prune(now - days{90}, now - days{90}, 2);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->items + none->stories + none->alerts, 0U);
  EXPECT_FALSE(none->more);
}

TEST(StoreMemory, DeliveriesMoveThroughTheirStates) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto source = item("trt", "id:1", 7, now);
  ASSERT_TRUE(store->record_poll(poll_of("trt", now, {source}, {}, {alert("a1", "r", 7, source, {"desk"})})));
  Delivery dead{"a1", "desk", DeliveryState::dead, 3, std::nullopt, now + 1min, "HTTP 404 Unknown Webhook"};
  ASSERT_TRUE(store->update_deliveries({dead}));
  auto dead_alerts = store->list_alerts(AlertFilter{std::nullopt, DeliveryState::dead, 10, std::nullopt});
  ASSERT_TRUE(dead_alerts);
  ASSERT_EQ(dead_alerts->size(), 1U);
  EXPECT_EQ((*dead_alerts)[0].deliveries[0].last_error, "HTTP 404 Unknown Webhook");
  EXPECT_EQ((*dead_alerts)[0].deliveries[0].attempts, 3);
  auto pending = store->list_alerts(AlertFilter{std::nullopt, DeliveryState::pending, 10, std::nullopt});
  ASSERT_TRUE(pending);
  EXPECT_TRUE(pending->empty());
}

TEST(StoreMemory, DueDeliveriesComeOldestAlertFirstWithTheirAlerts) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  PollRecord record;
  record.now = now;
  record.state = state_of("trt");
  const auto older = item("trt", "id:1", 7, now - 2min);
  const auto newer = item("trt", "id:2", 8, now - 1min);
  record.items = {older, newer};
  // Written newest first: the order must come from the alerts' age, not from insertion.
  record.alerts = {alert("b-new", "r", 8, newer, {"desk"}), alert("a-old", "r", 7, older, {"desk", "ops"})};
  ASSERT_TRUE(store->record_poll(record));

  auto due = store->load_due_deliveries(now, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 3U);
  EXPECT_EQ((*due)[0].delivery.alert_id, "a-old");
  EXPECT_EQ((*due)[0].delivery.target, "desk");
  EXPECT_EQ((*due)[1].delivery.target, "ops");
  EXPECT_EQ((*due)[1].alert.title, "Title of id:1");
  EXPECT_EQ((*due)[1].alert.targets, (std::vector<std::string>{"desk", "ops"}));
  EXPECT_EQ((*due)[2].delivery.alert_id, "b-new");
  auto next = store->next_delivery_time();
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value()) << "nothing waits for a time yet";

  // A retry scheduled for later is not due now, and names the time to wake up; a sent one is gone.
  ASSERT_TRUE(store->update_deliveries(
      {Delivery{"a-old", "desk", DeliveryState::pending, 1, now + 30s, std::nullopt, "HTTP 503"},
       Delivery{"a-old", "ops", DeliveryState::sent, 1, std::nullopt, now, ""}}));
  due = store->load_due_deliveries(now, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].delivery.alert_id, "b-new");
  next = store->next_delivery_time();
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, std::optional<TimePoint>{now + 30s});
  due = store->load_due_deliveries(now + 30s, 1);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].delivery.alert_id, "a-old");
  EXPECT_EQ((*due)[0].delivery.attempts, 1);
  EXPECT_EQ((*due)[0].delivery.last_error, "HTTP 503");

  AlertFilter by_rule;
  by_rule.rule = "r";
  auto listed = store->list_alerts(by_rule);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2U);
  by_rule.rule = "other";
  listed = store->list_alerts(by_rule);
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST(StoreMemory, DueDeliveriesPassOverRowsTheCallerSkips) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  PollRecord record;
  record.now = now;
  record.state = state_of("trt");
  for (std::uint64_t i = 0; i < 4; ++i) {
    const auto source = item("trt", "id:" + std::to_string(i), 10 + i, now - 4min + minutes(i));
    record.items.push_back(source);
    record.alerts.push_back(alert("a" + std::to_string(i), "r", 10 + i, source, {"desk"}));
  }
  ASSERT_TRUE(store->record_poll(record));

  // The caller has a0 and a2 already: they are left out and do not count towards the limit.
  const auto skip = [](const Delivery& delivery) { return delivery.alert_id == "a0" || delivery.alert_id == "a2"; };
  auto due = store->load_due_deliveries(now, 2, skip);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[0].delivery.alert_id, "a1");
  EXPECT_EQ((*due)[0].alert.id, "a1");
  EXPECT_EQ((*due)[1].delivery.alert_id, "a3");
  EXPECT_EQ((*due)[1].alert.title, "Title of id:3");
  due = store->load_due_deliveries(now, 1, skip);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].delivery.alert_id, "a1");
}

TEST(StoreMemory, DeliveryResultsCloseAnAlertOnceNoneOfItsDeliveriesIsPending) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto source = item("trt", "id:1", 7, now);
  ASSERT_TRUE(store->record_poll(poll_of("trt", now, {source}, {}, {alert("a1", "r", 7, source, {"desk", "ops"})})));
  const auto join = [&store](const std::string& feed, TimePoint at) {
    PollRecord later;
    later.now = at;
    later.state = state_of(feed);
    later.items = {item(feed, "id:" + feed, 7, at)};
    return store->record_poll(later);
  };
  const auto also = [&store] {
    auto loaded = store->load_alerts({"a1"});
    return loaded && loaded->size() == 1 ? (*loaded)[0].also.size() : std::size_t{99};
  };

  // desk is done, ops waits for a retry: the alert stays open, so a member joining shows on it.
  ASSERT_TRUE(store->record_delivery_results(
      {Delivery{"a1", "desk", DeliveryState::sent, 1, std::nullopt, now + 1min, ""},
       Delivery{"a1", "ops", DeliveryState::pending, 1, now + 3min, std::nullopt, "HTTP 503"}},
      now + 1min));
  ASSERT_TRUE(join("bbc", now + 2min));
  EXPECT_EQ(also(), 1U);
  auto next = store->next_delivery_time();
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, std::optional<TimePoint>{now + 3min});

  // ops goes dead: nothing is pending, the alert is closed with the same write.
  ASSERT_TRUE(store->record_delivery_results(
      {Delivery{"a1", "ops", DeliveryState::dead, 2, std::nullopt, now + 3min, "HTTP 404"}}, now + 3min));
  ASSERT_TRUE(join("aljazeera", now + 5min));
  EXPECT_EQ(also(), 1U) << "closed: a later member is not on it";
  auto listed = store->list_alerts(AlertFilter{std::nullopt, DeliveryState::dead, 10, std::nullopt});
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  ASSERT_EQ((*listed)[0].deliveries.size(), 2U);
  EXPECT_EQ((*listed)[0].deliveries[0].state, DeliveryState::sent);
  EXPECT_EQ((*listed)[0].deliveries[1].state, DeliveryState::dead);
  EXPECT_EQ((*listed)[0].deliveries[1].attempts, 2);
  auto due = store->load_due_deliveries(now + 1h, 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
}

TEST(StoreMemory, AReaderWorksBesideAWriter) {
  TempDir dir;
  auto writer = open_store(dir.path());
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->record_poll(poll_of("trt", now, {item("trt", "id:1", 7, now)})));
  auto reader = SqliteStore::open_read_only(dir.path());
  ASSERT_TRUE(reader) << reader.error().message;
  auto items = (*reader)->list_items("trt", 10);
  ASSERT_TRUE(items);
  EXPECT_EQ(items->size(), 1U);
  EXPECT_FALSE((*reader)->forget_feed("trt")) << "a read-only store refuses writes";
  EXPECT_TRUE(writer->record_poll(poll_of("trt", now, {item("trt", "id:2", 8, now)})))
      << "the writer goes on while the reader is open";
}

TEST(StoreMemory, ReadOnlyOpenNamesAMissingStateDirectory) {
  TempDir dir;
  auto reader = SqliteStore::open_read_only(dir.path() / "nowhere");
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("no state yet"), std::string::npos) << reader.error().message;
}

TEST(StoreMemory, MigratesAVersionOneFileAndBaselinesItsFeedsAgain) {
  TempDir dir;
  {
    const char* v1 =
        "CREATE TABLE feed_state (feed_name TEXT PRIMARY KEY NOT NULL, url TEXT NOT NULL, configured_url TEXT NOT "
        "NULL, etag BLOB NOT NULL, last_modified BLOB NOT NULL, last_poll INTEGER, next_poll INTEGER, retry_after "
        "INTEGER, consecutive_failures INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', disabled "
        "INTEGER NOT NULL DEFAULT 0) STRICT;"
        "INSERT INTO feed_state VALUES ('trt', 'https://trt.example/rss', 'https://trt.example/rss', X'22', X'', "
        "1, 2, NULL, 0, '', 0);"
        "PRAGMA user_version = 1;";
    ASSERT_EQ(run_raw_sql(dir.path(), v1), "");
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto state = store->load_feed_state("trt");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->etag, "\"");
  EXPECT_FALSE((*state)->baselined) << "no item of it is stored yet: its next poll must not flood";
}

TEST(StoreMemory, CreatingOrReopeningACurrentStoreReportsNoMigration) {
  TempDir dir;
  int reports = 0;
  const auto count = [&reports] { ++reports; };
  ASSERT_TRUE(SqliteStore::open(dir.path(), count));
  ASSERT_TRUE(SqliteStore::open(dir.path(), count));
  EXPECT_EQ(reports, 0);
}

TEST(StoreMemory, MigratesVersionSixOutOfItsLastSeenIndexAndPrunesAsBefore) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->record_poll(poll_of("trt", now,
                                           {item("trt", "id:old", 7, now - days{100}), item("trt", "id:new", 8, now)},
                                           {StoryRecord{7, now - days{100}, "Old"}, StoryRecord{8, now, "New"}})));
  }
  const char* const has_index =
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'seen_items_by_last_seen') "
      "THEN 1 ELSE abs(-9223372036854775807 - 1) END";  // An integer overflow error when it is missing.
  EXPECT_NE(run_raw_sql(dir.path(), has_index), "") << "a current store has no last_seen index";
  ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_6), "");
  ASSERT_EQ(run_raw_sql(dir.path(), has_index), "");
  int reports = 0;
  auto opened = SqliteStore::open(dir.path(), [&reports] { ++reports; });
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_GE(reports, 1) << "an upgrade says that it started";
  EXPECT_NE(run_raw_sql(dir.path(), has_index), "") << "the index is gone";
  auto pruned = (*opened)->prune(now - days{90}, now - days{90}, 100);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(pruned->items, 1U);
  auto left = (*opened)->load_known_items("trt");
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1U);
  EXPECT_EQ((*left)[0].identity, "id:new");
}

TEST(StoreMemory, MigratesVersionFiveStoriesOutOfTheirFingerprintsKeepingEverythingElse) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->record_poll(
        poll_of("trt", now - 2h, {item("trt", "id:1", 7, now - 2h), item("trt", "id:2", 8, now - 2h)},
                {StoryRecord{7, now - 2h, "Story seven"}, StoryRecord{8, now - 2h, "Story eight"}})));
  }
  ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_6), "");
  ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_5), "");
  ASSERT_EQ(run_raw_sql(dir.path(), "SELECT fingerprint FROM stories"), "");
  int reports = 0;
  auto opened = SqliteStore::open(dir.path(), [&reports] { ++reports; });
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_GE(reports, 1) << "an upgrade says that it started";
  auto& store = *opened;
  EXPECT_NE(run_raw_sql(dir.path(), "SELECT fingerprint FROM stories"), "") << "the column is gone";
  auto stories = store->list_stories(now - 3h, 10);
  ASSERT_TRUE(stories) << stories.error().message;
  ASSERT_EQ(stories->size(), 2U);
  std::sort(stories->begin(), stories->end(),
            [](const StoryOverview& x, const StoryOverview& y) { return x.story.id < y.story.id; });
  EXPECT_EQ((*stories)[0].story.id, 7U);
  EXPECT_EQ((*stories)[0].story.title, "Story seven");
  EXPECT_EQ((*stories)[0].story.first_seen, now - 2h);
  ASSERT_EQ((*stories)[0].members.size(), 1U);
  EXPECT_EQ((*stories)[0].members[0].identity, "id:1");
  EXPECT_EQ((*stories)[1].story.title, "Story eight");
  // The members keep their fingerprints, which the story index is loaded from.
  std::size_t fingerprints = 0;
  ASSERT_TRUE(store->scan_fingerprints(now - 3h, [&fingerprints](const FingerprintRecord&) { ++fingerprints; }));
  EXPECT_EQ(fingerprints, 2U);
  // New stories are written without one.
  PollRecord next;
  next.now = now;
  next.state = state_of("trt");
  next.items = {item("trt", "id:3", 9, now)};
  next.stories = {StoryRecord{9, now, "Story nine"}};
  ASSERT_TRUE(store->record_poll(next));
  auto listed = store->list_stories(now - 1h, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().story.title, "Story nine");
}

TEST(StoreMemory, MigratesVersionFourSeenItemsIntoTheRowidTableWithEverythingKept) {
  TempDir dir;
  const auto a1 = item("trt", "id:1", 7, now - 2h, "https://trt.example/a");
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    PollRecord record;
    record.now = now - 2h;
    record.state = state_of("trt");
    record.items = {a1, item("trt", "id:2", 8, now - 2h)};
    record.items[1].source_hash = 99;
    record.stories = {StoryRecord{7, now - 2h, "Story seven"}, StoryRecord{8, now - 2h, "Story eight"}};
    ASSERT_TRUE(store->record_poll(record));
  }
  {
    // Back to the version 4 layout, as a store written before this version has it.
    ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_6), "");
    ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_5), "");
    ASSERT_EQ(run_raw_sql(dir.path(), testing::store_down_to_version_4), "");
    ASSERT_NE(run_raw_sql(dir.path(), "SELECT rowid FROM seen_items"), "") << "a WITHOUT ROWID table has no rowid";
  }
  int reports = 0;
  auto opened = SqliteStore::open(dir.path(), [&reports] { ++reports; });
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_GE(reports, 1) << "an upgrade says that it started";
  auto& store = *opened;
  EXPECT_EQ(run_raw_sql(dir.path(), "SELECT rowid FROM seen_items"), "");
  auto known = store->load_known_items("trt");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2U);
  std::sort(known->begin(), known->end(),
            [](const KnownItem& x, const KnownItem& y) { return x.identity < y.identity; });
  EXPECT_EQ((*known)[0].canonical_url, "https://trt.example/a");
  EXPECT_EQ((*known)[0].story, 7U);
  EXPECT_EQ((*known)[0].rules, (std::vector<std::string>{"isis-coalition", "syria"}));
  EXPECT_EQ((*known)[1].source_hash, 99U);
  EXPECT_EQ((*known)[1].last_seen, now - 2h);
  const std::vector<std::string_view> urls{"https://trt.example/a"};
  auto stories = store->stories_of_urls(urls);
  ASSERT_TRUE(stories);
  EXPECT_EQ(*stories, (std::vector<std::optional<std::uint64_t>>{7}));
  std::vector<std::string> fingerprints;
  ASSERT_TRUE(store->scan_fingerprints(
      now - 3h, [&fingerprints](const FingerprintRecord& entry) { fingerprints.emplace_back(entry.fingerprint); }));
  EXPECT_EQ(fingerprints, (std::vector<std::string>(2, std::string("\x01\x02\0\xff", 4))));

  // (feed, identity) is still one item: an edit updates it in place, keeping first_seen and story.
  PollRecord edit;
  edit.now = now;
  edit.state = state_of("trt");
  auto edited = item("trt", "id:1", 0, now, "https://trt.example/a");
  edited.title = "Edited";
  edit.items = {edited};
  ASSERT_TRUE(store->record_poll(edit));
  auto listed = store->list_items("trt", 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2U);
  const auto first = std::find_if(listed->begin(), listed->end(), [](const auto& x) { return x.identity == "id:1"; });
  ASSERT_NE(first, listed->end());
  EXPECT_EQ(first->title, "Edited");
  EXPECT_EQ(first->first_seen, now - 2h);
  EXPECT_EQ(first->story, 7U);

  // Retention finds the old one by its last_seen and removes only it.
  auto pruned = store->prune(now - 1h, now - 1h, 100);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->items, 1U);
  auto left = store->load_known_items("trt");
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1U);
  EXPECT_EQ((*left)[0].identity, "id:1");
}

TEST(StoryId, FormatsAndParsesSixteenHexDigits) {
  EXPECT_EQ(format_story_id(0x1a2bULL), "0000000000001a2b");
  EXPECT_EQ(parse_story_id("0000000000001a2b"), std::optional<std::uint64_t>{0x1a2bULL});
  EXPECT_EQ(parse_story_id(""), std::nullopt);
  EXPECT_EQ(parse_story_id("xyz"), std::nullopt);
}

}  // namespace
}  // namespace newswatch::store
