#include "newswatch/store/store_thread.hpp"

#include <utility>

namespace newswatch::store {

StoreThread::StoreThread(Open open) : open_(std::move(open)), thread_([this] { loop(); }) {}

StoreThread::~StoreThread() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreThread::post(Work work) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
  }
  wake_.notify_one();
}

Expected<Store*, StoreError> StoreThread::connection() {
  if (!store_) {
    // Opened again after a failure: a store that was briefly unreachable comes back.
    auto opened = open_();
    if (!opened) {
      return make_unexpected(std::move(opened).error());
    }
    store_ = std::move(*opened);
  }
  return store_.get();
}

void StoreThread::loop() {
  for (;;) {
    Work work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        break;  // stopping, and everything posted has run
      }
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work(connection());
  }
  store_.reset();
}

}  // namespace newswatch::store
