#include "newswatch/pipeline/feed_state_update.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::pipeline {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using fetch::FetchOutcome;
using fetch::FetchResult;

const TimePoint now = sys_days{year{2026} / November / 25} + 10h;

FeedState known_state() {
  FeedState state;
  state.feed_name = "world";
  state.url = "http://127.0.0.1/world.xml";
  state.configured_url = state.url;
  state.etag = "\"old\"";
  state.last_modified = "Mon, 23 Nov 2026 08:00:00 GMT";
  state.consecutive_failures = 2;
  state.last_error = "HTTP 503";
  state.retry_after = now - 1min;
  return state;
}

FetchResult result_of(FetchOutcome outcome, long status) {
  FetchResult result;
  result.outcome = outcome;
  result.status = status;
  return result;
}

struct UpdateCase {
  std::string name;
  FetchResult result;
  std::optional<std::string> parse_error;
  PollVerdict verdict;
  std::string etag;
  std::string last_modified;
  std::string url;
  int failures;
  bool disabled;
  std::optional<TimePoint> retry_after;
};

std::vector<UpdateCase> update_cases() {
  const std::string old_etag = "\"old\"";
  const std::string old_date = "Mon, 23 Nov 2026 08:00:00 GMT";
  const std::string old_url = "http://127.0.0.1/world.xml";
  std::vector<UpdateCase> cases;
  {
    auto result = result_of(FetchOutcome::ok, 200);
    result.etag = "\"new\"";
    result.last_modified = "Wed, 25 Nov 2026 09:00:00 GMT";
    cases.push_back({"200 replaces both validators", result, std::nullopt, PollVerdict::fetched, "\"new\"",
                     "Wed, 25 Nov 2026 09:00:00 GMT", old_url, 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::ok, 200);
    result.etag = "\"new\"";
    result.last_modified = old_date;
    cases.push_back({"new etag with the same last-modified", result, std::nullopt, PollVerdict::fetched, "\"new\"",
                     old_date, old_url, 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::ok, 200);
    cases.push_back({"200 without validators forgets them", result, std::nullopt, PollVerdict::fetched, "", "", old_url,
                     0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::ok, 200);
    result.etag = "\"html\"";
    cases.push_back({"200 that is not a feed keeps old validators", result, std::string("no feed root element"),
                     PollVerdict::failed, old_etag, old_date, old_url, 3, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::not_modified, 304);
    cases.push_back({"304 without validators keeps them", result, std::nullopt, PollVerdict::not_modified, old_etag,
                     old_date, old_url, 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::not_modified, 304);
    result.etag = "W/\"newer\"";
    cases.push_back({"304 with a new etag updates only it", result, std::nullopt, PollVerdict::not_modified,
                     "W/\"newer\"", old_date, old_url, 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::ok, 200);
    result.permanent_redirect = "http://127.0.0.1/moved.xml";
    result.etag = old_etag;
    result.last_modified = old_date;
    cases.push_back({"301 or 308 moves the url", result, std::nullopt, PollVerdict::fetched, old_etag, old_date,
                     "http://127.0.0.1/moved.xml", 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::ok, 200);
    result.final_url = "http://127.0.0.1/temporary.xml";
    result.redirects = 1;
    result.etag = old_etag;
    result.last_modified = old_date;
    cases.push_back({"302 or 307 keeps the url", result, std::nullopt, PollVerdict::fetched, old_etag, old_date,
                     old_url, 0, false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::gone, 410);
    cases.push_back(
        {"410 disables", result, std::nullopt, PollVerdict::gone, old_etag, old_date, old_url, 2, true, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::http_error, 503);
    result.retry_after = now + 2h;
    result.error = "HTTP 503 Service Unavailable";
    cases.push_back({"503 keeps retry-after", result, std::nullopt, PollVerdict::failed, old_etag, old_date, old_url, 3,
                     false, now + 2h});
  }
  {
    auto result = result_of(FetchOutcome::http_error, 404);
    cases.push_back({"404 counts a failure", result, std::nullopt, PollVerdict::failed, old_etag, old_date, old_url, 3,
                     false, std::nullopt});
  }
  {
    auto result = result_of(FetchOutcome::transport_error, 0);
    result.error = "connection refused";
    cases.push_back({"transport error counts a failure", result, std::nullopt, PollVerdict::failed, old_etag, old_date,
                     old_url, 3, false, std::nullopt});
  }
  return cases;
}

TEST(UpdateFeedState, FollowsTheTableOfOutcomes) {
  for (const auto& test : update_cases()) {
    SCOPED_TRACE(test.name);
    auto state = known_state();
    const auto change = update_feed_state(state, test.result, test.parse_error, now);
    EXPECT_EQ(change.verdict, test.verdict);
    EXPECT_EQ(state.etag, test.etag);
    EXPECT_EQ(state.last_modified, test.last_modified);
    EXPECT_EQ(state.url, test.url);
    EXPECT_EQ(state.configured_url, "http://127.0.0.1/world.xml");
    EXPECT_EQ(state.consecutive_failures, test.failures);
    EXPECT_EQ(state.disabled, test.disabled);
    EXPECT_EQ(state.retry_after, test.retry_after);
    EXPECT_EQ(state.last_poll, now);
    EXPECT_EQ(change.moved_to.has_value(), state.url != "http://127.0.0.1/world.xml");
    if (test.verdict == PollVerdict::fetched || test.verdict == PollVerdict::not_modified) {
      EXPECT_TRUE(state.last_error.empty());
      EXPECT_TRUE(change.error.empty());
    } else {
      EXPECT_FALSE(state.last_error.empty());
      EXPECT_EQ(change.error, state.last_error);
    }
  }
}

TEST(UpdateFeedState, NamesTheParserErrorForABodyThatIsNotAFeed) {
  auto state = known_state();
  const auto change =
      update_feed_state(state, result_of(FetchOutcome::ok, 200), std::string("expected <rss>, found <html>"), now);
  EXPECT_EQ(change.error, "not a feed: expected <rss>, found <html>");
}

TEST(WithResponseHints, CarriesCacheHeadersAndFailures) {
  auto result = result_of(FetchOutcome::http_error, 429);
  result.max_age = 300s;
  result.server_date = now;
  result.expires = now + 1h;
  auto state = known_state();
  state.retry_after = now + 10min;
  state.consecutive_failures = 4;
  schedule::PollHints parsed;
  parsed.ttl = 30min;
  const auto hints = with_response_hints(parsed, result, state);
  EXPECT_EQ(hints.ttl, 30min);
  EXPECT_EQ(hints.max_age, 300s);
  EXPECT_EQ(hints.expires, now + 1h);
  EXPECT_EQ(hints.server_date, now);
  EXPECT_EQ(hints.retry_after, now + 10min);
  EXPECT_EQ(hints.consecutive_failures, 4);
}

}  // namespace
}  // namespace newswatch::pipeline
