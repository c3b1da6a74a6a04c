#include <fmt/format.h>

#include <array>

#include "newswatch/config/target_shorthand.hpp"
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
      {TargetType::webhook, {"url", "secret", "template", "template_file", "headers"}, {"url"}},
      {TargetType::slack, {"url", "template", "template_file"}, {"url"}},
      {TargetType::discord, {"url", "template", "template_file"}, {"url"}},
      {TargetType::teams, {"url", "template", "template_file"}, {"url"}},
      {TargetType::mattermost, {"url", "template", "template_file"}, {"url"}},
      {TargetType::googlechat, {"url", "template", "template_file"}, {"url"}},
      {TargetType::telegram, {"token", "chat_id", "url", "template", "template_file"}, {"token", "chat_id"}},
      {TargetType::ntfy, {"url", "token", "priority", "template", "template_file"}, {"url"}},
      {TargetType::matrix, {"url", "room", "token", "template", "template_file"}, {"url", "room", "token"}},
      {TargetType::console, {"template", "template_file"}, {}},
  }};
  return shapes;
}

bool is_http_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

const TargetShape* shape_of(TargetType type) {
  for (const auto& shape : target_shapes()) {
    if (shape.type == type) {
      return &shape;
    }
  }
  return nullptr;
}

/// The table's url when it is an Apprise-style shorthand (discord://, tgram://, ...), resolved
/// quietly: any problem with the reference itself is reported when the url is read for real.
std::optional<std::string> peek_shorthand(const toml::table& table, const Diagnostics& diagnostics) {
  const auto* node = table.get("url");
  if (node == nullptr || !node->is_string()) {
    return std::nullopt;
  }
  Diagnostics quiet(diagnostics.environment());
  auto url = resolve_secret(node->as_string()->get(), Diagnostics::location(node->source()), quiet);
  if (!url || !is_target_shorthand(url->reveal())) {
    return std::nullopt;
  }
  return url->reveal();
}

/// Sets `field` from the shorthand url unless the table sets it too, which is an error.
void take_from_shorthand(std::string& field, const std::string& value, std::string_view key, TableReader& reader,
                         Diagnostics& diagnostics) {
  if (value.empty()) {
    return;
  }
  if (reader.has(key)) {
    diagnostics.error(reader.where(key), fmt::format("{} sets \"{}\" both here and in its url", reader.context(), key),
                      "keep one of them");
    return;
  }
  field = value;
}

/// Reads `template` or `template_file` (relative to the config file's directory).
void read_template(TableReader& reader, Target& target, Diagnostics& diagnostics) {
  if (auto text = reader.string("template")) {
    target.template_text = std::move(*text);
    target.template_location = reader.where("template");
  }
  const auto file = reader.string("template_file");
  if (!file) {
    return;
  }
  if (reader.has("template")) {
    diagnostics.error(reader.where("template_file"),
                      fmt::format("{} has both \"template\" and \"template_file\"", reader.context()),
                      "keep one of them");
    return;
  }
  std::filesystem::path path = *file;
  if (path.is_relative()) {
    path = std::filesystem::path(reader.where("template_file").file).parent_path() / path;
  }
  const auto read = diagnostics.environment().read_file(path);
  if (!read.contents) {
    diagnostics.error(reader.where("template_file"),
                      fmt::format("cannot read template_file {}: {}", path.string(), read.error),
                      "a relative path starts at the directory of this config file");
    return;
  }
  target.template_text = *read.contents;
  target.template_file = path.string();
  target.template_location = Location{path.string(), 1, 1};
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
    // An Apprise-style url (discord://, tgram://, ...) says the type itself.
    if (const auto url = peek_shorthand(table, diagnostics)) {
      if (const auto parsed = parse_target_shorthand(*url)) {
        shape = shape_of(parsed->type);
      } else {
        diagnostics.error(located.at("url"), fmt::format("{} {}", context, parsed.error()),
                          "see README \"Targets\" for the URL forms");
      }
    } else {
      diagnostics.error(
          located.table, fmt::format("{} is missing \"type\"", context),
          "one of: webhook, slack, discord, teams, mattermost, googlechat, telegram, ntfy, matrix, console");
    }
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
  target.token = reader.secret("token").value_or(Secret{});
  target.secret = reader.secret("secret").value_or(Secret{});
  target.chat_id = reader.string("chat_id").value_or("");
  target.room = reader.string("room").value_or("");
  std::optional<TargetShorthand> shorthand;
  if (auto url = reader.secret("url")) {
    if (is_target_shorthand(url->reveal())) {
      auto parsed = parse_target_shorthand(url->reveal());
      if (!parsed) {
        diagnostics.error(reader.where("url"), fmt::format("{} {}", context, parsed.error()),
                          "see README \"Targets\" for the URL forms");
      } else if (parsed->type != shape->type) {
        diagnostics.error(reader.where("url"),
                          fmt::format("{} is type {} but its url is a {} shorthand", context,
                                      target_type_name(shape->type), target_type_name(parsed->type)),
                          fmt::format("write type = \"{}\" or leave type out", target_type_name(parsed->type)));
      } else {
        shorthand = std::move(*parsed);
      }
    } else if (!is_http_url(url->reveal())) {
      diagnostics.error(reader.where("url"), fmt::format("{} url must be an http or https URL", context),
                        "check the value (or the env/file/credential it names)");
    }
    // A shorthand's endpoint keeps the url's reference, so it prints redacted like the url.
    target.url = shorthand ? Secret(shorthand->url, url->redacted()) : std::move(*url);
  }
  if (shorthand) {
    if (!shorthand->token.empty()) {
      if (reader.has("token")) {
        diagnostics.error(reader.where("token"), fmt::format("{} sets \"token\" both here and in its url", context),
                          "keep one of them");
      } else {
        target.token = Secret(shorthand->token, target.url.redacted());
      }
    }
    take_from_shorthand(target.chat_id, shorthand->chat_id, "chat_id", reader, diagnostics);
    take_from_shorthand(target.room, shorthand->room, "room", reader, diagnostics);
  }
  for (const auto key : shape->required) {
    const bool from_shorthand =
        shorthand && (key == "url" || (key == "token" && !shorthand->token.empty()) ||
                      (key == "chat_id" && !shorthand->chat_id.empty()) || (key == "room" && !shorthand->room.empty()));
    if (!reader.has(key) && !from_shorthand) {
      diagnostics.error(located.table,
                        fmt::format("{} (type {}) is missing \"{}\"", context, target_type_name(shape->type), key),
                        fmt::format("add {} = \"...\" (secrets may be env:NAME, file:/path or credential:NAME)", key));
    }
  }
  read_template(reader, target, diagnostics);
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
