#include "newswatch/pipeline/feed_poller.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <memory>
#include <utility>

#include "newswatch/model/time.hpp"

namespace newswatch::pipeline {
namespace {

bool is_file_url(const std::string& url) {
  return url.rfind("file://", 0) == 0;
}

Expected<std::vector<store::KnownItem>, store::StoreError> read_known_items(store::ReaderPool& readers,
                                                                            const std::string& feed) {
  auto reader = readers.lease();
  if (!reader) {
    return make_unexpected(std::move(reader).error());
  }
  return (*reader)->load_known_items(feed);
}

}  // namespace

FeedPoller::FeedPoller(Parts parts, PollCycleSettings settings)
    : parts_(std::move(parts)),
      // The stages live on in configuration_ alone: jobs and workers share them instead of copying them.
      configuration_(std::make_shared<const Configuration>(Configuration{std::exchange(parts_.stages, {}), settings})),
      limiter_(settings.max_concurrent_fetches, settings.per_host_concurrency) {}

void FeedPoller::reconfigure(WorkerStages stages, PollCycleSettings settings) {
  configuration_ = std::make_shared<const Configuration>(Configuration{std::move(stages), settings});
  if (jobs_.empty()) {
    limiter_ = schedule::HostLimiter(settings.max_concurrent_fetches, settings.per_host_concurrency);
  }
}

void FeedPoller::poll(std::shared_ptr<const Feed> feed, FeedState state, Done done) {
  if (jobs_.empty()) {
    // Limits from a reload apply once nothing holds a slot of the old limiter.
    const auto& settings = configuration_->settings;
    limiter_ = schedule::HostLimiter(settings.max_concurrent_fetches, settings.per_host_concurrency);
  }
  const std::size_t id = next_id_++;
  auto host = schedule::host_key(state.url);
  auto& job =
      jobs_.emplace(id, Job{std::move(feed), std::move(state), std::move(host), configuration_, std::move(done), {}})
          .first->second;
  if (limiter_.try_acquire(id, job.host)) {
    start_fetch(id);
  }
}

void FeedPoller::start_fetch(std::size_t id) {
  to_start_.push_back(id);
  if (to_start_.size() == 1) {
    boost::asio::post(parts_.io, [this] { start_group(); });
  }
}

void FeedPoller::start_group() {
  for (std::size_t started = 0; started < fetches_started_per_turn && !to_start_.empty(); ++started) {
    const std::size_t id = to_start_.front();
    to_start_.pop_front();
    do_fetch(id);
  }
  // Answers that came in meanwhile are read, and handed to the workers, before the next group.
  if (!to_start_.empty()) {
    boost::asio::post(parts_.io, [this] { start_group(); });
  }
}

void FeedPoller::do_fetch(std::size_t id) {
  const auto& job = jobs_.at(id);
  fetch::FetchRequest request;
  request.url = job.state.url;
  request.etag = job.state.etag;
  request.last_modified = job.state.last_modified;
  request.headers = job.feed->headers;
  // Only a feed its operator configured as file:// may read files, never one redirected there.
  request.allow_file = is_file_url(job.feed->url);
  parts_.fetch(std::move(request), [this, id](fetch::FetchResult result) { on_fetched(id, std::move(result)); });
}

void FeedPoller::on_fetched(std::size_t id, fetch::FetchResult result) {
  auto& job = jobs_.at(id);
  // The host is free for its next fetch while this body is parsed, but the body still counts
  // against max_concurrent_fetches until a worker is done with it: when the workers fall behind,
  // downloads wait instead of piling bodies up in memory.
  for (const auto next : limiter_.release_host(job.host)) {
    start_fetch(next);
  }
  job.holds_body = true;
  job.answered = std::make_unique<Answered>();
  fetch::FetchResult& fetched = job.answered->result;
  fetched = std::move(result);
  if (fetched.outcome != fetch::FetchOutcome::ok) {
    on_worked(id, FeedWork{});
    return;
  }
  std::optional<std::vector<store::KnownItem>> known;
  if (parts_.readers == nullptr) {
    auto loaded = parts_.recorder.known_items(*job.feed);
    if (!loaded) {
      fail_on_store(id, loaded.error().message);
      return;
    }
    known = std::move(*loaded);
  }
  std::string body = std::move(fetched.body);
  fetched.body.clear();
  std::string content_type = fetched.content_type;
  std::string url = fetched.final_url.empty() ? job.state.url : fetched.final_url;
  // The worker gets its own copies and shares only what nothing changes (the feed and the stage
  // functions); its result comes back as a posted message.
  boost::asio::post(
      parts_.workers,
      [this, id, feed = job.feed, body = std::move(body), content_type = std::move(content_type), url = std::move(url),
       known = std::move(known), configuration = job.configuration, now = now_seconds()]() mutable {
        FeedWork work;
        if (!known) {
          auto loaded = read_known_items(*parts_.readers, feed->name);
          if (loaded) {
            known = std::move(*loaded);
          } else {
            work.store_error = loaded.error().message;
          }
        }
        if (known) {
          work = work_on_body(*feed, body, content_type, url, *known, now, configuration->stages);
        }
        boost::asio::post(parts_.io, [this, id, work = std::move(work)]() mutable { on_worked(id, std::move(work)); });
      });
}

void FeedPoller::body_done(Job& job) {
  if (!std::exchange(job.holds_body, false)) {
    return;
  }
  for (const auto next : limiter_.release_global()) {
    start_fetch(next);
  }
}

void FeedPoller::fail_on_store(std::size_t id, const std::string& message) {
  auto& job = jobs_.at(id);
  body_done(job);
  spdlog::error("{}", message);
  FeedPollResult failed;
  failed.report =
      FeedReport{job.feed->name, job.state.url, PollVerdict::failed, message, {}, false, job.state.next_poll};
  failed.state = job.state;
  failed.store_error = message;
  failed.fetch_elapsed = job.answered->result.elapsed;
  failed.fetch_outcome = job.answered->result.outcome;
  finish(id, std::move(failed));
}

void FeedPoller::resume_recording() {
  paused_ = false;
  for (auto& [id, work] : std::exchange(held_, {})) {
    on_worked(id, std::move(work));
  }
}

void FeedPoller::on_worked(std::size_t id, FeedWork work) {
  body_done(jobs_.at(id));
  if (work.store_error) {
    fail_on_store(id, *work.store_error);
    return;
  }
  if (paused_ && Recorder::needs_story_index(work)) {
    held_.emplace_back(id, std::move(work));
    return;
  }
  auto& job = jobs_.at(id);
  const TimePoint now = now_seconds();
  const fetch::FetchResult& fetched = job.answered->result;
  const auto change = update_feed_state(job.state, fetched, work.parse_error, now);

  schedule::PollHints hints = std::move(work.hints);
  hints.feed_interval = job.feed->interval.value_or(job.configuration->settings.default_interval);
  hints = with_response_hints(std::move(hints), fetched, job.state);
  auto policy = job.configuration->settings.policy;
  policy.adaptive = job.feed->adaptive.value_or(policy.adaptive);
  const auto next = schedule::next_poll(job.feed->name, now, hints, policy);
  job.state.next_poll = next.at;

  FeedPollResult result;
  result.next = next;
  result.fetch_elapsed = fetched.elapsed;
  result.fetch_outcome = fetched.outcome;
  result.parse_failed = work.parse_error.has_value();
  auto& report = result.report;
  report.feed = job.feed->name;
  report.url = job.state.url;
  report.verdict = change.verdict;
  report.detail = change.error;
  report.next_poll = next.at;
  if (change.moved_to) {
    spdlog::info("fetch: feed={} moved permanently (301/308) to {}; stored the new URL", job.feed->name,
                 *change.moved_to);
  }
  if (change.verdict == PollVerdict::gone) {
    spdlog::error("fetch: feed={} url={}: {}", job.feed->name, report.url, change.error);
  }

  job.answered->pending = std::move(result);
  parts_.recorder.stage(*job.feed, job.state, std::move(work), change.verdict, now);
  staged_.push_back(id);
  if (staged_.size() == 1 && !parts_.recorder.writing()) {
    // Commits once the handlers already queued have run: every poll they finish shares it.
    boost::asio::post(parts_.io, [this] { commit_staged(); });
  }
}

void FeedPoller::commit_staged() {
  if (staged_.empty() || parts_.recorder.writing()) {
    return;  // The batch on its way to the store takes what was staged meanwhile with it when it ends.
  }
  std::vector<std::size_t> ids = std::exchange(staged_, {});
  if (parts_.writer == nullptr) {
    finish_committed(ids, parts_.recorder.commit());
    return;
  }
  // One batch at a time: while the store thread writes it, the loop goes on fetching and staging,
  // and what it stages meanwhile makes the next batch, written as soon as this one is settled.
  auto batch = std::make_shared<Recorder::Batch>(parts_.recorder.take());
  // The store thread touches nothing of the poller but the io_context (which outlives both): it may
  // finish a write after the poller is gone, when a forced shutdown stopped the loop.
  parts_.writer->post(
      [this, io = &parts_.io, batch, ids = std::move(ids)](Expected<store::Store*, store::StoreError> store) mutable {
        Recorder::WriteErrors errors = store ? Recorder::write(**store, batch->records())
                                             : Recorder::WriteErrors(batch->records().size(), store.error().message);
        boost::asio::post(*io,
                          [this, batch = std::move(batch), ids = std::move(ids), errors = std::move(errors)]() mutable {
                            finish_committed(ids, parts_.recorder.settle(std::move(*batch), errors));
                            commit_staged();
                          });
      });
}

void FeedPoller::finish_committed(const std::vector<std::size_t>& ids, std::vector<RecordOutcome> outcomes) {
  for (std::size_t index = 0; index < ids.size(); ++index) {
    auto& job = jobs_.at(ids[index]);
    auto& outcome = outcomes.at(index);
    FeedPollResult result = std::move(job.answered->pending);
    if (outcome.store_error) {
      spdlog::error("{}", *outcome.store_error);
      result.store_error = outcome.store_error;
    }
    result.report.items = outcome.counts;
    result.report.baselined = outcome.baselined;
    result.alert_ids = std::move(outcome.alert_ids);
    // What the store now holds (a baseline marks it); after a store error, what would have been.
    result.state = outcome.state ? std::move(*outcome.state) : std::move(job.state);
    finish(ids[index], std::move(result));
  }
}

void FeedPoller::finish(std::size_t id, FeedPollResult result) {
  const auto found = jobs_.find(id);
  auto done = std::move(found->second.done);
  jobs_.erase(found);
  if (done) {
    done(std::move(result));
  }
}

}  // namespace newswatch::pipeline
