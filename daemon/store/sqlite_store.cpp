#include "newswatch/store/sqlite_store.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <system_error>

namespace newswatch::store {
namespace {

/// Migration N takes a database from user_version N to N + 1; never edit one that has shipped.
constexpr std::array<const char*, SqliteStore::schema_version> migrations{
    // 1: feed HTTP state. Validators are BLOBs so that they come back byte for byte whatever their
    // encoding (RFC 9110 §8.8.3 allows obs-text in an entity-tag). Instants are Unix seconds.
    R"sql(
      CREATE TABLE feed_state (
        feed_name            TEXT    PRIMARY KEY NOT NULL,
        url                  TEXT    NOT NULL,
        configured_url       TEXT    NOT NULL,
        etag                 BLOB    NOT NULL,
        last_modified        BLOB    NOT NULL,
        last_poll            INTEGER,
        next_poll            INTEGER,
        retry_after          INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error           TEXT    NOT NULL DEFAULT '',
        disabled             INTEGER NOT NULL DEFAULT 0
      ) STRICT;
    )sql",
};

constexpr const char* feed_state_columns =
    "feed_name, url, configured_url, etag, last_modified, last_poll, next_poll, retry_after, "
    "consecutive_failures, last_error, disabled";

}  // namespace

std::filesystem::path SqliteStore::database_path(const std::filesystem::path& state_dir) {
  return state_dir / "state.db";
}

Expected<std::unique_ptr<SqliteStore>, StoreError> SqliteStore::open(const std::filesystem::path& state_dir) {
  std::error_code error;
  std::filesystem::create_directories(state_dir, error);
  if (error) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: cannot create the state directory: {}", state_dir.string(), error.message())});
  }
  auto database = Database::open(database_path(state_dir));
  if (!database) {
    return make_unexpected(std::move(database).error());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*database)));
  for (auto step : {&SqliteStore::configure, &SqliteStore::migrate, &SqliteStore::prepare_statements}) {
    if (auto status = (store.get()->*step)(); !status) {
      return make_unexpected(std::move(status).error());
    }
  }
  return store;
}

StoreStatus SqliteStore::configure() {
  // The first statement that reads the file: a file that is not SQLite fails here, clearly.
  auto mode = database_.prepare("PRAGMA journal_mode=WAL");
  if (!mode) {
    return make_unexpected(std::move(mode).error());
  }
  {
    const StatementUse use(*mode);
    auto row = mode->step();
    if (!row) {
      return make_unexpected(std::move(row).error());
    }
    if (!*row || mode->column_text(0) != "wal") {
      return make_unexpected(database_.error("cannot switch to WAL mode"));
    }
  }
  return database_.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON");
}

StoreStatus SqliteStore::migrate() {
  auto version = database_.pragma_integer("user_version");
  if (!version) {
    return make_unexpected(std::move(version).error());
  }
  if (*version > schema_version) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: schema version {} is newer than this newswatch understands ({}); upgrade newswatch",
                    database_.path().string(), *version, schema_version)});
  }
  for (auto next = *version; next < schema_version; ++next) {
    auto transaction = Transaction::begin(database_);
    if (!transaction) {
      return make_unexpected(std::move(transaction).error());
    }
    if (auto applied = database_.execute(migrations.at(static_cast<std::size_t>(next))); !applied) {
      return applied;
    }
    if (auto bumped = database_.execute(fmt::format("PRAGMA user_version = {}", next + 1)); !bumped) {
      return bumped;
    }
    if (auto committed = transaction->commit(); !committed) {
      return committed;
    }
  }
  return store_ok();
}

StoreStatus SqliteStore::prepare_statements() {
  struct Wanted {
    Statement* statement;
    std::string sql;
  };
  const std::array<Wanted, 3> wanted{{
      {&select_all_feed_states_, fmt::format("SELECT {} FROM feed_state ORDER BY feed_name", feed_state_columns)},
      {&select_feed_state_, fmt::format("SELECT {} FROM feed_state WHERE feed_name = ?1", feed_state_columns)},
      {&upsert_feed_state_, fmt::format("INSERT OR REPLACE INTO feed_state ({}) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                        feed_state_columns)},
  }};
  for (const auto& [statement, sql] : wanted) {
    auto prepared = database_.prepare(sql);
    if (!prepared) {
      return make_unexpected(std::move(prepared).error());
    }
    *statement = std::move(*prepared);
  }
  return store_ok();
}

namespace {

FeedState read_feed_state(const Statement& row) {
  FeedState state;
  state.feed_name = row.column_text(0);
  state.url = row.column_text(1);
  state.configured_url = row.column_text(2);
  state.etag = row.column_blob(3);
  state.last_modified = row.column_blob(4);
  state.last_poll = row.column_time(5);
  state.next_poll = row.column_time(6);
  state.retry_after = row.column_time(7);
  state.consecutive_failures = static_cast<int>(row.column_int(8));
  state.last_error = row.column_text(9);
  state.disabled = row.column_int(10) != 0;
  return state;
}

}  // namespace

Expected<std::vector<FeedState>, StoreError> SqliteStore::load_feed_states() {
  const StatementUse use(select_all_feed_states_);
  std::vector<FeedState> states;
  while (true) {
    auto row = select_all_feed_states_.step();
    if (!row) {
      return make_unexpected(std::move(row).error());
    }
    if (!*row) {
      return states;
    }
    states.push_back(read_feed_state(select_all_feed_states_));
  }
}

Expected<std::optional<FeedState>, StoreError> SqliteStore::load_feed_state(std::string_view feed_name) {
  const StatementUse use(select_feed_state_);
  select_feed_state_.bind(1, feed_name);
  auto row = select_feed_state_.step();
  if (!row) {
    return make_unexpected(std::move(row).error());
  }
  if (!*row) {
    return std::optional<FeedState>{};
  }
  return std::optional<FeedState>{read_feed_state(select_feed_state_)};
}

StoreStatus SqliteStore::save_feed_states(const std::vector<FeedState>& states) {
  if (states.empty()) {
    return store_ok();
  }
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  for (const auto& state : states) {
    const StatementUse use(upsert_feed_state_);
    upsert_feed_state_.bind(1, state.feed_name);
    upsert_feed_state_.bind(2, state.url);
    upsert_feed_state_.bind(3, state.configured_url);
    upsert_feed_state_.bind_blob(4, state.etag);
    upsert_feed_state_.bind_blob(5, state.last_modified);
    upsert_feed_state_.bind(6, state.last_poll);
    upsert_feed_state_.bind(7, state.next_poll);
    upsert_feed_state_.bind(8, state.retry_after);
    upsert_feed_state_.bind(9, std::int64_t{state.consecutive_failures});
    upsert_feed_state_.bind(10, state.last_error);
    upsert_feed_state_.bind(11, std::int64_t{state.disabled ? 1 : 0});
    if (auto done = upsert_feed_state_.step(); !done) {
      return make_unexpected(std::move(done).error());
    }
  }
  return transaction->commit();
}

}  // namespace newswatch::store
