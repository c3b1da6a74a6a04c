#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/fetch/fetch_result.hpp"
#include "newswatch/model/feed.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/pipeline/feed_state_update.hpp"
#include "newswatch/pipeline/feed_work.hpp"
#include "newswatch/pipeline/poll_summary.hpp"
#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/schedule/host_limiter.hpp"
#include "newswatch/schedule/next_poll.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::pipeline {

/// Limits and policy of a poll cycle, from the [daemon] settings.
struct PollCycleSettings {
  std::size_t max_concurrent_fetches = 64;
  std::size_t per_host_concurrency = 2;
  std::chrono::seconds default_interval{std::chrono::minutes{10}};
  schedule::SchedulePolicy policy;
};

/// One pass over every enabled feed, each through the per-feed unit: fetch (on the loop thread,
/// under the host limits) → parse, identify, compare and match (on the worker pool) → record (on
/// the loop thread: dedup decisions and one store transaction). Ignores next_poll, but never polls
/// a disabled (410) feed or one whose Retry-After is pending.
///
/// Threads: everything but the worker stages runs on the io_context's one thread, which owns all the
/// cycle's mutable state and the Recorder. Workers get a copy of what they need and post their
/// result back.
class PollCycle {
 public:
  /// Receives each feed's report as its poll is recorded (loop thread).
  using FeedHandler = std::function<void(const FeedReport&)>;
  /// Receives the summary when every feed is done (loop thread).
  using DoneHandler = std::function<void(PollSummary)>;

  /// Everything the cycle uses; all references must outlive it.
  struct Parts {
    boost::asio::io_context& io;
    boost::asio::thread_pool& workers;
    store::Store& store;
    Recorder& recorder;
    FetchFunction fetch;
    WorkerStages stages;
  };

  PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings);
  PollCycle(const PollCycle&) = delete;
  PollCycle& operator=(const PollCycle&) = delete;
  PollCycle(PollCycle&&) = delete;
  PollCycle& operator=(PollCycle&&) = delete;
  ~PollCycle() = default;

  /// Begins the cycle; call from the loop thread (or before running it). `on_done` runs once.
  void start(FeedHandler on_feed, DoneHandler on_done);

  /// Feeds finished so far (for progress output).
  [[nodiscard]] std::size_t finished() const noexcept { return finished_; }
  /// Feeds this cycle polls (skipped ones excluded).
  [[nodiscard]] std::size_t polling() const noexcept { return jobs_.size(); }

 private:
  struct Job {
    std::size_t report;  ///< Index into summary_.feeds.
    const Feed* feed;
    FeedState state;
    std::string host;
    fetch::FetchResult result;  ///< Body moved out to the worker.
  };

  void do_fetch(std::size_t job);
  void on_fetched(std::size_t job, fetch::FetchResult result);
  void on_worked(std::size_t job, FeedWork work);
  void finish();

  Parts parts_;
  std::vector<Feed> feeds_;
  PollCycleSettings settings_;
  schedule::HostLimiter limiter_;
  std::vector<Job> jobs_;
  PollSummary summary_;
  std::size_t finished_ = 0;
  std::chrono::steady_clock::time_point started_;
  FeedHandler on_feed_;
  DoneHandler on_done_;
};

}  // namespace newswatch::pipeline
