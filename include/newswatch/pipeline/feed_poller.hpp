#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
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
#include "newswatch/store/reader_pool.hpp"
#include "newswatch/store/store.hpp"
#include "newswatch/store/store_thread.hpp"

namespace newswatch::pipeline {

/// Limits and policy of polling, from the [daemon] settings.
struct PollCycleSettings {
  std::size_t max_concurrent_fetches = 64;
  std::size_t per_host_concurrency = 2;
  std::chrono::seconds default_interval{std::chrono::minutes{10}};
  schedule::SchedulePolicy policy;  ///< policy.adaptive is the [daemon] default; a feed may override it.
};

/// Everything one feed's poll produced, handed back on the loop thread once it is recorded.
struct FeedPollResult {
  FeedReport report;
  FeedState state;  ///< As stored: new validators, failures, next_poll.
  schedule::NextPoll next;
  std::vector<std::string> alert_ids;  ///< Alerts recorded by this poll.
  std::optional<std::string> store_error;
  std::chrono::milliseconds fetch_elapsed{0};
  fetch::FetchOutcome fetch_outcome = fetch::FetchOutcome::transport_error;  ///< How the transfer ended.
  bool parse_failed = false;                                                 ///< Fetched, but the body was not a feed.
};

/// The per-feed unit that `once` and `run` share: fetch (on the loop thread, under the global and
/// per-host limits) → parse, identify, compare and match (on the worker pool) → record (on the loop
/// thread: dedup decisions and the next poll) → write (the polls recorded together share one store
/// commit, run as soon as the loop has handled what was already queued, on the store thread when
/// Parts::writer is set). The feed's stored items, which the worker compares against, are read on
/// the worker when Parts::readers is set. A poll is finished (its Done called) once it is written.
/// A poll holds its host slot until its fetch ends and its global slot until its body is worked on,
/// so max_concurrent_fetches also bounds the bodies waiting for a worker.
///
/// Threads: poll() and every callback run on the io_context's one thread, which owns the jobs and the
/// Recorder. Workers get a copy of what they need, or share what nothing changes, and post their result back.
class FeedPoller {
 public:
  /// Fetches that may start together (a cycle's first burst) start this many per turn of the loop,
  /// so that answers already in are read between groups. It limits no concurrency: a fast server's
  /// first answers reach the workers while later fetches are still being set up, instead of after
  /// all of them (README, "Polling performance", gives the figures).
  static constexpr std::size_t fetches_started_per_turn = 16;

  /// Receives the result of one poll (loop thread), exactly once per poll() call.
  using Done = std::function<void(FeedPollResult)>;

  /// Everything the poller uses; all references must outlive it.
  struct Parts {
    boost::asio::io_context& io;
    boost::asio::thread_pool& workers;
    store::Store& store;
    Recorder& recorder;
    FetchFunction fetch;
    WorkerStages stages;
    /// When set, workers read each feed's stored items through it; otherwise the loop thread does.
    store::ReaderPool* readers = nullptr;
    /// When set, the polls are written there, one batch at a time, while the loop goes on staging
    /// the next; otherwise the loop thread writes them itself.
    store::StoreThread* writer = nullptr;
  };

  FeedPoller(Parts parts, PollCycleSettings settings);
  FeedPoller(const FeedPoller&) = delete;
  FeedPoller& operator=(const FeedPoller&) = delete;
  FeedPoller(FeedPoller&&) = delete;
  FeedPoller& operator=(FeedPoller&&) = delete;
  ~FeedPoller() = default;

  /// Polls `feed` from its stored `state` (already reconciled with the config); the fetch starts now
  /// or as soon as the host limits allow, never before poll() returns, and `done` runs later still.
  /// The poll and its worker share `feed`, which nothing may change while they hold it: a reload
  /// hands later polls a new one. Call on the loop thread.
  void poll(std::shared_ptr<const Feed> feed, FeedState state, Done done);

  /// New stages (rules) and settings for polls that start from now on; polls in flight finish with
  /// what they started with. The global and per-host limits keep their values until nothing is in
  /// flight.
  void reconfigure(WorkerStages stages, PollCycleSettings settings);

  /// Holds each finished poll with a fresh item back from the recorder until resume_recording(), in
  /// the order they finish: fetching and parsing go on meanwhile (while the recorder's story index
  /// loads elsewhere). A poll without one asks nothing of the index (Recorder::needs_story_index())
  /// and is recorded at once (a 304, a failure, a feed whose items are all stored): a warm cycle
  /// would otherwise hold thousands of finished polls, each with its answer, until the index is in.
  void pause_recording() noexcept { paused_ = true; }
  /// Records what was held back and, from now on, each poll as it finishes. Call on the loop thread.
  void resume_recording();

  /// Polls finished and held back by pause_recording().
  [[nodiscard]] std::size_t held() const noexcept { return held_.size(); }

  /// Polls started and not yet recorded (fetching, queued for a host, or on a worker).
  [[nodiscard]] std::size_t in_flight() const noexcept { return jobs_.size(); }
  /// Polls waiting for a host or global slot.
  [[nodiscard]] std::size_t waiting() const noexcept { return limiter_.waiting(); }

 private:
  /// What a poll has once its fetch ended. Allocated then: a cycle queues every due poll at once
  /// (10,000 at the start of a 10,000-feed cycle), and these 850 bytes would otherwise sit in each
  /// queued one.
  struct Answered {
    fetch::FetchResult result;  ///< Body moved out to the worker.
    FeedPollResult pending;     ///< Staged with the recorder, waiting for its commit.
  };
  /// The stages and settings polls start with.
  struct Configuration {
    WorkerStages stages;
    PollCycleSettings settings;
  };
  struct Job {
    std::shared_ptr<const Feed> feed;
    FeedState state;
    std::string host;
    std::shared_ptr<const Configuration> configuration;  ///< Shared by the polls started under it.
    Done done;
    std::unique_ptr<Answered> answered;  ///< Set by on_fetched().
    bool holds_body = false;             ///< Holds a global fetch slot until its body is worked on.
  };

  /// Queues a poll that holds its host and global slots for start_group().
  void start_fetch(std::size_t id);
  /// Starts up to fetches_started_per_turn queued fetches and posts itself again for the rest.
  void start_group();
  void do_fetch(std::size_t id);
  void on_fetched(std::size_t id, fetch::FetchResult result);
  void on_worked(std::size_t id, FeedWork work);
  /// Gives back the global fetch slot a job keeps while its body waits for a worker.
  void body_done(Job& job);
  /// Ends a poll whose feed's stored items could not be read: without them every item would look
  /// new, so the poll stays unrecorded.
  void fail_on_store(std::size_t id, const std::string& message);
  void commit_staged();
  /// Hands the committed polls `ids` their outcomes (in the same order) and finishes them.
  void finish_committed(const std::vector<std::size_t>& ids, std::vector<RecordOutcome> outcomes);
  void finish(std::size_t id, FeedPollResult result);

  Parts parts_;
  std::shared_ptr<const Configuration> configuration_;  ///< From the constructor or reconfigure(): new jobs take it.
  schedule::HostLimiter limiter_;
  std::map<std::size_t, Job> jobs_;
  std::vector<std::size_t> staged_;  ///< Jobs staged with the recorder, in staging order.
  bool paused_ = false;
  std::vector<std::pair<std::size_t, FeedWork>> held_;  ///< Finished while paused, in order.
  std::size_t next_id_ = 0;
  std::deque<std::size_t> to_start_;  ///< Polls whose slots are held and whose fetch is yet to start.
};

}  // namespace newswatch::pipeline
