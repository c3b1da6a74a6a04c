#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/time.hpp"

namespace newswatch::server {

// The snapshot types carry no target URLs, tokens or any other secret on purpose: the page is
// served to whoever reaches the listener, so what is not in the snapshot cannot leak from it.

/// Where a feed stands, as the page shows it.
enum class FeedHealth {
  ok,          ///< Last poll succeeded.
  failing,     ///< Last poll failed; retried with backoff.
  disabled,    ///< Not polled (410 Gone, or disabled in the config).
  baselining,  ///< First poll(s): items are recorded without alerts.
  pending,     ///< Not polled yet.
};

/// "ok", "failing", "disabled", "baselining", "pending".
const char* to_string(FeedHealth health) noexcept;

/// One feed's line on the status page.
struct FeedStatus {
  std::string name;
  FeedHealth health = FeedHealth::pending;
  std::optional<TimePoint> last_poll;
  std::optional<TimePoint> next_poll;
  std::string last_error;  ///< Empty when the last poll succeeded.
  std::size_t items = 0;   ///< Items the store holds for the feed.
};

/// One rule's line.
struct RuleStatus {
  std::string name;
  std::size_t matches_last_24h = 0;
};

/// One target's line: its name and type only, never its URL or credentials.
struct TargetStatus {
  std::string name;
  std::string type;  ///< "slack", "webhook", ...
  std::size_t queued = 0;
  std::size_t dead = 0;    ///< Alerts given up on.
  std::string last_error;  ///< Empty when the last send succeeded.
};

/// One of the most recent alerts.
struct RecentAlert {
  std::string rule;
  std::string title;
  std::string link;  ///< Shown as a link only when http or https.
  std::string feed;
  TimePoint created{};
  std::vector<std::string> why;  ///< The words or phrases that matched.
};

/// Everything the status page shows, filled by the daemon on the loop thread when the page is asked for.
struct StatusSnapshot {
  std::string version;
  TimePoint started{};
  std::string config_path;
  std::optional<TimePoint> last_reload;  ///< Unset: no reload since start.
  bool last_reload_succeeded = true;
  std::string last_reload_error;  ///< The failed reload's message.
  std::vector<FeedStatus> feeds;
  std::vector<RuleStatus> rules;
  std::vector<TargetStatus> targets;
  std::vector<RecentAlert> recent_alerts;  ///< Newest first; the page shows the first recent_alert_limit.
};

/// Alerts shown on the page at most.
inline constexpr std::size_t recent_alert_limit = 50;

/// The whole status page: one HTML5 document, inline CSS, no script and no external resource, every
/// text escaped, times in UTC with their distance from `now`. Failing feeds come first.
std::string render_status_page(const StatusSnapshot& snapshot, TimePoint now);

/// `text` with &, <, >, " and ' replaced by character references; C0 controls but tab and newline dropped.
void append_escaped_html(std::string_view text, std::string& out);

/// "3m ago", "in 5m" or "now" (under a second apart).
std::string format_relative(TimePoint when, TimePoint now);

/// True for an absolute http: or https: URL (any case): the only links the page makes clickable.
bool is_web_link(std::string_view url) noexcept;

}  // namespace newswatch::server
