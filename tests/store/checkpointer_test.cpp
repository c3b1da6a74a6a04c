#include "newswatch/store/checkpointer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>

#include "newswatch/store/sqlite_database.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using namespace std::chrono_literals;

const std::string row = "INSERT INTO t VALUES (randomblob(10000))";

// A database in WAL mode whose commits never checkpoint (what
// SqliteStore::checkpoint_in_background() sets), with `rows` rows of 10,000 bytes in table t;
// nullopt when any step fails.
std::optional<Database> log_only_database(const std::filesystem::path& path, int rows) {
  auto database = Database::open(path);
  if (!database || !database->execute("PRAGMA journal_mode=WAL") ||
      !database->execute("PRAGMA wal_autocheckpoint=0; CREATE TABLE t (b BLOB)")) {
    return std::nullopt;
  }
  for (int i = 0; i < rows; ++i) {
    if (!database->execute(row)) {
      return std::nullopt;
    }
  }
  return std::move(*database);
}

TEST(Checkpointer, MovesTheWriteAheadLogIntoTheDatabaseFileFromItsOwnThread) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto database = log_only_database(path, 200);
  ASSERT_TRUE(database);
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

TEST(Checkpointer, ATruncationWaitingForAReaderHoldsTheWriterOnlyBriefly) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto writer = log_only_database(path, 20);
  ASSERT_TRUE(writer);
  // A reader keeps the snapshot of those rows: no truncation can finish while it does.
  auto reader = Database::open(path);
  ASSERT_TRUE(reader) << reader.error().message;
  ASSERT_TRUE(reader->execute("BEGIN; SELECT count(*) FROM t"));
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(writer->execute(row));
  }
  // Past the bound, and any backlog will do: every run tries a truncation, which waits for the
  // reader while it holds the writer->
  Checkpointer::Truncation truncation;
  truncation.after_frames = 10;
  truncation.backlog_frames = 1000000;
  truncation.reader_wait = 50ms;
  auto checkpointer = Checkpointer::start(path, 10ms, truncation);
  ASSERT_TRUE(checkpointer) << checkpointer.error().message;
  // A writer that gives up after a second gets every commit through while the truncations try.
  sqlite3_busy_timeout(writer->handle(), 1000);
  const auto first = (*checkpointer)->runs();
  while ((*checkpointer)->runs() < first + 8) {
    const auto committed = writer->execute(row);
    ASSERT_TRUE(committed) << committed.error().message;
  }
  // Once the reader lets go, the log is truncated.
  ASSERT_TRUE(reader->execute("COMMIT"));
  ASSERT_TRUE(testing::wait_until([&] { return std::filesystem::file_size(dir.path() / "state.db-wal") == 0; }, 30s));
  auto count = writer->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count);
  ASSERT_TRUE(count->step().value());
  EXPECT_GT(count->column_int(0), 40);
  count->reset();
}

TEST(Checkpointer, NamesTheFileItCannotOpen) {
  const testing::TempDir dir;
  const auto started = Checkpointer::start(dir.path() / "missing" / "state.db", 20ms);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("missing/state.db"), std::string::npos) << started.error().message;
}

}  // namespace
}  // namespace newswatch::store
