#include "newswatch/fetch/conditional_get.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/fetch/http_date.hpp"
#include "support/http_server.hpp"
#include "support/run_loop.hpp"

namespace newswatch::fetch {
namespace {

using namespace std::chrono_literals;
using testing::HttpServer;
using testing::ReceivedRequest;
using testing::ScriptedResponse;

constexpr const char* feed_body =
    R"(<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>)";

TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class ConditionalGetTest : public ::testing::Test {
 protected:
  FetchRequest request_for(std::string path) const {
    FetchRequest request;
    request.url = server_.url(path);
    request.limits.connect_timeout = 2s;
    request.limits.total_timeout = 5s;
    return request;
  }

  /// One fetch, run on the test's io_context with a hard deadline.
  FetchResult run(const FetchRequest& request) {
    std::optional<FetchResult> result;
    fetch(client_, request, [&result](FetchResult done) { result = std::move(done); });
    if (!testing::run_until(
            io_, [&result] { return result.has_value(); }, 10s)) {
      ADD_FAILURE() << "fetch did not complete in time";
      return {};
    }
    return std::move(*result);
  }

  HttpServer server_;
  boost::asio::io_context io_;
  net::HttpClient client_{io_};
};

TEST_F(ConditionalGetTest, GetsThenRevalidatesByEtag) {
  server_.on("/feed", [](const ReceivedRequest& request) {
    if (request.header("If-None-Match") == "W/\"v1\"") {
      return ScriptedResponse::text(304, "").with_header("ETag", "W/\"v1\"");
    }
    return ScriptedResponse::text(200, feed_body, "application/rss+xml; charset=utf-8")
        .with_header("ETag", "W/\"v1\"")
        .with_header("Cache-Control", "max-age=900");
  });

  auto request = request_for("/feed");
  const auto first = run(request);
  ASSERT_EQ(first.outcome, FetchOutcome::ok) << first.error;
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, feed_body);
  EXPECT_EQ(first.etag, "W/\"v1\"");
  EXPECT_EQ(first.max_age, std::chrono::seconds{900});
  EXPECT_EQ(first.content_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(first.final_url, request.url);
  EXPECT_FALSE(first.permanent_redirect);

  request.etag = first.etag;
  const auto second = run(request);
  EXPECT_EQ(second.outcome, FetchOutcome::not_modified) << second.error;
  EXPECT_EQ(second.status, 304);
  EXPECT_EQ(second.etag, "W/\"v1\"");
  EXPECT_TRUE(second.body.empty());

  const auto received = server_.requests("/feed");
  ASSERT_EQ(received.size(), 2U);
  EXPECT_FALSE(received[0].has_header("If-None-Match"));
  EXPECT_EQ(received[1].header("If-None-Match"), "W/\"v1\"");  // Byte for byte, weak prefix kept.
  EXPECT_FALSE(received[1].has_header("If-Modified-Since"));
  EXPECT_EQ(received[0].header("Accept"), feed_accept_header);
}

TEST_F(ConditionalGetTest, RevalidatesByLastModifiedAndKeepsItOnA304WithoutOne) {
  // An unusual but valid spelling: it must come back exactly as sent, not re-formatted.
  const std::string last_modified = "Sunday, 06-Nov-94 08:49:37 GMT";
  server_.on("/feed", [last_modified](const ReceivedRequest& request) {
    if (request.header("If-Modified-Since") == last_modified) {
      return ScriptedResponse::text(304, "");  // No validators repeated.
    }
    return ScriptedResponse::text(200, feed_body).with_header("Last-Modified", last_modified);
  });

  auto request = request_for("/feed");
  const auto first = run(request);
  ASSERT_EQ(first.outcome, FetchOutcome::ok) << first.error;
  EXPECT_EQ(first.last_modified, last_modified);
  EXPECT_TRUE(first.etag.empty());

  request.last_modified = first.last_modified;
  const auto second = run(request);
  EXPECT_EQ(second.outcome, FetchOutcome::not_modified) << second.error;
  EXPECT_EQ(second.last_modified, last_modified);
  EXPECT_TRUE(second.etag.empty());
}

TEST_F(ConditionalGetTest, TakesANewEtagWhileLastModifiedStays) {
  const std::string last_modified = "Sat, 28 Nov 2026 10:00:00 GMT";
  std::atomic<int> version = 1;  // Read on the server's thread.
  server_.on("/feed", [&version, last_modified](const ReceivedRequest& request) {
    const std::string etag = "\"rev-" + std::to_string(version.load()) + "\"";
    if (request.header("If-None-Match") == etag) {
      return ScriptedResponse::text(304, "").with_header("ETag", etag);
    }
    return ScriptedResponse::text(200, feed_body).with_header("ETag", etag).with_header("Last-Modified", last_modified);
  });

  auto request = request_for("/feed");
  const auto first = run(request);
  ASSERT_EQ(first.outcome, FetchOutcome::ok) << first.error;
  EXPECT_EQ(first.etag, "\"rev-1\"");

  version = 2;
  request.etag = first.etag;
  request.last_modified = first.last_modified;
  const auto second = run(request);
  ASSERT_EQ(second.outcome, FetchOutcome::ok) << second.error;
  EXPECT_EQ(second.etag, "\"rev-2\"");
  EXPECT_EQ(second.last_modified, last_modified);

  request.etag = second.etag;
  const auto third = run(request);
  EXPECT_EQ(third.outcome, FetchOutcome::not_modified) << third.error;
  EXPECT_EQ(third.etag, "\"rev-2\"");
  EXPECT_EQ(third.last_modified, last_modified);  // Kept from the request: the 304 did not repeat it.
}

TEST_F(ConditionalGetTest, HonoursRetryAfterInBothForms) {
  const auto retry_date = system_now() + std::chrono::hours{2};
  server_.on("/seconds", ScriptedResponse::text(429, "slow down").with_header("Retry-After", "120"));
  server_.on("/date",
             ScriptedResponse::text(503, "maintenance").with_header("Retry-After", format_http_date(retry_date)));

  const auto before = system_now();
  const auto throttled = run(request_for("/seconds"));
  const auto after = system_now();
  EXPECT_EQ(throttled.outcome, FetchOutcome::http_error);
  EXPECT_EQ(throttled.status, 429);
  ASSERT_TRUE(throttled.retry_after);
  EXPECT_GE(*throttled.retry_after, before + std::chrono::seconds{120});
  EXPECT_LE(*throttled.retry_after, after + std::chrono::seconds{120});
  EXPECT_EQ(throttled.error, "HTTP 429 Too Many Requests, retry after " + format_rfc3339(*throttled.retry_after));

  const auto unavailable = run(request_for("/date"));
  EXPECT_EQ(unavailable.outcome, FetchOutcome::http_error);
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.retry_after, retry_date);
  EXPECT_EQ(unavailable.error, "HTTP 503 Service Unavailable, retry after " + format_rfc3339(retry_date));
  EXPECT_TRUE(unavailable.body.empty());
}

TEST_F(ConditionalGetTest, StoresANewUrlOnlyWhenEveryRedirectWasPermanent) {
  struct Case {
    const char* name;
    std::vector<int> chain;  // Statuses of the hops before the final 200.
    bool permanent;
  };
  const Case cases[] = {
      {"301", {301}, true},
      {"308", {308}, true},
      {"302", {302}, false},
      {"307", {307}, false},
      {"303", {303}, false},
      {"301 then 308", {301, 308}, true},
      {"301 then 302", {301, 302}, false},
      {"307 then 301", {307, 301}, false},
  };
  int run_number = 0;
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    const std::string prefix = "/case" + std::to_string(++run_number) + "/hop";
    for (std::size_t hop = 0; hop < test_case.chain.size(); ++hop) {
      server_.on(prefix + std::to_string(hop),
                 ScriptedResponse::redirect(test_case.chain[hop], prefix + std::to_string(hop + 1)));
    }
    const std::string final_path = prefix + std::to_string(test_case.chain.size());
    server_.on(final_path, ScriptedResponse::text(200, feed_body));

    const auto result = run(request_for(prefix + "0"));

    ASSERT_EQ(result.outcome, FetchOutcome::ok) << result.error;
    EXPECT_EQ(result.redirects, static_cast<int>(test_case.chain.size()));
    EXPECT_EQ(result.final_url, server_.url(final_path));
    if (test_case.permanent) {
      EXPECT_EQ(result.permanent_redirect, server_.url(final_path));
    } else {
      EXPECT_FALSE(result.permanent_redirect);
    }
  }
}

TEST_F(ConditionalGetTest, ReportsGoneAndOtherStatuses) {
  server_.on("/gone", ScriptedResponse::text(410, "removed"));
  server_.on("/missing", ScriptedResponse::text(404, "nope"));
  server_.on("/moved-nowhere", ScriptedResponse::text(301, ""));  // No Location: cannot follow.

  const auto gone = run(request_for("/gone"));
  EXPECT_EQ(gone.outcome, FetchOutcome::gone);
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.error, "HTTP 410 Gone: the server says the feed was removed for good");

  const auto missing = run(request_for("/missing"));
  EXPECT_EQ(missing.outcome, FetchOutcome::http_error);
  EXPECT_EQ(missing.error, "HTTP 404 Not Found");
  EXPECT_FALSE(missing.retry_after);

  const auto nowhere = run(request_for("/moved-nowhere"));
  EXPECT_EQ(nowhere.outcome, FetchOutcome::http_error);
  EXPECT_EQ(nowhere.error, "HTTP 301 Moved Permanently");
  EXPECT_FALSE(nowhere.permanent_redirect);
}

TEST_F(ConditionalGetTest, ReportsTransportFailuresInPlainWords) {
  auto slow = ScriptedResponse::text(200, feed_body);
  slow.delay = 2s;
  server_.on("/slow", slow);
  server_.on("/big", ScriptedResponse::text(200, std::string(4096, 'x')));
  auto bomb = ScriptedResponse::text(200, testing::gzip_zeros(std::size_t{64} << 20U));
  bomb.with_header("Content-Encoding", "gzip");
  server_.on("/bomb", bomb);
  server_.on("/ftp", ScriptedResponse::redirect(302, "ftp://mirror.invalid/feed.xml"));
  server_.on("/loop", ScriptedResponse::redirect(308, "/loop"));

  auto timed = request_for("/slow");
  timed.limits.total_timeout = 200ms;
  auto capped = request_for("/big");
  capped.limits.max_body_bytes = 1024;
  auto bombed = request_for("/bomb");
  bombed.limits.max_body_bytes = std::size_t{1} << 20U;
  FetchRequest unresolvable;
  unresolvable.url = "http://feed.invalid/rss";

  struct Case {
    const char* name;
    FetchRequest request;
    std::string error;
  };
  const Case cases[] = {
      {"timeout", timed, "timed out after 200ms"},
      {"oversize", capped, "body exceeds 1 KiB limit"},
      {"gzip bomb", bombed, "body exceeds 1 MiB limit"},
      {"non-http redirect", request_for("/ftp"), "redirect to ftp://mirror.invalid/feed.xml refused (only http/https)"},
      {"redirect loop", request_for("/loop"), "too many redirects (more than 5)"},
      {"unresolvable", unresolvable, "could not resolve host feed.invalid"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    const auto result = run(test_case.request);
    EXPECT_EQ(result.outcome, FetchOutcome::transport_error);
    EXPECT_EQ(result.error, test_case.error);
    EXPECT_TRUE(result.body.empty());
    EXPECT_FALSE(result.permanent_redirect);
  }
}

TEST_F(ConditionalGetTest, SendsTheFeedsOwnHeaders) {
  server_.on("/private", [](const ReceivedRequest& request) {
    return request.header("Authorization") == "Bearer s3cret" ? ScriptedResponse::text(200, feed_body)
                                                              : ScriptedResponse::text(401, "");
  });
  auto request = request_for("/private");
  request.headers.emplace_back("Authorization", Secret("Bearer s3cret", "env:FEED_TOKEN"));
  request.headers.emplace_back("Accept", Secret("application/atom+xml", ""));

  const auto result = run(request);

  EXPECT_EQ(result.outcome, FetchOutcome::ok) << result.error;
  const auto received = server_.requests("/private");
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].header("Accept"), "application/atom+xml");  // The feed's Accept replaces ours.
}

TEST(InterpretResponse, KeepsValidatorsOfA304AndParsesItsCacheHints) {
  const TimePoint now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28};
  FetchRequest request;
  request.url = "https://example.org/feed";
  request.etag = "\"old\"";
  request.last_modified = "Fri, 27 Nov 2026 00:00:00 GMT";
  net::HttpResponse response;
  response.status = 304;
  response.url = request.url;
  response.effective_url = request.url;
  response.headers.add("ETag", "\"new\"");
  response.headers.add("Expires", "Sat, 28 Nov 2026 01:00:00 GMT");
  response.headers.add("Date", "Sat, 28 Nov 2026 00:00:00 GMT");

  const auto result = interpret_response(request, response, now);

  EXPECT_EQ(result.outcome, FetchOutcome::not_modified);
  EXPECT_EQ(result.etag, "\"new\"");                       // Updated independently...
  EXPECT_EQ(result.last_modified, request.last_modified);  // ...of the one not repeated.
  EXPECT_EQ(result.expires, now + std::chrono::hours{1});
  EXPECT_EQ(result.server_date, now);
}

TEST(BuildConditionalGet, CarriesLimitsAndFileAllowance) {
  FetchRequest request;
  request.url = "file:///srv/feeds/demo.xml";
  request.allow_file = true;
  request.limits.max_body_bytes = 1234;

  const auto http = build_conditional_get(request);

  EXPECT_EQ(http.method, "GET");
  EXPECT_EQ(http.url, request.url);
  EXPECT_TRUE(http.allow_file);
  EXPECT_EQ(http.limits.max_body_bytes, 1234U);
  ASSERT_EQ(http.headers.size(), 1U);  // Accept only: no validators to send.
  EXPECT_EQ(http.headers[0].first, "Accept");
}

}  // namespace
}  // namespace newswatch::fetch
