#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "newswatch/store/sqlite_database.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// Moves the write-ahead log into the database file on a thread of its own, through its own
/// connection, so that no commit on the loop pays for it. SQLite's automatic checkpoint runs inside
/// the commit that crosses 1,000 pages and fsyncs the database: tens of milliseconds at the p99 of
/// record_poll. With the store's auto-checkpoint off (SqliteStore::checkpoint_in_background()), this
/// runs a PASSIVE checkpoint (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html: it never waits
/// for readers or the writer) every `period`, and a TRUNCATE one when the log has grown past about
/// 16 MB anyway, so that it stays bounded under steady writes.
class Checkpointer {
 public:
  /// When the log is truncated. A TRUNCATE checkpoint waits for the writer of the moment, then
  /// for the readers of older snapshots, holding new writers meanwhile; each wait gives up after
  /// `reader_wait`, and the truncation is tried again a period later. So a reader that keeps its
  /// snapshot for long (`newswatch state` on a slow pipe) delays a commit by that much at most
  /// instead of failing it with "database is locked".
  struct Truncation {
    /// About 16 MB of 4 KiB pages: past this the log is truncated once the passive checkpoint has
    /// caught up to within backlog_frames (about 1 MB), so writers wait only for those.
    int after_frames = 4096;
    int backlog_frames = 256;
    std::chrono::milliseconds reader_wait{100};
  };

  /// Opens `database` and starts the thread; the error names the file.
  static Expected<std::unique_ptr<Checkpointer>, StoreError> start(const std::filesystem::path& database,
                                                                   std::chrono::milliseconds period,
                                                                   Truncation truncation);
  /// As above, with the default Truncation.
  static Expected<std::unique_ptr<Checkpointer>, StoreError> start(const std::filesystem::path& database,
                                                                   std::chrono::milliseconds period) {
    return start(database, period, Truncation{});
  }
  /// Stops the thread after one last checkpoint.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  Checkpointer(Checkpointer&&) = delete;
  Checkpointer& operator=(Checkpointer&&) = delete;

  /// Checkpoints run so far (each may have had nothing to do).
  [[nodiscard]] std::size_t runs() const;

 private:
  Checkpointer(Database database, std::chrono::milliseconds period, Truncation truncation);
  void loop();
  void checkpoint();

  Database database_;
  std::chrono::milliseconds period_;
  Truncation truncation_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::size_t runs_ = 0;
  std::thread thread_;
};

class SqliteStore;

/// Starts a Checkpointer on the database of `store` (in `state_dir`) and turns the store's own
/// checkpoints off. Should either fail, it warns and returns nullptr: SQLite then checkpoints inside
/// commits, as it does by default.
std::unique_ptr<Checkpointer> checkpoint_in_background(SqliteStore& store, const std::filesystem::path& state_dir,
                                                       std::chrono::milliseconds period);

}  // namespace newswatch::store
