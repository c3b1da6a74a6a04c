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
#include "newswatch/pipeline/feed_poller.hpp"
#include "newswatch/pipeline/feed_state_update.hpp"
#include "newswatch/pipeline/feed_work.hpp"
#include "newswatch/pipeline/poll_summary.hpp"
#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/schedule/host_limiter.hpp"
#include "newswatch/schedule/next_poll.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::pipeline {

/// Why a feed is not polled now: disabled (410), or a Retry-After still pending; nullopt when it may be.
std::optional<std::string> skip_reason(const FeedState& state, TimePoint now);

/// One pass over every enabled feed, each through the per-feed unit (FeedPoller). Ignores
/// next_poll, but never polls a disabled (410) feed or one whose Retry-After is pending.
///
/// Threads: everything but the FeedPoller's worker stages runs on the io_context's one thread.
class PollCycle {
 public:
  /// Receives each feed's report as its poll is recorded (loop thread).
  using FeedHandler = std::function<void(const FeedReport&)>;
  /// Receives the summary when every feed is done (loop thread).
  using DoneHandler = std::function<void(PollSummary)>;

  /// Everything the cycle uses; all references must outlive it.
  using Parts = FeedPoller::Parts;

  PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings);
  PollCycle(const PollCycle&) = delete;
  PollCycle& operator=(const PollCycle&) = delete;
  PollCycle(PollCycle&&) = delete;
  PollCycle& operator=(PollCycle&&) = delete;
  ~PollCycle() = default;

  /// Begins the cycle; call from the loop thread (or before running it). `on_done` runs once.
  void start(FeedHandler on_feed, DoneHandler on_done);

  /// Holds finished polls back from the recorder until resume_recording() (FeedPoller's).
  void pause_recording() noexcept { poller_.pause_recording(); }
  void resume_recording() { poller_.resume_recording(); }
  [[nodiscard]] std::size_t held() const noexcept { return poller_.held(); }
  /// Feeds finished so far (for progress output).
  [[nodiscard]] std::size_t finished() const noexcept { return finished_; }
  /// Feeds this cycle polls (skipped ones excluded).
  [[nodiscard]] std::size_t polling() const noexcept { return polling_; }

 private:
  /// Adds the report of the enabled feed at `position` (config order) to the summary. Reports are
  /// kept only once a feed is done: a cycle queues every poll at once, and a report held for each
  /// from the start (10,000 of them) would sit beside the queued polls.
  void add_report(std::size_t position, FeedReport report);
  void on_polled(std::size_t position, FeedPollResult result);
  void finish();

  boost::asio::io_context& io_;
  store::Store& store_;
  Recorder& recorder_;
  std::vector<Feed> feeds_;  ///< Until start() moves them into the polls.
  FeedPoller poller_;
  PollSummary summary_;
  std::vector<std::size_t> report_positions_;  ///< Each summary_.feeds report's position in config order.
  std::size_t polling_ = 0;
  std::size_t finished_ = 0;
  std::chrono::steady_clock::time_point started_;
  FeedHandler on_feed_;
  DoneHandler on_done_;
};

}  // namespace newswatch::pipeline
