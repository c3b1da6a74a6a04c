#include "newswatch/alert/response_classifier.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "newswatch/alert/message_text.hpp"
#include "newswatch/fetch/cache_headers.hpp"

namespace newswatch::alert {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

constexpr std::size_t error_text_limit = 300;

/// A JSON string member, if there is one.
std::optional<std::string> string_member(const Json& document, const char* name) {
  if (document.is_object() && document.contains(name) && document[name].is_string()) {
    return document[name].get<std::string>();
  }
  return std::nullopt;
}

/// A number of seconds (integer or fractional) as milliseconds; nullopt unless finite and >= 0.
std::optional<milliseconds> seconds_value(const Json& value) {
  if (!value.is_number()) {
    return std::nullopt;
  }
  const double seconds = value.get<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 7 * 24 * 3600.0) {
    return std::nullopt;
  }
  return milliseconds{static_cast<long long>(std::ceil(seconds * 1000))};
}

std::optional<milliseconds> seconds_text(std::string_view text) {
  const Json parsed = Json::parse(text, nullptr, false);
  return seconds_value(parsed);
}

void take_larger(std::optional<milliseconds>& into, std::optional<milliseconds> candidate) {
  if (candidate && (!into || *candidate > *into)) {
    into = candidate;
  }
}

/// Discord's form errors: {"errors": {"embeds": {"0": {"title": {"_errors": [{"message": ...}]}}}}};
/// the first one found, with its path.
std::optional<std::string> first_form_error(const Json& node, const std::string& path) {
  if (!node.is_object()) {
    return std::nullopt;
  }
  if (node.contains("_errors") && node["_errors"].is_array() && !node["_errors"].empty()) {
    if (auto message = string_member(node["_errors"].front(), "message")) {
      return path.empty() ? *message : path + ": " + *message;
    }
  }
  for (const auto& [key, child] : node.items()) {
    if (key == "_errors") {
      continue;
    }
    if (auto found = first_form_error(child, path.empty() ? key : path + "." + key)) {
      return found;
    }
  }
  return std::nullopt;
}

/// The platform's own description of a failure, from its documented error body.
std::string platform_error(config::TargetType type, std::string_view body) {
  const Json document = Json::parse(body, nullptr, false);
  std::optional<std::string> text;
  switch (type) {
    case config::TargetType::discord:
      // {"message": "Unknown Webhook", "code": 10015} (discord.com/developers/docs/topics/opcodes-and-status-codes).
      text = string_member(document, "message");
      if (text && document.contains("errors")) {
        if (auto detail = first_form_error(document["errors"], "")) {
          *text += " (" + *detail + ")";
        }
      }
      break;
    case config::TargetType::telegram:
      // {"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}.
      text = string_member(document, "description");
      if (text && document.contains("parameters") && document["parameters"].is_object() &&
          document["parameters"].contains("migrate_to_chat_id")) {
        *text += fmt::format(" (the group is now chat {}; set chat_id to it)",
                             document["parameters"]["migrate_to_chat_id"].dump());
      }
      break;
    case config::TargetType::matrix:
      // {"errcode": "M_FORBIDDEN", "error": "..."} (spec.matrix.org, "Standard error response").
      if (auto code = string_member(document, "errcode")) {
        const auto error = string_member(document, "error");
        text = error ? *code + ": " + *error : *code;
      }
      break;
    case config::TargetType::teams:
    case config::TargetType::googlechat:
      // {"error": {"code": ..., "message": ..., "status": ...}} (Google APIs, Azure Logic Apps).
      if (document.is_object() && document.contains("error") && document["error"].is_object()) {
        text = string_member(document["error"], "message");
        if (auto status = string_member(document["error"], "status")) {
          text = text ? *status + ": " + *text : *status;
        }
      }
      break;
    case config::TargetType::mattermost:
      // {"id": "...", "message": "...", "status_code": 400}.
      text = string_member(document, "message");
      break;
    case config::TargetType::ntfy:
      // {"code": 40301, "http": 403, "error": "forbidden", "link": "..."}.
      text = string_member(document, "error");
      break;
    case config::TargetType::slack:
    case config::TargetType::webhook:
    case config::TargetType::console: break;
  }
  if (!text) {
    // Slack answers in plain words ("no_service", "invalid_payload"); others anything at all.
    text = std::string(body.substr(0, body.find('\n')));
  }
  return truncate_text(clean_text(*text, true), error_text_limit, LengthUnit::code_points);
}

/// The platform's explicit wait, from its body and headers.
std::optional<milliseconds> explicit_delay(config::TargetType type, const net::HttpHeaders& headers,
                                           std::string_view body, TimePoint now) {
  std::optional<milliseconds> delay;
  if (const auto header = headers.find("Retry-After")) {
    if (const auto until = fetch::parse_retry_after(*header, now)) {
      take_larger(delay, std::chrono::duration_cast<milliseconds>(std::max(*until - now, std::chrono::seconds{0})));
    }
  }
  const Json document = Json::parse(body, nullptr, false);
  if (!document.is_object()) {
    return delay;
  }
  switch (type) {
    case config::TargetType::discord:
      // 429 body: {"message": "You are being rate limited.", "retry_after": 0.645, "global": false}
      // (discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
      if (document.contains("retry_after")) {
        take_larger(delay, seconds_value(document["retry_after"]));
      }
      if (const auto reset = headers.find("X-RateLimit-Reset-After")) {
        take_larger(delay, seconds_text(*reset));
      }
      break;
    case config::TargetType::telegram:
      // {"ok": false, "error_code": 429, "parameters": {"retry_after": 5}}
      // (core.telegram.org/bots/api#responseparameters).
      if (document.contains("parameters") && document["parameters"].is_object() &&
          document["parameters"].contains("retry_after")) {
        take_larger(delay, seconds_value(document["parameters"]["retry_after"]));
      }
      break;
    case config::TargetType::matrix:
      // {"errcode": "M_LIMIT_EXCEEDED", "retry_after_ms": 2000} (spec.matrix.org, "Rate limiting").
      if (document.contains("retry_after_ms") && document["retry_after_ms"].is_number()) {
        take_larger(delay, seconds_value(Json(document["retry_after_ms"].get<double>() / 1000.0)));
      }
      break;
    default: break;
  }
  return delay;
}

}  // namespace

const char* to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::delivered: return "delivered";
    case Verdict::retry: return "retry";
    case Verdict::permanent: return "permanent";
  }
  return "retry";
}

DeliveryOutcome classify_response(config::TargetType type, long status, const net::HttpHeaders& headers,
                                  std::string_view body, TimePoint now) {
  DeliveryOutcome outcome;
  if (status >= 200 && status < 300) {
    outcome.verdict = Verdict::delivered;
    // Discord reports its buckets on every answer; an empty one means wait for its reset
    // (discord.com/developers/docs/topics/rate-limits#header-format).
    if (type == config::TargetType::discord &&
        headers.find("X-RateLimit-Remaining") == std::optional<std::string>("0")) {
      if (const auto reset = headers.find("X-RateLimit-Reset-After")) {
        outcome.pause = seconds_text(*reset);
      }
    }
    return outcome;
  }
  const std::string description = platform_error(type, body);
  const std::string_view phrase = net::reason_phrase(status);
  outcome.error = fmt::format("HTTP {} {}", status, description.empty() ? phrase : std::string_view(description));
  while (!outcome.error.empty() && outcome.error.back() == ' ') {
    outcome.error.pop_back();
  }
  // RFC 9110 §15.5.9 (408) and RFC 6585 §4 (429) invite a retry; a 5xx is the server's failure.
  if (status == 408 || status == 429 || status >= 500 || status < 200) {
    outcome.verdict = Verdict::retry;
    outcome.retry_after = explicit_delay(type, headers, body, now);
    return outcome;
  }
  outcome.verdict = Verdict::permanent;
  return outcome;
}

DeliveryOutcome classify_transport_error(net::TransportError error, std::string_view error_text) {
  DeliveryOutcome outcome;
  outcome.error = fmt::format("{}: {}", net::to_string(error),
                              truncate_text(clean_text(error_text, true), error_text_limit, LengthUnit::code_points));
  switch (error) {
    case net::TransportError::invalid_request:
    case net::TransportError::scheme_refused:
    case net::TransportError::redirect_refused:
    case net::TransportError::too_many_redirects: outcome.verdict = Verdict::permanent; break;
    default: outcome.verdict = Verdict::retry; break;
  }
  return outcome;
}

DeliveryOutcome classify(config::TargetType type, const net::HttpResponse& response, TimePoint now) {
  if (!response.completed()) {
    return classify_transport_error(response.error, response.error_text);
  }
  return classify_response(type, response.status, response.headers, response.body, now);
}

}  // namespace newswatch::alert
