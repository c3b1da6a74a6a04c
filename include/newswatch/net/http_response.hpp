#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/net/http_headers.hpp"

namespace newswatch::net {

/// Why a transfer ended without a complete HTTP response.
enum class TransportError {
  none,                ///< A complete response arrived (any status).
  invalid_request,     ///< Malformed URL or an option libcurl refused.
  scheme_refused,      ///< The URL's scheme is not allowed (only http/https, file on request).
  redirect_refused,    ///< A redirect pointed at a scheme other than http/https.
  too_many_redirects,  ///< More than HttpLimits::max_redirects.
  resolve_failed,      ///< DNS found no address for the host.
  connect_failed,      ///< Refused, unreachable, or connect timeout.
  tls_failed,          ///< Handshake or certificate verification failed.
  timed_out,           ///< HttpLimits::total_timeout elapsed.
  too_slow,            ///< Below the low-speed limit for low_speed_time.
  body_too_large,      ///< The decoded body exceeded HttpLimits::max_body_bytes.
  protocol_error,      ///< Broken HTTP, bad Content-Encoding, connection closed mid-response.
  cancelled,           ///< The client was destroyed before the transfer ended.
  other,               ///< Anything else libcurl reported.
};

/// Short stable name of a TransportError ("timed_out"), for logs and metrics.
std::string_view to_string(TransportError error) noexcept;

/// The standard reason phrase of an HTTP status code (RFC 9110 §15), "" when unknown.
std::string_view reason_phrase(long status) noexcept;

/// One response in a redirect chain.
struct HttpHop {
  std::string url;  ///< The URL requested for this hop.
  long status = 0;
  std::string location;  ///< Location as sent (possibly relative); empty when absent.
  std::string target;    ///< Location resolved against `url`; empty when absent.
  HttpHeaders headers;
};

/// Where the time of a transfer went, from its start (libcurl's CURLINFO_*_TIME_T).
struct HttpTiming {
  std::chrono::microseconds name_lookup{0};
  std::chrono::microseconds connect{0};
  std::chrono::microseconds tls_handshake_done{0};  ///< 0 for plain HTTP.
  std::chrono::microseconds first_byte{0};
  std::chrono::microseconds redirects{0};  ///< Spent in hops before the final one.
  std::chrono::microseconds total{0};
};

/// What a transfer produced. A transport failure still carries what was learned before it
/// (redirect hops, timing), which is why this is one struct and not a value-or-error.
struct HttpResponse {
  TransportError error = TransportError::none;
  std::string error_text;           ///< One human-readable line when error != none.
  long status = 0;                  ///< Final status; 0 when no response arrived.
  HttpHeaders headers;              ///< Headers of the final response.
  std::string body;                 ///< Decoded body of the final response.
  std::vector<HttpHop> redirects;   ///< Every 3xx hop that was followed (or refused), in order.
  std::string url;                  ///< The URL that was requested.
  std::string effective_url;        ///< The URL of the final response.
  std::string http_version;         ///< "HTTP/1.1", "HTTP/2"...; empty when no response.
  std::string remote_address;       ///< Peer IP address of the last connection.
  std::int64_t bytes_received = 0;  ///< Body bytes on the wire (before decompression).
  HttpTiming timing;

  /// True when a complete response arrived (whatever its status).
  [[nodiscard]] bool completed() const noexcept { return error == TransportError::none; }
};

}  // namespace newswatch::net
