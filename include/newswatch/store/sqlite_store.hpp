#pragma once

#include <filesystem>
#include <memory>

#include "newswatch/store/sqlite_database.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::store {

/// The Store in `state_dir/state.db`: SQLite in WAL mode with synchronous=NORMAL, so a commit is an
/// append to the WAL without fsync (durable against a crash of newswatch, and against power loss up
/// to the last checkpoint). A feed-state write is a few hundred bytes and takes microseconds, which
/// is why the loop thread may call it between fetches instead of handing it to another thread.
class SqliteStore final : public Store {
 public:
  /// The schema this build writes (PRAGMA user_version); older files are migrated on open.
  static constexpr std::int64_t schema_version = 1;
  /// The database file inside a state directory.
  static std::filesystem::path database_path(const std::filesystem::path& state_dir);

  /// Creates `state_dir` if needed, opens or creates state.db and migrates it. Fails with a message
  /// naming the file when it is unwritable, not a database, or from a newer newswatch.
  static Expected<std::unique_ptr<SqliteStore>, StoreError> open(const std::filesystem::path& state_dir);

  Expected<std::vector<FeedState>, StoreError> load_feed_states() override;
  Expected<std::optional<FeedState>, StoreError> load_feed_state(std::string_view feed_name) override;
  StoreStatus save_feed_states(const std::vector<FeedState>& states) override;

 private:
  explicit SqliteStore(Database database) : database_(std::move(database)) {}
  StoreStatus configure();
  StoreStatus migrate();
  StoreStatus prepare_statements();

  Database database_;
  Statement select_all_feed_states_;
  Statement select_feed_state_;
  Statement upsert_feed_state_;
};

}  // namespace newswatch::store
