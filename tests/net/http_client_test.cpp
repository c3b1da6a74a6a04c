#include "newswatch/net/http_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/version.hpp"
#include "support/http_server.hpp"
#include "support/run_loop.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::net {
namespace {

using namespace std::chrono_literals;
using testing::HttpServer;
using testing::run_until;
using testing::ScriptedResponse;

HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.limits.connect_timeout = 2s;
  request.limits.total_timeout = 5s;
  return request;
}

class HttpClientTest : public ::testing::Test {
 protected:
  /// One request, run to completion on the test's io_context with a hard deadline.
  HttpResponse perform(HttpRequest request, std::chrono::seconds deadline = 10s) {
    std::optional<HttpResponse> response;
    client_.request(std::move(request), [&response](HttpResponse done) { response = std::move(done); });
    if (!run_until(
            io_, [&response] { return response.has_value(); }, deadline)) {
      ADD_FAILURE() << "request did not complete within " << deadline.count() << "s";
      return {};
    }
    return std::move(*response);
  }

  HttpServer server_;
  boost::asio::io_context io_;
  HttpClient client_{io_};
};

TEST_F(HttpClientTest, ReturnsStatusHeadersBodyAndTiming) {
  server_.on("/feed", ScriptedResponse::text(200, "<rss/>", "application/rss+xml").with_header("ETag", "\"v1\""));

  const auto response = perform(get(server_.url("/feed")));

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "<rss/>");
  EXPECT_EQ(response.headers.find("etag"), "\"v1\"");
  EXPECT_EQ(response.headers.find("Content-Type"), "application/rss+xml");
  EXPECT_EQ(response.effective_url, server_.url("/feed"));
  EXPECT_EQ(response.http_version, "HTTP/1.1");
  EXPECT_EQ(response.remote_address, "127.0.0.1");
  EXPECT_TRUE(response.redirects.empty());
  EXPECT_GT(response.timing.total.count(), 0);
  EXPECT_GE(response.timing.total, response.timing.first_byte);
}

TEST_F(HttpClientTest, SendsDefaultUserAgentAcceptEncodingAndNoRefererOrCookie) {
  server_.on("/feed", ScriptedResponse::text(200, "ok").with_header("Set-Cookie", "session=1"));
  server_.on("/again", ScriptedResponse::redirect(302, "/feed"));

  ASSERT_TRUE(perform(get(server_.url("/feed"))).completed());
  ASSERT_TRUE(perform(get(server_.url("/again"))).completed());

  const auto requests = server_.requests("/feed");
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].header("User-Agent"), std::string("newswatch/") + version + " (+" + project_url + ")");
  EXPECT_NE(requests[0].header("Accept-Encoding").find("gzip"), std::string::npos);
  for (const auto& request : requests) {
    EXPECT_FALSE(request.has_header("Cookie")) << "cookie engine must stay off";
    EXPECT_FALSE(request.has_header("Referer")) << "redirects must not send a Referer";
  }
}

TEST_F(HttpClientTest, SendsMethodHeadersBodyAndUserAgentOverride) {
  server_.on("/hook", ScriptedResponse::text(202, ""));
  auto request = get(server_.url("/hook"));
  request.method = "POST";
  request.body = R"({"text":"alert"})";
  request.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "alert-42"}};
  request.user_agent = "custom-agent/1";

  const auto response = perform(request);

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.status, 202);
  const auto received = server_.requests("/hook");
  ASSERT_EQ(received.size(), 1U);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].body, R"({"text":"alert"})");
  EXPECT_EQ(received[0].header("Idempotency-Key"), "alert-42");
  EXPECT_EQ(received[0].header("Content-Type"), "application/json");
  EXPECT_EQ(received[0].header("User-Agent"), "custom-agent/1");
  EXPECT_FALSE(received[0].has_header("Expect"));
}

TEST_F(HttpClientTest, FollowsRedirectsAndRecordsEveryHop) {
  server_.on("/old", ScriptedResponse::redirect(301, "/middle"));
  server_.on("/middle", ScriptedResponse::redirect(302, server_.url("/new")));
  server_.on("/new", ScriptedResponse::text(200, "moved here"));

  const auto response = perform(get(server_.url("/old")));

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "moved here");
  EXPECT_EQ(response.effective_url, server_.url("/new"));
  ASSERT_EQ(response.redirects.size(), 2U);
  EXPECT_EQ(response.redirects[0].url, server_.url("/old"));
  EXPECT_EQ(response.redirects[0].status, 301);
  EXPECT_EQ(response.redirects[0].location, "/middle");
  EXPECT_EQ(response.redirects[0].target, server_.url("/middle"));
  EXPECT_EQ(response.redirects[1].url, server_.url("/middle"));
  EXPECT_EQ(response.redirects[1].status, 302);
  EXPECT_EQ(response.redirects[1].target, server_.url("/new"));
}

TEST_F(HttpClientTest, GivesUpAfterFiveRedirects) {
  server_.on("/loop", ScriptedResponse::redirect(302, "/loop"));

  const auto response = perform(get(server_.url("/loop")));

  EXPECT_EQ(response.error, TransportError::too_many_redirects);
  EXPECT_EQ(response.error_text, "too many redirects (more than 5)");
  EXPECT_EQ(server_.request_count("/loop"), 6U);  // The first request and five redirects.
}

TEST_F(HttpClientTest, RefusesRedirectsToOtherSchemes) {
  for (const std::string target :
       {"ftp://example.invalid/feed.xml", "file:///etc/passwd", "gopher://example.invalid/"}) {
    SCOPED_TRACE(target);
    server_.on("/elsewhere", ScriptedResponse::redirect(301, target));

    auto request = get(server_.url("/elsewhere"));
    request.allow_file = true;  // Even a file feed must not be redirected onto the file system.
    const auto response = perform(request);

    EXPECT_EQ(response.error, TransportError::redirect_refused);
    EXPECT_EQ(response.error_text, "redirect to " + target + " refused (only http/https)");
    ASSERT_EQ(response.redirects.size(), 1U);
    EXPECT_EQ(response.redirects[0].status, 301);
    EXPECT_TRUE(response.body.empty());
  }
}

TEST_F(HttpClientTest, ReadsFileUrlsOnlyWhenAllowed) {
  const testing::TempDir dir;
  const auto path = dir.write("feed.xml", "<rss version=\"2.0\"/>");
  const std::string url = "file://" + path.string();

  const auto refused = perform(get(url));
  EXPECT_EQ(refused.error, TransportError::scheme_refused);
  EXPECT_EQ(refused.error_text, "URL " + url + " refused (only http/https)");

  auto allowed_request = get(url);
  allowed_request.allow_file = true;
  const auto allowed = perform(allowed_request);
  ASSERT_TRUE(allowed.completed()) << allowed.error_text;
  EXPECT_EQ(allowed.body, "<rss version=\"2.0\"/>");
}

TEST_F(HttpClientTest, TimesOutASlowServer) {
  auto slow = ScriptedResponse::text(200, "late");
  slow.delay = 3s;
  server_.on("/slow", slow);
  auto request = get(server_.url("/slow"));
  request.limits.total_timeout = 300ms;

  const auto started = std::chrono::steady_clock::now();
  const auto response = perform(request);

  EXPECT_EQ(response.error, TransportError::timed_out);
  EXPECT_EQ(response.error_text, "timed out after 300ms");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(HttpClientTest, AbortsAServerThatDripsOneByteASecond) {
  auto drip = ScriptedResponse::text(200, std::string(100, 'x'));
  drip.drip_interval = 1s;
  server_.on("/drip", drip);
  auto request = get(server_.url("/drip"));
  request.limits.low_speed_bytes_per_second = 50;
  request.limits.low_speed_time = 1s;
  request.limits.total_timeout = 20s;

  const auto started = std::chrono::steady_clock::now();
  const auto response = perform(request, 30s);

  EXPECT_EQ(response.error, TransportError::too_slow);
  EXPECT_EQ(response.error_text, "too slow: under 50 bytes/s for 1s");
  EXPECT_EQ(response.status, 200);  // The head arrived; the body never did.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(HttpClientTest, CapsTheBody) {
  struct Case {
    const char* name;
    bool chunked;  // Without Content-Length only the write callback can stop it.
  };
  for (const Case& test_case : {Case{"content-length", false}, Case{"chunked", true}}) {
    SCOPED_TRACE(test_case.name);
    auto big = ScriptedResponse::text(200, std::string((std::size_t{2} << 20U) + 1, 'a'));
    big.chunked = test_case.chunked;
    server_.on("/big", big);
    auto request = get(server_.url("/big"));
    request.limits.max_body_bytes = std::size_t{1} << 20U;

    const auto response = perform(request);

    EXPECT_EQ(response.error, TransportError::body_too_large);
    EXPECT_EQ(response.error_text, "body exceeds 1 MiB limit");
    EXPECT_LE(response.body.size(), std::size_t{1} << 20U);
  }
}

TEST_F(HttpClientTest, AcceptsABodyExactlyAtTheCap) {
  server_.on("/exact", ScriptedResponse::text(200, std::string(4096, 'a')));
  auto request = get(server_.url("/exact"));
  request.limits.max_body_bytes = 4096;

  const auto response = perform(request);

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.body.size(), 4096U);
}

TEST_F(HttpClientTest, StreamsALargeBodyWithoutStalling) {
  // Many socket reads in a row: each missed readiness edge would leave the transfer waiting a
  // second for libcurl's next low-speed check, so a few of them blow the time budget.
  std::string body(std::size_t{8} << 20U, 'x');
  body.back() = 'y';
  server_.on("/large", ScriptedResponse::text(200, body));
  auto request = get(server_.url("/large"));
  request.limits.max_body_bytes = std::size_t{16} << 20U;

  const auto started = std::chrono::steady_clock::now();
  const auto response = perform(request);

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.body.size(), body.size());
  EXPECT_EQ(response.body.back(), 'y');
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST_F(HttpClientTest, DecodesGzip) {
  auto compressed = ScriptedResponse::text(200, std::string(10000, 'n') + "ews");
  compressed.gzip = true;
  server_.on("/gz", compressed);

  const auto response = perform(get(server_.url("/gz")));

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.body, std::string(10000, 'n') + "ews");
  EXPECT_LT(response.bytes_received, 1000);  // Counted on the wire, before decoding.
}

TEST_F(HttpClientTest, StopsAGzipBombAtTheCap) {
  constexpr std::size_t inflated = std::size_t{100} << 20U;  // 100 MiB of zeros...
  auto bomb = ScriptedResponse::text(200, testing::gzip_zeros(inflated), "application/rss+xml");
  ASSERT_LT(bomb.body.size(), std::size_t{1} << 20U);  // ...in well under 1 MiB on the wire.
  bomb.with_header("Content-Encoding", "gzip");
  server_.on("/bomb", bomb);
  auto request = get(server_.url("/bomb"));
  request.limits.max_body_bytes = std::size_t{1} << 20U;

  const auto response = perform(request);

  EXPECT_EQ(response.error, TransportError::body_too_large);
  EXPECT_EQ(response.error_text, "body exceeds 1 MiB limit");
  EXPECT_LE(response.body.size(), std::size_t{1} << 20U);
}

TEST_F(HttpClientTest, ReportsConnectionRefused) {
  std::string url;
  unsigned short port = 0;
  {
    const HttpServer gone;
    url = gone.url("/feed");
    port = gone.port();
  }  // Nothing listens on that port any more.

  const auto response = perform(get(url));

  EXPECT_EQ(response.error, TransportError::connect_failed);
  EXPECT_EQ(response.error_text, "could not connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  EXPECT_EQ(response.status, 0);
}

TEST_F(HttpClientTest, ReportsAnUnresolvableHost) {
  const auto response = perform(get("http://feed.invalid/rss"));

  EXPECT_EQ(response.error, TransportError::resolve_failed);
  EXPECT_EQ(response.error_text, "could not resolve host feed.invalid");
}

TEST_F(HttpClientTest, ReportsAConnectionClosedWithoutResponse) {
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server_.on("/hangup", hang_up);

  const auto response = perform(get(server_.url("/hangup")));

  EXPECT_EQ(response.error, TransportError::protocol_error);
  EXPECT_FALSE(response.error_text.empty());
}

TEST_F(HttpClientTest, RunsManyTransfersConcurrentlyOnOneThread) {
  auto slow = ScriptedResponse::text(200, "ok");
  slow.delay = 300ms;
  server_.on("/slow", slow);
  constexpr int count = 100;
  const auto loop_thread = std::this_thread::get_id();
  int completed = 0;
  int succeeded = 0;
  bool all_on_loop_thread = true;

  const auto started = std::chrono::steady_clock::now();
  for (int index = 0; index < count; ++index) {
    client_.request(get(server_.url("/slow")), [&](HttpResponse response) {
      ++completed;
      succeeded += response.completed() && response.status == 200 && response.body == "ok" ? 1 : 0;
      all_on_loop_thread = all_on_loop_thread && std::this_thread::get_id() == loop_thread;
    });
  }
  EXPECT_EQ(client_.active_transfers(), static_cast<std::size_t>(count));
  ASSERT_TRUE(run_until(
      io_, [&] { return completed == count; }, 20s));

  EXPECT_EQ(succeeded, count);
  EXPECT_TRUE(all_on_loop_thread);
  EXPECT_EQ(client_.active_transfers(), 0U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "transfers ran one after another";
  EXPECT_GT(server_.peak_connections(), 10U);
}

TEST_F(HttpClientTest, ReusesConnectionsForSequentialRequests) {
  server_.on("/feed", ScriptedResponse::text(200, "ok"));

  for (int index = 0; index < 3; ++index) {
    ASSERT_TRUE(perform(get(server_.url("/feed"))).completed());
  }

  EXPECT_EQ(server_.accepted_connections(), 1U);
}

TEST_F(HttpClientTest, WorksOverIpv6Loopback) {
  std::unique_ptr<HttpServer> server;
  try {
    server = std::make_unique<HttpServer>(HttpServer::Address::ipv6);
  } catch (const std::exception& error) {
    GTEST_SKIP() << "no IPv6 loopback here: " << error.what();
  }
  server->on("/feed", ScriptedResponse::text(200, "over v6"));

  const auto response = perform(get(server->url("/feed")));

  ASSERT_TRUE(response.completed()) << response.error_text;
  EXPECT_EQ(response.body, "over v6");
  EXPECT_EQ(response.remote_address, "::1");
}

TEST(HttpClient, DestroyedClientNeverCallsBack) {
  HttpServer server;
  auto slow = ScriptedResponse::text(200, "late");
  slow.delay = 2s;
  server.on("/slow", slow);
  boost::asio::io_context io;
  bool called = false;
  {
    HttpClient client(io);
    client.request(get(server.url("/slow")), [&called](HttpResponse) { called = true; });
    io.run_for(100ms);
  }
  io.restart();
  io.run_for(200ms);
  EXPECT_FALSE(called);
}

TEST(DefaultUserAgent, NamesVersionAndProjectUrl) {
  EXPECT_EQ(default_user_agent(), std::string("newswatch/") + version + " (+" + project_url + ")");
}

}  // namespace
}  // namespace newswatch::net
