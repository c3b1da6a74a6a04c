#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "support/http_server.hpp"
#include "support/process.hpp"

namespace newswatch {
namespace {

using ::testing::HasSubstr;
using testing::HttpServer;
using ::testing::Not;
using testing::ReceivedRequest;
using testing::run_newswatch;
using testing::ScriptedResponse;

constexpr const char* rss_feed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Newsroom Wire</title><link>https://news.example/</link>
  <item><title>Little hope for Syrian regime to join anti-ISIS coalition</title><guid>1</guid></item>
  <item><title>Second story</title><guid>2</guid></item>
  <item><title>Third story</title><guid>3</guid></item>
</channel></rss>
)";

TEST(FetchCommand, ShowsRedirectsCacheHeadersTimingAndResult) {
  HttpServer server;
  server.on("/old", ScriptedResponse::redirect(301, "/feed"));
  server.on("/feed", ScriptedResponse::text(200, rss_feed, "application/rss+xml")
                         .with_header("ETag", "\"v7\"")
                         .with_header("Last-Modified", "Sat, 28 Nov 2026 10:00:00 GMT")
                         .with_header("Cache-Control", "max-age=600"));

  const auto result = run_newswatch({"fetch", server.url("/old")});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("GET " + server.url("/old")));
  EXPECT_THAT(result.out, HasSubstr("< 301 Moved Permanently  Location: /feed\n  -> " + server.url("/feed")));
  EXPECT_THAT(result.out, HasSubstr("< 200 OK  HTTP/1.1  from 127.0.0.1"));
  EXPECT_THAT(result.out, HasSubstr("  ETag: \"v7\"\n"));
  EXPECT_THAT(result.out, HasSubstr("  Last-Modified: Sat, 28 Nov 2026 10:00:00 GMT\n"));
  EXPECT_THAT(result.out, HasSubstr("  Cache-Control: max-age=600\n"));
  EXPECT_THAT(result.out, HasSubstr("moved permanently: a poll would store the new URL " + server.url("/feed")));
  EXPECT_THAT(result.out, HasSubstr("cache: fresh for 10m"));
  EXPECT_THAT(result.out, HasSubstr("timing: dns "));
  EXPECT_THAT(result.out, HasSubstr("result: ok\n"));
  EXPECT_THAT(result.out, HasSubstr("feed: rss2.0 \"Newsroom Wire\", 3 items\n"
                                    "  - Little hope for Syrian regime to join anti-ISIS coalition\n"
                                    "  - Second story\n"
                                    "  - Third story\n"));
}

TEST(FetchCommand, SummarisesAGzippedAtomFeed) {
  HttpServer server;
  auto atom = ScriptedResponse::text(200, R"(<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title><id>urn:x</id><updated>2026-11-28T10:00:00Z</updated>
  <entry><title>Only entry</title><id>urn:x:1</id><updated>2026-11-28T10:00:00Z</updated></entry>
</feed>)",
                                     "application/atom+xml");
  atom.gzip = true;
  server.on("/atom", atom);

  const auto result = run_newswatch({"fetch", server.url("/atom")});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("  Content-Encoding: gzip\n"));
  EXPECT_THAT(result.out, HasSubstr("feed: atom1.0 \"Atom Desk\", 1 item\n  - Only entry\n"));
}

TEST(FetchCommand, SaysWhenTheBodyIsNotAFeed) {
  HttpServer server;
  server.on("/page", ScriptedResponse::text(200, "<!DOCTYPE html><html><body>Hello</body></html>", "text/html"));

  const auto result = run_newswatch({"fetch", server.url("/page")});

  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("result: ok\n"));
  EXPECT_THAT(result.out, HasSubstr("feed: not a feed: "));
  EXPECT_THAT(result.err, HasSubstr(server.url("/page") + ": the body is not a feed"));
}

TEST(FetchCommand, SendsHeadersAndValidators) {
  HttpServer server;
  server.on("/private", [](const ReceivedRequest& request) {
    if (request.header("Authorization") != "Bearer t0ken") {
      return ScriptedResponse::text(401, "");
    }
    return request.header("If-None-Match") == "\"v7\"" ? ScriptedResponse::text(304, "")
                                                       : ScriptedResponse::text(200, rss_feed);
  });

  const auto result =
      run_newswatch({"fetch", server.url("/private"), "--header", "Authorization: Bearer t0ken", "--etag", "\"v7\""});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("< 304 Not Modified"));
  EXPECT_THAT(result.out, HasSubstr("result: not modified\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("t0ken")));  // Header values are not echoed.
}

TEST(FetchCommand, FailsWithExitCodeTwoAndSaysWhy) {
  HttpServer server;
  server.on("/busy", ScriptedResponse::text(503, "").with_header("Retry-After", "120"));
  auto slow = ScriptedResponse::text(200, rss_feed);
  slow.delay = std::chrono::seconds{5};
  server.on("/slow", slow);

  const auto busy = run_newswatch({"fetch", server.url("/busy")});
  EXPECT_EQ(busy.exit_code, 2);
  EXPECT_THAT(busy.out, HasSubstr("  Retry-After: 120\n"));
  EXPECT_THAT(busy.err, HasSubstr(server.url("/busy") + ": HTTP 503 Service Unavailable, retry after "));

  const auto slow_result = run_newswatch({"fetch", server.url("/slow"), "--timeout", "1s"});
  EXPECT_EQ(slow_result.exit_code, 2);
  EXPECT_THAT(slow_result.err, HasSubstr(server.url("/slow") + ": timed out after 1s"));
}

TEST(FetchCommand, RejectsBadOptions) {
  const auto header = run_newswatch({"fetch", "http://127.0.0.1:9/", "--header", "no colon"});
  EXPECT_EQ(header.exit_code, 1);
  EXPECT_THAT(header.err, HasSubstr("bad --header \"no colon\""));

  const auto timeout = run_newswatch({"fetch", "http://127.0.0.1:9/", "--timeout", "soon"});
  EXPECT_EQ(timeout.exit_code, 1);
  EXPECT_THAT(timeout.err, HasSubstr("bad --timeout \"soon\""));

  const auto missing = run_newswatch({"fetch"});
  EXPECT_EQ(missing.exit_code, 1);
}

}  // namespace
}  // namespace newswatch
