#include "newswatch/server/http_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "newswatch/server/daemon_metrics.hpp"
#include "support/run_loop.hpp"

namespace newswatch::server {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr auto deadline = 10s;

/// A plain client on the test's io_context: every step runs the loop until it completes or the
/// deadline passes, so the server under test makes progress on the same thread.
class Client {
 public:
  Client(asio::io_context& io, tcp::endpoint endpoint) : io_(io), socket_(io) {
    bool done = false;
    socket_.async_connect(endpoint, [&](boost::system::error_code error) {
      error_ = error;
      done = true;
    });
    connected_ = testing::run_until(
                     io_, [&] { return done; }, deadline) &&
                 !error_;
  }

  [[nodiscard]] bool connected() const { return connected_; }

  /// Sends `raw` as is.
  bool send(const std::string& raw) {
    bool done = false;
    asio::async_write(socket_, asio::buffer(raw), [&](boost::system::error_code error, std::size_t) {
      error_ = error;
      done = true;
    });
    return testing::run_until(
               io_, [&] { return done; }, deadline) &&
           !error_;
  }

  /// Reads one response; nullopt when the connection ended first or the deadline passed.
  std::optional<http::response<http::string_body>> receive(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);  // A HEAD response announces a length but carries no content.
    bool done = false;
    http::async_read(socket_, buffer_, parser, [&](boost::system::error_code error, std::size_t) {
      error_ = error;
      done = true;
    });
    if (!testing::run_until(
            io_, [&] { return done; }, deadline) ||
        error_) {
      return std::nullopt;
    }
    return parser.release();
  }

  /// One request and its response.
  std::optional<http::response<http::string_body>> exchange(const std::string& method, const std::string& target) {
    if (!send(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
      return std::nullopt;
    }
    return receive(method == "HEAD");
  }

  /// Waits until the server closes the connection; false when the deadline passes first.
  bool wait_closed(std::chrono::steady_clock::duration limit) {
    bool done = false;
    std::array<char, 256> scratch{};
    std::function<void(boost::system::error_code, std::size_t)> on_read;
    on_read = [&](boost::system::error_code error, std::size_t) {
      if (error) {
        done = true;
        return;
      }
      socket_.async_read_some(asio::buffer(scratch), on_read);
    };
    socket_.async_read_some(asio::buffer(scratch), on_read);
    const bool closed = testing::run_until(
        io_, [&] { return done; }, limit);
    if (!closed) {
      socket_.cancel();
      testing::run_until(
          io_, [&] { return done; }, deadline);
    }
    return closed;
  }

 private:
  asio::io_context& io_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  boost::system::error_code error_;
  bool connected_ = false;
};

struct Fixture {
  explicit Fixture(HttpServerSettings settings = {}) : server(io, handlers(), settings) {
    auto bound = server.listen("127.0.0.1:0");
    if (bound) {
      endpoint = *bound;
    } else {
      error = bound.error();
    }
  }

  HttpHandlers handlers() {
    HttpHandlers result;
    result.metrics = [this] { return metrics.render(); };
    result.ready = [this] { return Readiness{ready, "config not loaded"}; };
    result.status = [] {
      StatusSnapshot snapshot;
      snapshot.version = "0.1.0";
      snapshot.feeds.push_back({"trt-world", FeedHealth::ok, std::nullopt, std::nullopt, "", 3});
      return snapshot;
    };
    result.now = [] { return TimePoint{std::chrono::seconds{1700000000}}; };
    return result;
  }

  asio::io_context io;
  DaemonMetrics metrics{"0.1.0", TimePoint{std::chrono::seconds{1700000000}}};
  bool ready = true;
  HttpServer server;
  tcp::endpoint endpoint;
  std::string error;
};

TEST(HttpServer, ServesMetricsInTheExpositionFormat) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  fixture.metrics.add_feed("trt-world");
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto response = client.exchange("GET", "/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ((*response)[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(response->body(), HasSubstr("newswatch_items_new_total{feed=\"trt-world\"} 0\n"));
}

TEST(HttpServer, AnswersHealthzAndReadyzFromTheCallback) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto health = client.exchange("GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200);
  EXPECT_EQ(health->body(), "ok\n");

  const auto ready = client.exchange("GET", "/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->result_int(), 200);
  fixture.ready = false;
  const auto not_ready = client.exchange("GET", "/readyz?verbose=1");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->result_int(), 503);
  EXPECT_EQ(not_ready->body(), "not ready: config not loaded\n");
}

TEST(HttpServer, ServesTheStatusPageAsHtmlWithAPolicy) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto response = client.exchange("GET", "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
  EXPECT_EQ((*response)[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_THAT(std::string((*response)["Content-Security-Policy"]), HasSubstr("default-src 'none'"));
  EXPECT_THAT(response->body(), HasSubstr("trt-world"));
}

TEST(HttpServer, HeadHasTheHeadersOfGetAndNoContent) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto get = client.exchange("GET", "/healthz");
  const auto head = client.exchange("HEAD", "/healthz");
  ASSERT_TRUE(get && head);
  EXPECT_EQ(head->result_int(), 200);
  EXPECT_EQ((*head)[http::field::content_length], (*get)[http::field::content_length]);
  EXPECT_TRUE(head->body().empty());
  // The connection is still usable: nothing stray was sent after the HEAD response's header.
  const auto after = client.exchange("GET", "/healthz");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body(), "ok\n");
}

TEST(HttpServer, UnknownPathsAre404AndOtherMethods405WithAllow) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto missing = client.exchange("GET", "/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->result_int(), 404);
  const auto post = client.exchange("DELETE", "/metrics");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->result_int(), 405);
  EXPECT_EQ((*post)[http::field::allow], "GET, HEAD");
}

TEST(HttpServer, KeepsConnectionsAliveAcrossRequests) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    const auto response = client.exchange("GET", "/healthz");
    ASSERT_TRUE(response) << "request " << i;
    EXPECT_TRUE(response->keep_alive());
  }
  EXPECT_EQ(fixture.server.open_connections(), 1U);
}

TEST(HttpServer, RejectsOversizeHeadersWith431AndCloses) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(
      client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(9000, 'a') + "\r\n\r\n"));
  const auto response = client.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 431);
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.wait_closed(deadline));
}

TEST(HttpServer, RejectsRequestContentWith413) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send("POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"));
  const auto response = client.receive();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413);
}

TEST(HttpServer, ClosesAnIdleConnectionAfterTheTimeout) {
  HttpServerSettings settings;
  settings.idle_timeout = 300ms;
  Fixture fixture(settings);
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(deadline));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 250ms);
  EXPECT_TRUE(testing::run_until(
      fixture.io, [&] { return fixture.server.open_connections() == 0; }, deadline));
}

TEST(HttpServer, ClosesConnectionsOverTheCap) {
  HttpServerSettings settings;
  settings.max_connections = 1;
  Fixture fixture(settings);
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client first(fixture.io, fixture.endpoint);
  ASSERT_TRUE(first.connected());
  ASSERT_TRUE(first.exchange("GET", "/healthz"));
  Client second(fixture.io, fixture.endpoint);
  ASSERT_TRUE(second.connected());
  EXPECT_TRUE(second.wait_closed(deadline));
  EXPECT_TRUE(first.exchange("GET", "/healthz"));
}

TEST(HttpServer, StopClosesTheAcceptorAndOpenConnections) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  Client client(fixture.io, fixture.endpoint);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.exchange("GET", "/healthz"));
  fixture.server.stop();
  EXPECT_TRUE(client.wait_closed(deadline));
  EXPECT_FALSE(fixture.server.local_endpoint());
  EXPECT_TRUE(testing::run_until(
      fixture.io, [&] { return fixture.server.open_connections() == 0; }, deadline));
  Client late(fixture.io, fixture.endpoint);
  EXPECT_FALSE(late.connected());
}

TEST(HttpServer, ReportsAnAddressInUseNamingTheAddress) {
  Fixture fixture;
  ASSERT_TRUE(fixture.error.empty()) << fixture.error;
  asio::io_context io;
  HttpServer second(io, {});
  const auto address = "127.0.0.1:" + std::to_string(fixture.endpoint.port());
  const auto result = second.listen(address);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error(), HasSubstr("cannot listen on " + address));
  EXPECT_THAT(result.error(), HasSubstr("in use"));
}

TEST(HttpServer, ReportsABadAddress) {
  asio::io_context io;
  HttpServer server(io, {});
  const auto result = server.listen("example.org:9180");
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error(), HasSubstr("example.org:9180"));
}

TEST(HttpServer, ListensOnIpv6Loopback) {
  asio::io_context io;
  HttpServer server(io, {});
  const auto bound = server.listen("[::1]:0");
  if (!bound) {
    GTEST_SKIP() << "no IPv6 loopback here: " << bound.error();
  }
  Client client(io, *bound);
  ASSERT_TRUE(client.connected());
  const auto response = client.exchange("GET", "/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 200);
}

TEST(HttpServer, AFailingCallbackCostsOneRequestOnly) {
  asio::io_context io;
  HttpHandlers handlers;
  handlers.metrics = []() -> std::string { throw std::runtime_error("store unreadable"); };
  HttpServer server(io, handlers);
  const auto bound = server.listen("127.0.0.1:0");
  ASSERT_TRUE(bound) << bound.error();
  Client client(io, *bound);
  ASSERT_TRUE(client.connected());
  const auto failed = client.exchange("GET", "/metrics");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->result_int(), 500);
  const auto health = client.exchange("GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->result_int(), 200);
}

}  // namespace
}  // namespace newswatch::server
