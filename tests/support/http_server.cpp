#include "support/http_server.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace newswatch::testing {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

bool same_name(std::string_view left, std::string_view right) {
  return left.size() == right.size() && std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

/// Streams `input` through deflate with a gzip wrapper; `more` is called until it returns false.
class GzipWriter {
 public:
  GzipWriter() {
    // windowBits 15 + 16 selects the gzip wrapper (zlib manual, deflateInit2).
    if (deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw std::runtime_error("deflateInit2 failed");
    }
  }
  ~GzipWriter() { deflateEnd(&stream_); }
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;
  GzipWriter(GzipWriter&&) = delete;
  GzipWriter& operator=(GzipWriter&&) = delete;

  void feed(std::string_view input, bool last) {
    // zlib's API takes a non-const pointer but does not write through next_in.
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream_.avail_in = static_cast<uInt>(input.size());
    std::array<char, 65536> chunk{};
    int result = Z_OK;
    do {
      stream_.next_out = reinterpret_cast<Bytef*>(chunk.data());
      stream_.avail_out = static_cast<uInt>(chunk.size());
      result = deflate(&stream_, last ? Z_FINISH : Z_NO_FLUSH);
      if (result == Z_STREAM_ERROR) {
        throw std::runtime_error("deflate failed");
      }
      output_.append(chunk.data(), chunk.size() - stream_.avail_out);
    } while (stream_.avail_out == 0 || (last && result != Z_STREAM_END));
  }

  std::string take() { return std::move(output_); }

 private:
  z_stream stream_{};
  std::string output_;
};

}  // namespace

std::string gzip_compress(std::string_view data) {
  GzipWriter writer;
  constexpr std::size_t piece = 1U << 20U;
  while (data.size() > piece) {
    writer.feed(data.substr(0, piece), false);
    data.remove_prefix(piece);
  }
  writer.feed(data, true);
  return writer.take();
}

std::string gzip_zeros(std::size_t count) {
  GzipWriter writer;
  const std::string zeros(std::size_t{1} << 20U, '\0');
  while (count > zeros.size()) {
    writer.feed(zeros, false);
    count -= zeros.size();
  }
  writer.feed(std::string_view(zeros).substr(0, count), true);
  return writer.take();
}

std::string ReceivedRequest::header(std::string_view name) const {
  for (const auto& [field, value] : headers) {
    if (same_name(field, name)) {
      return value;
    }
  }
  return {};
}

bool ReceivedRequest::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const auto& field) { return same_name(field.first, name); });
}

ScriptedResponse ScriptedResponse::text(int status, std::string body, std::string content_type) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers.emplace_back("Content-Type", std::move(content_type));
  return response;
}

ScriptedResponse ScriptedResponse::redirect(int status, std::string location) {
  ScriptedResponse response;
  response.status = status;
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

ScriptedResponse& ScriptedResponse::with_header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

/// Everything the server's sessions share. The io_context is declared after the counters so that
/// it is destroyed first: destroying it destroys the sessions still waiting in it, and their
/// destructors update the counters.
struct HttpServerState {
  mutable std::mutex mutex;
  std::map<std::string, EndpointHandler, std::less<>> endpoints;
  std::vector<ReceivedRequest> received;
  std::size_t open = 0;
  std::size_t peak = 0;
  std::size_t accepted = 0;
  unsigned short port = 0;
  bool ipv6 = false;

  std::thread thread;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
};

namespace {

/// One accepted connection: read a request, answer as scripted, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServerState& state, tcp::socket socket)
      : state_(state), socket_(std::move(socket)), timer_(socket_.get_executor()) {
    const std::lock_guard lock(state_.mutex);
    ++state_.open;
    ++state_.accepted;
    state_.peak = std::max(state_.peak, state_.open);
  }
  ~Session() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    const std::lock_guard lock(state_.mutex);
    --state_.open;
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;

  void start() { do_read(); }

 private:
  void do_read() {
    request_ = {};
    http::async_read(
        socket_, buffer_, request_,
        [self = shared_from_this()](boost::system::error_code error, std::size_t /*bytes*/) { self->on_read(error); });
  }

  void on_read(boost::system::error_code error) {
    if (error) {
      return;  // Client closed or sent garbage: drop the connection.
    }
    ReceivedRequest received;
    received.method = std::string(request_.method_string());
    received.target = std::string(request_.target());
    received.path = received.target.substr(0, received.target.find('?'));
    for (const auto& field : request_) {
      received.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    received.body = request_.body();

    EndpointHandler handler;
    {
      const std::lock_guard lock(state_.mutex);
      state_.received.push_back(received);
      if (const auto found = state_.endpoints.find(received.path); found != state_.endpoints.end()) {
        handler = found->second;
      }
    }
    if (handler) {
      try {
        response_ = handler(received);
      } catch (const std::exception& failure) {
        response_ = ScriptedResponse::text(500, std::string("endpoint threw: ") + failure.what());
      }
    } else {
      response_ = ScriptedResponse::text(404, "no endpoint for " + received.path);
    }
    keep_alive_ = request_.keep_alive() && !response_.close_after && !response_.close_without_response;

    if (response_.close_without_response) {
      boost::system::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    if (response_.delay.count() > 0) {
      timer_.expires_after(response_.delay);
      timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_error) {
        if (!wait_error) {
          self->do_write();
        }
      });
      return;
    }
    do_write();
  }

  void do_write() {
    http::response<http::string_body> message{static_cast<http::status>(response_.status), request_.version()};
    for (const auto& [name, value] : response_.headers) {
      message.insert(name, value);
    }
    message.body() = response_.gzip ? gzip_compress(response_.body) : response_.body;
    if (response_.gzip) {
      message.set(http::field::content_encoding, "gzip");
    }
    message.keep_alive(keep_alive_);
    message.chunked(response_.chunked);
    if (!response_.chunked) {
      message.content_length(message.body().size());
    }
    std::ostringstream serialized;
    serialized << message;
    wire_ = serialized.str();
    if (response_.drip_interval.count() > 0) {
      // Send the head at once, then the body byte by byte.
      const auto head_end = wire_.find("\r\n\r\n");
      dripped_ = head_end == std::string::npos ? wire_.size() : head_end + 4;
      asio::async_write(socket_, asio::buffer(wire_.data(), dripped_),
                        [self = shared_from_this()](boost::system::error_code error, std::size_t /*bytes*/) {
                          self->on_drip(error);
                        });
      return;
    }
    asio::async_write(
        socket_, asio::buffer(wire_),
        [self = shared_from_this()](boost::system::error_code error, std::size_t /*bytes*/) { self->on_write(error); });
  }

  void on_drip(boost::system::error_code error) {
    if (error) {
      return;
    }
    if (dripped_ >= wire_.size()) {
      on_write(error);
      return;
    }
    timer_.expires_after(response_.drip_interval);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_error) {
      if (wait_error) {
        return;
      }
      const std::size_t at = self->dripped_++;
      asio::async_write(
          self->socket_, asio::buffer(self->wire_.data() + at, 1),
          [self](boost::system::error_code write_error, std::size_t /*bytes*/) { self->on_drip(write_error); });
    });
  }

  void on_write(boost::system::error_code error) {
    if (error) {
      return;
    }
    if (!keep_alive_) {
      boost::system::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    do_read();
  }

  HttpServerState& state_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  ScriptedResponse response_;
  bool keep_alive_ = true;
  std::string wire_;
  std::size_t dripped_ = 0;
};

void do_accept(HttpServerState& state) {
  state.acceptor.async_accept([&state](boost::system::error_code error, tcp::socket socket) {
    if (error == asio::error::operation_aborted) {
      return;
    }
    if (!error) {
      std::make_shared<Session>(state, std::move(socket))->start();
    }
    do_accept(state);
  });
}

}  // namespace

HttpServer::HttpServer(Address address) : state_(std::make_unique<HttpServerState>()) {
  state_->ipv6 = address == Address::ipv6;
  const tcp::endpoint endpoint{
      state_->ipv6 ? asio::ip::address(asio::ip::address_v6::loopback()) : asio::ip::address_v4::loopback(), 0};
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(endpoint);  // Throws when the address is unavailable.
  state_->acceptor.listen(asio::socket_base::max_listen_connections);
  state_->port = state_->acceptor.local_endpoint().port();
  do_accept(*state_);
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
}

HttpServer::~HttpServer() {
  state_->io.stop();
  state_->thread.join();
  // Sessions still waiting (delays, drips, idle keep-alive) go with the io_context in ~State.
}

void HttpServer::on(std::string path, EndpointHandler handler) {
  const std::lock_guard lock(state_->mutex);
  state_->endpoints[std::move(path)] = std::move(handler);
}

void HttpServer::on(std::string path, ScriptedResponse response) {
  on(std::move(path), [response = std::move(response)](const ReceivedRequest&) { return response; });
}

unsigned short HttpServer::port() const noexcept {
  return state_->port;
}

std::string HttpServer::url(std::string_view path) const {
  return (state_->ipv6 ? "http://[::1]:" : "http://127.0.0.1:") + std::to_string(state_->port) + std::string(path);
}

std::size_t HttpServer::request_count(std::string_view path) const {
  const std::lock_guard lock(state_->mutex);
  return static_cast<std::size_t>(
      std::count_if(state_->received.begin(), state_->received.end(),
                    [path](const ReceivedRequest& request) { return request.path == path; }));
}

std::size_t HttpServer::total_requests() const {
  const std::lock_guard lock(state_->mutex);
  return state_->received.size();
}

std::vector<ReceivedRequest> HttpServer::requests(std::string_view path) const {
  const std::lock_guard lock(state_->mutex);
  std::vector<ReceivedRequest> matching;
  for (const auto& request : state_->received) {
    if (request.path == path) {
      matching.push_back(request);
    }
  }
  return matching;
}

std::size_t HttpServer::open_connections() const {
  const std::lock_guard lock(state_->mutex);
  return state_->open;
}

std::size_t HttpServer::peak_connections() const {
  const std::lock_guard lock(state_->mutex);
  return state_->peak;
}

std::size_t HttpServer::accepted_connections() const {
  const std::lock_guard lock(state_->mutex);
  return state_->accepted;
}

}  // namespace newswatch::testing
