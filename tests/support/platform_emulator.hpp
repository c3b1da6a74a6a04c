#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "support/http_server.hpp"

namespace newswatch::testing {

/// The kinds of answer a chat platform gives.
enum class PlatformAnswer {
  success,       ///< The platform's success status and body.
  rate_limited,  ///< 429 in the platform's own format (header and/or body field).
  server_error,  ///< 503.
  bad_request,   ///< 400 with the platform's error body.
  not_found,     ///< 404 with the platform's error body (a deleted webhook).
  slow,          ///< Success, but only after `slow_delay`.
};

/// What `platform` answers, as documented by it:
///  - Slack: "ok"; 429 with Retry-After; 400 "invalid_payload"; 404 "no_service".
///  - Discord (?wait=true): the message object; 429 JSON retry_after (seconds, fractional) with
///    Retry-After and X-RateLimit-*; 400 "Invalid Form Body" (code 50035); 404 "Unknown Webhook".
///  - Telegram: {"ok":true,...}; 429 parameters.retry_after; 400 "Bad Request: chat not found".
///  - Matrix: {"event_id":...}; 429 M_LIMIT_EXCEEDED retry_after_ms; 400 M_BAD_JSON.
///  - Teams (Workflows): 202; 429 Retry-After; 400 JSON error.
///  - Mattermost: "ok"; 429; 400 JSON id/message.  Google Chat: the message; 429/400 JSON error.
///  - ntfy: the message JSON; 429 code 42901; 400 code 40001.  webhook: 200 "{}"; 429 Retry-After.
ScriptedResponse platform_response(config::TargetType platform, PlatformAnswer answer,
                                   std::chrono::milliseconds retry_after = std::chrono::seconds{1},
                                   std::chrono::milliseconds slow_delay = std::chrono::milliseconds{1500});

struct PlatformEmulatorState;

/// One emulated platform endpoint on a test server: answers from a script, then succeeds; keeps
/// the order requests came in and which idempotency keys (webhook-id header, Matrix txnId) it
/// accepted.
class PlatformEmulator {
 public:
  /// Serves `path` on `server` as `platform` would.
  PlatformEmulator(HttpServer& server, config::TargetType platform, std::string path);
  ~PlatformEmulator();
  PlatformEmulator(const PlatformEmulator&) = delete;
  PlatformEmulator& operator=(const PlatformEmulator&) = delete;
  PlatformEmulator(PlatformEmulator&&) = delete;
  PlatformEmulator& operator=(PlatformEmulator&&) = delete;

  /// The next answers, in order; success after them.
  void script(std::vector<PlatformAnswer> answers, std::chrono::milliseconds retry_after = std::chrono::seconds{1});
  /// Answers `answer` to every request from now on (an outage), until script() or recover().
  void always(PlatformAnswer answer);
  /// Back to success.
  void recover();

  /// Every request received, oldest first.
  [[nodiscard]] std::vector<ReceivedRequest> received() const;
  /// Bodies of the requests that were answered with success, oldest first.
  [[nodiscard]] std::vector<std::string> accepted_bodies() const;
  /// Idempotency keys of the requests answered with success, oldest first (duplicates kept).
  [[nodiscard]] std::vector<std::string> accepted_keys() const;

 private:
  std::shared_ptr<PlatformEmulatorState> state_;
};

}  // namespace newswatch::testing
