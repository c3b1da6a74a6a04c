#pragma once

#include <optional>
#include <string>

#include "newswatch/model/time.hpp"

namespace newswatch {

/// What newswatch remembers about polling one feed; persisted in the store across restarts.
struct FeedState {
  std::string feed_name;
  std::string url;             ///< Current URL: the configured one, or where a 301/308 moved it.
  std::string configured_url;  ///< The URL in the config when `url` was last set; a config change resets `url`.
  std::string etag;            ///< Byte for byte as received (RFC 9110 §8.8.3), sent as If-None-Match.
  std::string last_modified;   ///< Byte for byte as received, sent as If-Modified-Since.
  std::optional<TimePoint> last_poll;
  std::optional<TimePoint> next_poll;
  std::optional<TimePoint> retry_after;  ///< A server's Retry-After (429/503): no request before it.
  int consecutive_failures = 0;
  std::string last_error;
  bool disabled = false;   ///< 410 Gone: never polled again until the config URL changes.
  bool baselined = false;  ///< A successful poll recorded the feed's items; until then nothing alerts.
};

}  // namespace newswatch
