#include "newswatch/fetch/cache_headers.hpp"

#include <cstdint>

#include "newswatch/fetch/http_date.hpp"

namespace newswatch::fetch {
namespace {

/// RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31.
constexpr std::int64_t delta_seconds_cap = std::int64_t{1} << 31U;

/// 1*DIGIT, saturating at delta_seconds_cap; nullopt for anything else.
std::optional<std::int64_t> parse_delta_seconds(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char character : text) {
    if (character < '0' || character > '9') {
      return std::nullopt;
    }
    value = value * 10 + (character - '0');
    if (value > delta_seconds_cap) {
      value = delta_seconds_cap;
    }
  }
  return value;
}

}  // namespace

std::optional<std::chrono::seconds> parse_max_age(std::string_view cache_control) {
  while (!cache_control.empty()) {
    const auto comma = cache_control.find(',');
    const auto directive = net::trim_http_whitespace(cache_control.substr(0, comma));
    cache_control = comma == std::string_view::npos ? std::string_view{} : cache_control.substr(comma + 1);
    const auto equals = directive.find('=');
    if (!net::equals_ignore_case(net::trim_http_whitespace(directive.substr(0, equals)), "max-age")) {
      continue;
    }
    if (equals == std::string_view::npos) {
      return std::nullopt;  // max-age without a value is invalid.
    }
    auto argument = net::trim_http_whitespace(directive.substr(equals + 1));
    // §5.2: senders use the token form, but the quoted-string form must be accepted too.
    if (argument.size() >= 2 && argument.front() == '"' && argument.back() == '"') {
      argument = argument.substr(1, argument.size() - 2);
    }
    const auto seconds = parse_delta_seconds(argument);
    if (!seconds) {
      return std::nullopt;
    }
    return std::chrono::seconds{*seconds};
  }
  return std::nullopt;
}

std::optional<TimePoint> parse_retry_after(std::string_view value, TimePoint now) {
  value = net::trim_http_whitespace(value);
  if (const auto delay = parse_delta_seconds(value)) {
    return now + std::chrono::seconds{*delay};
  }
  return parse_http_date(value, now);
}

CacheHints read_cache_hints(const net::HttpHeaders& headers, TimePoint now) {
  CacheHints hints;
  if (const auto cache_control = headers.find_combined("Cache-Control")) {
    hints.max_age = parse_max_age(*cache_control);
  }
  if (!hints.max_age) {
    if (const auto expires = headers.find("Expires")) {
      hints.expires = parse_http_date(*expires, now);
    }
  }
  if (const auto retry_after = headers.find("Retry-After")) {
    hints.retry_after = parse_retry_after(*retry_after, now);
  }
  if (const auto date = headers.find("Date")) {
    hints.server_date = parse_http_date(*date, now);
  }
  return hints;
}

}  // namespace newswatch::fetch
