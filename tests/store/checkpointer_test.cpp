#include "newswatch/store/checkpointer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "newswatch/store/sqlite_database.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono_literals;

TEST(Checkpointer, MovesTheWriteAheadLogIntoTheDatabaseFileFromItsOwnThread) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto database = Database::open(path);
  ASSERT_TRUE(database) << database.error().message;
  ASSERT_TRUE(database->execute("PRAGMA journal_mode=WAL"));
  // What SqliteStore::checkpoint_in_background() sets: commits never checkpoint.
  ASSERT_TRUE(database->execute("PRAGMA wal_autocheckpoint=0; CREATE TABLE t (b BLOB)"));
  const std::string row = "INSERT INTO t VALUES (randomblob(10000))";
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(database->execute(row));
  }
  // Two megabytes were written, all of them still in the log.
  EXPECT_LT(std::filesystem::file_size(path), 100000U);
  EXPECT_GT(std::filesystem::file_size(dir.path() / "state.db-wal"), 2000000U);

  auto checkpointer = Checkpointer::start(path, 20ms);
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  ASSERT_TRUE(testing::wait_until([&] { return (*checkpointer)->runs() >= 2; }, 30s));
  EXPECT_GT(std::filesystem::file_size(path), 2000000U);
  // Writes go on while it runs, and they reach the file too.
  ASSERT_TRUE(database->execute(row));
  const auto before = (*checkpointer)->runs();
  ASSERT_TRUE(testing::wait_until([&] { return (*checkpointer)->runs() >= before + 2; }, 30s));
  EXPECT_GT(std::filesystem::file_size(path), 2010000U);
}

TEST(Checkpointer, NamesTheFileItCannotOpen) {
  const testing::TempDir dir;
  const auto started = Checkpointer::start(dir.path() / "missing" / "state.db", 20ms);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("missing/state.db"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace newswatch::store
