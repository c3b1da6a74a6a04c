// The rules' term-frequency sketch in the store: opaque bytes that survive a reopen, and the schema
// 2 -> 3 migration that adds their table.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "newswatch/store/sqlite_store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using testing::open_store;
using testing::TempDir;

const TimePoint now = sys_days{year{2026} / November / 30} + 8h;

std::string sample_sketch(char fill) {
  std::string bytes = "NWTF1";
  bytes += std::string(3, '\0');  // embedded NULs must survive: it is a BLOB
  bytes += std::string(100000, fill);
  return bytes;
}

TEST(TermFrequencyStore, NothingUntilASketchIsSaved) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->load_term_frequencies();
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_FALSE(loaded->has_value());
}

TEST(TermFrequencyStore, RoundTripsTheSketchAcrossReopen) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_term_frequencies(sample_sketch('a'), now));
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto loaded = store->load_term_frequencies();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, sample_sketch('a'));
}

TEST(TermFrequencyStore, SaveReplacesThePreviousSketch) {
  TempDir dir;
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_term_frequencies(sample_sketch('a'), now));
  ASSERT_TRUE(store->save_term_frequencies(sample_sketch('b'), now + 1h));
  auto loaded = store->load_term_frequencies();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, sample_sketch('b'));
}

TEST(TermFrequencyStore, MigratesAVersionTwoFileKeepingItsFeedStates) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    FeedState state;
    state.feed_name = "trt";
    state.url = state.configured_url = "https://trt.example/rss";
    ASSERT_TRUE(store->save_feed_state(state));
  }
  {
    // Back to what schema 2 wrote: a fingerprint column in stories, no term_frequencies table, no
    // source_hash column.
    ASSERT_EQ(testing::run_raw_sql(dir.path(), testing::store_down_to_version_6), "");
    ASSERT_EQ(testing::run_raw_sql(dir.path(), testing::store_down_to_version_5), "");
    auto database = Database::open(SqliteStore::database_path(dir.path()));
    ASSERT_TRUE(database);
    ASSERT_TRUE(database->execute(
        "DROP TABLE term_frequencies; ALTER TABLE seen_items DROP COLUMN source_hash; PRAGMA user_version = 2"));
  }
  auto store = open_store(dir.path());
  ASSERT_TRUE(store);
  auto state = store->load_feed_state("trt");
  ASSERT_TRUE(state && *state);
  auto loaded = store->load_term_frequencies();
  ASSERT_TRUE(loaded);
  EXPECT_FALSE(loaded->has_value());
  ASSERT_TRUE(store->save_term_frequencies(sample_sketch('c'), now));
}

TEST(TermFrequencyStore, ReadOnlyStoreLoadsButCannotSave) {
  TempDir dir;
  {
    auto store = open_store(dir.path());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save_term_frequencies(sample_sketch('d'), now));
  }
  auto reader = SqliteStore::open_read_only(dir.path());
  ASSERT_TRUE(reader) << reader.error().message;
  auto loaded = (*reader)->load_term_frequencies();
  ASSERT_TRUE(loaded && loaded->has_value());
  EXPECT_EQ(**loaded, sample_sketch('d'));
  EXPECT_FALSE((*reader)->save_term_frequencies(sample_sketch('e'), now));
}

}  // namespace
}  // namespace newswatch::store
