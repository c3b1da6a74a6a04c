#include "newswatch/store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "newswatch/store/reconcile.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using testing::open_store;
using testing::TempDir;

const TimePoint now = sys_days{year{2026} / November / 25} + 10h;

FeedState sample_state() {
  FeedState state;
  state.feed_name = "trt-world";
  state.url = "https://www.trtworld.com/rss";
  state.configured_url = "https://www.trtworld.com/rss";
  state.etag = "W/\"5f3a-1\"";
  state.last_modified = "Tue, 25 Aug 2015 12:00:00 GMT";
  state.last_poll = now;
  state.next_poll = now + 10min;
  state.retry_after = now + 1h;
  state.consecutive_failures = 3;
  state.last_error = "HTTP 503";
  state.disabled = false;
  return state;
}

void expect_same(const FeedState& actual, const FeedState& expected) {
  EXPECT_EQ(actual.feed_name, expected.feed_name);
  EXPECT_EQ(actual.url, expected.url);
  EXPECT_EQ(actual.configured_url, expected.configured_url);
  EXPECT_EQ(actual.etag, expected.etag);
  EXPECT_EQ(actual.last_modified, expected.last_modified);
  EXPECT_EQ(actual.last_poll, expected.last_poll);
  EXPECT_EQ(actual.next_poll, expected.next_poll);
  EXPECT_EQ(actual.retry_after, expected.retry_after);
  EXPECT_EQ(actual.consecutive_failures, expected.consecutive_failures);
  EXPECT_EQ(actual.last_error, expected.last_error);
  EXPECT_EQ(actual.disabled, expected.disabled);
}

TEST(SqliteStore, RoundTripsFeedState) {
  const TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  const auto saved = sample_state();
  ASSERT_TRUE(store->save_feed_state(saved));
  auto loaded = store->load_feed_state("trt-world");
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  expect_same(**loaded, saved);
}

TEST(SqliteStore, KeepsMissingInstantsMissing) {
  const TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  FeedState state;
  state.feed_name = "new";
  state.url = state.configured_url = "http://127.0.0.1/feed";
  ASSERT_TRUE(store->save_feed_state(state));
  auto loaded = store->load_feed_state("new");
  ASSERT_TRUE(loaded && loaded->has_value());
  expect_same(**loaded, state);
  EXPECT_FALSE((*loaded)->last_poll.has_value());
}

TEST(SqliteStore, StoresValidatorsByteForByte) {
  // Entity-tags may carry obs-text (RFC 9110 §8.8.3) and servers send odd dates; what comes back
  // must be exactly what was received, including bytes that are not UTF-8 and embedded NULs.
  const std::vector<std::string> validators{"\"abc\"",
                                            "W/\"abc\"",
                                            " \"padded\" ",
                                            std::string("\"\xff\xfe\x80\"", 5),
                                            std::string("\"a\0b\"", 5),
                                            "",
                                            "Thu, 01 Jan 1970 00:00:00 GMT",
                                            "not even a date"};
  const TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  for (const auto& validator : validators) {
    auto state = sample_state();
    state.etag = validator;
    state.last_modified = validator;
    ASSERT_TRUE(store->save_feed_state(state));
    auto loaded = store->load_feed_state(state.feed_name);
    ASSERT_TRUE(loaded && loaded->has_value());
    EXPECT_EQ((*loaded)->etag, validator);
    EXPECT_EQ((*loaded)->last_modified, validator);
  }
}

TEST(SqliteStore, UnknownFeedHasNoState) {
  const TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->load_feed_state("nobody");
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
}

TEST(SqliteStore, PersistsAcrossReopen) {
  const TempDir dir;
  auto gone = sample_state();
  gone.feed_name = "gone";
  gone.disabled = true;
  gone.last_error = "HTTP 410 Gone";
  auto moved = sample_state();
  moved.feed_name = "moved";
  moved.url = "https://new.example.org/rss";
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_feed_states({gone, moved}));
  }
  auto reopened = open_store(dir.path());
  ASSERT_TRUE(reopened);
  auto all = reopened->load_feed_states();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2U);
  expect_same((*all)[0], gone);
  expect_same((*all)[1], moved);
  EXPECT_TRUE((*all)[0].disabled);
  EXPECT_EQ((*all)[1].url, "https://new.example.org/rss");
}

TEST(SqliteStore, SaveReplacesThePreviousState) {
  const TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto state = sample_state();
  ASSERT_TRUE(store->save_feed_state(state));
  state.etag = "\"v2\"";  // A new ETag with the same Last-Modified is stored too.
  state.consecutive_failures = 0;
  ASSERT_TRUE(store->save_feed_state(state));
  auto all = store->load_feed_states();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1U);
  expect_same(all->front(), state);
}

TEST(SqliteStore, UsesWalAndRecordsTheSchemaVersion) {
  const TempDir dir;
  { ASSERT_TRUE(open_store(dir.path())); }
  auto database = Database::open(SqliteStore::database_path(dir.path()));
  ASSERT_TRUE(database) << database.error().message;
  auto version = database->pragma_integer("user_version");
  ASSERT_TRUE(version);
  EXPECT_EQ(*version, SqliteStore::schema_version);
  auto mode = database->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_TRUE(mode->step().value());
  EXPECT_EQ(mode->column_text(0), "wal");
  mode->reset();
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  const TempDir dir;
  const auto path = dir.write("state.db", std::string(8192, 'x'));
  auto store = SqliteStore::open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find(path.string()), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("not a database"), std::string::npos) << store.error().message;
}

TEST(SqliteStore, RefusesAStateDirThatIsAFile) {
  const TempDir dir;
  const auto file = dir.write("occupied", "a file, not a directory");
  auto store = SqliteStore::open(file / "state");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("cannot create the state directory"), std::string::npos)
      << store.error().message;
}

TEST(SqliteStore, RefusesAnUnopenableDatabasePath) {
  // A directory where the database file should be cannot be opened, even by root.
  const TempDir dir;
  std::filesystem::create_directories(SqliteStore::database_path(dir.path()));
  auto store = SqliteStore::open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("state.db"), std::string::npos) << store.error().message;
}

TEST(SqliteStore, RefusesASchemaFromTheFuture) {
  const TempDir dir;
  { ASSERT_TRUE(open_store(dir.path())); }
  {
    auto database = Database::open(SqliteStore::database_path(dir.path()));
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->execute("PRAGMA user_version = 99"));
  }
  auto store = SqliteStore::open(dir.path());
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("schema version 99"), std::string::npos) << store.error().message;
}

TEST(ReconcileFeedState, StartsFreshForANewFeed) {
  Feed feed;
  feed.name = "trt-world";
  feed.url = "https://www.trtworld.com/rss";
  const auto state = reconcile_feed_state(std::nullopt, feed);
  EXPECT_EQ(state.feed_name, "trt-world");
  EXPECT_EQ(state.url, feed.url);
  EXPECT_EQ(state.configured_url, feed.url);
  EXPECT_TRUE(state.etag.empty());
  EXPECT_FALSE(state.disabled);
}

TEST(ReconcileFeedState, KeepsRedirectAndGoneWhileTheConfigIsUnchanged) {
  const TempDir dir;
  Feed feed;
  feed.name = "trt-world";
  feed.url = "https://www.trtworld.com/rss";
  auto stored = sample_state();
  stored.url = "https://moved.example.org/rss";
  stored.disabled = true;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store && store->save_feed_state(stored));
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->load_feed_state(feed.name);
  ASSERT_TRUE(loaded);
  const auto state = reconcile_feed_state(*loaded, feed);
  EXPECT_EQ(state.url, "https://moved.example.org/rss");
  EXPECT_TRUE(state.disabled);
  EXPECT_EQ(state.etag, stored.etag);
}

TEST(ReconcileFeedState, ConfiguredUrlChangeResetsUrlAndDisabled) {
  const TempDir dir;
  auto stored = sample_state();
  stored.url = "https://moved.example.org/rss";
  stored.disabled = true;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store && store->save_feed_state(stored));
  }
  Feed feed;
  feed.name = "trt-world";
  feed.url = "https://www.trtworld.com/feeds/world.xml";
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->load_feed_state(feed.name);
  ASSERT_TRUE(loaded);
  const auto state = reconcile_feed_state(*loaded, feed);
  EXPECT_EQ(state.url, feed.url);
  EXPECT_EQ(state.configured_url, feed.url);
  EXPECT_FALSE(state.disabled);
  EXPECT_TRUE(state.etag.empty());
  EXPECT_TRUE(state.last_modified.empty());
  EXPECT_EQ(state.consecutive_failures, 0);
  EXPECT_FALSE(state.retry_after.has_value());
}

}  // namespace
}  // namespace newswatch::store
