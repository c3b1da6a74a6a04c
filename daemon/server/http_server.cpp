#include "newswatch/server/http_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <list>
#include <utility>
#include <vector>

#include "newswatch/server/listen_address.hpp"

namespace newswatch::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view text_content_type = "text/plain; charset=utf-8";
constexpr std::string_view html_content_type = "text/html; charset=utf-8";
// After a failed accept (out of descriptors, say), wait before the next one instead of spinning.
constexpr std::chrono::milliseconds accept_retry_delay{100};

}  // namespace

/// What the server object and its sessions share; sessions hold it, so it outlives the server
/// object while their cancelled operations complete.
struct HttpServer::Shared {
  Shared(asio::io_context& io, HttpHandlers handlers_in, HttpServerSettings settings_in)
      : handlers(std::move(handlers_in)), settings(settings_in), acceptor(io), retry_timer(io) {}

  HttpHandlers handlers;
  HttpServerSettings settings;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  std::list<std::weak_ptr<Session>> sessions;  ///< Open connections, for stop().
  std::size_t open = 0;
  bool stopped = false;
};

namespace {

using Response = http::response<http::string_body>;
using Request = http::request<http::string_body>;

Response make_response(http::status status, unsigned version, std::string_view content_type, std::string body) {
  Response response{status, version};
  response.set(http::field::server, "newswatch");
  response.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  // Every answer describes the daemon's state at this moment.
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response route(const HttpServer::Shared& shared, const Request& request) {
  const std::string_view target(request.target().data(), request.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  const HttpHandlers& handlers = shared.handlers;
  const bool known = (path == "/metrics" && handlers.metrics) || path == "/healthz" || path == "/readyz" ||
                     (path == "/" && handlers.status);
  if (!known) {
    return make_response(http::status::not_found, request.version(), text_content_type, "not found\n");
  }
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    // RFC 9110 §15.5.6: a 405 lists the methods the resource supports.
    auto response =
        make_response(http::status::method_not_allowed, request.version(), text_content_type, "method not allowed\n");
    response.set(http::field::allow, "GET, HEAD");
    return response;
  }
  if (path == "/metrics") {
    return make_response(http::status::ok, request.version(), metrics_content_type, handlers.metrics());
  }
  if (path == "/healthz") {
    // Answering at all is the proof: the loop that serves this is the loop that does the work.
    return make_response(http::status::ok, request.version(), text_content_type, "ok\n");
  }
  if (path == "/readyz") {
    const Readiness readiness = handlers.ready ? handlers.ready() : Readiness{};
    if (readiness.ready) {
      return make_response(http::status::ok, request.version(), text_content_type, "ready\n");
    }
    return make_response(http::status::service_unavailable, request.version(), text_content_type,
                         "not ready: " + readiness.detail + "\n");
  }
  const TimePoint now =
      handlers.now ? handlers.now() : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto response =
      make_response(http::status::ok, request.version(), html_content_type, render_status_page(handlers.status(), now));
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  response.set("Referrer-Policy", "no-referrer");
  return response;
}

/// One connection: read a request, answer it, and again while the client keeps it alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<HttpServer::Shared> shared, tcp::socket socket)
      : shared_(std::move(shared)), stream_(std::move(socket)) {
    ++shared_->open;
  }
  ~Session() { --shared_->open; }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;

  void start() {
    shared_->sessions.push_front(weak_from_this());
    registration_ = shared_->sessions.begin();
    do_read();
  }

  /// Cancels whatever is pending; the handlers see operation_aborted and the session ends.
  void close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  void unregister() { shared_->sessions.erase(registration_); }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->settings.header_limit));
    parser_->body_limit(shared_->settings.body_limit);
    // One deadline for the whole request, so a client sending a byte at a time is cut off too.
    stream_.expires_after(shared_->settings.idle_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t bytes) { self->on_read(error, bytes); });
  }

  void on_read(beast::error_code error, std::size_t /*bytes*/) {
    if (shared_->stopped || error == asio::error::operation_aborted) {
      return;
    }
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::connection_reset || error == asio::error::eof) {
      do_close();
      return;
    }
    if (error) {
      do_error_reply(error);
      return;
    }
    const Request& request = parser_->get();
    Response response;
    try {
      response = route(*shared_, request);
    } catch (const std::exception& failure) {
      // Nothing throws out of a completion handler: a failing callback costs one request.
      response = make_response(http::status::internal_server_error, request.version(), text_content_type,
                               std::string("internal error: ") + failure.what() + "\n");
    }
    response.keep_alive(request.keep_alive());
    if (request.method() == http::verb::head) {
      // RFC 9110 §9.3.2: the same header fields as GET, Content-Length included, and no content.
      const auto length = response.body().size();
      response.body().clear();
      response.content_length(length);
    }
    do_write(std::move(response));
  }

  void do_error_reply(beast::error_code error) {
    http::status status = http::status::bad_request;
    std::string body = "bad request: " + error.message() + "\n";
    if (error == http::error::header_limit) {
      status = http::status::request_header_fields_too_large;  // RFC 6585 §5.
      body = "request header fields too large\n";
    } else if (error == http::error::body_limit) {
      status = http::status::payload_too_large;
      body = "requests here carry no content\n";
    }
    // The parser's state is unknown after an error: answer, then close.
    auto response = make_response(status, 11, text_content_type, std::move(body));
    response.keep_alive(false);
    do_write(std::move(response));
  }

  void do_write(Response response) {
    response_ = std::move(response);
    stream_.expires_after(shared_->settings.idle_timeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
      self->on_write(error, bytes);
    });
  }

  void on_write(beast::error_code error, std::size_t /*bytes*/) {
    if (shared_->stopped || error) {
      return;
    }
    if (!response_.keep_alive()) {
      do_close();
      return;
    }
    do_read();
  }

  void do_close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  std::shared_ptr<HttpServer::Shared> shared_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  std::list<std::weak_ptr<Session>>::iterator registration_;
};

/// Keeps a session's registration exactly as long as the session: the deleter unregisters it.
std::shared_ptr<Session> make_session(const std::shared_ptr<HttpServer::Shared>& shared, tcp::socket socket) {
  return {new Session(shared, std::move(socket)), [](Session* session) {
            session->unregister();
            delete session;
          }};
}

void do_accept(const std::shared_ptr<HttpServer::Shared>& shared);

void on_accept(const std::shared_ptr<HttpServer::Shared>& shared, beast::error_code error, tcp::socket socket) {
  if (shared->stopped || error == asio::error::operation_aborted) {
    return;
  }
  if (error) {
    shared->retry_timer.expires_after(accept_retry_delay);
    shared->retry_timer.async_wait([shared](beast::error_code wait_error) {
      if (!wait_error) {
        do_accept(shared);
      }
    });
    return;
  }
  if (shared->open >= shared->settings.max_connections) {
    // Over the cap: close at once. Queueing would only let a flood hold descriptors longer.
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    make_session(shared, std::move(socket))->start();
  }
  do_accept(shared);
}

void do_accept(const std::shared_ptr<HttpServer::Shared>& shared) {
  shared->acceptor.async_accept(
      [shared](beast::error_code error, tcp::socket socket) { on_accept(shared, error, std::move(socket)); });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpHandlers handlers, HttpServerSettings settings)
    : shared_(std::make_shared<Shared>(io, std::move(handlers), settings)) {}

HttpServer::~HttpServer() {
  stop();
}

Expected<tcp::endpoint, std::string> HttpServer::listen(std::string_view address) {
  auto endpoint = parse_listen_address(address);
  if (!endpoint) {
    return make_unexpected("server: " + endpoint.error());
  }
  return listen(*endpoint);
}

Expected<tcp::endpoint, std::string> HttpServer::listen(const tcp::endpoint& endpoint) {
  const auto fail = [&endpoint](const char* step, const boost::system::error_code& error) {
    return make_unexpected("server: cannot listen on " + format_endpoint(endpoint) + ": " + error.message() + " (" +
                           step + ")");
  };
  if (shared_->acceptor.is_open()) {
    return make_unexpected("server: already listening on " + format_endpoint(shared_->acceptor.local_endpoint()));
  }
  boost::system::error_code error;
  boost::system::error_code ignored;  // Closing after a failure: the failure is what to report.
  tcp::acceptor& acceptor = shared_->acceptor;
  if (acceptor.open(endpoint.protocol(), error); error) {
    return fail("socket", error);
  }
  // Lets a restarted daemon bind while old connections linger in TIME_WAIT; on Linux it still
  // refuses a port another socket listens on.
  acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (acceptor.bind(endpoint, error); error) {
    acceptor.close(ignored);
    return fail("bind", error);
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, error); error) {
    acceptor.close(ignored);
    return fail("listen", error);
  }
  auto bound = acceptor.local_endpoint(error);
  if (error) {
    acceptor.close(ignored);
    return fail("getsockname", error);
  }
  shared_->stopped = false;
  do_accept(shared_);
  return bound;
}

void HttpServer::stop() {
  shared_->stopped = true;
  boost::system::error_code ignored;
  shared_->acceptor.close(ignored);
  shared_->retry_timer.cancel();
  // Hold every session while closing them: a session that ends unregisters itself from the list.
  std::vector<std::shared_ptr<Session>> open;
  for (const auto& weak : shared_->sessions) {
    if (auto session = weak.lock()) {
      open.push_back(std::move(session));
    }
  }
  for (const auto& session : open) {
    session->close();
  }
}

std::optional<tcp::endpoint> HttpServer::local_endpoint() const {
  boost::system::error_code error;
  if (!shared_->acceptor.is_open()) {
    return std::nullopt;
  }
  auto endpoint = shared_->acceptor.local_endpoint(error);
  if (error) {
    return std::nullopt;
  }
  return endpoint;
}

std::size_t HttpServer::open_connections() const noexcept {
  return shared_->open;
}

}  // namespace newswatch::server
