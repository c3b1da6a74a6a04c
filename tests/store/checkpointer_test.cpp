#include "newswatch/store/checkpointer.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "newswatch/store/sqlite_database.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono_literals;

constexpr auto never = std::chrono::hours{1};

/// A database in WAL mode set up as SqliteStore::checkpoint_in_background() sets its store: commits
/// never checkpoint, and closing leaves the log.
Database open_logged(const std::filesystem::path& path) {
  auto database = Database::open(path);
  EXPECT_TRUE(database) << database.error().message;
  EXPECT_TRUE(database->execute("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0"));
  EXPECT_TRUE(database->keep_log_on_close());
  EXPECT_TRUE(database->execute("CREATE TABLE IF NOT EXISTS t (b BLOB)"));
  return std::move(*database);
}

/// Appends `rows` rows of 10,000 bytes, each in a commit of its own.
void write_rows(Database& database, int rows) {
  for (int i = 0; i < rows; ++i) {
    ASSERT_TRUE(database.execute("INSERT INTO t VALUES (randomblob(10000))"));
  }
}

/// The first column of the first row of `sql`; the statement is finalised before this returns, so
/// no read transaction stays open (a TRUNCATE checkpoint would wait for it).
std::string first_value(Database& database, std::string_view sql) {
  auto statement = database.prepare(sql);
  EXPECT_TRUE(statement) << statement.error().message;
  const auto row = statement->step();
  EXPECT_TRUE(row && *row);
  return statement->column_text(0);
}

std::int64_t count_rows(Database& database) {
  return std::stoll(first_value(database, "SELECT count(*) FROM t"));
}

std::uintmax_t size_of(const std::filesystem::path& path) {
  std::error_code missing;
  const auto size = std::filesystem::file_size(path, missing);
  return missing ? 0 : size;
}

TEST(Checkpointer, MovesTheWriteAheadLogIntoTheDatabaseFileFromItsOwnThread) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  Database database = open_logged(path);
  write_rows(database, 200);
  // Two megabytes were written, all of them still in the log.
  EXPECT_LT(size_of(path), 100000U);
  EXPECT_GT(size_of(dir.path() / "state.db-wal"), 2000000U);

  auto checkpointer = Checkpointer::start(path, 20ms);
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  ASSERT_TRUE(testing::wait_until([&] { return (*checkpointer)->runs() >= 2; }, 30s));
  EXPECT_GT(size_of(path), 2000000U);
  // Writes go on while it runs, and they reach the file too.
  write_rows(database, 1);
  const auto before = (*checkpointer)->runs();
  ASSERT_TRUE(testing::wait_until([&] { return (*checkpointer)->runs() >= before + 2; }, 30s));
  EXPECT_GT(size_of(path), 2010000U);
}

TEST(Checkpointer, StopsWithoutMovingTheLogAndTheNextOneMovesItInAtStart) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  const auto log = dir.path() / "state.db-wal";
  std::optional<Database> database = open_logged(path);
  {
    auto checkpointer = Checkpointer::start(path, never);
    ASSERT_TRUE(checkpointer) << checkpointer.error().message;
    // Its first checkpoint runs at start, not a period later.
    ASSERT_TRUE(testing::wait_until([&] { return (*checkpointer)->runs() >= 1; }, 30s));
    write_rows(*database, 200);
    // Stopping syncs the log but copies none of it: an exit waits for no checkpoint.
  }
  EXPECT_LT(size_of(path), 100000U);
  EXPECT_GT(size_of(log), 2000000U);
  // The last connection closes without a checkpoint as well: the log stays, and what it holds is
  // read by the next process.
  database.reset();
  EXPECT_GT(size_of(log), 2000000U);
  database = open_logged(path);
  EXPECT_EQ(count_rows(*database), 200);

  auto next = Checkpointer::start(path, never);
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_TRUE(testing::wait_until([&] { return (*next)->runs() >= 1; }, 30s));
  EXPECT_GT(size_of(path), 2000000U);
  EXPECT_EQ(count_rows(*database), 200);
}

TEST(Checkpointer, StoppingWhileACheckpointCopiesLosesNothing) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  std::optional<Database> database = open_logged(path);
  // 20 MB in one commit: the checkpoint at start is still copying when the checkpointer stops, and
  // is broken off between two pages.
  ASSERT_TRUE(
      database->execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                        "INSERT INTO t SELECT randomblob(10000) FROM n"));
  static_cast<void>(Checkpointer::start(path, never));

  database.reset();
  database = open_logged(path);
  EXPECT_EQ(first_value(*database, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(count_rows(*database), 2000);

  auto next = Checkpointer::start(path, never);
  ASSERT_TRUE(next) << next.error().message;
  ASSERT_TRUE(testing::wait_until([&] { return (*next)->runs() >= 1; }, 60s));
  EXPECT_GT(size_of(path), 20000000U);
}

TEST(Checkpointer, NamesTheFileItCannotOpen) {
  const testing::TempDir dir;
  const auto started = Checkpointer::start(dir.path() / "missing" / "state.db", 20ms);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("missing/state.db"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace newswatch::store
