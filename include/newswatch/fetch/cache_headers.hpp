#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "newswatch/model/time.hpp"
#include "newswatch/net/http_headers.hpp"

namespace newswatch::fetch {

/// What a response says about when to ask again.
struct CacheHints {
  std::optional<std::chrono::seconds> max_age;  ///< Cache-Control max-age.
  std::optional<TimePoint> expires;             ///< Expires, unless max-age is present (RFC 9111 §5.3).
  std::optional<TimePoint> retry_after;         ///< Retry-After resolved to an instant.
  std::optional<TimePoint> server_date;         ///< Date.
};

/// The max-age directive of a Cache-Control value (RFC 9111 §5.2.2.1); the first one wins when
/// repeated (§4.2.1); s-maxage is for shared caches and ignored; nullopt when absent or invalid.
std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control);

/// A Retry-After value (RFC 9110 §10.2.3): delay-seconds counted from `now`, or an HTTP-date.
std::optional<TimePoint> parse_retry_after(std::string_view value, TimePoint now);

/// Reads Cache-Control, Expires, Retry-After and Date from `headers`; `now` is when the
/// response arrived.
CacheHints read_cache_hints(const net::HttpHeaders& headers, TimePoint now);

}  // namespace newswatch::fetch
