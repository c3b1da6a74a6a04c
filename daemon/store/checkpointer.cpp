#include "newswatch/store/checkpointer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace newswatch::store {

Expected<std::unique_ptr<Checkpointer>, StoreError> Checkpointer::start(const std::filesystem::path& database,
                                                                        std::chrono::milliseconds period) {
  auto opened = Database::open(database);
  if (!opened) {
    return make_unexpected(std::move(opened).error());
  }
  // A connection learns that the file is in WAL mode only when it first reads it; until then a
  // checkpoint through it does nothing.
  if (auto read = opened->execute("PRAGMA journal_mode=WAL"); !read) {
    return make_unexpected(std::move(read).error());
  }
  // Not make_unique: the constructor is private.
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(*opened), period));
}

Checkpointer::Checkpointer(Database database, std::chrono::milliseconds period)
    : database_(std::move(database)), period_(period), thread_([this] { loop(); }) {}

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
  }
}

}  // namespace newswatch::store
