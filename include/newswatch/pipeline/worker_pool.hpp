#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <string_view>

namespace newswatch::pipeline {

/// The threads that parse and match fetched bodies (and, in `run`, reload the config), one per
/// core. Each runs `nice_steps` nice levels below the thread that made the pool: the loop thread
/// (sockets, timers, staging polls) and the store thread (commits) then get a core as soon as they
/// have work, instead of waiting for a worker's time slice to end, and a cycle's fetches and
/// commits keep flowing while the workers use every core that is left.
///
/// A process under a seccomp filter (or without /proc to tell) leaves the priorities alone: a
/// filter such as the shipped unit's (`~@resources`) kills a process that calls setpriority().
class WorkerPool : public boost::asio::thread_pool {
 public:
  static constexpr int nice_steps = 5;

  /// One thread per core (at least one).
  WorkerPool();
  explicit WorkerPool(std::size_t threads);

  /// Threads in the pool.
  [[nodiscard]] std::size_t threads() const noexcept { return threads_; }
  /// Whether the threads' priority was lowered (false under a seccomp filter, without /proc, or when
  /// refused).
  [[nodiscard]] bool lowered() const noexcept { return lowered_; }

 private:
  std::size_t threads_;
  bool lowered_ = false;
};

/// Whether /proc/self/status (given as `status`) shows seccomp filters on the calling thread.
[[nodiscard]] bool seccomp_filtered(std::string_view status) noexcept;

}  // namespace newswatch::pipeline
