#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace newswatch::net {

/// Limits every transfer runs under; the defaults suit feed polling.
struct HttpLimits {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds{10}};  ///< TCP + TLS handshake.
  std::chrono::milliseconds total_timeout{std::chrono::seconds{30}};    ///< Whole transfer, redirects included.
  long low_speed_bytes_per_second = 64;                 ///< Abort when slower than this for low_speed_time...
  std::chrono::seconds low_speed_time{15};              ///< ...(whole seconds; libcurl's granularity). 0 disables.
  std::size_t max_body_bytes = std::size_t{16} << 20U;  ///< Decoded body cap (after Content-Encoding).
  int max_redirects = 5;                                ///< 0: redirects are returned, not followed.
};

/// One HTTP request for HttpClient.
struct HttpRequest {
  std::string method = "GET";  ///< GET, HEAD, POST, PUT, PATCH, DELETE...
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  ///< Extra fields, sent in this order.
  std::string body;                                          ///< Sent when not empty (webhooks).
  HttpLimits limits;
  bool allow_file = false;                ///< Allow a file:// URL (never as a redirect target).
  std::optional<std::string> user_agent;  ///< Overrides the client's User-Agent.
};

}  // namespace newswatch::net
