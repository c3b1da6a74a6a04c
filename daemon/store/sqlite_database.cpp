#include "newswatch/store/sqlite_database.hpp"

#include <fmt/format.h>

#include <chrono>
#include <climits>

#include "newswatch/store/write_batching_vfs.hpp"

namespace newswatch::store {
namespace {

/// How long a writer waits for another connection's lock (a `newswatch state` reader, say).
constexpr int busy_timeout_ms = 5000;

int length_of(std::string_view bytes) {
  // Feed state strings are short; anything beyond INT_MAX would be a broken invariant.
  return bytes.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(bytes.size());
}

}  // namespace

void Statement::bind(int index, std::string_view text) {
  // An empty view may have a null data pointer, which SQLite would store as NULL: bind "" instead.
  sqlite3_bind_text(statement_.get(), index, text.empty() ? "" : text.data(), length_of(text), nullptr);
}

void Statement::bind_blob(int index, std::string_view bytes) {
  sqlite3_bind_blob(statement_.get(), index, bytes.empty() ? "" : bytes.data(), length_of(bytes), nullptr);
}

void Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_.get(), index, value);
}

void Statement::bind(int index, const std::optional<TimePoint>& instant) {
  if (instant) {
    sqlite3_bind_int64(statement_.get(), index, instant->time_since_epoch().count());
  } else {
    sqlite3_bind_null(statement_.get(), index);
  }
}

Expected<bool, StoreError> Statement::step() {
  const int status = sqlite3_step(statement_.get());
  if (status == SQLITE_ROW) {
    return true;
  }
  if (status == SQLITE_DONE) {
    return false;
  }
  return make_unexpected(StoreError{fmt::format("{}: {}", context_, sqlite3_errmsg(database_))});
}

void Statement::reset() noexcept {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(statement_.get(), index);
  const int size = sqlite3_column_bytes(statement_.get(), index);
  if (text == nullptr) {
    return {};
  }
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::string Statement::column_blob(int index) const {
  return std::string(column_blob_view(index));
}

std::string_view Statement::column_blob_view(int index) const {
  const void* bytes = sqlite3_column_blob(statement_.get(), index);
  const int size = sqlite3_column_bytes(statement_.get(), index);
  if (bytes == nullptr) {
    return {};
  }
  return {static_cast<const char*>(bytes), static_cast<std::size_t>(size)};
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(statement_.get(), index);
}

std::optional<TimePoint> Statement::column_time(int index) const {
  if (sqlite3_column_type(statement_.get(), index) == SQLITE_NULL) {
    return std::nullopt;
  }
  return TimePoint{std::chrono::seconds{sqlite3_column_int64(statement_.get(), index)}};
}

Expected<Database, StoreError> Database::open(const std::filesystem::path& path, Mode mode) {
  // No count of SQLite's memory is ever read: without one, its allocations take no global mutex.
  // Only possible before SQLite initialises; should something have initialised it already, the
  // count simply stays on.
  static const int memory_count_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  static_cast<void>(memory_count_off);
  sqlite3* raw = nullptr;
  // NOMUTEX: one thread at a time uses a connection (its owner: the store thread, the loop, a leased
  // reader), so SQLite's own lock around every call on it is not needed.
  const int flags = SQLITE_OPEN_NOMUTEX |
                    (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int status = sqlite3_open_v2(path.c_str(), &raw, flags, write_batching_vfs());
  // sqlite3_open_v2 hands out a handle even on failure; own it so it is closed either way.
  DatabaseHandle handle(raw);
  if (status != SQLITE_OK) {
    const char* reason = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(status);
    return make_unexpected(StoreError{fmt::format("store: {}: cannot open: {}", path.string(), reason)});
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return Database(std::move(handle), path);
}

StoreStatus Database::execute(const std::string& sql) {
  char* message = nullptr;
  const int status = sqlite3_exec(handle_.get(), sql.c_str(), nullptr, nullptr, &message);
  const std::unique_ptr<char, decltype(&sqlite3_free)> owned_message(message, &sqlite3_free);
  if (status != SQLITE_OK) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: {}: {}", path_.string(), sql, message != nullptr ? message : sqlite3_errstr(status))});
  }
  return store_ok();
}

Expected<Statement, StoreError> Database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int status =
      sqlite3_prepare_v3(handle_.get(), sql.data(), length_of(sql), SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (status != SQLITE_OK) {
    sqlite3_finalize(raw);
    return make_unexpected(error(fmt::format("prepare {}", sql)));
  }
  return Statement(raw, handle_.get(), fmt::format("store: {}", path_.string()));
}

Expected<std::int64_t, StoreError> Database::pragma_integer(const std::string& name) {
  auto statement = prepare("PRAGMA " + name);
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  const StatementUse use(*statement);
  auto row = statement->step();
  if (!row) {
    return make_unexpected(std::move(row).error());
  }
  return *row ? statement->column_int(0) : 0;
}

StoreError Database::error(std::string_view what) const {
  return StoreError{fmt::format("store: {}: {}: {}", path_.string(), what, sqlite3_errmsg(handle_.get()))};
}

Expected<Transaction, StoreError> Transaction::begin(Database& database) {
  return start(database, "BEGIN IMMEDIATE");
}

Expected<Transaction, StoreError> Transaction::begin_read(Database& database) {
  return start(database, "BEGIN");
}

Expected<Transaction, StoreError> Transaction::start(Database& database, const char* statement) {
  auto started = database.execute(statement);
  if (!started) {
    return make_unexpected(std::move(started).error());
  }
  return Transaction(database);
}

Transaction::~Transaction() {
  if (database_ != nullptr) {
    // Best effort: a failed ROLLBACK leaves SQLite to roll back when the connection closes.
    static_cast<void>(database_->execute("ROLLBACK"));
  }
}

StoreStatus Transaction::commit() {
  auto committed = database_->execute("COMMIT");
  if (committed) {
    database_ = nullptr;
  }
  return committed;
}

}  // namespace newswatch::store
