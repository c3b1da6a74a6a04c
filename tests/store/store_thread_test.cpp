// The store thread: work runs in order, on a thread and a connection of its own, and everything
// posted runs before it is gone.
#include "newswatch/store/store_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/store/sqlite_store.hpp"
#include "support/store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using testing::feed_state;

TEST(StoreThread, RunsWorkInOrderOnItsOwnThreadAndConnection) {
  const testing::TempDir dir;
  auto loop_store = SqliteStore::open(dir.path());
  ASSERT_TRUE(loop_store) << loop_store.error().message;
  std::vector<std::string> order;
  std::vector<std::thread::id> threads;
  std::vector<Store*> connections;
  {
    StoreThread writer(SqliteStore::writer_opener(dir.path(), false));
    for (const std::string name : {"first", "second", "third"}) {
      writer.post([&, name](Expected<Store*, StoreError> store) {
        ASSERT_TRUE(store) << store.error().message;
        ASSERT_TRUE((*store)->save_feed_states({feed_state(name)}));
        order.push_back(name);
        threads.push_back(std::this_thread::get_id());
        connections.push_back(*store);
      });
    }
  }  // Joined here: everything posted has run.
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third"}));
  ASSERT_EQ(threads.size(), 3U);
  EXPECT_NE(threads[0], std::this_thread::get_id());
  EXPECT_EQ(threads[0], threads[2]);
  EXPECT_EQ(connections[0], connections[2]) << "one connection, opened once";
  EXPECT_NE(connections[0], loop_store->get());
  // The loop's own connection reads what the store thread committed.
  auto states = (*loop_store)->load_feed_states();
  ASSERT_TRUE(states) << states.error().message;
  EXPECT_EQ(states->size(), 3U);
}

TEST(StoreThread, AConnectionThatCannotBeOpenedFailsEachPieceAndIsTriedAgain) {
  const testing::TempDir dir;
  std::atomic<int> attempts{0};
  std::vector<std::string> errors;
  bool wrote_after = false;
  {
    StoreThread writer([&]() -> Expected<std::unique_ptr<Store>, StoreError> {
      if (attempts.fetch_add(1) == 0) {
        return make_unexpected(StoreError{"store: state.db: disk I/O error"});
      }
      auto opened = SqliteStore::open(dir.path());
      if (!opened) {
        return make_unexpected(std::move(opened).error());
      }
      return std::unique_ptr<Store>(std::move(*opened));
    });
    writer.post([&](Expected<Store*, StoreError> store) {
      ASSERT_FALSE(store);
      errors.push_back(store.error().message);
    });
    writer.post([&](Expected<Store*, StoreError> store) {
      ASSERT_TRUE(store) << store.error().message;
      wrote_after = static_cast<bool>((*store)->save_feed_states({feed_state("world")}));
    });
  }
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0], "store: state.db: disk I/O error");
  EXPECT_EQ(attempts.load(), 2);
  EXPECT_TRUE(wrote_after);
}

}  // namespace
}  // namespace newswatch::store
