#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "newswatch/store/reader_pool.hpp"
#include "newswatch/store/store.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// A connection of its own on a thread of its own, for the writes the loop thread must not wait
/// on: a commit that meets a slow disk (an fsync, a checkpoint, a full device) stalls this thread,
/// not the sockets and timers. Work runs in the order it was posted, one piece at a time; the
/// connection is opened by the first piece, on this thread.
///
/// Threads: post() from any thread; the work itself runs on the store thread only.
class StoreThread {
 public:
  /// Opens the thread's connection (read-write); its error reaches every piece of work.
  using Open = ReaderPool::Open;
  /// A piece of work: the connection, or why it could not be opened.
  using Work = std::function<void(Expected<Store*, StoreError>)>;

  explicit StoreThread(Open open);
  /// Runs what was posted before, then closes the connection and joins the thread.
  ~StoreThread();
  StoreThread(const StoreThread&) = delete;
  StoreThread& operator=(const StoreThread&) = delete;
  StoreThread(StoreThread&&) = delete;
  StoreThread& operator=(StoreThread&&) = delete;

  /// Queues `work` behind what is already queued.
  void post(Work work);

 private:
  void loop();
  Expected<Store*, StoreError> connection();

  Open open_;
  std::unique_ptr<Store> store_;  ///< The store thread's only.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Work> queue_;
  bool stopping_ = false;
  std::thread thread_;  ///< Last: it starts once everything it uses is built.
};

}  // namespace newswatch::store
