#include "support/store_fixture.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace newswatch::testing {

std::unique_ptr<store::SqliteStore> open_store(const std::filesystem::path& state_dir) {
  auto store = store::SqliteStore::open(state_dir);
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

FeedState feed_state(const std::string& name) {
  FeedState state;
  state.feed_name = name;
  state.url = "https://example.org/" + name;
  state.configured_url = state.url;
  return state;
}

std::string run_raw_sql(const std::filesystem::path& state_dir, const char* sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open((store::SqliteStore::database_path(state_dir)).c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    return "cannot open";
  }
  char* message = nullptr;
  const int status = sqlite3_exec(raw, sql, nullptr, nullptr, &message);
  std::string error = status == SQLITE_OK ? "" : (message != nullptr ? message : "failed");
  sqlite3_free(message);
  sqlite3_close(raw);
  return error;
}

const char* const store_down_to_version_6 =
    "BEGIN;"
    "CREATE INDEX seen_items_by_last_seen ON seen_items (last_seen);"
    "PRAGMA user_version = 6;"
    "COMMIT;";

const char* const store_down_to_version_5 =
    "BEGIN;"
    "ALTER TABLE stories ADD COLUMN fingerprint BLOB NOT NULL DEFAULT x'';"
    "PRAGMA user_version = 5;"
    "COMMIT;";

const char* const store_down_to_version_4 =
    "BEGIN;"
    "CREATE TABLE v4 (feed TEXT NOT NULL, identity TEXT NOT NULL, canonical_url TEXT NOT NULL, content_hash "
    "INTEGER NOT NULL, fingerprint BLOB NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, "
    "published INTEGER, story INTEGER NOT NULL, title TEXT NOT NULL, link TEXT NOT NULL, rules TEXT NOT NULL, "
    "source_hash INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (feed, identity)) STRICT, WITHOUT ROWID;"
    "INSERT INTO v4 SELECT * FROM seen_items;"
    "DROP TABLE seen_items;"
    "ALTER TABLE v4 RENAME TO seen_items;"
    "CREATE INDEX seen_items_by_url ON seen_items (canonical_url, first_seen) WHERE canonical_url <> '';"
    "CREATE INDEX seen_items_by_story ON seen_items (story, first_seen);"
    "CREATE INDEX seen_items_by_first_seen ON seen_items (first_seen);"
    "CREATE INDEX seen_items_by_last_seen ON seen_items (last_seen);"
    "PRAGMA user_version = 4;"
    "COMMIT;";

}  // namespace newswatch::testing
