#include "newswatch/config/print.hpp"

#include <toml++/toml.h>
#include <sstream>

#include "newswatch/config/units.hpp"

namespace newswatch::config {
namespace {

toml::array string_array(const std::vector<std::string>& values) {
  toml::array array;
  for (const auto& value : values) {
    array.push_back(value);
  }
  return array;
}

toml::table secret_table(const std::vector<std::pair<std::string, Secret>>& values) {
  toml::table table;
  for (const auto& [name, value] : values) {
    table.insert(name, value.redacted());
  }
  return table;
}

}  // namespace

std::string to_toml(const Config& config) {
  const auto& settings = config.daemon;
  toml::table daemon{
      {"state_dir", settings.state_dir.string()},
      {"user_agent", settings.user_agent},
      {"default_interval", format_duration(settings.default_interval)},
      {"min_interval", format_duration(settings.min_interval)},
      {"max_interval", format_duration(settings.max_interval)},
      {"max_concurrent_fetches", settings.max_concurrent_fetches},
      {"per_host_concurrency", settings.per_host_concurrency},
      {"fetch_timeout", format_duration(settings.fetch_timeout)},
      {"max_feed_bytes", format_size(settings.max_feed_bytes)},
      {"log_level", settings.log_level},
      {"log_format", settings.log_format == LogFormat::json ? "json" : "text"},
      {"proxy", settings.proxy},
      {"max_item_age", format_duration(settings.max_item_age)},
      {"story_window", format_duration(settings.story_window)},
      {"retention", format_duration(settings.retention)},
      {"strip_query_params", string_array(settings.strip_query_params)},
      {"alert_max_age", format_duration(settings.alert_max_age)},
      {"adaptive", settings.adaptive},
      {"shutdown_timeout", format_duration(settings.shutdown_timeout)},
  };
  if (settings.http_listen) {
    daemon.insert("http_listen", *settings.http_listen);
  }

  toml::array feeds;
  for (const auto& feed : config.feeds) {
    toml::table table{{"name", feed.name},
                      {"url", feed.url},
                      {"interval", format_duration(feed.interval.value_or(settings.default_interval))},
                      {"tags", string_array(feed.tags)},
                      {"enabled", feed.enabled},
                      {"baseline", feed.baseline},
                      {"max_item_age", format_duration(feed.max_item_age.value_or(settings.max_item_age))},
                      {"adaptive", feed.adaptive.value_or(settings.adaptive)}};
    if (!feed.headers.empty()) {
      table.insert("headers", secret_table(feed.headers));
    }
    feeds.push_back(std::move(table));
  }

  toml::array rules;
  for (const auto& rule : config.rules) {
    toml::table table{{"name", rule.name},
                      {"query", rule.query},
                      {"feeds", string_array(rule.feeds)},
                      {"targets", string_array(rule.targets)},
                      {"enabled", rule.enabled}};
    if (!rule.description.empty()) {
      table.insert("description", rule.description);
    }
    if (rule.digest) {
      table.insert("digest", format_duration(*rule.digest));
    }
    rules.push_back(std::move(table));
  }

  toml::array targets;
  for (const auto& target : config.targets) {
    toml::table table{{"name", target.name}, {"type", target_type_name(target.type)}};
    const auto add_secret = [&table](std::string_view key, const Secret& value) {
      if (!value.empty()) {
        table.insert(key, value.redacted());
      }
    };
    add_secret("url", target.url);
    add_secret("token", target.token);
    add_secret("secret", target.secret);
    if (!target.chat_id.empty()) {
      table.insert("chat_id", target.chat_id);
    }
    if (!target.room.empty()) {
      table.insert("room", target.room);
    }
    if (target.priority) {
      table.insert("priority", *target.priority);
    }
    if (!target.template_file.empty()) {
      table.insert("template_file", target.template_file);
    } else if (!target.template_text.empty()) {
      table.insert("template", target.template_text);
    }
    if (!target.headers.empty()) {
      table.insert("headers", secret_table(target.headers));
    }
    if (target.type != TargetType::console) {
      table.insert("concurrency", target.concurrency);
      table.insert("max_per_minute", target.max_per_minute);
    }
    targets.push_back(std::move(table));
  }

  toml::table document{{"daemon", std::move(daemon)}};
  if (!feeds.empty()) {
    document.insert("feed", std::move(feeds));
  }
  if (!rules.empty()) {
    document.insert("rule", std::move(rules));
  }
  if (!targets.empty()) {
    document.insert("target", std::move(targets));
  }
  std::ostringstream out;
  out << "# Effective configuration from:";
  for (const auto& file : config.files) {
    out << ' ' << file.string();
  }
  out << "\n# Secrets are shown as the reference they come from, or <redacted>.\n\n" << document << '\n';
  return out.str();
}

}  // namespace newswatch::config
