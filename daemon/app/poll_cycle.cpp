#include "newswatch/app/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <map>
#include <utility>

#include "newswatch/store/reconcile.hpp"

namespace newswatch::app {
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

PollCycle::WorkResult PollCycle::parse_and_match(const Feed& feed, std::string_view body,
                                                 const std::string& content_type, const std::string& url,
                                                 const ParseFunction& parse, const MatchFunction& match) {
  WorkResult work;
  auto parsed = parse(body, content_type, url);
  if (!parsed) {
    work.parse_error = std::move(parsed).error();
    return work;
  }
  work.hints = std::move(parsed->hints);
  work.items = parsed->items.size();
  for (const auto& item : parsed->items) {
    if (item.published) {
      work.hints.published.push_back(*item.published);
    }
    for (auto& record : match(item, feed, parsed->language)) {
      work.matches.push_back(std::move(record));
    }
  }
  return work;
}

void PollCycle::start(MatchSink on_match, DoneHandler on_done) {
  on_match_ = std::move(on_match);
  on_done_ = std::move(on_done);
  started_ = std::chrono::steady_clock::now();

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
    FeedReport report{feed.name, state.url, PollVerdict::skipped, {}, 0, 0, state.next_poll};
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
    on_processed(job, WorkResult{});
    return;
  }
  std::string body = std::move(result.body);
  result.body.clear();
  std::string content_type = result.content_type;
  std::string url = result.final_url.empty() ? jobs_[job].state.url : result.final_url;
  jobs_[job].result = std::move(result);
  // The worker gets its own copies and the immutable parse/match functions; nothing it touches is
  // shared with the loop, and its result comes back as a posted message.
  boost::asio::post(parts_.workers, [this, job, feed = *jobs_[job].feed, body = std::move(body),
                                     content_type = std::move(content_type), url = std::move(url), parse = parts_.parse,
                                     match = parts_.match]() mutable {
    auto work = parse_and_match(feed, body, content_type, url, parse, match);
    boost::asio::post(parts_.io, [this, job, work = std::move(work)]() mutable { on_processed(job, std::move(work)); });
  });
}

void PollCycle::on_processed(std::size_t job, WorkResult work) {
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

  if (change.verdict == PollVerdict::fetched) {
    report.items = work.items;
    report.matches = work.matches.size();
    summary_.items += work.items;
    summary_.matches += work.matches.size();
    for (const auto& match : work.matches) {
      on_match_(match);
    }
  }
  unsaved_.push_back(entry.state);
  if (unsaved_.size() >= settings_.save_batch) {
    flush_states();
  }
  entry.result = {};
  if (++finished_ == jobs_.size()) {
    finish();
  }
}

void PollCycle::flush_states() {
  if (unsaved_.empty()) {
    return;
  }
  if (auto saved = parts_.store.save_feed_states(unsaved_); !saved) {
    spdlog::error("{}", saved.error().message);
    summary_.store_error = saved.error().message;
  }
  unsaved_.clear();
}

void PollCycle::finish() {
  flush_states();
  summary_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  if (on_done_) {
    auto done = std::move(on_done_);
    on_done_ = nullptr;
    done(std::move(summary_));
  }
}

}  // namespace newswatch::app
