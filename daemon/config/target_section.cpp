#include <fmt/format.h>

#include <array>

#include "sections.hpp"

namespace newswatch::config {

const char* target_type_name(TargetType type) {
  switch (type) {
    case TargetType::webhook: return "webhook";
    case TargetType::slack: return "slack";
    case TargetType::discord: return "discord";
    case TargetType::teams: return "teams";
    case TargetType::mattermost: return "mattermost";
    case TargetType::googlechat: return "googlechat";
    case TargetType::telegram: return "telegram";
    case TargetType::ntfy: return "ntfy";
    case TargetType::matrix: return "matrix";
    case TargetType::console: return "console";
  }
  return "console";
}

namespace detail {
namespace {

/// What each target type takes: its keys (besides name and type) and which are required.
struct TargetShape {
  TargetType type;
  std::vector<std::string_view> keys;
  std::vector<std::string_view> required;
};

const std::array<TargetShape, 10>& target_shapes() {
  static const std::array<TargetShape, 10> shapes{{
      {TargetType::webhook, {"url", "secret", "template", "headers"}, {"url"}},
      {TargetType::slack, {"url", "template"}, {"url"}},
      {TargetType::discord, {"url", "template"}, {"url"}},
      {TargetType::teams, {"url", "template"}, {"url"}},
      {TargetType::mattermost, {"url", "template"}, {"url"}},
      {TargetType::googlechat, {"url", "template"}, {"url"}},
      {TargetType::telegram, {"token", "chat_id", "url", "template"}, {"token", "chat_id"}},
      {TargetType::ntfy, {"url", "token", "priority", "template"}, {"url"}},
      {TargetType::matrix, {"url", "room", "token", "template"}, {"url", "room", "token"}},
      {TargetType::console, {"template"}, {}},
  }};
  return shapes;
}

bool is_http_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

}  // namespace

Located<Target> read_target(const toml::table& table, Diagnostics& diagnostics) {
  auto located = locate<Target>(table);
  auto& target = located.value;
  const auto context =
      peek_name(table).empty() ? std::string("[[target]]") : fmt::format("[[target]] \"{}\"", peek_name(table));

  std::vector<std::string_view> type_names;
  for (const auto& shape : target_shapes()) {
    type_names.emplace_back(target_type_name(shape.type));
  }
  const TargetShape* shape = nullptr;
  std::vector<std::string_view> keys{"name", "type"};
  const auto* type_node = table.get("type");
  if (type_node == nullptr) {
    diagnostics.error(
        located.table, fmt::format("{} is missing \"type\"", context),
        "one of: webhook, slack, discord, teams, mattermost, googlechat, telegram, ntfy, matrix, console");
  } else if (type_node->is_string()) {
    for (const auto& candidate : target_shapes()) {
      if (type_node->as_string()->get() == target_type_name(candidate.type)) {
        shape = &candidate;
      }
    }
  }
  if (shape != nullptr) {
    keys.insert(keys.end(), shape->keys.begin(), shape->keys.end());
  } else {
    // Unknown type: accept every key any type takes, so only the type itself is reported.
    for (const auto& candidate : target_shapes()) {
      for (const auto key : candidate.keys) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
          keys.push_back(key);
        }
      }
    }
  }
  // Every type that sends over HTTP takes the dispatcher's pacing keys; console only prints.
  if (shape == nullptr || shape->type != TargetType::console) {
    keys.insert(keys.end(), {"concurrency", "max_per_minute"});
  }

  TableReader reader(table, context, keys, diagnostics);
  target.name = reader.string("name", true).value_or("");
  if (type_node != nullptr && shape == nullptr) {
    reader.choice("type", type_names);
    return located;
  }
  if (shape == nullptr) {
    return located;
  }
  target.type = shape->type;
  for (const auto key : shape->required) {
    if (!reader.has(key)) {
      diagnostics.error(located.table,
                        fmt::format("{} (type {}) is missing \"{}\"", context, target_type_name(shape->type), key),
                        fmt::format("add {} = \"...\" (secrets may be env:NAME, file:/path or credential:NAME)", key));
    }
  }
  if (auto url = reader.secret("url")) {
    if (!is_http_url(url->reveal())) {
      diagnostics.error(reader.where("url"), fmt::format("{} url must be an http or https URL", context),
                        "check the value (or the env/file/credential it names)");
    }
    target.url = std::move(*url);
  }
  target.token = reader.secret("token").value_or(Secret{});
  target.secret = reader.secret("secret").value_or(Secret{});
  target.chat_id = reader.string("chat_id").value_or("");
  target.room = reader.string("room").value_or("");
  target.template_text = reader.string("template").value_or("");
  if (auto priority = reader.integer("priority", 1, 5)) {
    target.priority = static_cast<int>(*priority);
  }
  target.headers = reader.secret_table("headers");
  if (auto concurrency = reader.integer("concurrency", 1, 64)) {
    target.concurrency = static_cast<int>(*concurrency);
  }
  if (auto max_per_minute = reader.integer("max_per_minute", 0, 100000)) {
    target.max_per_minute = static_cast<int>(*max_per_minute);
  }
  return located;
}

}  // namespace detail
}  // namespace newswatch::config
