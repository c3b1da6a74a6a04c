#include "newswatch/store/checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::store {

Expected<std::unique_ptr<Checkpointer>, StoreError> Checkpointer::start(const std::filesystem::path& database,
                                                                        std::chrono::milliseconds period,
                                                                        Truncation truncation) {
  auto opened = Database::open(database);
  if (!opened) {
    return make_unexpected(std::move(opened).error());
  }
  // A connection learns that the file is in WAL mode only when it first reads it; until then a
  // checkpoint through it does nothing.
  if (auto read = opened->execute("PRAGMA journal_mode=WAL"); !read) {
    return make_unexpected(std::move(read).error());
  }
  // Only a TRUNCATE checkpoint waits through this connection's busy handler (for the writer, then
  // for readers), and all that while it holds new writers: it gives up instead of waiting long.
  sqlite3_busy_timeout(opened->handle(), static_cast<int>(truncation.reader_wait.count()));
  // Not make_unique: the constructor is private.
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(*opened), period, truncation));
}

Checkpointer::Checkpointer(Database database, std::chrono::milliseconds period, Truncation truncation)
    : database_(std::move(database)), period_(period), truncation_(truncation), thread_([this] { loop(); }) {}

Checkpointer::~Checkpointer() {
  {
    const std::scoped_lock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::size_t Checkpointer::runs() const {
  const std::scoped_lock lock(mutex_);
  return runs_;
}

void Checkpointer::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    const bool stopping = wake_.wait_for(lock, period_, [this] { return stopping_; });
    lock.unlock();
    checkpoint();
    lock.lock();
    ++runs_;
    if (stopping) {
      return;
    }
  }
}

void Checkpointer::checkpoint() {
  int log_frames = 0;
  int checkpointed = 0;
  const int status =
      sqlite3_wal_checkpoint_v2(database_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &checkpointed);
  // SQLITE_BUSY only means another checkpoint ran at the same time; the next period catches up.
  if (status != SQLITE_OK && status != SQLITE_BUSY) {
    spdlog::warn("{}", database_.error("checkpoint").message);
    return;
  }
  // A writer rewinds the log only when it starts while every frame is already in the file; under
  // steady writes a passive checkpoint never quite gets there and the log grows without end. Past
  // truncation_.after_frames, a TRUNCATE checkpoint holds the next writer until the few frames the
  // passive one left are copied, and the log starts over from an empty file.
  if (log_frames > truncation_.after_frames && log_frames - checkpointed <= truncation_.backlog_frames) {
    const int restarted =
        sqlite3_wal_checkpoint_v2(database_.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed);
    if (restarted != SQLITE_OK && restarted != SQLITE_BUSY) {
      spdlog::warn("{}", database_.error("checkpoint (restart)").message);
    }
  }
}

std::unique_ptr<Checkpointer> checkpoint_in_background(SqliteStore& store, const std::filesystem::path& state_dir,
                                                       std::chrono::milliseconds period) {
  auto checkpointer = Checkpointer::start(SqliteStore::database_path(state_dir), period);
  if (!checkpointer) {
    spdlog::warn("{}; SQLite checkpoints inside commits instead", checkpointer.error().message);
    return nullptr;
  }
  if (auto off = store.checkpoint_in_background(); !off) {
    spdlog::warn("{}; SQLite checkpoints inside commits instead", off.error().message);
    return nullptr;
  }
  return std::move(*checkpointer);
}

}  // namespace newswatch::store
