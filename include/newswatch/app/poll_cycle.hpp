#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/app/feed_state_update.hpp"
#include "newswatch/app/poll_report.hpp"
#include "newswatch/fetch/fetch_result.hpp"
#include "newswatch/model/feed.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/schedule/host_limiter.hpp"
#include "newswatch/schedule/next_poll.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::app {

/// Limits and policy of a poll cycle, from the [daemon] settings.
struct PollCycleSettings {
  std::size_t max_concurrent_fetches = 64;
  std::size_t per_host_concurrency = 2;
  std::chrono::seconds default_interval{std::chrono::minutes{10}};
  schedule::SchedulePolicy policy;
  std::size_t save_batch = 256;  ///< Feed states written per store transaction.
};

/// One pass over every enabled feed: fetch (on the loop thread, under the host limits), parse and
/// match (on the worker pool), update and save the feed state, report matches. Ignores next_poll,
/// but never polls a disabled (410) feed or one whose Retry-After is pending.
///
/// Threads: everything but parse_and_match runs on the io_context's one thread, which owns all the
/// cycle's mutable state. Workers get a copy of what they need and post their result back.
class PollCycle {
 public:
  /// Starts a conditional GET and calls back exactly once, on the io_context thread.
  using FetchFunction = std::function<void(fetch::FetchRequest, std::function<void(fetch::FetchResult)>)>;
  /// Matches one item against the rules and describes each match; called on worker threads, so it
  /// must be thread-safe (a const RuleSet is).
  using MatchFunction =
      std::function<std::vector<MatchRecord>(const Item& item, const Feed& feed, const std::string& language)>;
  /// Parses feed bytes into items and polling hints; called on worker threads.
  struct ParsedBody {
    std::vector<Item> items;
    std::string language;
    schedule::PollHints hints;  ///< ttl, update_period, skip_hours, skip_days filled in.
    std::vector<std::string> warnings;
  };
  using ParseFunction = std::function<Expected<ParsedBody, std::string>(
      std::string_view body, const std::string& content_type, const std::string& url)>;
  /// Receives each match as its feed completes (loop thread).
  using MatchSink = std::function<void(const MatchRecord&)>;
  /// Receives the summary when every feed is done (loop thread).
  using DoneHandler = std::function<void(PollSummary)>;

  /// Everything the cycle uses; all references must outlive it.
  struct Parts {
    boost::asio::io_context& io;
    boost::asio::thread_pool& workers;
    store::Store& store;
    FetchFunction fetch;
    ParseFunction parse;
    MatchFunction match;
  };

  PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings);
  PollCycle(const PollCycle&) = delete;
  PollCycle& operator=(const PollCycle&) = delete;
  PollCycle(PollCycle&&) = delete;
  PollCycle& operator=(PollCycle&&) = delete;
  ~PollCycle() = default;

  /// Begins the cycle; call from the loop thread (or before running it). `on_done` runs once.
  void start(MatchSink on_match, DoneHandler on_done);

  /// Feeds finished so far (for progress output).
  [[nodiscard]] std::size_t finished() const noexcept { return finished_; }
  /// Feeds this cycle polls (skipped ones excluded).
  [[nodiscard]] std::size_t polling() const noexcept { return jobs_.size(); }

  /// What a worker hands back for one fetched body.
  struct WorkResult {
    std::optional<std::string> parse_error;
    schedule::PollHints hints;
    std::size_t items = 0;
    std::vector<MatchRecord> matches;
  };
  /// The worker side: parse `body`, match each item. Pure apart from the functions it is given.
  static WorkResult parse_and_match(const Feed& feed, std::string_view body, const std::string& content_type,
                                    const std::string& url, const ParseFunction& parse, const MatchFunction& match);

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
  void on_processed(std::size_t job, WorkResult work);
  void flush_states();
  void finish();

  Parts parts_;
  std::vector<Feed> feeds_;
  PollCycleSettings settings_;
  schedule::HostLimiter limiter_;
  std::vector<Job> jobs_;
  std::vector<FeedState> unsaved_;
  PollSummary summary_;
  std::size_t finished_ = 0;
  std::chrono::steady_clock::time_point started_;
  MatchSink on_match_;
  DoneHandler on_done_;
};

}  // namespace newswatch::app
