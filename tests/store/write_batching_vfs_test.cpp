// The VFS that gathers the write-ahead log's writes: readers see each commit at once, the log
// reaches the file in a few system calls, and a write that fails fails its commit, nothing more.
#include "newswatch/store/write_batching_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <array>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace newswatch::store {
namespace {

using Connection = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

/// A connection to `path`, through `vfs` (nullptr: the platform's own).
Connection connect(const std::filesystem::path& path, const char* vfs, bool read_only = false) {
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int status = sqlite3_open_v2(path.c_str(), &raw, flags, vfs);
  Connection connection(raw, &sqlite3_close_v2);
  EXPECT_EQ(status, SQLITE_OK) << path;
  return connection;
}

int run(sqlite3* connection, const std::string& sql) {
  return sqlite3_exec(connection, sql.c_str(), nullptr, nullptr, nullptr);
}

/// The first column of the first row of `sql`, as text ("" when there is none).
std::string text_of(sqlite3* connection, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return "prepare failed: " + std::string(sqlite3_errmsg(connection));
  }
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  return value;
}

/// A writer in WAL mode, as the store configures it, with an empty table t.
Connection writer(const std::filesystem::path& path, const char* vfs) {
  auto connection = connect(path, vfs);
  EXPECT_EQ(text_of(connection.get(), "PRAGMA journal_mode=WAL"), "wal");
  EXPECT_EQ(run(connection.get(), "PRAGMA synchronous=NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)"),
            SQLITE_OK);
  return connection;
}

/// Inserts `rows` rows of `bytes` random bytes each in one transaction; the result of COMMIT.
int insert(sqlite3* connection, int rows, int bytes) {
  if (run(connection, "BEGIN") != SQLITE_OK) {
    return SQLITE_ERROR;
  }
  const int inserted = run(connection, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                                           std::to_string(rows) + ") INSERT INTO t (b) SELECT randomblob(" +
                                           std::to_string(bytes) + ") FROM n");
  if (inserted != SQLITE_OK) {
    run(connection, "ROLLBACK");
    return inserted;
  }
  return run(connection, "COMMIT");
}

/// Write system calls this process has made so far.
std::int64_t write_calls() {
  std::ifstream io("/proc/self/io");
  std::string key;
  std::int64_t value = 0;
  while (io >> key >> value) {
    if (key == "syscw:") {
      return value;
    }
  }
  return -1;
}

TEST(WriteBatchingVfs, IsRegistered) {
  const char* name = write_batching_vfs();
  ASSERT_NE(name, nullptr);
  EXPECT_NE(sqlite3_vfs_find(name), nullptr);
  EXPECT_EQ(write_batching_vfs(), name);  // Registered once.
}

TEST(WriteBatchingVfs, AnotherConnectionReadsEveryCommitAtOnce) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto written = writer(path, write_batching_vfs());
  // The reader goes through the platform's VFS: it sees the files as they are on disk.
  auto reader = connect(path, nullptr, true);
  int rows = 0;
  std::int64_t bytes = 0;
  // Single pages, a few dozen, and transactions of megabytes: larger than what the VFS holds back
  // at once, and than the platform takes in one write; the 1,000-page automatic checkpoint also
  // starts the log over now and then.
  for (int round = 0; round < 3; ++round) {
    for (const auto& [count, size] : {std::pair{1, 100}, std::pair{50, 1000}, std::pair{3000, 1000}, std::pair{1, 1}}) {
      ASSERT_EQ(insert(written.get(), count, size), SQLITE_OK) << sqlite3_errmsg(written.get());
      rows += count;
      bytes += static_cast<std::int64_t>(count) * size;
      EXPECT_EQ(text_of(reader.get(), "SELECT count(*) || ' ' || sum(length(b)) FROM t"),
                std::to_string(rows) + " " + std::to_string(bytes))
          << "round " << round << ", after " << count << " rows";
    }
  }
  written.reset();
  reader.reset();
  auto reopened = connect(path, nullptr, true);
  EXPECT_EQ(text_of(reopened.get(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(text_of(reopened.get(), "SELECT count(*) FROM t"), std::to_string(rows));
}

TEST(WriteBatchingVfs, EveryCommitIsInTheFilesAsAKilledProcessLeavesThem) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto written = writer(path, write_batching_vfs());
  // A small cache makes a large transaction spill pages to the log before it commits; pages
  // dirtied again are then written over their frames, and SQLite rewrites the checksums of every
  // frame from there on after the commit frame.
  ASSERT_EQ(run(written.get(), "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=20"), SQLITE_OK);
  const std::string spilling =
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
      "INSERT INTO t (b) SELECT randomblob(1000) FROM n; "
      "UPDATE t SET b = randomblob(900) WHERE id % 3 = 0; COMMIT";
  for (int round = 0; round < 4; ++round) {
    ASSERT_EQ(round % 2 == 0 ? run(written.get(), spilling) : insert(written.get(), 3, 100), SQLITE_OK)
        << sqlite3_errmsg(written.get());
    // What a process killed now would leave: the database and its log, without the shared index,
    // so that opening them recovers the log from its checksums. (Copied before the writer reads
    // anything: a read writes out what the VFS holds.)
    const auto copy = dir.path() / ("killed-" + std::to_string(round));
    std::filesystem::create_directory(copy);
    std::filesystem::copy_file(path, copy / "state.db");
    std::filesystem::copy_file(dir.path() / "state.db-wal", copy / "state.db-wal");
    const std::string expected = text_of(written.get(), "SELECT count(*) || ' ' || sum(length(b)) FROM t");
    auto recovered = connect(copy / "state.db", nullptr);
    EXPECT_EQ(text_of(recovered.get(), "SELECT count(*) || ' ' || sum(length(b)) FROM t"), expected)
        << "round " << round;
    EXPECT_EQ(text_of(recovered.get(), "PRAGMA integrity_check"), "ok") << "round " << round;
  }
}

TEST(WriteBatchingVfs, WritesATransactionsLogInAFewSystemCalls) {
  const testing::TempDir dir;
  // The same transaction of about 100 pages, through the platform's VFS and through this one.
  std::array<std::int64_t, 2> calls{};
  for (const bool batching : {false, true}) {
    auto connection =
        writer(dir.path() / (batching ? "batching.db" : "platform.db"), batching ? write_batching_vfs() : nullptr);
    ASSERT_EQ(insert(connection.get(), 10, 10), SQLITE_OK);  // The log exists and has its header.
    const std::int64_t before = write_calls();
    ASSERT_GE(before, 0) << "no write count in /proc/self/io";
    ASSERT_EQ(insert(connection.get(), 400, 1000), SQLITE_OK);
    calls.at(batching ? 1 : 0) = write_calls() - before;
  }
  // Two writes a frame without; with, a few for the whole commit (the platform takes up to 124 KB
  // at a time).
  EXPECT_GE(calls[0], 200);
  EXPECT_LE(calls[1], 6);
}

TEST(WriteBatchingVfs, AWriteThatFailsFailsItsCommitAndLosesNothingCommitted) {
  const testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  auto written = writer(path, write_batching_vfs());
  ASSERT_EQ(run(written.get(), "PRAGMA wal_autocheckpoint=0"), SQLITE_OK);
  ASSERT_EQ(insert(written.get(), 100, 1000), SQLITE_OK);
  auto reader = connect(path, nullptr, true);
  ASSERT_EQ(text_of(reader.get(), "SELECT count(*) FROM t"), "100");

  // The log may grow by a few pages, not by the next transaction: its writes fail (EFBIG), as on
  // a full disk.
  const std::uintmax_t log_size = std::filesystem::file_size(dir.path() / "state.db-wal");
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limited = saved;
  limited.rlim_cur = static_cast<rlim_t>(log_size + 16384);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  const int failed = insert(written.get(), 2000, 1000);
  const std::string why = sqlite3_errmsg(written.get());
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_NE(failed, SQLITE_OK);
  EXPECT_TRUE((failed & 0xFF) == SQLITE_FULL || (failed & 0xFF) == SQLITE_IOERR) << failed << ": " << why;
  run(written.get(), "ROLLBACK");

  // Nothing of the failed transaction is visible; what was committed is all there.
  EXPECT_EQ(text_of(reader.get(), "SELECT count(*) || ' ' || sum(length(b)) FROM t"), "100 100000");
  // With room again, the same connection commits, and every reader sees it.
  ASSERT_EQ(insert(written.get(), 10, 1000), SQLITE_OK) << sqlite3_errmsg(written.get());
  EXPECT_EQ(text_of(reader.get(), "SELECT count(*) FROM t"), "110");
  written.reset();
  reader.reset();
  auto reopened = connect(path, nullptr, true);
  EXPECT_EQ(text_of(reopened.get(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(text_of(reopened.get(), "SELECT count(*) FROM t"), "110");
}

}  // namespace
}  // namespace newswatch::store
