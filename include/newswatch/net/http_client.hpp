#pragma once

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "newswatch/net/http_request.hpp"
#include "newswatch/net/http_response.hpp"

namespace newswatch::net {

/// Settings shared by every transfer of one client.
struct HttpClientOptions {
  std::string user_agent;            ///< Empty: default_user_agent().
  std::optional<std::string> proxy;  ///< Unset: libcurl reads http_proxy/https_proxy/no_proxy; "": none.
  std::string ca_file;               ///< Extra CA bundle (PEM); empty: the system store.
};

/// "newswatch/VERSION (+PROJECT_URL)", from the generated newswatch/version.hpp.
std::string default_user_agent();

/// Asynchronous HTTP(S) client: one libcurl multi handle driven by an Asio io_context through
/// CURLMOPT_SOCKETFUNCTION / CURLMOPT_TIMERFUNCTION, so any number of transfers share one thread.
/// It applies per-transfer limits (HttpLimits) but no concurrency limit: that is the caller's policy.
///
/// All work, including every completion, runs on the io_context's thread. request() may be called
/// from any thread. Destroying the client abandons transfers still running: their callbacks are
/// never invoked. The io_context must outlive the client.
class HttpClient {
 public:
  /// Completion callback; receives the response (or transport failure) by value.
  using Callback = std::function<void(HttpResponse)>;

  /// Throws std::runtime_error when libcurl cannot be initialised.
  explicit HttpClient(boost::asio::io_context& io, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpClient(HttpClient&&) = delete;
  HttpClient& operator=(HttpClient&&) = delete;

  /// Starts `request`; `on_done` is posted to the io_context when it ends, exactly once.
  void request(HttpRequest request, Callback on_done);

  /// Transfers started and not yet completed.
  [[nodiscard]] std::size_t active_transfers() const noexcept;

 private:
  class Engine;
  std::shared_ptr<Engine> engine_;
};

}  // namespace newswatch::net
