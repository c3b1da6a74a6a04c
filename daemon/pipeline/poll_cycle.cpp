#include "newswatch/pipeline/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <map>
#include <utility>

#include "newswatch/model/time.hpp"
#include "newswatch/store/reconcile.hpp"

namespace newswatch::pipeline {
namespace {

TimePoint wall_clock_now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

bool is_file_url(const std::string& url) {
  return url.rfind("file://", 0) == 0;
}

}  // namespace

PollCycle::PollCycle(Parts parts, std::vector<Feed> feeds, PollCycleSettings settings)
    : parts_(std::move(parts)),
      feeds_(std::move(feeds)),
      settings_(std::move(settings)),
      limiter_(settings_.max_concurrent_fetches, settings_.per_host_concurrency) {}

void PollCycle::start(FeedHandler on_feed, DoneHandler on_done) {
  on_feed_ = std::move(on_feed);
  on_done_ = std::move(on_done);
  started_ = std::chrono::steady_clock::now();
  parts_.recorder.expire(wall_clock_now());

  auto stored = parts_.store.load_feed_states();
  if (!stored) {
    summary_.store_error = stored.error().message;
    boost::asio::post(parts_.io, [this] { finish(); });
    return;
  }
  std::map<std::string, FeedState, std::less<>> by_name;
  for (auto& state : *stored) {
    auto name = state.feed_name;
    by_name.emplace(std::move(name), std::move(state));
  }

  const TimePoint now = wall_clock_now();
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
    if (state.disabled) {
      report.detail = state.last_error.empty() ? "disabled" : state.last_error;
      summary_.feeds.push_back(std::move(report));
      continue;
    }
    if (state.retry_after && *state.retry_after > now) {
      report.detail =
          fmt::format("the server asked for no request before {} (Retry-After)", format_rfc3339(*state.retry_after));
      summary_.feeds.push_back(std::move(report));
      continue;
    }
    summary_.feeds.push_back(std::move(report));
    const auto host = schedule::host_key(state.url);
    jobs_.push_back(Job{summary_.feeds.size() - 1, &feed, std::move(state), host, {}});
  }

  if (jobs_.empty()) {
    boost::asio::post(parts_.io, [this] { finish(); });
    return;
  }
  for (std::size_t job = 0; job < jobs_.size(); ++job) {
    if (limiter_.try_acquire(job, jobs_[job].host)) {
      do_fetch(job);
    }
  }
}

void PollCycle::do_fetch(std::size_t job) {
  const auto& entry = jobs_[job];
  fetch::FetchRequest request;
  request.url = entry.state.url;
  request.etag = entry.state.etag;
  request.last_modified = entry.state.last_modified;
  request.headers = entry.feed->headers;
  // Only a feed its operator configured as file:// may read files, never one redirected there.
  request.allow_file = is_file_url(entry.feed->url);
  parts_.fetch(std::move(request), [this, job](fetch::FetchResult result) { on_fetched(job, std::move(result)); });
}

void PollCycle::on_fetched(std::size_t job, fetch::FetchResult result) {
  // Free the slot first so the next fetch starts while this body is parsed.
  for (const auto next : limiter_.release(jobs_[job].host)) {
    do_fetch(next);
  }
  if (result.outcome != fetch::FetchOutcome::ok) {
    jobs_[job].result = std::move(result);
    on_worked(job, FeedWork{});
    return;
  }
  auto known = parts_.recorder.known_items(*jobs_[job].feed);
  if (!known) {
    // Without the feed's memory every item would look new: leave the poll unrecorded instead.
    spdlog::error("{}", known.error().message);
    summary_.store_error = known.error().message;
    auto& report = summary_.feeds[jobs_[job].report];
    report.verdict = PollVerdict::failed;
    report.detail = known.error().message;
    jobs_[job].result = {};
    if (++finished_ == jobs_.size()) {
      finish();
    }
    return;
  }
  std::string body = std::move(result.body);
  result.body.clear();
  std::string content_type = result.content_type;
  std::string url = result.final_url.empty() ? jobs_[job].state.url : result.final_url;
  jobs_[job].result = std::move(result);
  // The worker gets its own copies and the immutable stage functions; nothing it touches is shared
  // with the loop, and its result comes back as a posted message.
  boost::asio::post(parts_.workers, [this, job, feed = *jobs_[job].feed, body = std::move(body),
                                     content_type = std::move(content_type), url = std::move(url),
                                     known = std::move(*known), stages = parts_.stages, now = wall_clock_now()] {
    auto work = work_on_body(feed, body, content_type, url, known, now, stages);
    boost::asio::post(parts_.io, [this, job, work = std::move(work)]() mutable { on_worked(job, std::move(work)); });
  });
}

void PollCycle::on_worked(std::size_t job, FeedWork work) {
  auto& entry = jobs_[job];
  auto& report = summary_.feeds[entry.report];
  const TimePoint now = wall_clock_now();
  const auto change = update_feed_state(entry.state, entry.result, work.parse_error, now);

  schedule::PollHints hints = std::move(work.hints);
  hints.feed_interval = entry.feed->interval.value_or(settings_.default_interval);
  hints = with_response_hints(std::move(hints), entry.result, entry.state);
  const auto next = schedule::next_poll(entry.feed->name, now, hints, settings_.policy);
  entry.state.next_poll = next.at;

  report.url = entry.state.url;
  report.verdict = change.verdict;
  report.detail = change.error;
  report.next_poll = next.at;
  if (change.moved_to) {
    spdlog::info("fetch: feed={} moved permanently (301/308) to {}; stored the new URL", entry.feed->name,
                 *change.moved_to);
  }
  switch (change.verdict) {
    case PollVerdict::gone:
      spdlog::error("fetch: feed={} url={}: {}", entry.feed->name, report.url, change.error);
      break;
    case PollVerdict::failed:
      spdlog::debug("fetch: feed={} url={}: {}, retrying in {} ({})", entry.feed->name, report.url, change.error,
                    format_duration(next.delay), to_string(next.basis));
      break;
    case PollVerdict::fetched:
    case PollVerdict::not_modified:
    case PollVerdict::skipped: break;
  }

  auto outcome = parts_.recorder.record(*entry.feed, entry.state, std::move(work), change.verdict, now);
  if (outcome.store_error) {
    spdlog::error("{}", *outcome.store_error);
    summary_.store_error = outcome.store_error;
  }
  report.items = outcome.counts;
  report.baselined = outcome.baselined;
  summary_.items += outcome.counts;
  for (auto& id : outcome.alert_ids) {
    summary_.alert_ids.push_back(std::move(id));
  }
  entry.result = {};
  if (on_feed_) {
    on_feed_(report);
  }
  if (++finished_ == jobs_.size()) {
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

}  // namespace newswatch::pipeline
