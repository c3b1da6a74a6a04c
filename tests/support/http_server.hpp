#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newswatch::testing {

/// A request as the test server received it.
struct ReceivedRequest {
  std::string method;
  std::string target;  ///< Path and query as sent, e.g. "/feed?page=2".
  std::string path;    ///< Target without the query: what endpoints are keyed on.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first value of header `name` (case-insensitive); "" when absent.
  [[nodiscard]] std::string header(std::string_view name) const;
  /// True when header `name` is present.
  [[nodiscard]] bool has_header(std::string_view name) const;
};

struct HttpServerState;

/// What an endpoint answers, and how.
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Sent as given (Content-Length is added).
  std::string body;

  std::chrono::milliseconds delay{0};          ///< Wait this long before sending anything.
  std::chrono::milliseconds drip_interval{0};  ///< > 0: send the body one byte per interval.
  bool gzip = false;                           ///< gzip the body and send Content-Encoding: gzip.
  bool chunked = false;                        ///< Transfer-Encoding: chunked instead of Content-Length.
  bool close_without_response = false;         ///< Read the request, then close the connection.
  bool close_after = false;                    ///< Send Connection: close and close after this response.

  /// Builder helpers, e.g. ScriptedResponse::text(200, "hi").with_header("ETag", "\"1\"").
  static ScriptedResponse text(int status, std::string body, std::string content_type = "text/plain");
  /// A 3xx with a Location header.
  static ScriptedResponse redirect(int status, std::string location);
  /// Adds one header.
  ScriptedResponse& with_header(std::string name, std::string value);
};

/// An endpoint: runs on the server's thread, so whatever it captures must be safe to touch there.
using EndpointHandler = std::function<ScriptedResponse(const ReceivedRequest&)>;

/// An in-process HTTP/1.1 server (Boost.Beast) for tests: binds 127.0.0.1 (or ::1) on an
/// ephemeral port, serves scripted endpoints from its own thread and io_context, counts requests
/// and concurrent connections, and stops in its destructor (pending delays and drips are dropped).
/// Unknown paths answer 404. Keep-alive is honoured unless the response asks to close.
class HttpServer {
 public:
  /// Which loopback address to bind.
  enum class Address { ipv4, ipv6 };

  /// Starts listening; throws std::system_error when the address cannot be bound (no IPv6...).
  explicit HttpServer(Address address = Address::ipv4);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  HttpServer(HttpServer&&) = delete;
  HttpServer& operator=(HttpServer&&) = delete;

  /// Serves `path` (no query) with `handler`; replaces an earlier handler for the same path.
  void on(std::string path, EndpointHandler handler);
  /// Serves `path` with the same response every time.
  void on(std::string path, ScriptedResponse response);

  /// The listening port.
  [[nodiscard]] unsigned short port() const noexcept;
  /// "http://127.0.0.1:PORT" + path (or "http://[::1]:PORT" + path).
  [[nodiscard]] std::string url(std::string_view path = "/") const;

  /// Requests received for `path` so far.
  [[nodiscard]] std::size_t request_count(std::string_view path) const;
  /// Requests received for any path.
  [[nodiscard]] std::size_t total_requests() const;
  /// Copies of the requests received for `path`, oldest first.
  [[nodiscard]] std::vector<ReceivedRequest> requests(std::string_view path) const;
  /// Connections open right now.
  [[nodiscard]] std::size_t open_connections() const;
  /// The largest number of connections that were open at the same time.
  [[nodiscard]] std::size_t peak_connections() const;
  /// Connections accepted so far.
  [[nodiscard]] std::size_t accepted_connections() const;

 private:
  std::unique_ptr<HttpServerState> state_;
};

/// gzip (RFC 1952) of `data`.
std::string gzip_compress(std::string_view data);
/// gzip of `count` zero bytes, built without holding them in memory: a compression bomb.
std::string gzip_zeros(std::size_t count);

}  // namespace newswatch::testing
