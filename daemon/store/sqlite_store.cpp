#include "newswatch/store/sqlite_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <exception>
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
    // 2: memory and outbox. A feed polled before this version baselines once more (baselined = 0),
    // since no item of it was recorded yet. Story ids are 63-bit integers; fingerprints are dedup's
    // encoding, opaque here.
    R"sql(
      ALTER TABLE feed_state ADD COLUMN baselined INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE stories (
        id          INTEGER PRIMARY KEY NOT NULL,
        fingerprint BLOB    NOT NULL,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL,
        title       TEXT    NOT NULL
      ) STRICT;
      CREATE INDEX stories_by_last_seen ON stories (last_seen);
      CREATE TABLE seen_items (
        feed          TEXT    NOT NULL,
        identity      TEXT    NOT NULL,
        canonical_url TEXT    NOT NULL,
        content_hash  INTEGER NOT NULL,
        fingerprint   BLOB    NOT NULL,
        first_seen    INTEGER NOT NULL,
        last_seen     INTEGER NOT NULL,
        published     INTEGER,
        story         INTEGER NOT NULL,
        title         TEXT    NOT NULL,
        link          TEXT    NOT NULL,
        rules         TEXT    NOT NULL,
        PRIMARY KEY (feed, identity)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX seen_items_by_url ON seen_items (canonical_url) WHERE canonical_url <> '';
      CREATE INDEX seen_items_by_story ON seen_items (story, first_seen);
      CREATE INDEX seen_items_by_first_seen ON seen_items (first_seen);
      CREATE INDEX seen_items_by_last_seen ON seen_items (last_seen);
      CREATE TABLE alerts (
        id            TEXT    PRIMARY KEY NOT NULL,
        rule          TEXT    NOT NULL,
        story         INTEGER NOT NULL,
        feed          TEXT    NOT NULL,
        item_identity TEXT    NOT NULL,
        item_id       TEXT    NOT NULL,
        title         TEXT    NOT NULL,
        link          TEXT    NOT NULL,
        published     INTEGER,
        summary       TEXT    NOT NULL,
        why           TEXT    NOT NULL,
        updated       INTEGER NOT NULL,
        created       INTEGER NOT NULL,
        closed        INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX alerts_by_rule_story ON alerts (rule, story);
      CREATE INDEX alerts_by_story ON alerts (story);
      CREATE INDEX alerts_by_created ON alerts (created);
      CREATE TABLE deliveries (
        alert_id     TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        target       TEXT    NOT NULL,
        state        TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_attempt INTEGER,
        finished     INTEGER,
        last_error   TEXT    NOT NULL DEFAULT '',
        PRIMARY KEY (alert_id, target)
      ) STRICT;
      CREATE INDEX deliveries_by_state ON deliveries (state, next_attempt);
    )sql",
    // 3: document frequencies of the terms in the items seen (the rules' sketch, opaque here), so a
    // restart keeps its rule index weights. One row; `updated` in Unix seconds.
    R"sql(
      CREATE TABLE term_frequencies (
        id      INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        sketch  BLOB    NOT NULL,
        updated INTEGER NOT NULL
      ) STRICT;
    )sql",
    // 4: the hash of an item's text as the feed sent it, so an unchanged item is known as such
    // without normalising its words (0 for items stored before: they are normalised once more).
    // The link index also orders by first_seen, so finding a link's first story needs no sort.
    R"sql(
      ALTER TABLE seen_items ADD COLUMN source_hash INTEGER NOT NULL DEFAULT 0;
      DROP INDEX seen_items_by_url;
      CREATE INDEX seen_items_by_url ON seen_items (canonical_url, first_seen) WHERE canonical_url <> '';
    )sql",
    // 5: seen items in a rowid table, (feed, identity) unique beside it. Each of the table's five
    // indexes then carries an 8-byte rowid where it carried the feed and identity, and a new item is
    // appended to the table instead of inserted among the feed's others: writing one costs less.
    // Same columns in the same order; the items are copied oldest first.
    R"sql(
      CREATE TABLE seen_items_by_rowid (
        feed          TEXT    NOT NULL,
        identity      TEXT    NOT NULL,
        canonical_url TEXT    NOT NULL,
        content_hash  INTEGER NOT NULL,
        fingerprint   BLOB    NOT NULL,
        first_seen    INTEGER NOT NULL,
        last_seen     INTEGER NOT NULL,
        published     INTEGER,
        story         INTEGER NOT NULL,
        title         TEXT    NOT NULL,
        link          TEXT    NOT NULL,
        rules         TEXT    NOT NULL,
        source_hash   INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed, identity)
      ) STRICT;
      INSERT INTO seen_items_by_rowid
        SELECT feed, identity, canonical_url, content_hash, fingerprint, first_seen, last_seen, published, story,
               title, link, rules, source_hash
        FROM seen_items ORDER BY first_seen, feed, identity;
      DROP TABLE seen_items;
      ALTER TABLE seen_items_by_rowid RENAME TO seen_items;
      CREATE INDEX seen_items_by_url ON seen_items (canonical_url, first_seen) WHERE canonical_url <> '';
      CREATE INDEX seen_items_by_story ON seen_items (story, first_seen);
      CREATE INDEX seen_items_by_first_seen ON seen_items (first_seen);
      CREATE INDEX seen_items_by_last_seen ON seen_items (last_seen);
    )sql",
    // 6: a story without a fingerprint of its own. Its first member's, which the story index is
    // built from, stays with that member; the story's copy was written with every new story and
    // never read.
    R"sql(
      ALTER TABLE stories DROP COLUMN fingerprint;
    )sql",
    // 7: no index on last_seen. Every new item and every refresh of a listed one updated it, for a
    // prune that runs hourly; an item gone since a cut-off was first seen before it, so the prune
    // finds it through the first_seen index instead.
    R"sql(
      DROP INDEX seen_items_by_last_seen;
    )sql",
};

constexpr const char* feed_state_columns =
    "feed_name, url, configured_url, etag, last_modified, last_poll, next_poll, retry_after, "
    "consecutive_failures, last_error, disabled, baselined";

}  // namespace

std::filesystem::path SqliteStore::database_path(const std::filesystem::path& state_dir) {
  return state_dir / "state.db";
}

Expected<std::unique_ptr<SqliteStore>, StoreError> SqliteStore::open_read_only(const std::filesystem::path& state_dir) {
  const auto path = database_path(state_dir);
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: no state yet (newswatch once or newswatch run creates it; check [daemon] state_dir)",
                    path.string())});
  }
  auto database = Database::open(path, Database::Mode::read_only);
  if (!database) {
    return make_unexpected(std::move(database).error());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*database)));
  auto version = store->database_.pragma_integer("user_version");
  if (!version) {
    return make_unexpected(std::move(version).error());
  }
  if (*version != schema_version) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: schema version {}, this newswatch reads {}; run newswatch once to migrate it",
                    path.string(), *version, schema_version)});
  }
  if (auto prepared = store->prepare_statements(); !prepared) {
    return make_unexpected(std::move(prepared).error());
  }
  return store;
}

ReaderPool::Open SqliteStore::reader_opener(const std::filesystem::path& state_dir) {
  return [state_dir]() -> Expected<std::unique_ptr<Store>, StoreError> {
    auto opened = open_read_only(state_dir);
    if (!opened) {
      return make_unexpected(std::move(opened).error());
    }
    return std::unique_ptr<Store>(std::move(*opened));
  };
}

ReaderPool::Open SqliteStore::writer_opener(const std::filesystem::path& state_dir, bool checkpoint_elsewhere) {
  return [state_dir, checkpoint_elsewhere]() -> Expected<std::unique_ptr<Store>, StoreError> {
    auto opened = open(state_dir);
    if (!opened) {
      return make_unexpected(std::move(opened).error());
    }
    if (checkpoint_elsewhere) {
      if (auto off = (*opened)->checkpoint_in_background(); !off) {
        return make_unexpected(std::move(off).error());
      }
    }
    return std::unique_ptr<Store>(std::move(*opened));
  };
}

StoreStatus SqliteStore::checkpoint_in_background() {
  return database_.execute("PRAGMA wal_autocheckpoint=0");
}

Expected<std::unique_ptr<SqliteStore>, StoreError> SqliteStore::open_scratch() {
  auto database = Database::open(":memory:");
  if (!database) {
    return make_unexpected(std::move(database).error());
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*database)));
  auto status = store->migrate({});
  if (status) {
    status = store->prepare_statements();
  }
  if (!status) {
    return make_unexpected(std::move(status).error());
  }
  return store;
}

Expected<std::unique_ptr<SqliteStore>, StoreError> SqliteStore::open(const std::filesystem::path& state_dir,
                                                                     const MigrationProgress& progress) {
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
  auto status = store->configure();
  if (status) {
    status = store->migrate(progress);
  }
  if (status) {
    status = store->prepare_statements();
  }
  if (!status) {
    return make_unexpected(std::move(status).error());
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

namespace {

// SQLite's progress handler while a migration runs: hands `progress` a call about once a second.
struct MigrationTicker {
  const SqliteStore::MigrationProgress& progress;
  std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();

  static int tick(void* context) noexcept {
    auto& ticker = *static_cast<MigrationTicker*>(context);
    const auto now = std::chrono::steady_clock::now();
    if (now - ticker.last >= std::chrono::seconds{1}) {
      ticker.last = now;
      try {
        ticker.progress();
      } catch (const std::exception& error) {
        spdlog::warn("store: migration progress report failed: {}", error.what());
      }
    }
    return 0;  // Go on.
  }
};

}  // namespace

StoreStatus SqliteStore::migrate(const MigrationProgress& progress) {
  auto version = database_.pragma_integer("user_version");
  if (!version) {
    return make_unexpected(std::move(version).error());
  }
  if (*version > schema_version) {
    return make_unexpected(StoreError{
        fmt::format("store: {}: schema version {} is newer than this newswatch understands ({}); upgrade newswatch",
                    database_.path().string(), *version, schema_version)});
  }
  // A store being created has nothing to copy; an existing one may hold millions of items.
  MigrationTicker ticker{progress};
  const bool upgrading = *version > 0 && *version < schema_version;
  if (upgrading) {
    spdlog::info("store: {}: upgrading the schema from version {} to {}; a store of millions of items takes minutes",
                 database_.path().string(), *version, schema_version);
    if (progress) {
      progress();
      sqlite3_progress_handler(database_.handle(), 100000, &MigrationTicker::tick, &ticker);
    }
  }
  // The handler goes with the ticker, whichever way this returns.
  const std::unique_ptr<sqlite3, void (*)(sqlite3*)> handler_off(
      upgrading && progress ? database_.handle() : nullptr,
      [](sqlite3* handle) { sqlite3_progress_handler(handle, 0, nullptr, nullptr); });
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
  const std::array<Wanted, 24> wanted{{
      {&select_all_feed_states_, fmt::format("SELECT {} FROM feed_state ORDER BY feed_name", feed_state_columns)},
      {&select_feed_state_, fmt::format("SELECT {} FROM feed_state WHERE feed_name = ?1", feed_state_columns)},
      {&upsert_feed_state_, fmt::format("INSERT OR REPLACE INTO feed_state ({}) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                        feed_state_columns)},
      {&select_known_items_,
       "SELECT identity, canonical_url, content_hash, last_seen, story, rules, source_hash FROM seen_items "
       "WHERE feed = ?1"},
      {&select_story_of_url_,
       "SELECT story FROM seen_items WHERE canonical_url = ?1 AND canonical_url <> '' "
       "ORDER BY first_seen LIMIT 1"},
      {&select_rules_alerted_, "SELECT rule FROM alerts WHERE story = ?1"},
      // Each max() is one step down an index whose first column is the story.
      {&select_largest_story_,
       "SELECT max(ifnull((SELECT max(id) FROM stories), 0), ifnull((SELECT max(story) FROM seen_items), 0), "
       "ifnull((SELECT max(story) FROM alerts), 0))"},
      // An edit keeps the item's first_seen and story: it is the same item, told again.
      {&upsert_item_,
       "INSERT INTO seen_items (feed, identity, canonical_url, content_hash, fingerprint, first_seen, last_seen, "
       "published, story, title, link, rules, source_hash) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
       "ON CONFLICT (feed, identity) DO UPDATE SET canonical_url = excluded.canonical_url, "
       "content_hash = excluded.content_hash, fingerprint = excluded.fingerprint, last_seen = excluded.last_seen, "
       "published = excluded.published, title = excluded.title, link = excluded.link, rules = excluded.rules, "
       "source_hash = excluded.source_hash"},
      {&refresh_item_, "UPDATE seen_items SET last_seen = ?3 WHERE feed = ?1 AND identity = ?2"},
      // A story id is never given twice (Store::largest_story_id()): one taken already means that
      // another process wrote meanwhile, and the poll fails rather than join two stories.
      {&insert_story_, "INSERT INTO stories (id, first_seen, last_seen, title) VALUES (?1, ?2, ?2, ?3)"},
      {&touch_story_, "UPDATE stories SET last_seen = max(last_seen, ?2) WHERE id = ?1"},
      {&insert_alert_,
       "INSERT OR IGNORE INTO alerts (id, rule, story, feed, item_identity, item_id, title, link, published, "
       "summary, why, updated, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"},
      {&insert_delivery_, "INSERT OR IGNORE INTO deliveries (alert_id, target, state) VALUES (?1, ?2, 'pending')"},
      {&select_alert_,
       "SELECT id, rule, story, feed, item_identity, item_id, title, link, published, summary, why, updated, "
       "created, closed FROM alerts WHERE id = ?1"},
      {&select_members_,
       "SELECT feed, title, link FROM seen_items WHERE story = ?1 AND NOT (feed = ?2 AND identity = ?3) "
       "AND first_seen <= ?4 ORDER BY first_seen, feed"},
      {&select_deliveries_,
       "SELECT alert_id, target, state, attempts, next_attempt, finished, last_error FROM deliveries "
       "WHERE alert_id = ?1 ORDER BY target"},
      {&update_delivery_,
       "UPDATE deliveries SET state = ?3, attempts = ?4, next_attempt = ?5, finished = ?6, last_error = ?7 "
       "WHERE alert_id = ?1 AND target = ?2"},
      {&close_alert_, "UPDATE alerts SET closed = ?2 WHERE id = ?1 AND closed IS NULL"},
      // deliveries_by_state (state, next_attempt) finds the due rows; the join orders them by alert age.
      {&select_due_deliveries_,
       "SELECT d.alert_id, d.target, d.state, d.attempts, d.next_attempt, d.finished, d.last_error "
       "FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
       "WHERE d.state = 'pending' AND (d.next_attempt IS NULL OR d.next_attempt <= ?1) "
       "ORDER BY a.created, a.id, d.target"},
      {&select_next_delivery_time_,
       "SELECT min(next_attempt) FROM deliveries WHERE state = 'pending' AND next_attempt IS NOT NULL"},
      {&select_delivery_counts_,
       "SELECT target, sum(state = 'pending'), sum(state = 'dead') FROM deliveries "
       "WHERE state IN ('pending', 'dead') GROUP BY target ORDER BY target"},
      // "+state": the alert's own rows by the primary key, not every pending row by deliveries_by_state
      // (which the planner picks for "state = ..." and which grows with the backlog).
      {&close_finished_alert_,
       "UPDATE alerts SET closed = ?2 WHERE id = ?1 AND closed IS NULL AND NOT EXISTS "
       "(SELECT 1 FROM deliveries WHERE alert_id = ?1 AND +state = 'pending')"},
      {&select_term_frequencies_, "SELECT sketch FROM term_frequencies WHERE id = 1"},
      {&upsert_term_frequencies_,
       "INSERT INTO term_frequencies (id, sketch, updated) VALUES (1, ?1, ?2) "
       "ON CONFLICT (id) DO UPDATE SET sketch = excluded.sketch, updated = excluded.updated"},
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
  state.baselined = row.column_int(11) != 0;
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
    if (auto written = write_feed_state(state); !written) {
      return written;
    }
  }
  return transaction->commit();
}

Expected<std::optional<std::string>, StoreError> SqliteStore::load_term_frequencies() {
  const StatementUse use(select_term_frequencies_);
  auto row = select_term_frequencies_.step();
  if (!row) {
    return make_unexpected(std::move(row).error());
  }
  if (!*row) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{select_term_frequencies_.column_blob(0)};
}

StoreStatus SqliteStore::save_term_frequencies(std::string_view sketch, TimePoint now) {
  const StatementUse use(upsert_term_frequencies_);
  upsert_term_frequencies_.bind_blob(1, sketch);
  upsert_term_frequencies_.bind(2, std::optional<TimePoint>(now));
  auto row = upsert_term_frequencies_.step();
  if (!row) {
    return make_unexpected(std::move(row).error());
  }
  return store_ok();
}

StoreStatus SqliteStore::write_feed_state(const FeedState& state) {
  {
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
    upsert_feed_state_.bind(12, std::int64_t{state.baselined ? 1 : 0});
    if (auto done = upsert_feed_state_.step(); !done) {
      return make_unexpected(std::move(done).error());
    }
  }
  return store_ok();
}

}  // namespace newswatch::store
