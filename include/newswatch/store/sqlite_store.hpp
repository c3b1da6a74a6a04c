#pragma once

#include <filesystem>
#include <functional>
#include <memory>

#include "newswatch/store/reader_pool.hpp"
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
  static constexpr std::int64_t schema_version = 7;
  /// The database file inside a state directory.
  static std::filesystem::path database_path(const std::filesystem::path& state_dir);

  /// Called when open() starts to migrate an existing store, and then about once a second until it
  /// is done: rebuilding a table of millions of items takes minutes, which a caller started by a
  /// service manager must report as progress (systemd's EXTEND_TIMEOUT_USEC) lest it be killed.
  using MigrationProgress = std::function<void()>;

  /// Creates `state_dir` if needed, opens or creates state.db and migrates it. Fails with a message
  /// naming the file when it is unwritable, not a database, or from a newer newswatch.
  static Expected<std::unique_ptr<SqliteStore>, StoreError> open(const std::filesystem::path& state_dir,
                                                                 const MigrationProgress& progress = {});
  /// Opens an existing state.db for reading only, beside a daemon that may be writing it (WAL lets
  /// readers and one writer work at once). Writes through it fail.
  static Expected<std::unique_ptr<SqliteStore>, StoreError> open_read_only(const std::filesystem::path& state_dir);
  /// An empty store in memory, gone when closed (a dry run with no state yet).
  static Expected<std::unique_ptr<SqliteStore>, StoreError> open_scratch();
  /// Opens further read-only connections to the state.db of `state_dir`, for a ReaderPool.
  static ReaderPool::Open reader_opener(const std::filesystem::path& state_dir);
  /// Opens a further read-write connection to the state.db of `state_dir` (already created by
  /// open()), for a StoreThread; with `checkpoint_elsewhere` its commits leave checkpoints to a
  /// Checkpointer, as checkpoint_in_background() does.
  static ReaderPool::Open writer_opener(const std::filesystem::path& state_dir, bool checkpoint_elsewhere);

  /// Turns SQLite's automatic checkpoint (inside the commit that crosses 1,000 WAL pages) off: a
  /// Checkpointer on another thread does it instead, so no commit waits for it.
  StoreStatus checkpoint_in_background();

  Expected<std::vector<FeedState>, StoreError> load_feed_states() override;
  Expected<std::optional<FeedState>, StoreError> load_feed_state(std::string_view feed_name) override;
  StoreStatus save_feed_states(const std::vector<FeedState>& states) override;

  StoreStatus record_polls(std::span<const PollRecord> records) override;
  Expected<std::vector<KnownItem>, StoreError> load_known_items(std::string_view feed) override;
  Expected<std::vector<std::optional<std::uint64_t>>, StoreError> stories_of_urls(
      std::span<const std::string_view> canonical_urls) override;
  Expected<std::vector<std::string>, StoreError> rules_alerted(std::uint64_t story) override;
  Expected<std::uint64_t, StoreError> largest_story_id() override;
  StoreStatus scan_fingerprints(TimePoint since, const std::function<void(const FingerprintRecord&)>& visit) override;

  Expected<std::vector<Alert>, StoreError> load_alerts(const std::vector<std::string>& ids) override;
  Expected<std::vector<AlertOverview>, StoreError> list_alerts(const AlertFilter& filter) override;
  StoreStatus update_deliveries(const std::vector<Delivery>& deliveries) override;
  Expected<std::vector<DueDelivery>, StoreError> load_due_deliveries(
      TimePoint now, std::size_t limit, const std::function<bool(const Delivery&)>& skip = {}) override;
  Expected<std::optional<TimePoint>, StoreError> next_delivery_time() override;
  StoreStatus close_alerts(const std::vector<std::string>& ids, TimePoint now) override;
  StoreStatus close_finished_alerts(const std::vector<std::string>& ids, TimePoint now) override;
  StoreStatus record_delivery_results(const std::vector<Delivery>& deliveries, TimePoint now) override;

  Expected<std::vector<FeedOverview>, StoreError> list_feeds() override;
  Expected<std::vector<DeliveryCounts>, StoreError> delivery_counts() override;
  Expected<std::vector<SeenItem>, StoreError> list_items(std::string_view feed, std::size_t limit) override;
  Expected<std::vector<StoryOverview>, StoreError> list_stories(TimePoint since, std::size_t limit) override;
  Expected<bool, StoreError> forget_feed(std::string_view feed) override;
  Expected<PruneResult, StoreError> prune(TimePoint items_before, TimePoint alerts_before, std::size_t limit) override;

  Expected<std::optional<std::string>, StoreError> load_term_frequencies() override;
  StoreStatus save_term_frequencies(std::string_view sketch, TimePoint now) override;

 private:
  explicit SqliteStore(Database database) : database_(std::move(database)) {}
  StoreStatus configure();
  StoreStatus migrate(const MigrationProgress& progress);
  StoreStatus prepare_statements();
  StoreStatus write_feed_state(const FeedState& state);
  StoreStatus write_poll(const PollRecord& record);
  StoreStatus write_item(const SeenItem& item);
  StoreStatus write_alert(const Alert& alert);
  StoreStatus close_each(Statement& statement, const std::vector<std::string>& ids, TimePoint now);
  /// The rows of update_deliveries(), in the caller's transaction.
  StoreStatus write_deliveries(const std::vector<Delivery>& deliveries);
  /// Runs `statement` (?1 an alert id, ?2 `now`) for each id, in the caller's transaction.
  StoreStatus run_for_each(Statement& statement, const std::vector<std::string>& ids, TimePoint now);
  Expected<std::vector<Delivery>, StoreError> deliveries_of(const std::string& alert_id);
  Expected<std::vector<StoryMember>, StoreError> members_for(const Alert& alert, const std::string& identity,
                                                             std::optional<TimePoint> closed);

  Database database_;
  Statement select_all_feed_states_;
  Statement select_feed_state_;
  Statement upsert_feed_state_;
  Statement select_known_items_;
  Statement select_story_of_url_;
  Statement select_rules_alerted_;
  Statement select_largest_story_;
  Statement upsert_item_;
  Statement refresh_item_;
  Statement insert_story_;
  Statement touch_story_;
  Statement insert_alert_;
  Statement insert_delivery_;
  Statement select_alert_;
  Statement select_members_;
  Statement select_deliveries_;
  Statement update_delivery_;
  Statement close_alert_;
  Statement select_due_deliveries_;
  Statement select_next_delivery_time_;
  Statement select_delivery_counts_;
  Statement close_finished_alert_;
  Statement select_term_frequencies_;
  Statement upsert_term_frequencies_;
};

}  // namespace newswatch::store
