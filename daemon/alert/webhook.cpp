// Generic webhook: a documented JSON body, signed per the Standard Webhooks spec when the target
// has a secret (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).

#include "newswatch/alert/webhook_signature.hpp"
#include "platforms.hpp"
#include "template_data.hpp"

namespace newswatch::alert::detail {
namespace {

using Json = nlohmann::ordered_json;

Json optional_time(const std::optional<TimePoint>& instant) {
  return instant ? Json(format_rfc3339(*instant)) : Json(nullptr);
}

/// One alert as the webhook body documents it (README "webhook").
Json alert_json(const Alert& alert) {
  Json why = Json::array();
  for (const auto& evidence : alert.why) {
    Json spans = Json::array();
    for (const auto& [begin, end] : evidence.spans) {
      spans.push_back({begin, end});
    }
    why.push_back(
        {{"rule", alert.rule}, {"field", evidence.field}, {"spans", std::move(spans)}, {"text", evidence.text}});
  }
  Json also = Json::array();
  for (const auto& member : alert.also) {
    also.push_back({{"feed", member.feed}, {"title", member.title}, {"link", member.link}});
  }
  return {
      {"id", alert.id},
      {"rule", alert.rule},
      {"story", alert.story},
      {"feed", alert.feed},
      {"item_id", alert.item_id},
      {"title", alert.title},
      {"link", alert.link},
      {"published", optional_time(alert.published)},
      {"summary", alert.summary},
      {"why", std::move(why)},
      {"also", std::move(also)},
      {"updated", alert.updated},
      {"created", format_rfc3339(alert.created)},
  };
}

/// {"type": "newswatch.alert" | "newswatch.digest", "timestamp", "data"}, the payload structure
/// the Standard Webhooks spec recommends. A story's data is its first alert with every rule named
/// in "rules" and every matched evidence in "why"; a digest's data lists every alert.
std::string default_body(const Message& message, const std::string& id) {
  const Alert& first = message.alerts.front();
  if (message.kind == MessageKind::digest) {
    Json alerts = Json::array();
    for (const auto& alert : message.alerts) {
      alerts.push_back(alert_json(alert));
    }
    return dump_json({{"type", "newswatch.digest"},
                      {"timestamp", format_rfc3339(first.created)},
                      {"data", {{"id", id}, {"count", message.alerts.size()}, {"alerts", std::move(alerts)}}}});
  }
  Json data = alert_json(first);
  Json rules = Json::array();
  Json alert_ids = Json::array();
  for (const auto& alert : message.alerts) {
    if (std::find(rules.begin(), rules.end(), Json(alert.rule)) == rules.end()) {
      rules.push_back(alert.rule);
    }
    alert_ids.push_back(alert.id);
    data["updated"] = data["updated"].get<bool>() || alert.updated;
    if (&alert != &first) {
      Json other = alert_json(alert);
      for (auto& evidence : other["why"]) {
        data["why"].push_back(std::move(evidence));
      }
    }
  }
  data["id"] = id;
  data["rules"] = std::move(rules);
  data["alert_ids"] = std::move(alert_ids);
  return dump_json(
      {{"type", "newswatch.alert"}, {"timestamp", format_rfc3339(first.created)}, {"data", std::move(data)}});
}

bool is_safe_header(std::string_view name, std::string_view value) {
  const auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) &&
         std::none_of(value.begin(), value.end(), bad) && name.find(':') == std::string_view::npos;
}

}  // namespace

Requests build_webhook(const config::Target& target, const Message& message, TimePoint now) {
  const std::string id = message_id(message);
  std::string body;
  if (target.template_text.empty()) {
    body = default_body(message, id);
  } else {
    auto rendered = render_template(target.template_text, message, Markup::json);
    if (!rendered) {
      return make_unexpected("template " + rendered.error().to_string());
    }
    body = std::move(*rendered);
  }
  OutgoingRequest request;
  request.method = "POST";
  request.url = target.url.reveal();
  request.headers.emplace_back("Content-Type", "application/json");
  // webhook-id is the idempotency key: the same on every retry of this message.
  request.headers.emplace_back("webhook-id", id);
  const std::int64_t timestamp = now.time_since_epoch().count();
  request.headers.emplace_back("webhook-timestamp", std::to_string(timestamp));
  if (!target.secret.empty()) {
    auto signature = sign_webhook(target.secret.reveal(), id, timestamp, body);
    if (!signature) {
      return make_unexpected(signature.error());
    }
    request.headers.emplace_back("webhook-signature", std::move(*signature));
  }
  for (const auto& [name, value] : target.headers) {
    if (!is_safe_header(name, value.reveal())) {
      return make_unexpected(fmt::format("header \"{}\" has a line break in its name or value", name));
    }
    request.headers.emplace_back(name, value.reveal());
  }
  request.body = std::move(body);
  return std::vector<OutgoingRequest>{std::move(request)};
}

}  // namespace newswatch::alert::detail
