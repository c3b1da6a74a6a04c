#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/config/config.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/net/http_headers.hpp"
#include "newswatch/net/http_response.hpp"

namespace newswatch::alert {

/// What an answer means for the message that was sent.
enum class Verdict {
  delivered,  ///< The platform took it.
  retry,      ///< Try again later: 5xx, 429, 408, or no answer at all.
  permanent,  ///< Never going to work as configured: any other 4xx (or 3xx). The alert goes dead.
};

/// "delivered", "retry", "permanent".
const char* to_string(Verdict verdict) noexcept;

/// A classified answer.
struct DeliveryOutcome {
  Verdict verdict = Verdict::retry;
  /// Not before this much time has passed: Retry-After, or the platform's own field (Discord
  /// retry_after, Telegram parameters.retry_after, Matrix retry_after_ms). The larger one wins.
  std::optional<std::chrono::milliseconds> retry_after;
  /// After a delivery: the platform says its bucket is empty (Discord X-RateLimit-Remaining: 0),
  /// so the next message to this target waits this long (X-RateLimit-Reset-After).
  std::optional<std::chrono::milliseconds> pause;
  /// For a failure: "HTTP 404 Unknown Webhook", the platform's own words, one line, no secrets.
  std::string error;
};

/// Classifies a complete HTTP answer from a `type` target; `now` resolves a Retry-After date.
DeliveryOutcome classify_response(config::TargetType type, long status, const net::HttpHeaders& headers,
                                  std::string_view body, TimePoint now);

/// Classifies a transfer that ended without an answer: timeouts and connection failures are
/// retried; a URL the client refuses (bad scheme, bad redirect) never works.
DeliveryOutcome classify_transport_error(net::TransportError error, std::string_view error_text);

/// classify_transport_error() or classify_response(), whichever `response` calls for.
DeliveryOutcome classify(config::TargetType type, const net::HttpResponse& response, TimePoint now);

}  // namespace newswatch::alert
