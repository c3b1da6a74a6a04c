#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/server/status_page.hpp"

namespace newswatch::server {

/// What /readyz answers: 200 when ready, 503 with the reason when not.
struct Readiness {
  bool ready = true;
  std::string detail;  ///< Why not ready, e.g. "config not loaded"; shown in the 503 body.
};

/// Where the listener's content comes from. Every callback runs on the io_context's thread, while
/// a request waits; none may block. An empty callback makes its route answer 404 (or /readyz 200).
struct HttpHandlers {
  std::function<std::string()> metrics;    ///< The /metrics exposition (DaemonMetrics::render).
  std::function<Readiness()> ready;        ///< /readyz.
  std::function<StatusSnapshot()> status;  ///< The state the status page at / shows.
  std::function<TimePoint()> now;          ///< Wall clock for the page's relative times; empty: system clock.
};

/// Bounds on what one client may cost the loop.
struct HttpServerSettings {
  std::chrono::steady_clock::duration idle_timeout = std::chrono::seconds{10};  ///< Per read and per write.
  std::size_t header_limit = 8192;   ///< Request line and headers; more is answered 431.
  std::size_t body_limit = 0;        ///< Requests have no body here; one is answered 413.
  std::size_t max_connections = 64;  ///< Further connections are closed at once.
};

/// The daemon's HTTP endpoint (Boost.Beast, HTTP/1.1 with keep-alive): GET/HEAD /metrics,
/// /healthz, /readyz and / (the status page). Other paths answer 404, other methods 405.
///
/// Everything runs asynchronously on the caller's io_context, so a slow or hostile client never
/// holds the loop; each connection has a timeout and their number is capped. The io_context must
/// outlive the server; the handlers may be dropped after stop().
class HttpServer {
 public:
  /// Does not listen yet: see listen().
  HttpServer(boost::asio::io_context& io, HttpHandlers handlers, HttpServerSettings settings = {});
  /// Stops.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  HttpServer(HttpServer&&) = delete;
  HttpServer& operator=(HttpServer&&) = delete;

  /// Binds `address` ("127.0.0.1:9180", "[::1]:0", see parse_listen_address) and starts accepting.
  /// Returns the bound endpoint (with the port picked for port 0), or an error naming the address:
  /// "server: cannot listen on 127.0.0.1:9180: Address already in use".
  Expected<boost::asio::ip::tcp::endpoint, std::string> listen(std::string_view address);
  /// As above, for an endpoint already parsed.
  Expected<boost::asio::ip::tcp::endpoint, std::string> listen(const boost::asio::ip::tcp::endpoint& endpoint);
  /// Closes the acceptor and every open connection; no handler is called after it. Idempotent.
  void stop();

  /// The bound endpoint while listening.
  [[nodiscard]] std::optional<boost::asio::ip::tcp::endpoint> local_endpoint() const;
  /// Connections open right now.
  [[nodiscard]] std::size_t open_connections() const noexcept;

  /// What the server and its connections share (defined in http_server.cpp).
  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace newswatch::server
