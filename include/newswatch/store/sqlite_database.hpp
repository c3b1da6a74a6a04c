#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// Closes a connection (sqlite3_close_v2 waits for no statement: they are finalised first).
struct DatabaseCloser {
  void operator()(sqlite3* database) const noexcept { sqlite3_close_v2(database); }
};

/// Finalises a prepared statement.
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};

/// An open SQLite connection.
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;

/// A prepared statement, reset after every use and kept for the connection's lifetime.
class Statement {
 public:
  Statement() = default;
  /// Takes ownership of `statement`; `database` (not owned) words the errors.
  Statement(sqlite3_stmt* statement, sqlite3* database, std::string context)
      : statement_(statement), database_(database), context_(std::move(context)) {}

  /// Binds parameter `index` (1-based). Bound text and blobs are not copied (SQLITE_STATIC): they
  /// must outlive the next step(), which every caller does by binding right before stepping.
  void bind(int index, std::string_view text);
  void bind_blob(int index, std::string_view bytes);
  void bind(int index, std::int64_t value);
  void bind(int index, const std::optional<TimePoint>& instant);

  /// Runs one step: true when a row is ready, false when done.
  Expected<bool, StoreError> step();
  /// Resets the statement and clears its bindings for the next use.
  void reset() noexcept;

  [[nodiscard]] std::string column_text(int index) const;
  [[nodiscard]] std::string column_blob(int index) const;
  /// The bytes of a blob column, valid until the next step() or reset().
  [[nodiscard]] std::string_view column_blob_view(int index) const;
  [[nodiscard]] std::int64_t column_int(int index) const;
  [[nodiscard]] std::optional<TimePoint> column_time(int index) const;

 private:
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
  sqlite3* database_ = nullptr;
  std::string context_;
};

/// Resets a statement when it goes out of scope, so an early return never leaves it mid-query.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement) : statement_(statement) {}
  ~StatementUse() { statement_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  StatementUse(StatementUse&&) = delete;
  StatementUse& operator=(StatementUse&&) = delete;

 private:
  Statement& statement_;
};

/// One SQLite file: opened, configured for a single writer in WAL mode, with helpers for plain SQL.
class Database {
 public:
  /// How a file is opened.
  enum class Mode { read_write, read_only };
  /// Opens (creating, when read_write) `path`; the error names the file and SQLite's reason.
  static Expected<Database, StoreError> open(const std::filesystem::path& path, Mode mode = Mode::read_write);

  /// Runs SQL without results (PRAGMAs, DDL, BEGIN/COMMIT).
  StoreStatus execute(const std::string& sql);
  /// Compiles a statement kept for the connection's lifetime.
  Expected<Statement, StoreError> prepare(std::string_view sql);
  /// Reads an integer PRAGMA such as user_version.
  Expected<std::int64_t, StoreError> pragma_integer(const std::string& name);

  /// "store: PATH: WHAT: SQLITE MESSAGE".
  [[nodiscard]] StoreError error(std::string_view what) const;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  [[nodiscard]] sqlite3* handle() const noexcept { return handle_.get(); }

 private:
  Database(DatabaseHandle handle, std::filesystem::path path) : handle_(std::move(handle)), path_(std::move(path)) {}

  DatabaseHandle handle_;
  std::filesystem::path path_;
};

/// BEGIN IMMEDIATE (or BEGIN for reading) on start, ROLLBACK on destruction unless commit() succeeded.
class Transaction {
 public:
  /// Starts a write transaction (IMMEDIATE: takes the write lock now, waiting up to the busy timeout).
  static Expected<Transaction, StoreError> begin(Database& database);
  /// Starts a read transaction: the statements inside see one snapshot and take SQLite's file locks
  /// once instead of once each.
  static Expected<Transaction, StoreError> begin_read(Database& database);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : database_(other.database_) { other.database_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// Commits; after a failure the destructor rolls back.
  StoreStatus commit();

 private:
  explicit Transaction(Database& database) : database_(&database) {}
  static Expected<Transaction, StoreError> start(Database& database, const char* statement);
  Database* database_;
};

}  // namespace newswatch::store
