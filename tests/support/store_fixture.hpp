#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::testing {

/// Opens (creating) the SQLite store in `state_dir`; on failure, records a test failure with the
/// store's message and returns nullptr.
std::unique_ptr<store::SqliteStore> open_store(const std::filesystem::path& state_dir);

/// The state of a feed `name` at https://example.org/<name>, never polled.
FeedState feed_state(const std::string& name);

/// Runs `sql` on the state.db in `state_dir` through a bare SQLite connection, as an older
/// newswatch (or a hand) would; the error SQLite gave, empty when none.
std::string run_raw_sql(const std::filesystem::path& state_dir, const char* sql);

/// SQL that undoes migration 7 on a current store: seen_items is indexed by last_seen again;
/// user_version 6.
extern const char* const store_down_to_version_6;

/// SQL that undoes migration 6 on a version 6 store (store_down_to_version_6 first): stories get
/// their fingerprint column back (filled with empty ones), everything kept; user_version 5.
extern const char* const store_down_to_version_5;

/// SQL that undoes migration 5 on a version 5 store (store_down_to_version_5 first): seen_items
/// becomes a WITHOUT ROWID table keyed by feed and identity again, items kept; user_version 4.
extern const char* const store_down_to_version_4;

}  // namespace newswatch::testing
