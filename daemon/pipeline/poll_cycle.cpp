#include "newswatch/pipeline/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <memory>
#include <string_view>
#include <utility>

#include "newswatch/model/time.hpp"
#include "newswatch/store/reconcile.hpp"

namespace newswatch::pipeline {

PollCycle::PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings)
    : io_(parts.io),
      store_(parts.store),
      recorder_(parts.recorder),
      feeds_(std::move(feeds)),
      poller_(std::move(parts), settings) {}

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
  // Looked up by name in the sorted states themselves: a map beside them would hold a second copy
  // of every state while the cycle's polls are set up (10,000 of them for a 10,000-feed store).
  const auto by_name = [](const FeedState& state, std::string_view name) { return state.feed_name < name; };
  std::ranges::sort(*stored, {}, &FeedState::feed_name);

  const TimePoint now = now_seconds();
  std::size_t position = 0;  // In config order, among the enabled feeds.
  // The feeds move into the polls, which share each with its worker; the cycle keeps none.
  for (auto& configured : std::exchange(feeds_, {})) {
    if (!configured.enabled) {
      continue;
    }
    const std::size_t report = position++;
    std::optional<FeedState> previous;
    if (const auto found = std::lower_bound(stored->begin(), stored->end(), configured.name, by_name);
        found != stored->end() && found->feed_name == configured.name) {
      previous = std::move(*found);
    }
    FeedState state = store::reconcile_feed_state(previous, configured);
    if (auto reason = skip_reason(state, now)) {
      add_report(
          report,
          FeedReport{configured.name, state.url, PollVerdict::skipped, std::move(*reason), {}, false, state.next_poll});
      continue;
    }
    // No poll finishes before start() returns (FeedPoller::poll), so polling_ is complete by then.
    ++polling_;
    poller_.poll(std::make_shared<const Feed>(std::move(configured)), std::move(state),
                 [this, report](FeedPollResult result) { on_polled(report, std::move(result)); });
  }
  if (polling_ == 0) {
    boost::asio::post(io_, [this] { finish(); });
  }
}

void PollCycle::add_report(std::size_t position, FeedReport report) {
  report_positions_.push_back(position);
  summary_.feeds.push_back(std::move(report));
}

void PollCycle::on_polled(std::size_t position, FeedPollResult result) {
  add_report(position, std::move(result.report));
  const FeedReport& report = summary_.feeds.back();
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
  // Reports came in as the polls finished; the summary lists them in config order.
  std::vector<FeedReport> ordered(summary_.feeds.size());
  for (std::size_t i = 0; i < summary_.feeds.size(); ++i) {
    ordered[report_positions_[i]] = std::move(summary_.feeds[i]);
  }
  summary_.feeds = std::move(ordered);
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
