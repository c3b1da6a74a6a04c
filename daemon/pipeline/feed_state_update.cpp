#include "newswatch/pipeline/feed_state_update.hpp"

#include <fmt/format.h>

namespace newswatch::pipeline {

std::string_view to_string(PollVerdict verdict) {
  switch (verdict) {
    case PollVerdict::fetched: return "fetched";
    case PollVerdict::not_modified: return "not_modified";
    case PollVerdict::gone: return "gone";
    case PollVerdict::failed: return "failed";
    case PollVerdict::skipped: return "skipped";
  }
  return "failed";
}
namespace {

void record_failure(FeedState& state, FeedStateChange& change, std::string error) {
  ++state.consecutive_failures;
  state.last_error = error;
  change.verdict = PollVerdict::failed;
  change.error = std::move(error);
}

std::string describe_http_failure(const fetch::FetchResult& result) {
  if (!result.error.empty()) {
    return result.error;
  }
  return fmt::format("HTTP {}", result.status);
}

}  // namespace

FeedStateChange update_feed_state(FeedState& state, const fetch::FetchResult& result,
                                  const std::optional<std::string>& parse_error, TimePoint now) {
  FeedStateChange change;
  state.last_poll = now;
  if (result.permanent_redirect && !result.permanent_redirect->empty() && *result.permanent_redirect != state.url) {
    state.url = *result.permanent_redirect;
    change.moved_to = state.url;
  }

  switch (result.outcome) {
    case fetch::FetchOutcome::ok:
      if (parse_error) {
        record_failure(state, change, fmt::format("not a feed: {}", *parse_error));
        state.retry_after.reset();
        return change;
      }
      state.etag = result.etag;
      state.last_modified = result.last_modified;
      change.verdict = PollVerdict::fetched;
      break;
    case fetch::FetchOutcome::not_modified:
      if (!result.etag.empty()) {
        state.etag = result.etag;
      }
      if (!result.last_modified.empty()) {
        state.last_modified = result.last_modified;
      }
      change.verdict = PollVerdict::not_modified;
      break;
    case fetch::FetchOutcome::gone:
      state.disabled = true;
      state.last_error = "HTTP 410 Gone: feed disabled until its URL changes in the config";
      state.retry_after.reset();
      change.verdict = PollVerdict::gone;
      change.error = state.last_error;
      return change;
    case fetch::FetchOutcome::http_error:
      record_failure(state, change, describe_http_failure(result));
      state.retry_after = result.retry_after;
      return change;
    case fetch::FetchOutcome::transport_error:
      record_failure(state, change, result.error.empty() ? std::string("transport error") : result.error);
      state.retry_after.reset();
      return change;
  }
  state.consecutive_failures = 0;
  state.last_error.clear();
  state.retry_after.reset();
  return change;
}

schedule::PollHints with_response_hints(schedule::PollHints hints, const fetch::FetchResult& result,
                                        const FeedState& state) {
  hints.max_age = result.max_age;
  hints.expires = result.expires;
  hints.server_date = result.server_date;
  hints.retry_after = state.retry_after;
  hints.consecutive_failures = state.consecutive_failures;
  return hints;
}

}  // namespace newswatch::pipeline
