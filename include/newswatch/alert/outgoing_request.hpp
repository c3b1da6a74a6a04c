#pragma once

#include <string>
#include <utility>
#include <vector>

#include "newswatch/net/http_request.hpp"

namespace newswatch::alert {

/// One request a message turns into, ready for net::HttpClient. A console target's request has an
/// empty method and URL: its body is the text to print.
struct OutgoingRequest {
  std::string method;  ///< "POST", "PUT", "GET"; empty for the console.
  std::string url;     ///< Carries secrets (webhook tokens): never log it.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// True for the console: nothing to send, print the body.
  [[nodiscard]] bool is_console() const noexcept { return method.empty(); }
  /// The request for net::HttpClient (default limits).
  [[nodiscard]] net::HttpRequest to_http_request() const {
    net::HttpRequest request;
    request.method = method;
    request.url = url;
    request.headers = headers;
    request.body = body;
    return request;
  }

  friend bool operator==(const OutgoingRequest&, const OutgoingRequest&) = default;
};

}  // namespace newswatch::alert
