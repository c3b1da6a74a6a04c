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

}  // namespace newswatch::testing
