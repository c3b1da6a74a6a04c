#include "sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <set>

#include "newswatch/config/names.hpp"
#include "newswatch/text/ascii.hpp"
#include "newswatch/text/suggest.hpp"
#include "newswatch/url/host.hpp"
#include "newswatch/url/url.hpp"
#include "query_check.hpp"

namespace newswatch::config::detail {
namespace {

constexpr std::array<std::string_view, 20> daemon_keys{"state_dir",
                                                       "user_agent",
                                                       "default_interval",
                                                       "min_interval",
                                                       "max_interval",
                                                       "max_concurrent_fetches",
                                                       "per_host_concurrency",
                                                       "fetch_timeout",
                                                       "max_feed_bytes",
                                                       "log_level",
                                                       "log_format",
                                                       "http_listen",
                                                       "proxy",
                                                       "max_item_age",
                                                       "story_window",
                                                       "retention",
                                                       "strip_query_params",
                                                       "alert_max_age",
                                                       "adaptive",
                                                       "shutdown_timeout"};
constexpr std::array<std::string_view, 9> feed_keys{"name",    "url",      "interval",     "tags",    "enabled",
                                                    "headers", "baseline", "max_item_age", "adaptive"};
constexpr std::array<std::string_view, 7> rule_keys{"name",    "query",       "feeds", "targets",
                                                    "enabled", "description", "digest"};
constexpr std::array<std::string_view, 7> log_levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
constexpr std::array<std::string_view, 2> log_formats{"text", "json"};

std::string read_name(TableReader& reader, std::string_view kind, Diagnostics& diagnostics) {
  auto name = reader.string("name", true).value_or("");
  if (reader.has("name") && !name.empty() && !is_valid_name(name)) {
    diagnostics.error(reader.where("name"),
                      fmt::format("{} name \"{}\" has characters other than letters, digits, "
                                  "'-', '_' and '.'",
                                  kind, name),
                      "rename it, e.g. \"trt-world\"");
  } else if (reader.has("name") && name.empty()) {
    diagnostics.error(reader.where("name"), fmt::format("{} name is empty", kind));
  }
  return name;
}

std::string table_context(std::string_view kind, const std::string& name) {
  std::string context = "[[";
  context += kind;
  context += "]]";
  if (!name.empty()) {
    context += " \"" + name + "\"";
  }
  return context;
}

/// Checks a URL's syntax (RFC 3986), its scheme and that http(s) URLs have a host; returns the
/// problem, if any.
std::optional<std::string> url_problem(std::string_view text, bool allow_file) {
  const std::string scheme = text::lower_ascii(url::scheme_of(text));
  if (scheme.empty()) {
    return std::string("is not an absolute URL");
  }
  if (scheme == "file") {
    if (!allow_file) {
      return std::string("must be http or https");
    }
    // The path is a local file name, taken as it is: only its form is checked.
    if (!text.substr(scheme.size() + 1).starts_with("///")) {
      return std::string("must be file:///absolute/path");
    }
    return std::nullopt;
  }
  if (!url::is_http_scheme(scheme)) {
    return fmt::format("has scheme \"{}\"; only http, https{} are allowed", scheme, allow_file ? " and file" : "");
  }
  const auto parsed = url::Url::parse(text);
  if (!parsed) {
    return fmt::format("is not a valid URL: {}", parsed.error().message);
  }
  if (parsed->host_kind() == url::HostKind::none) {
    return std::string("has no host");
  }
  if (parsed->host_kind() == url::HostKind::name && url::host_name(*parsed).empty()) {
    return fmt::format("has host \"{}\", which is not a valid internationalised domain name", parsed->host());
  }
  return std::nullopt;
}

}  // namespace

std::string peek_name(const toml::table& table) {
  const auto* name = table.get("name");
  return name != nullptr && name->is_string() ? name->as_string()->get() : std::string();
}

void DaemonSectionReader::read(const toml::table& table) {
  for (const auto& [key, value] : table) {
    const auto where = Diagnostics::location(key.source());
    const auto [first, inserted] = first_set_.emplace(std::string(key.str()), where);
    if (!inserted) {
      diagnostics_.error(where, fmt::format("[daemon] \"{}\" is set twice", key.str()),
                         fmt::format("first set at {}:{}:{}; keep one of them", first->second.file, first->second.line,
                                     first->second.column));
    }
  }
  TableReader reader(table, "[daemon]", daemon_keys, diagnostics_);
  if (auto value = reader.string("state_dir")) {
    if (value->empty() || value->front() != '/') {
      diagnostics_.error(reader.where("state_dir"), fmt::format("state_dir \"{}\" must be an absolute path", *value),
                         "e.g. \"/var/lib/newswatch\"");
    }
    settings_.state_dir = *value;
  }
  if (auto value = reader.string("user_agent")) {
    settings_.user_agent = *value;
  }
  if (auto value = reader.duration("default_interval")) {
    settings_.default_interval = *value;
  }
  if (auto value = reader.duration("min_interval")) {
    settings_.min_interval = *value;
  }
  if (auto value = reader.duration("max_interval")) {
    settings_.max_interval = *value;
  }
  if (auto value = reader.integer("max_concurrent_fetches", 1, 10000)) {
    settings_.max_concurrent_fetches = static_cast<int>(*value);
  }
  if (auto value = reader.integer("per_host_concurrency", 1, 10000)) {
    settings_.per_host_concurrency = static_cast<int>(*value);
  }
  if (auto value = reader.duration("fetch_timeout")) {
    settings_.fetch_timeout = *value;
  }
  if (auto value = reader.size("max_feed_bytes")) {
    settings_.max_feed_bytes = *value;
  }
  if (auto value = reader.choice("log_level", log_levels)) {
    settings_.log_level = *value;
  }
  if (auto value = reader.choice("log_format", log_formats)) {
    settings_.log_format = *value == "json" ? LogFormat::json : LogFormat::text;
  }
  if (auto value = reader.string("http_listen")) {
    const auto colon = value->rfind(':');
    const auto port = colon == std::string::npos ? std::string() : value->substr(colon + 1);
    const bool port_ok = !port.empty() && port.size() <= 5 &&
                         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                         std::stoi(port) <= 65535;
    if (colon == 0 || !port_ok) {
      diagnostics_.error(reader.where("http_listen"), fmt::format("http_listen \"{}\" is not host:port", *value),
                         "e.g. \"127.0.0.1:9469\" or \"[::1]:9469\"");
    } else {
      settings_.http_listen = *value;
    }
  }
  if (auto value = reader.string("proxy")) {
    settings_.proxy = *value;
  }
  if (auto value = reader.duration("max_item_age")) {
    settings_.max_item_age = *value;
  }
  if (auto value = reader.duration("story_window")) {
    settings_.story_window = *value;
  }
  if (auto value = reader.duration("retention")) {
    settings_.retention = *value;
  }
  if (auto value = reader.string_array("strip_query_params")) {
    for (const auto& name : *value) {
      if (name.empty() || name.find_first_of("=&#? ") != std::string::npos) {
        diagnostics_.error(reader.where("strip_query_params"),
                           fmt::format("strip_query_params entry \"{}\" is not a query parameter name", name),
                           "write names such as \"src\" or prefixes such as \"pk_*\"");
      }
    }
    settings_.strip_query_params = *value;
  }
  if (auto value = reader.duration("alert_max_age")) {
    if (*value <= std::chrono::seconds::zero()) {
      diagnostics_.error(reader.where("alert_max_age"), "[daemon] alert_max_age must be longer than 0s",
                         "e.g. \"24h\"");
    }
    settings_.alert_max_age = *value;
  }
  settings_.adaptive = reader.boolean("adaptive").value_or(settings_.adaptive);
  if (auto value = reader.duration("shutdown_timeout")) {
    settings_.shutdown_timeout = *value;
  }
}

void DaemonSectionReader::finish() {
  const auto where = [this](std::string_view key) {
    const auto found = first_set_.find(key);
    return found == first_set_.end() ? Location{} : found->second;
  };
  if (settings_.min_interval > settings_.max_interval) {
    diagnostics_.error(where("min_interval"), "[daemon] min_interval is larger than max_interval",
                       "min_interval <= default_interval <= max_interval");
  } else if (settings_.default_interval < settings_.min_interval ||
             settings_.default_interval > settings_.max_interval) {
    diagnostics_.error(where("default_interval"), "[daemon] default_interval is outside [min_interval, max_interval]",
                       "min_interval <= default_interval <= max_interval");
  }
}

Located<Feed> read_feed(const toml::table& table, Diagnostics& diagnostics) {
  auto located = locate<Feed>(table);
  auto& feed = located.value;
  TableReader reader(table, table_context("feed", peek_name(table)), feed_keys, diagnostics);
  feed.name = read_name(reader, "feed", diagnostics);
  feed.url = reader.string("url", true).value_or("");
  if (feed.url.starts_with("file:") && !feed.url.starts_with("file://")) {
    // "file:feeds/x.xml" is relative to the directory of the config file it is written in.
    const auto base = std::filesystem::path(located.at("url").file).parent_path();
    feed.url = "file://" + std::filesystem::absolute(base / feed.url.substr(5)).lexically_normal().string();
  }
  if (reader.has("url")) {
    if (const auto problem = url_problem(feed.url, true)) {
      diagnostics.error(reader.where("url"), fmt::format("feed url \"{}\" {}", feed.url, *problem),
                        "e.g. \"https://www.trtworld.com/rss\" or \"file:///srv/feeds/local.xml\"");
    }
  }
  feed.interval = reader.duration("interval");
  if (auto tags = reader.string_array("tags")) {
    for (const auto& tag : *tags) {
      if (!is_valid_name(tag)) {
        diagnostics.error(reader.where("tags"), fmt::format("tag \"{}\" has characters other than letters, digits, "
                                                            "'-', '_' and '.'",
                                                            tag));
      }
    }
    feed.tags = std::move(*tags);
  }
  feed.enabled = reader.boolean("enabled").value_or(true);
  feed.headers = reader.secret_table("headers");
  feed.baseline = reader.boolean("baseline").value_or(true);
  feed.max_item_age = reader.duration("max_item_age");
  feed.adaptive = reader.boolean("adaptive");
  return located;
}

Located<Rule> read_rule(const toml::table& table, Diagnostics& diagnostics) {
  auto located = locate<Rule>(table);
  auto& rule = located.value;
  TableReader reader(table, table_context("rule", peek_name(table)), rule_keys, diagnostics);
  rule.name = read_name(reader, "rule", diagnostics);
  if (auto query = reader.string("query", true)) {
    rule.query = *query;
    check_rule_query(rule.name, rule.query, table.get("query")->source(), diagnostics);
  }
  rule.feeds = reader.string_array("feeds").value_or(std::vector<std::string>{});
  rule.targets = reader.string_array("targets").value_or(std::vector<std::string>{});
  rule.enabled = reader.boolean("enabled").value_or(true);
  rule.description = reader.string("description").value_or("");
  if (auto digest = reader.duration("digest")) {
    // Shorter than a minute is no digest at all: it would only delay each alert.
    if (*digest < std::chrono::minutes{1}) {
      diagnostics.error(reader.where("digest"), fmt::format("rule \"{}\" digest must be at least 1m", rule.name),
                        "e.g. \"15m\"");
    }
    rule.digest = *digest;
  }
  return located;
}

void check_rule_references(const std::vector<Located<Rule>>& rules, const std::vector<Located<Feed>>& feeds,
                           const std::vector<Located<Target>>& targets, Diagnostics& diagnostics) {
  std::vector<std::string_view> feed_names;
  std::vector<std::string_view> tags;
  std::vector<std::string_view> target_names;
  for (const auto& feed : feeds) {
    feed_names.push_back(feed.value.name);
    tags.insert(tags.end(), feed.value.tags.begin(), feed.value.tags.end());
  }
  target_names.reserve(targets.size());
  for (const auto& target : targets) {
    target_names.push_back(target.value.name);
  }
  const auto contains = [](const std::vector<std::string_view>& list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  const auto suggest = [](std::string_view typo, const std::vector<std::string_view>& list, std::string_view prefix) {
    const auto match = text::closest_match(typo, list);
    return match ? fmt::format("did you mean \"{}{}\"?", prefix, *match) : std::string();
  };
  for (const auto& rule : rules) {
    const auto& feeds_at = rule.at("feeds");
    for (const auto& reference : rule.value.feeds) {
      if (reference.starts_with("tag:")) {
        const auto tag = std::string_view(reference).substr(4);
        if (!contains(tags, tag)) {
          diagnostics.error(feeds_at,
                            fmt::format("rule \"{}\" names tag \"{}\", which no feed has", rule.value.name, tag),
                            suggest(tag, tags, "tag:"));
        }
      } else if (!contains(feed_names, reference)) {
        diagnostics.error(feeds_at, fmt::format("rule \"{}\" names unknown feed \"{}\"", rule.value.name, reference),
                          suggest(reference, feed_names, ""));
      }
    }
    for (const auto& reference : rule.value.targets) {
      if (!contains(target_names, reference)) {
        diagnostics.error(rule.at("targets"),
                          fmt::format("rule \"{}\" names unknown target \"{}\"", rule.value.name, reference),
                          suggest(reference, target_names, ""));
      }
    }
  }
}

}  // namespace newswatch::config::detail
