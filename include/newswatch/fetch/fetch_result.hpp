#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/model/secret.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/net/http_request.hpp"

namespace newswatch::fetch {

/// One conditional GET of a feed.
struct FetchRequest {
  std::string url;
  std::string etag;           ///< Sent as If-None-Match when not empty.
  std::string last_modified;  ///< Sent as If-Modified-Since when not empty.
  std::vector<std::pair<std::string, Secret>> headers;
  bool allow_file = false;  ///< Only a feed configured with a file:// URL may read files.
  net::HttpLimits limits;   ///< Timeouts, low-speed abort, body cap (max_feed_bytes), redirects.
};

/// How a fetch ended.
enum class FetchOutcome {
  ok,               ///< 2xx with a body.
  not_modified,     ///< 304.
  gone,             ///< 410: disable the feed.
  http_error,       ///< Any other non-2xx status (429/503 carry retry_after).
  transport_error,  ///< DNS, connect, TLS, timeout, low-speed abort, body cap, refused redirect...
};

/// Everything the pipeline and the scheduler need from one fetch.
struct FetchResult {
  FetchOutcome outcome = FetchOutcome::transport_error;
  long status = 0;        ///< Final HTTP status; 0 when none was received.
  std::string final_url;  ///< After redirects.
  std::optional<std::string>
      permanent_redirect;  ///< Set when the chain was only 301/308 and ended in a 2xx/304: the new URL to store.
  int redirects = 0;
  /// Verbatim ETag of a 200 (empty when absent). A 304 without one keeps the request's: the
  /// stored representation is still current (RFC 9111 §4.3.4), so the fields are what to store.
  std::string etag;
  std::string last_modified;                    ///< Verbatim Last-Modified; same rules as etag.
  std::optional<std::chrono::seconds> max_age;  ///< Cache-Control max-age (s-maxage ignored: we are private).
  std::optional<TimePoint> expires;             ///< Expires, parsed; unset when max-age is present (RFC 9111 §5.3).
  std::optional<TimePoint> retry_after;         ///< Retry-After (seconds or HTTP-date) resolved to an instant.
  std::optional<TimePoint> server_date;         ///< Date header, to correct Expires for clock skew.
  std::string content_type;
  std::string body;   ///< Decompressed, at most max_feed_bytes.
  std::string error;  ///< Human-readable reason for http_error / transport_error / gone.
  std::chrono::milliseconds elapsed{0};
};

}  // namespace newswatch::fetch
