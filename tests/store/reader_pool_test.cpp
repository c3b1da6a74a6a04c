#include "newswatch/store/reader_pool.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "newswatch/store/sqlite_store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using testing::feed_state;

TEST(ReaderPool, ReadsWhatTheWriterCommittedThroughAConnectionOfItsOwn) {
  const testing::TempDir dir;
  auto writer = SqliteStore::open(dir.path());
  ASSERT_TRUE(writer) << writer.error().message;
  ReaderPool pool(SqliteStore::reader_opener(dir.path()));
  ASSERT_TRUE((*writer)->save_feed_states({feed_state("world")}));
  {
    auto reader = pool.lease();
    ASSERT_TRUE(reader) << reader.error().message;
    auto state = (*reader)->load_feed_state("world");
    ASSERT_TRUE(state && state->has_value());
    EXPECT_EQ((*state)->url, "https://example.org/world");
  }
  // The same connection, returned and borrowed again, sees a later commit too.
  ASSERT_TRUE((*writer)->save_feed_states({feed_state("later")}));
  auto again = pool.lease();
  ASSERT_TRUE(again);
  auto later = (*again)->load_feed_state("later");
  ASSERT_TRUE(later && later->has_value());
  EXPECT_EQ(pool.opened(), 1U);
  // It cannot write: the writer stays the only one.
  EXPECT_FALSE((*again)->save_feed_states({feed_state("sneaky")}));
}

TEST(ReaderPool, OpensAConnectionPerConcurrentReaderAndReusesThem) {
  const testing::TempDir dir;
  auto writer = SqliteStore::open(dir.path());
  ASSERT_TRUE(writer);
  ReaderPool pool(SqliteStore::reader_opener(dir.path()));
  {
    auto first = pool.lease();
    auto second = pool.lease();
    ASSERT_TRUE(first && second);
    EXPECT_NE(&**first, &**second);
    EXPECT_EQ(pool.opened(), 2U);
  }
  std::vector<std::thread> threads;
  std::vector<int> found(8, 0);
  for (std::size_t i = 0; i < found.size(); ++i) {
    threads.emplace_back([&pool, &found, i] {
      for (int round = 0; round < 20; ++round) {
        auto reader = pool.lease();
        if (reader && (*reader)->load_feed_states()) {
          ++found[i];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const int reads : found) {
    EXPECT_EQ(reads, 20);
  }
  EXPECT_LE(pool.opened(), 2U + found.size());
}

TEST(ReaderPool, PassesOnTheErrorOfOpeningAndTriesAgainNextTime) {
  const testing::TempDir dir;
  ReaderPool pool(SqliteStore::reader_opener(dir.path()));
  const auto missing = pool.lease();
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("state.db"), std::string::npos) << missing.error().message;
  EXPECT_EQ(pool.opened(), 0U);
  auto writer = SqliteStore::open(dir.path());
  ASSERT_TRUE(writer);
  EXPECT_TRUE(pool.lease());
  EXPECT_EQ(pool.opened(), 1U);
}

}  // namespace
}  // namespace newswatch::store
