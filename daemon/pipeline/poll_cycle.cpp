#include "newswatch/pipeline/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <map>
#include <utility>

#include "newswatch/model/time.hpp"
#include "newswatch/store/reconcile.hpp"

namespace newswatch::pipeline {

PollCycle::PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings)
    : io_(parts.io),
      store_(parts.store),
      recorder_(parts.recorder),
      feeds_(std::move(feeds)),
      poller_(std::move(parts), std::move(settings)) {}

void PollCycle::start(FeedHandler on_feed, DoneHandler on_done) {
  on_feed_ = std::move(on_feed);
  on_done_ = std::move(on_done);
  started_ = std::chrono::steady_clock::now();
  recorder_.expire(now_seconds());

  auto stored = store_.load_feed_states();
  if (!stored) {
    summary_.store_error = stored.error().message;
    boost::asio::post(io_, [this] { finish(); });
    return;
  }
  std::map<std::string, FeedState, std::less<>> by_name;
  for (auto& state : *stored) {
    auto name = state.feed_name;
    by_name.emplace(std::move(name), std::move(state));
  }

  const TimePoint now = now_seconds();
  struct Poll {
    const Feed* feed;
    FeedState state;
    std::size_t report;  ///< Its slot in summary_.feeds, which keeps config order.
  };
  std::vector<Poll> polls;
  for (const auto& feed : feeds_) {
    if (!feed.enabled) {
      continue;
    }
    std::optional<FeedState> previous;
    if (const auto found = by_name.find(feed.name); found != by_name.end()) {
      previous = std::move(found->second);
    }
    FeedState state = store::reconcile_feed_state(previous, feed);
    FeedReport report{feed.name, state.url, PollVerdict::skipped, {}, {}, false, state.next_poll};
    if (auto reason = skip_reason(state, now)) {
      report.detail = std::move(*reason);
      summary_.feeds.push_back(std::move(report));
      continue;
    }
    summary_.feeds.push_back(std::move(report));
    polls.push_back(Poll{&feed, std::move(state), summary_.feeds.size() - 1});
  }

  polling_ = polls.size();
  if (polls.empty()) {
    boost::asio::post(io_, [this] { finish(); });
    return;
  }
  for (auto& poll : polls) {
    poller_.poll(*poll.feed, std::move(poll.state),
                 [this, report = poll.report](FeedPollResult result) { on_polled(report, std::move(result)); });
  }
}

void PollCycle::on_polled(std::size_t report_slot, FeedPollResult result) {
  auto& report = summary_.feeds[report_slot];
  report = std::move(result.report);
  if (report.verdict == PollVerdict::failed) {
    spdlog::debug("fetch: feed={} url={}: {}, retrying in {} ({})", report.feed, report.url, report.detail,
                  format_duration(result.next.delay), to_string(result.next.basis));
  }
  if (result.store_error) {
    summary_.store_error = result.store_error;
  }
  summary_.items += report.items;
  for (auto& id : result.alert_ids) {
    summary_.alert_ids.push_back(std::move(id));
  }
  if (on_feed_) {
    on_feed_(report);
  }
  if (++finished_ == polling_) {
    finish();
  }
}

void PollCycle::finish() {
  summary_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  if (on_done_) {
    auto done = std::move(on_done_);
    on_done_ = nullptr;
    done(std::move(summary_));
  }
}

std::optional<std::string> skip_reason(const FeedState& state, TimePoint now) {
  if (state.disabled) {
    return state.last_error.empty() ? std::string("disabled") : state.last_error;
  }
  if (state.retry_after && *state.retry_after > now) {
    return fmt::format("the server asked for no request before {} (Retry-After)", format_rfc3339(*state.retry_after));
  }
  return std::nullopt;
}

}  // namespace newswatch::pipeline
