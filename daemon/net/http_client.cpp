#include "newswatch/net/http_client.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <array>
#include <atomic>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "newswatch/net/curl_handle.hpp"
#include "newswatch/version.hpp"

namespace newswatch::net {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

/// One socket libcurl asked us to watch. It is recreated on every socket callback, because curl
/// may close a descriptor (its resolver's socketpair) and hand the same number back for a new
/// socket without a CURL_POLL_REMOVE in between; a fresh registration is always the right one.
struct SocketWatch {
  SocketWatch(boost::asio::io_context& io, curl_socket_t socket_fd, int wanted_events)
      : descriptor(io), fd(socket_fd), wanted(wanted_events) {}
  ~SocketWatch() { retire(); }
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;
  SocketWatch(SocketWatch&&) = delete;
  SocketWatch& operator=(SocketWatch&&) = delete;

  /// Deregisters the descriptor from the reactor (cancelling its waits) without closing it:
  /// libcurl owns the socket.
  void retire() {
    if (descriptor.is_open()) {
      descriptor.release();
    }
  }

  boost::asio::posix::stream_descriptor descriptor;
  curl_socket_t fd;
  int wanted;  ///< CURL_POLL_IN, CURL_POLL_OUT or CURL_POLL_INOUT.
  bool read_armed = false;
  bool write_armed = false;
};

/// One transfer in flight: the easy handle and everything its callbacks write into.
struct Transfer {
  /// A response header block as the header callback saw it.
  struct Hop {
    long status = 0;
    HttpHeaders headers;
  };

  std::shared_ptr<const CurlGlobal> global;  ///< Keeps libcurl initialised until the easy handle is gone.
  CurlEasy easy;
  CurlSlist header_list;
  HttpRequest request;
  HttpClient::Callback on_done;
  std::vector<Hop> hops;
  std::string body;
  bool body_too_large = false;
  std::array<char, CURL_ERROR_SIZE> error_buffer{};
};

std::string format_duration(milliseconds duration) {
  const auto count = duration.count();
  if (count % 1000 == 0) {
    return fmt::format("{}s", count / 1000);
  }
  if (count < 1000) {
    return fmt::format("{}ms", count);
  }
  return fmt::format("{:.1f}s", static_cast<double>(count) / 1000.0);
}

std::string format_size(std::size_t bytes) {
  constexpr std::size_t kibibyte = 1024;
  constexpr std::size_t mebibyte = kibibyte * 1024;
  if (bytes >= mebibyte && bytes % mebibyte == 0) {
    return fmt::format("{} MiB", bytes / mebibyte);
  }
  if (bytes >= kibibyte && bytes % kibibyte == 0) {
    return fmt::format("{} KiB", bytes / kibibyte);
  }
  return fmt::format("{} bytes", bytes);
}

/// `reference` resolved against `base` (RFC 3986 §5.2); `reference` itself when either is unparsable.
std::string resolve_url(const std::string& base, const std::string& reference) {
  const CurlUrl url{curl_url()};
  if (!url || curl_url_set(url.get(), CURLUPART_URL, base.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
      curl_url_set(url.get(), CURLUPART_URL, reference.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return reference;
  }
  char* text = nullptr;
  if (curl_url_get(url.get(), CURLUPART_URL, &text, 0) != CURLUE_OK) {
    return reference;
  }
  const CurlString owned{text};
  return owned.get();
}

/// The host part of `url` (with ":port" when `with_port`), or `url` itself when it has none.
std::string host_of(const std::string& url, bool with_port = false) {
  const CurlUrl parsed{curl_url()};
  char* host = nullptr;
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    return url;
  }
  const CurlString owned_host{host};
  std::string text = owned_host.get();
  char* port = nullptr;
  if (with_port && curl_url_get(parsed.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    const CurlString owned_port{port};
    text += ":";
    text += owned_port.get();
  }
  return text;
}

std::string_view http_version_name(long version) {
  switch (version) {
    case CURL_HTTP_VERSION_1_0: return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1: return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0: return "HTTP/2";
    case CURL_HTTP_VERSION_3: return "HTTP/3";
    default: return "";
  }
}

template <typename Value>
void set_option(CURL* easy, CURLoption option, Value value, CURLcode& first_error) {
  const CURLcode result = curl_easy_setopt(easy, option, value);
  if (result != CURLE_OK && first_error == CURLE_OK) {
    first_error = result;
  }
}

std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  const std::string_view line(data, length);
  if (line.starts_with("HTTP/")) {
    // A status line opens a new response: a redirect hop, an interim 1xx, or the final one.
    Transfer::Hop hop;
    const auto space = line.find(' ');
    if (space != std::string_view::npos && line.size() >= space + 4) {
      long status = 0;
      for (const char digit : line.substr(space + 1, 3)) {
        status = digit >= '0' && digit <= '9' ? status * 10 + (digit - '0') : 0;
      }
      hop.status = status;
    }
    if (!transfer.hops.empty() && transfer.hops.back().status >= 100 && transfer.hops.back().status < 200) {
      transfer.hops.back() = std::move(hop);  // RFC 9110 §15.2: 1xx responses are interim.
    } else {
      transfer.hops.push_back(std::move(hop));
    }
    transfer.body.clear();
  } else if (!transfer.hops.empty() && !trim_http_whitespace(line).empty()) {
    transfer.hops.back().headers.add_raw_line(line);
  }
  return length;
}

std::size_t on_body_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  // libcurl hands over decoded bytes, so this cap also stops a compression bomb.
  if (transfer.body.size() + length > transfer.request.limits.max_body_bytes) {
    transfer.body_too_large = true;
    return CURL_WRITEFUNC_ERROR;
  }
  if (transfer.body.empty()) {
    // One allocation for a body of declared length (within the cap) instead of a doubling series;
    // without a length (chunked), room for a typical feed.
    static constexpr curl_off_t undeclared_reserve = 64 * 1024;
    curl_off_t declared = -1;
    if (curl_easy_getinfo(transfer.easy.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared) != CURLE_OK ||
        declared <= 0) {
      declared = undeclared_reserve;
    }
    transfer.body.reserve(std::min(static_cast<std::size_t>(declared), transfer.request.limits.max_body_bytes));
  }
  transfer.body.append(data, length);
  return length;
}

/// Applies every option of `transfer.request`; CURLE_OK or the first option libcurl refused.
CURLcode configure(Transfer& transfer, const HttpClientOptions& options, const std::string& user_agent) {
  CURL* easy = transfer.easy.get();
  const HttpRequest& request = transfer.request;
  const HttpLimits& limits = request.limits;
  CURLcode error = CURLE_OK;

  set_option(easy, CURLOPT_URL, request.url.c_str(), error);
  set_option(easy, CURLOPT_ERRORBUFFER, transfer.error_buffer.data(), error);
  set_option(easy, CURLOPT_NOSIGNAL, 1L, error);
  set_option(easy, CURLOPT_HEADERFUNCTION, &on_header_line, error);
  set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&transfer), error);
  set_option(easy, CURLOPT_WRITEFUNCTION, &on_body_data, error);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&transfer), error);
  set_option(easy, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L, error);

  // Only http and https, redirects included; file only when the caller configured a file:// URL,
  // and never as a redirect target (a server must not make us read local files).
  set_option(easy, CURLOPT_PROTOCOLS_STR, request.allow_file ? "http,https,file" : "http,https", error);
  set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https", error);
  set_option(easy, CURLOPT_FOLLOWLOCATION, limits.max_redirects > 0 ? 1L : 0L, error);
  set_option(easy, CURLOPT_MAXREDIRS, static_cast<long>(limits.max_redirects), error);
  set_option(easy, CURLOPT_AUTOREFERER, 0L, error);

  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits.connect_timeout.count()), error);
  set_option(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.total_timeout.count()), error);
  if (limits.low_speed_time.count() > 0) {
    set_option(easy, CURLOPT_LOW_SPEED_LIMIT, limits.low_speed_bytes_per_second, error);
    set_option(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(limits.low_speed_time.count()), error);
  }
  // Refuses a declared Content-Length over the cap before reading; on_body_data enforces it on
  // the decoded stream.
  set_option(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_body_bytes), error);

  set_option(easy, CURLOPT_ACCEPT_ENCODING, "", error);  // Every encoding this libcurl decodes.
  set_option(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS), error);
  set_option(easy, CURLOPT_SSL_VERIFYPEER, 1L, error);
  set_option(easy, CURLOPT_SSL_VERIFYHOST, 2L, error);
  if (!options.ca_file.empty()) {
    set_option(easy, CURLOPT_CAINFO, options.ca_file.c_str(), error);
  }
  if (options.proxy) {
    set_option(easy, CURLOPT_PROXY, options.proxy->c_str(), error);
  }
  set_option(easy, CURLOPT_USERAGENT, request.user_agent ? request.user_agent->c_str() : user_agent.c_str(), error);

  if (request.method == "GET") {
    set_option(easy, CURLOPT_HTTPGET, 1L, error);
  } else if (request.method == "HEAD") {
    set_option(easy, CURLOPT_NOBODY, 1L, error);
  } else {
    if (request.method != "POST") {
      set_option(easy, CURLOPT_CUSTOMREQUEST, request.method.c_str(), error);
    }
    if (request.method == "POST" || !request.body.empty()) {
      set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()), error);
      set_option(easy, CURLOPT_POSTFIELDS, request.body.data(), error);
    }
  }

  curl_slist* list = nullptr;
  const auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (grown != nullptr) {
      list = grown;
    }
    return grown != nullptr;
  };
  bool appended = true;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling of a header with an empty value.
    std::string line = name;
    line.append(value.empty() ? ";" : ": ").append(value);
    appended = appended && append(line);
  }
  if (!request.body.empty()) {
    appended = appended && append("Expect:");  // No 100-continue round trip for small bodies.
  }
  transfer.header_list.reset(list);
  if (!appended && error == CURLE_OK) {
    error = CURLE_OUT_OF_MEMORY;
  }
  set_option(easy, CURLOPT_HTTPHEADER, transfer.header_list.get(), error);
  return error;
}

/// Why `result` ended the transfer, in words that say what went wrong where.
void describe_failure(CURLcode result, const Transfer& transfer, HttpResponse& response) {
  const HttpLimits& limits = transfer.request.limits;
  const std::string curl_text =
      transfer.error_buffer[0] != '\0' ? std::string(transfer.error_buffer.data()) : curl_easy_strerror(result);
  const auto fail = [&response](TransportError error, std::string text) {
    response.error = error;
    response.error_text = std::move(text);
  };
  switch (result) {
    case CURLE_OK: return;
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (!response.redirects.empty() && !response.redirects.back().target.empty()) {
        fail(TransportError::redirect_refused,
             fmt::format("redirect to {} refused (only http/https)", response.redirects.back().target));
      } else {
        fail(TransportError::scheme_refused,
             fmt::format("URL {} refused (only {})", transfer.request.url,
                         transfer.request.allow_file ? "http/https/file" : "http/https"));
      }
      return;
    case CURLE_URL_MALFORMAT: fail(TransportError::invalid_request, "malformed URL " + transfer.request.url); return;
    case CURLE_TOO_MANY_REDIRECTS:
      fail(TransportError::too_many_redirects, fmt::format("too many redirects (more than {})", limits.max_redirects));
      return;
    case CURLE_COULDNT_RESOLVE_HOST:
      fail(TransportError::resolve_failed,
           "could not resolve host " + host_of(response.effective_url.empty() ? response.url : response.effective_url));
      return;
    case CURLE_COULDNT_RESOLVE_PROXY: fail(TransportError::resolve_failed, curl_text); return;
    case CURLE_COULDNT_CONNECT: {
      long os_error = 0;
      curl_easy_getinfo(transfer.easy.get(), CURLINFO_OS_ERRNO, &os_error);
      const std::string host = host_of(response.effective_url.empty() ? response.url : response.effective_url, true);
      fail(TransportError::connect_failed, os_error != 0
                                               ? fmt::format("could not connect to {}: {}", host,
                                                             std::system_category().message(static_cast<int>(os_error)))
                                               : fmt::format("could not connect to {}: {}", host, curl_text));
      return;
    }
    case CURLE_OPERATION_TIMEDOUT:
      if (curl_text.find("too slow") != std::string::npos) {
        fail(TransportError::too_slow, fmt::format("too slow: under {} bytes/s for {}s",
                                                   limits.low_speed_bytes_per_second, limits.low_speed_time.count()));
      } else if (response.timing.connect.count() == 0 && response.status == 0 &&
                 response.timing.total < limits.total_timeout) {
        fail(TransportError::connect_failed, "connect timed out after " + format_duration(limits.connect_timeout));
      } else {
        fail(TransportError::timed_out, "timed out after " + format_duration(limits.total_timeout));
      }
      return;
    case CURLE_FILESIZE_EXCEEDED:
      fail(TransportError::body_too_large, "body exceeds " + format_size(limits.max_body_bytes) + " limit");
      return;
    case CURLE_WRITE_ERROR:
      if (transfer.body_too_large) {
        fail(TransportError::body_too_large, "body exceeds " + format_size(limits.max_body_bytes) + " limit");
      } else {
        fail(TransportError::other, curl_text);
      }
      return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_INITFAILED: fail(TransportError::tls_failed, "TLS: " + curl_text); return;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_RANGE_ERROR: fail(TransportError::protocol_error, curl_text); return;
    default: fail(TransportError::other, curl_text); return;
  }
}

microseconds time_info(CURL* easy, CURLINFO info) {
  curl_off_t value = 0;
  curl_easy_getinfo(easy, info, &value);
  return microseconds{value};
}

/// Reads everything libcurl learned about a finished transfer into an HttpResponse.
HttpResponse build_response(CURLcode result, Transfer& transfer) {
  CURL* easy = transfer.easy.get();
  HttpResponse response;
  response.url = transfer.request.url;
  char* effective_url = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective_url) == CURLE_OK && effective_url != nullptr) {
    response.effective_url = effective_url;
  }
  char* remote_address = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &remote_address) == CURLE_OK && remote_address != nullptr) {
    response.remote_address = remote_address;
  }
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  response.http_version = http_version_name(version);
  curl_off_t downloaded = 0;
  curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
  response.bytes_received = downloaded;
  response.timing.name_lookup = time_info(easy, CURLINFO_NAMELOOKUP_TIME_T);
  response.timing.connect = time_info(easy, CURLINFO_CONNECT_TIME_T);
  response.timing.tls_handshake_done = time_info(easy, CURLINFO_APPCONNECT_TIME_T);
  response.timing.first_byte = time_info(easy, CURLINFO_STARTTRANSFER_TIME_T);
  response.timing.redirects = time_info(easy, CURLINFO_REDIRECT_TIME_T);
  response.timing.total = time_info(easy, CURLINFO_TOTAL_TIME_T);

  // Every hop but the last was a redirect that was followed; the last is the final response,
  // unless the chain was cut (refused scheme, too many hops): then it is a redirect too.
  const bool chain_cut = result == CURLE_UNSUPPORTED_PROTOCOL || result == CURLE_TOO_MANY_REDIRECTS;
  std::string hop_url = transfer.request.url;
  for (std::size_t index = 0; index < transfer.hops.size(); ++index) {
    auto& hop = transfer.hops[index];
    const bool is_last = index + 1 == transfer.hops.size();
    if (is_last) {
      response.status = hop.status;
      response.headers = hop.headers;
    }
    if (is_last && !(chain_cut && hop.status >= 300 && hop.status < 400)) {
      break;
    }
    HttpHop redirect;
    redirect.url = hop_url;
    redirect.status = hop.status;
    redirect.location = hop.headers.find("Location").value_or("");
    redirect.target = redirect.location.empty() ? std::string() : resolve_url(hop_url, redirect.location);
    redirect.headers = std::move(hop.headers);
    hop_url = redirect.target.empty() ? response.effective_url : redirect.target;
    response.redirects.push_back(std::move(redirect));
  }
  if (transfer.hops.empty()) {
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    response.status = status;
  }
  response.body = std::move(transfer.body);
  describe_failure(result, transfer, response);
  return response;
}

}  // namespace

std::string default_user_agent() {
  return fmt::format("newswatch/{} (+{})", version, project_url);
}

/// The multi handle and its Asio plumbing. Asio handlers hold it weakly, so a handler that runs
/// after the HttpClient is gone does nothing.
class HttpClient::Engine : public std::enable_shared_from_this<HttpClient::Engine> {
 public:
  Engine(boost::asio::io_context& io, HttpClientOptions options)
      : io_(io),
        options_(std::move(options)),
        user_agent_(options_.user_agent.empty() ? default_user_agent() : options_.user_agent),
        timer_(io) {
    if (!global_->ok()) {
      throw std::runtime_error("libcurl global initialisation failed");
    }
    multi_.reset(curl_multi_init());
    if (!multi_) {
      throw std::runtime_error("curl_multi_init failed");
    }
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETFUNCTION, &Engine::on_socket_callback);
    curl_multi_setopt(multi_.get(), CURLMOPT_SOCKETDATA, static_cast<void*>(this));
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERFUNCTION, &Engine::on_timer_callback);
    curl_multi_setopt(multi_.get(), CURLMOPT_TIMERDATA, static_cast<void*>(this));
  }

  ~Engine() {
    // Easy handles leave the multi handle before it is cleaned up; the cleanup may still call
    // the socket callback, which only touches sockets_.
    for (auto& [easy, transfer] : transfers_) {
      curl_multi_remove_handle(multi_.get(), easy);
    }
    transfers_.clear();
    multi_.reset();
    sockets_.clear();
  }

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = delete;
  Engine& operator=(Engine&&) = delete;

  /// Builds the easy handle (any thread) and adds it to the multi handle on the loop.
  void start(HttpRequest request, Callback on_done) {
    // The transfer never moves once configured: libcurl holds pointers into it.
    auto transfer = std::make_shared<Transfer>();
    transfer->global = global_;
    transfer->request = std::move(request);
    transfer->on_done = std::move(on_done);
    transfer->easy.reset(curl_easy_init());
    ++active_;
    const CURLcode setup = transfer->easy ? configure(*transfer, options_, user_agent_) : CURLE_FAILED_INIT;
    boost::asio::post(io_, [weak = weak_from_this(), setup, transfer = std::move(transfer)] {
      if (auto engine = weak.lock()) {
        engine->add(setup, transfer);
      }
    });
  }

  [[nodiscard]] std::size_t active() const noexcept { return active_.load(); }

 private:
  static int on_socket_callback(CURL* /*easy*/, curl_socket_t fd, int what, void* engine, void* /*socket_data*/) {
    static_cast<Engine*>(engine)->watch(fd, what);
    return 0;
  }

  static int on_timer_callback(CURLM* /*multi*/, long timeout_ms, void* engine) {
    static_cast<Engine*>(engine)->schedule_timeout(timeout_ms);
    return 0;
  }

  void add(CURLcode setup, const std::shared_ptr<Transfer>& transfer) {
    CURLcode error = setup;
    if (error == CURLE_OK) {
      CURL* easy = transfer->easy.get();
      transfers_.emplace(easy, transfer);
      if (curl_multi_add_handle(multi_.get(), easy) == CURLM_OK) {
        return;
      }
      transfers_.erase(easy);
      error = CURLE_FAILED_INIT;
    }
    HttpResponse response;
    response.url = transfer->request.url;
    response.error = TransportError::invalid_request;
    response.error_text =
        fmt::format("request for {} rejected by libcurl: {}", transfer->request.url, curl_easy_strerror(error));
    complete(std::move(transfer->on_done), std::move(response));
  }

  void complete(Callback on_done, HttpResponse response) {
    --active_;
    boost::asio::post(io_, [on_done = std::move(on_done), response = std::move(response)]() mutable {
      on_done(std::move(response));
    });
  }

  void watch(curl_socket_t fd, int what) {
    // A running handler may still hold the old watch; retire it now so the new registration
    // does not collide with it in the reactor.
    if (const auto found = sockets_.find(fd); found != sockets_.end()) {
      found->second->retire();
      sockets_.erase(found);
    }
    if (what == CURL_POLL_REMOVE) {
      return;
    }
    auto socket = std::make_shared<SocketWatch>(io_, fd, what);
    boost::system::error_code error;
    socket->descriptor.assign(fd, error);
    if (error) {
      // Cannot watch it: let libcurl find out on its next look at the socket.
      boost::asio::post(io_, [weak = weak_from_this(), fd] {
        if (auto engine = weak.lock()) {
          engine->socket_action(fd, CURL_CSELECT_ERR);
        }
      });
      return;
    }
    sockets_.emplace(fd, socket);
    arm(socket);
  }

  /// Starts a wait for each event libcurl wants and none is pending for.
  void arm(const std::shared_ptr<SocketWatch>& socket) {
    using Wait = boost::asio::posix::stream_descriptor::wait_type;
    if ((socket->wanted & CURL_POLL_IN) != 0 && !socket->read_armed) {
      socket->read_armed = true;
      wait(socket, Wait::wait_read);
    }
    if ((socket->wanted & CURL_POLL_OUT) != 0 && !socket->write_armed) {
      socket->write_armed = true;
      wait(socket, Wait::wait_write);
    }
  }

  void wait(const std::shared_ptr<SocketWatch>& socket, boost::asio::posix::stream_descriptor::wait_type type) {
    auto handler = [weak = weak_from_this(), weak_socket = std::weak_ptr<SocketWatch>(socket),
                    type](const boost::system::error_code& error) {
      auto engine = weak.lock();
      auto watched = weak_socket.lock();
      if (!engine || !watched || error == boost::asio::error::operation_aborted) {
        return;
      }
      engine->on_socket_ready(watched, type, error);
    };
    // Asio's epoll reactor is edge-triggered and libcurl may leave bytes unread; a wait armed
    // on an already-ready socket would then sleep forever, so readiness is checked first.
    pollfd probe{socket->fd,
                 static_cast<short>(type == boost::asio::posix::stream_descriptor::wait_read ? POLLIN : POLLOUT), 0};
    if (::poll(&probe, 1, 0) > 0) {
      boost::asio::post(io_, [handler = std::move(handler)] { handler(boost::system::error_code{}); });
      return;
    }
    socket->descriptor.async_wait(type, std::move(handler));
  }

  void on_socket_ready(const std::shared_ptr<SocketWatch>& socket,
                       boost::asio::posix::stream_descriptor::wait_type type, const boost::system::error_code& error) {
    const bool readable = type == boost::asio::posix::stream_descriptor::wait_read;
    (readable ? socket->read_armed : socket->write_armed) = false;
    socket_action(socket->fd, (readable ? CURL_CSELECT_IN : CURL_CSELECT_OUT) | (error ? CURL_CSELECT_ERR : 0));
    // The socket callback may have replaced or dropped this watch meanwhile.
    if (const auto current = sockets_.find(socket->fd); current != sockets_.end() && current->second == socket) {
      arm(socket);
    }
  }

  void schedule_timeout(long timeout_ms) {
    ++timer_generation_;
    timer_.cancel();
    if (timeout_ms < 0) {
      return;  // -1: libcurl wants no timer.
    }
    if (timeout_ms == 0) {
      // "At once" (every new transfer asks for it): a post, which costs no timer system call.
      boost::asio::post(io_, [weak = weak_from_this(), generation = timer_generation_] {
        auto engine = weak.lock();
        if (!engine || generation != engine->timer_generation_) {
          return;
        }
        engine->socket_action(CURL_SOCKET_TIMEOUT, 0);
      });
      return;
    }
    timer_.expires_after(milliseconds{timeout_ms});
    timer_.async_wait(
        [weak = weak_from_this(), generation = timer_generation_](const boost::system::error_code& error) {
          auto engine = weak.lock();
          if (!engine || error || generation != engine->timer_generation_) {
            return;
          }
          engine->socket_action(CURL_SOCKET_TIMEOUT, 0);
        });
  }

  void socket_action(curl_socket_t fd, int events) {
    int running = 0;
    curl_multi_socket_action(multi_.get(), fd, events, &running);
    collect_finished();
  }

  void collect_finished() {
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) {
        continue;
      }
      CURL* easy = message->easy_handle;
      const CURLcode result = message->data.result;
      const auto found = transfers_.find(easy);
      if (found == transfers_.end()) {
        continue;
      }
      auto transfer = std::move(found->second);
      transfers_.erase(found);
      curl_multi_remove_handle(multi_.get(), easy);
      HttpResponse response = build_response(result, *transfer);
      complete(std::move(transfer->on_done), std::move(response));
    }
  }

  boost::asio::io_context& io_;
  std::shared_ptr<const CurlGlobal> global_ = std::make_shared<const CurlGlobal>();
  HttpClientOptions options_;
  std::string user_agent_;
  boost::asio::steady_timer timer_;
  unsigned timer_generation_ = 0;
  std::atomic<std::size_t> active_{0};
  std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets_;
  std::unordered_map<CURL*, std::shared_ptr<Transfer>> transfers_;
  CurlMulti multi_;
};

HttpClient::HttpClient(boost::asio::io_context& io, HttpClientOptions options)
    : engine_(std::make_shared<Engine>(io, std::move(options))) {}

HttpClient::~HttpClient() = default;

void HttpClient::request(HttpRequest request, Callback on_done) {
  engine_->start(std::move(request), std::move(on_done));
}

std::size_t HttpClient::active_transfers() const noexcept {
  return engine_->active();
}

}  // namespace newswatch::net
