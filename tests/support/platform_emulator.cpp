#include "support/platform_emulator.hpp"

#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

namespace newswatch::testing {
namespace {

using config::TargetType;

ScriptedResponse json(int status, const nlohmann::json& body) {
  return ScriptedResponse::text(status, body.dump(), "application/json");
}

std::string whole_seconds(std::chrono::milliseconds delay) {
  return std::to_string(std::chrono::ceil<std::chrono::seconds>(delay).count());
}

ScriptedResponse success(TargetType platform) {
  switch (platform) {
    case TargetType::slack:
    case TargetType::mattermost: return ScriptedResponse::text(200, "ok");
    case TargetType::discord:
      return json(200, {{"id", "1187000000000000000"}, {"type", 0}, {"channel_id", "1186"}, {"content", ""}});
    case TargetType::telegram:
      return json(200, {{"ok", true}, {"result", {{"message_id", 42}, {"chat", {{"id", -100123}}}}}});
    case TargetType::matrix: return json(200, {{"event_id", "$143273582443PhrSn:example.org"}});
    case TargetType::teams: return ScriptedResponse::text(202, "");
    case TargetType::googlechat: return json(200, {{"name", "spaces/AAA/messages/BBB"}, {"text", "..."}});
    case TargetType::ntfy:
      return json(200, {{"id", "sPs71M8A2T"}, {"time", 1700000000}, {"event", "message"}, {"topic", "alerts"}});
    case TargetType::webhook:
    case TargetType::console: break;
  }
  return json(200, nlohmann::json::object());
}

ScriptedResponse rate_limited(TargetType platform, std::chrono::milliseconds retry_after) {
  const auto seconds = whole_seconds(retry_after);
  switch (platform) {
    case TargetType::discord:
      // discord.com/developers/docs/topics/rate-limits: body retry_after in seconds, fractional.
      return json(429, {{"message", "You are being rate limited."},
                        {"retry_after", static_cast<double>(retry_after.count()) / 1000.0},
                        {"global", false}})
          .with_header("Retry-After", seconds)
          .with_header("X-RateLimit-Limit", "5")
          .with_header("X-RateLimit-Remaining", "0")
          .with_header("X-RateLimit-Reset-After", seconds)
          .with_header("X-RateLimit-Bucket", "abcd1234")
          .with_header("X-RateLimit-Scope", "shared");
    case TargetType::telegram:
      // core.telegram.org/bots/api#responseparameters: parameters.retry_after in seconds.
      return json(429, {{"ok", false},
                        {"error_code", 429},
                        {"description", "Too Many Requests: retry after " + seconds},
                        {"parameters", {{"retry_after", std::stoi(seconds)}}}});
    case TargetType::matrix:
      // spec.matrix.org client-server API, rate limiting: M_LIMIT_EXCEEDED with retry_after_ms.
      return json(
          429,
          {{"errcode", "M_LIMIT_EXCEEDED"}, {"error", "Too many requests"}, {"retry_after_ms", retry_after.count()}});
    case TargetType::googlechat:
      return json(429,
                  {{"error",
                    {{"code", 429}, {"message", "Resource has been exhausted"}, {"status", "RESOURCE_EXHAUSTED"}}}})
          .with_header("Retry-After", seconds);
    case TargetType::ntfy:
      return json(429, {{"code", 42901}, {"http", 429}, {"error", "limit reached: too many requests"}})
          .with_header("Retry-After", seconds);
    case TargetType::mattermost:
      return json(429, {{"id", "api.context.rate_limit"}, {"message", "Too many requests"}})
          .with_header("X-Ratelimit-Reset", seconds)
          .with_header("Retry-After", seconds);
    case TargetType::slack:
      // api.slack.com/apis/rate-limits: a Retry-After header, body "rate_limited".
      return ScriptedResponse::text(429, "rate_limited").with_header("Retry-After", seconds);
    case TargetType::teams:
    case TargetType::webhook:
    case TargetType::console: break;
  }
  return ScriptedResponse::text(429, "Too Many Requests").with_header("Retry-After", seconds);
}

ScriptedResponse failure(TargetType platform, int status) {
  const bool missing = status == 404;
  switch (platform) {
    case TargetType::slack: return ScriptedResponse::text(status, missing ? "no_service" : "invalid_payload");
    case TargetType::discord:
      return missing ? json(status, {{"message", "Unknown Webhook"}, {"code", 10015}})
                     : json(status, {{"message", "Invalid Form Body"}, {"code", 50035}});
    case TargetType::telegram:
      return json(status, {{"ok", false},
                           {"error_code", status},
                           {"description", missing ? "Not Found" : "Bad Request: chat not found"}});
    case TargetType::matrix:
      return json(status, {{"errcode", missing ? "M_NOT_FOUND" : "M_BAD_JSON"},
                           {"error", missing ? "Room not found" : "Content not JSON."}});
    case TargetType::teams:
      return json(status,
                  {{"error", {{"code", "InvalidRequestContent"}, {"message", "The request content was not valid"}}}});
    case TargetType::mattermost:
      return json(status, {{"id", "web.incoming_webhook.invalid.app_error"}, {"message", "Invalid webhook."}});
    case TargetType::googlechat:
      return json(
          status,
          {{"error",
            {{"code", status}, {"message", "Invalid JSON payload received."}, {"status", "INVALID_ARGUMENT"}}}});
    case TargetType::ntfy:
      return json(status, {{"code", missing ? 40401 : 40001}, {"http", status}, {"error", "invalid request"}});
    case TargetType::webhook:
    case TargetType::console: break;
  }
  return ScriptedResponse::text(status, missing ? "no such hook" : "bad payload");
}

/// The idempotency key a request carries: the Standard Webhooks id, else Matrix's txnId (the
/// path's last segment).
std::string key_of(const ReceivedRequest& request) {
  if (request.has_header("webhook-id")) {
    return request.header("webhook-id");
  }
  return request.path.substr(request.path.rfind('/') + 1);
}

}  // namespace

ScriptedResponse platform_response(TargetType platform, PlatformAnswer answer, std::chrono::milliseconds retry_after,
                                   std::chrono::milliseconds slow_delay) {
  switch (answer) {
    case PlatformAnswer::success: return success(platform);
    case PlatformAnswer::rate_limited: return rate_limited(platform, retry_after);
    case PlatformAnswer::server_error: return ScriptedResponse::text(503, "Service Unavailable");
    case PlatformAnswer::bad_request: return failure(platform, 400);
    case PlatformAnswer::not_found: return failure(platform, 404);
    case PlatformAnswer::slow: {
      auto response = success(platform);
      response.delay = slow_delay;
      return response;
    }
  }
  return success(platform);
}

struct PlatformEmulatorState {
  TargetType platform;
  mutable std::mutex mutex;
  std::deque<PlatformAnswer> script;
  std::chrono::milliseconds retry_after{std::chrono::seconds{1}};
  std::optional<PlatformAnswer> always;
  std::vector<ReceivedRequest> received;
  std::vector<std::string> accepted_bodies;
  std::vector<std::string> accepted_keys;
};

PlatformEmulator::PlatformEmulator(HttpServer& server, TargetType platform, std::string path)
    : state_(std::make_shared<PlatformEmulatorState>()) {
  state_->platform = platform;
  server.on(std::move(path), [state = state_](const ReceivedRequest& request) {
    const std::scoped_lock lock(state->mutex);
    state->received.push_back(request);
    auto answer = PlatformAnswer::success;
    if (state->always) {
      answer = *state->always;
    } else if (!state->script.empty()) {
      answer = state->script.front();
      state->script.pop_front();
    }
    if (answer == PlatformAnswer::success || answer == PlatformAnswer::slow) {
      state->accepted_bodies.push_back(request.body);
      state->accepted_keys.push_back(key_of(request));
    }
    return platform_response(state->platform, answer, state->retry_after);
  });
}

PlatformEmulator::~PlatformEmulator() = default;

void PlatformEmulator::script(std::vector<PlatformAnswer> answers, std::chrono::milliseconds retry_after) {
  const std::scoped_lock lock(state_->mutex);
  state_->script.assign(answers.begin(), answers.end());
  state_->retry_after = retry_after;
  state_->always.reset();
}

void PlatformEmulator::always(PlatformAnswer answer) {
  const std::scoped_lock lock(state_->mutex);
  state_->always = answer;
}

void PlatformEmulator::recover() {
  const std::scoped_lock lock(state_->mutex);
  state_->always.reset();
  state_->script.clear();
}

std::vector<ReceivedRequest> PlatformEmulator::received() const {
  const std::scoped_lock lock(state_->mutex);
  return state_->received;
}

std::vector<std::string> PlatformEmulator::accepted_bodies() const {
  const std::scoped_lock lock(state_->mutex);
  return state_->accepted_bodies;
}

std::vector<std::string> PlatformEmulator::accepted_keys() const {
  const std::scoped_lock lock(state_->mutex);
  return state_->accepted_keys;
}

}  // namespace newswatch::testing
