#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/config/diagnostic.hpp"
#include "newswatch/model/feed.hpp"
#include "newswatch/model/secret.hpp"

namespace newswatch::config {

using std::chrono_literals::operator""min;
using std::chrono_literals::operator""s;
using std::chrono_literals::operator""h;

/// How log lines are written.
enum class LogFormat { text, json };

/// The `[daemon]` table.
struct DaemonSettings {
  std::filesystem::path state_dir = "/var/lib/newswatch";
  std::string user_agent;  ///< Empty: "newswatch/VERSION (+URL)".
  std::chrono::seconds default_interval = 10min;
  std::chrono::seconds min_interval = 1min;
  std::chrono::seconds max_interval = 24h;
  int max_concurrent_fetches = 64;
  int per_host_concurrency = 2;
  std::chrono::seconds fetch_timeout = 30s;
  std::uint64_t max_feed_bytes = std::uint64_t{16} * 1024 * 1024;
  std::string log_level = "info";
  LogFormat log_format = LogFormat::text;
  std::optional<std::string> http_listen;  ///< "host:port" for /metrics and /healthz.
  std::string proxy;                       ///< Empty: libcurl's environment (http_proxy, https_proxy, no_proxy).
  std::chrono::seconds max_item_age = std::chrono::days{7};  ///< Older new items are recorded, never alerted.
  std::chrono::seconds story_window = 48h;                   ///< How long a story gathers near-duplicates.
  std::chrono::seconds retention = std::chrono::days{90};    ///< Items gone from their feed this long are forgotten.
  std::vector<std::string> strip_query_params;  ///< More tracking parameters to drop from links ("pk_*": prefix).
  std::chrono::seconds alert_max_age = 24h;     ///< An alert not delivered by this age goes dead instead.
  bool adaptive = false;  ///< Poll at the interval the publishing rate suggests (clamped by min/max_interval).
  std::chrono::seconds shutdown_timeout = 10s;  ///< On SIGTERM, how long in-flight fetches and deliveries may finish.
};

/// A `[[rule]]` table.
struct Rule {
  std::string name;
  std::string query;
  std::vector<std::string> feeds;  ///< Feed names or "tag:NAME"; empty means every feed.
  std::vector<std::string> targets;
  bool enabled = true;
  std::string description;
  std::optional<std::chrono::seconds> digest;  ///< Collect alerts and send one digest per this interval.
};

/// The chat tools alerts can go to.
enum class TargetType { webhook, slack, discord, teams, mattermost, googlechat, telegram, ntfy, matrix, console };

/// The config spelling of a target type ("googlechat").
const char* target_type_name(TargetType type);

/// A `[[target]]` table. Fields a type does not use stay empty.
struct Target {
  std::string name;
  TargetType type = TargetType::console;
  Secret url;                   ///< Webhook URL; ntfy topic URL; Matrix homeserver; Telegram API base (optional).
  Secret token;                 ///< Telegram bot token, Matrix access token, ntfy access token.
  Secret secret;                ///< Webhook HMAC signing secret.
  std::string chat_id;          ///< Telegram.
  std::string room;             ///< Matrix room id or alias.
  std::string template_text;    ///< Optional message template (inline, or read from template_file).
  std::string template_file;    ///< Where template_text was read from; empty for an inline template.
  Location template_location;   ///< Where the template starts (its TOML value, or line 1 of template_file).
  std::optional<int> priority;  ///< ntfy priority 1..5.
  std::vector<std::pair<std::string, Secret>> headers;  ///< Webhook extra headers.
  int concurrency = 1;                                  ///< Requests in flight at once; 1 keeps the order.
  int max_per_minute = 0;  ///< Flood control: messages in any 60 s window; 0 = only the platform's pace.
};

/// The whole validated configuration; immutable once loaded.
struct Config {
  DaemonSettings daemon;
  std::vector<Feed> feeds;
  std::vector<Rule> rules;
  std::vector<Target> targets;
  std::vector<std::filesystem::path> files;  ///< Main file then drop-ins, in the order read.
};

}  // namespace newswatch::config
