#include "table_reader.hpp"

#include <fmt/format.h>

#include "newswatch/config/units.hpp"
#include "newswatch/text/suggest.hpp"

namespace newswatch::config::detail {

Location Diagnostics::location(const toml::source_region& region) {
  Location where;
  if (region.path) {
    where.file = *region.path;
  }
  where.line = static_cast<int>(region.begin.line);
  where.column = static_cast<int>(region.begin.column);
  return where;
}

void Diagnostics::error(const Location& where, std::string message, std::string hint) {
  list_.push_back({Severity::error, where, std::move(message), std::move(hint)});
}

void Diagnostics::warning(const Location& where, std::string message, std::string hint) {
  list_.push_back({Severity::warning, where, std::move(message), std::move(hint)});
}

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

namespace {

/// A file or credential secret keeps its text but not the newline editors add at the end.
std::string trim_final_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') {
    text.pop_back();
    if (!text.empty() && text.back() == '\r') {
      text.pop_back();
    }
  }
  return text;
}

std::optional<Secret> read_secret_file(const std::filesystem::path& path, const std::string& reference,
                                       const Location& where, Diagnostics& diagnostics) {
  const auto file = diagnostics.environment().read_file(path);
  if (!file.contents) {
    diagnostics.error(where, fmt::format("cannot read secret {}: {}", reference, file.error),
                      "create the file, readable by the newswatch user only (chmod 600)");
    return std::nullopt;
  }
  if (file.world_readable) {
    diagnostics.warning(where, fmt::format("secret file {} is world-readable", path.string()),
                        fmt::format("chmod o-r {}", path.string()));
  }
  return Secret(trim_final_newline(*file.contents), reference);
}

}  // namespace

std::optional<Secret> resolve_secret(const std::string& reference, const Location& where, Diagnostics& diagnostics) {
  const auto& environment = diagnostics.environment();
  if (reference.starts_with("env:")) {
    const auto name = reference.substr(4);
    const auto value = environment.variable(name);
    if (!value) {
      diagnostics.error(where, fmt::format("environment variable {} is not set (from \"{}\")", name, reference),
                        "set it for the service (Environment= or EnvironmentFile=) or use file:/credential:");
      return std::nullopt;
    }
    return Secret(*value, reference);
  }
  if (reference.starts_with("file:")) {
    const std::filesystem::path path = reference.substr(5);
    if (!path.is_absolute()) {
      diagnostics.error(where, fmt::format("secret path in \"{}\" must be absolute", reference),
                        "write file:/etc/newswatch/secret-name");
      return std::nullopt;
    }
    return read_secret_file(path, reference, where, diagnostics);
  }
  if (reference.starts_with("credential:")) {
    const auto name = reference.substr(11);
    if (name.empty() || name.find('/') != std::string::npos) {
      diagnostics.error(where, fmt::format("bad credential name in \"{}\"", reference),
                        "use the name given to LoadCredential=, e.g. credential:slack-newsroom");
      return std::nullopt;
    }
    const auto directory = environment.variable("CREDENTIALS_DIRECTORY");
    if (!directory) {
      diagnostics.error(where, fmt::format("\"{}\" needs $CREDENTIALS_DIRECTORY, which is not set", reference),
                        "run under systemd with LoadCredential=" + name + ":/path, or use env:/file:");
      return std::nullopt;
    }
    return read_secret_file(std::filesystem::path(*directory) / name, reference, where, diagnostics);
  }
  return Secret(reference, "");
}

TableReader::TableReader(const toml::table& table, std::string context, std::span<const std::string_view> allowed_keys,
                         Diagnostics& diagnostics)
    : table_(table), context_(std::move(context)), diagnostics_(diagnostics) {
  for (const auto& [key, value] : table_) {
    const auto name = key.str();
    bool known = false;
    for (const auto allowed : allowed_keys) {
      known = known || allowed == name;
    }
    if (known) {
      continue;
    }
    const auto suggestion = text::closest_match(name, allowed_keys);
    std::string hint;
    if (suggestion) {
      hint = fmt::format("did you mean \"{}\"?", *suggestion);
    } else {
      std::string list;
      for (const auto allowed : allowed_keys) {
        list += list.empty() ? "" : ", ";
        list += allowed;
      }
      hint = "known keys: " + list;
    }
    diagnostics_.error(Diagnostics::location(key.source()), fmt::format("unknown key \"{}\" in {}", name, context_),
                       std::move(hint));
  }
}

Location TableReader::where(std::string_view key) const {
  if (const auto* node = table_.get(key)) {
    return Diagnostics::location(node->source());
  }
  return where();
}

void TableReader::wrong_type(std::string_view key, const toml::node& node, std::string_view expected) {
  diagnostics_.error(Diagnostics::location(node.source()),
                     fmt::format("\"{}\" in {} must be {}, not {}", key, context_, expected, type_name(node)));
}

std::optional<std::string> TableReader::string(std::string_view key, bool required) {
  const auto* node = table_.get(key);
  if (node == nullptr) {
    if (required) {
      diagnostics_.error(where(), fmt::format("{} is missing \"{}\"", context_, key),
                         fmt::format("add {} = \"...\"", key));
    }
    return std::nullopt;
  }
  if (!node->is_string()) {
    wrong_type(key, *node, "a string");
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const auto* node = table_.get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  if (!node->is_boolean()) {
    wrong_type(key, *node, "true or false");
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const auto* node = table_.get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  if (!node->is_integer()) {
    wrong_type(key, *node, "an integer");
    return std::nullopt;
  }
  const auto value = node->as_integer()->get();
  if (value < min || value > max) {
    diagnostics_.error(Diagnostics::location(node->source()),
                       fmt::format("\"{}\" in {} must be between {} and {}, not {}", key, context_, min, max, value));
    return std::nullopt;
  }
  return value;
}

std::optional<std::chrono::seconds> TableReader::duration(std::string_view key) {
  const auto text = string(key);
  if (!text) {
    return std::nullopt;
  }
  const auto value = parse_duration(*text);
  if (!value) {
    diagnostics_.error(where(key), fmt::format("bad duration \"{}\" for \"{}\" in {}", *text, key, context_),
                       "write a positive number with a unit: \"90s\", \"10m\", \"2h\", \"1d\" or \"1h30m\"");
  }
  return value;
}

std::optional<std::uint64_t> TableReader::size(std::string_view key) {
  const auto text = string(key);
  if (!text) {
    return std::nullopt;
  }
  const auto value = parse_size(*text);
  if (!value) {
    diagnostics_.error(where(key), fmt::format("bad size \"{}\" for \"{}\" in {}", *text, key, context_),
                       "write a positive number with a unit: \"512KiB\", \"16MiB\", \"1GB\"");
  }
  return value;
}

std::optional<std::vector<std::string>> TableReader::string_array(std::string_view key) {
  const auto* node = table_.get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    wrong_type(key, *node, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> values;
  bool ok = true;
  for (const auto& element : *array) {
    if (!element.is_string()) {
      diagnostics_.error(Diagnostics::location(element.source()),
                         fmt::format("\"{}\" in {} must hold only strings, not {}", key, context_, type_name(element)));
      ok = false;
      continue;
    }
    values.push_back(element.as_string()->get());
  }
  if (!ok) {
    return std::nullopt;
  }
  return values;
}

std::optional<Secret> TableReader::secret(std::string_view key, bool required) {
  const auto reference = string(key, required);
  if (!reference) {
    return std::nullopt;
  }
  return resolve_secret(*reference, where(key), diagnostics_);
}

std::vector<std::pair<std::string, Secret>> TableReader::secret_table(std::string_view key) {
  std::vector<std::pair<std::string, Secret>> values;
  const auto* node = table_.get(key);
  if (node == nullptr) {
    return values;
  }
  const auto* table = node->as_table();
  if (table == nullptr) {
    wrong_type(key, *node, "a table of strings");
    return values;
  }
  for (const auto& [name, value] : *table) {
    if (!value.is_string()) {
      diagnostics_.error(
          Diagnostics::location(value.source()),
          fmt::format("\"{}.{}\" in {} must be a string, not {}", key, name.str(), context_, type_name(value)));
      continue;
    }
    if (auto secret_value =
            resolve_secret(value.as_string()->get(), Diagnostics::location(value.source()), diagnostics_)) {
      values.emplace_back(std::string(name.str()), std::move(*secret_value));
    }
  }
  return values;
}

std::optional<std::string> TableReader::choice(std::string_view key, std::span<const std::string_view> choices) {
  auto value = string(key);
  if (!value) {
    return std::nullopt;
  }
  for (const auto candidate : choices) {
    if (candidate == *value) {
      return value;
    }
  }
  std::string list;
  for (const auto candidate : choices) {
    list += list.empty() ? "" : ", ";
    list += candidate;
  }
  const auto suggestion = text::closest_match(*value, choices);
  diagnostics_.error(where(key), fmt::format("\"{}\" in {} cannot be \"{}\"", key, context_, *value),
                     suggestion ? fmt::format("did you mean \"{}\"? (one of: {})", *suggestion, list)
                                : fmt::format("one of: {}", list));
  return std::nullopt;
}

}  // namespace newswatch::config::detail
