#include "newswatch/server/status_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace newswatch::server {
namespace {

// No script, no external resource: the policy says so to the browser too, so that a slip in
// escaping still cannot run anything (CSP Level 3, default-src 'none').
constexpr std::string_view page_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newswatch status</title>
<style>
:root { color-scheme: light dark; --line: #d0d4da; --muted: #5f6b7a; --bad: #b3261e; --bad-bg: #fdecea;
        --warn-bg: #fff6dc; --ok: #1e7b34; }
@media (prefers-color-scheme: dark) {
  :root { --line: #3a4049; --muted: #9aa5b1; --bad: #ff8a80; --bad-bg: #3b1d1b; --warn-bg: #3a3220; --ok: #7bd88f; }
}
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1200px;
       padding: 1rem 1.5rem 3rem; }
header { border-bottom: 2px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.5rem; margin: 0.2rem 0; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 0.5rem; }
.meta { color: var(--muted); margin: 0.2rem 0 0.6rem; }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 0.6rem 0 1rem; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem 0.7rem; }
.counts b { font-size: 1.15rem; margin-right: 0.25rem; }
.counts .bad { border-color: var(--bad); color: var(--bad); }
.notice { background: var(--bad-bg); border-left: 4px solid var(--bad); padding: 0.5rem 0.8rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
#feeds-table td:first-child, #rules-table td:first-child, #targets-table td:first-child { white-space: nowrap; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
tr.failing, tr.dead { background: var(--bad-bg); }
tr.disabled, tr.baselining, tr.pending { color: var(--muted); }
.state { font-weight: 600; }
tr.failing .state, .error { color: var(--bad); }
tr.ok .state { color: var(--ok); }
time { white-space: nowrap; }
.relative, .none { color: var(--muted); }
.term { background: var(--warn-bg); border-radius: 3px; padding: 0 0.25rem; margin-right: 0.25rem; }
.url { color: var(--muted); word-break: break-all; }
</style>
</head>
<body>
)";

void append_time(std::optional<TimePoint> when, TimePoint now, std::string& out) {
  if (!when) {
    out += R"(<span class="none">—</span>)";
    return;
  }
  const std::string stamp = format_rfc3339(*when);
  out += R"(<time datetime=")";
  out += stamp;
  out += R"(">)";
  out += stamp;
  out += R"(</time> <span class="relative">()";
  out += format_relative(*when, now);
  out += ")</span>";
}

void append_cell(std::string_view text, std::string& out) {
  out += "<td>";
  append_escaped_html(text, out);
  out += "</td>";
}

void append_number_cell(std::size_t value, std::string& out) {
  fmt::format_to(std::back_inserter(out), R"(<td class="number">{}</td>)", value);
}

void append_count(std::string_view label, std::size_t value, bool bad, std::string& out) {
  fmt::format_to(std::back_inserter(out), "<li{}><b>{}</b>{}</li>\n", bad ? R"( class="bad")" : "", value, label);
}

void append_link(std::string_view title, std::string_view link, std::string& out) {
  const std::string_view shown = title.empty() ? std::string_view("(untitled)") : title;
  if (is_web_link(link)) {
    out += R"(<a href=")";
    append_escaped_html(link, out);
    out += R"(" rel="noopener noreferrer nofollow">)";
    append_escaped_html(shown, out);
    out += "</a>";
    return;
  }
  append_escaped_html(shown, out);
  if (!link.empty()) {
    out += R"(<br><span class="url">)";
    append_escaped_html(link, out);
    out += "</span>";
  }
}

void append_header(const StatusSnapshot& snapshot, TimePoint now, std::string& out) {
  const auto count_feeds = [&](FeedHealth health) {
    return static_cast<std::size_t>(std::count_if(snapshot.feeds.begin(), snapshot.feeds.end(),
                                                  [health](const FeedStatus& feed) { return feed.health == health; }));
  };
  std::size_t queued = 0;
  std::size_t dead = 0;
  for (const auto& target : snapshot.targets) {
    queued += target.queued;
    dead += target.dead;
  }
  out += "<header>\n<h1>newswatch</h1>\n<p class=\"meta\">version ";
  append_escaped_html(snapshot.version, out);
  out += " · started ";
  append_time(snapshot.started, now, out);
  out += " · config <code>";
  append_escaped_html(snapshot.config_path, out);
  out += "</code> · last reload ";
  if (snapshot.last_reload) {
    append_time(snapshot.last_reload, now, out);
    out += snapshot.last_reload_succeeded ? " ok" : R"( <span class="error">failed</span>)";
  } else {
    out += "none";
  }
  out += " · page made ";
  append_time(now, now, out);
  out += "</p>\n<ul class=\"counts\">\n";
  const std::size_t failing = count_feeds(FeedHealth::failing);
  append_count(" feeds", snapshot.feeds.size(), false, out);
  append_count(" ok", count_feeds(FeedHealth::ok), false, out);
  append_count(" failing", failing, failing > 0, out);
  append_count(" disabled", count_feeds(FeedHealth::disabled), false, out);
  append_count(" baselining", count_feeds(FeedHealth::baselining), false, out);
  append_count(" rules", snapshot.rules.size(), false, out);
  append_count(" targets", snapshot.targets.size(), false, out);
  append_count(" queued", queued, false, out);
  append_count(" dead", dead, dead > 0, out);
  out += "</ul>\n";
  if (snapshot.last_reload && !snapshot.last_reload_succeeded) {
    out += R"(<p class="notice">The last config reload failed; the daemon runs on the config loaded before it: )";
    append_escaped_html(snapshot.last_reload_error, out);
    out += "</p>\n";
  }
  out += "</header>\n";
}

void append_feeds(const StatusSnapshot& snapshot, TimePoint now, std::string& out) {
  // Failing feeds first: they are what an operator opens the page for.
  std::vector<const FeedStatus*> feeds;
  feeds.reserve(snapshot.feeds.size());
  for (const auto& feed : snapshot.feeds) {
    feeds.push_back(&feed);
  }
  std::stable_partition(feeds.begin(), feeds.end(),
                        [](const FeedStatus* feed) { return feed->health == FeedHealth::failing; });
  out += "<section id=\"feeds\">\n<h2>Feeds</h2>\n";
  if (feeds.empty()) {
    out += "<p class=\"none\">No feeds configured.</p>\n</section>\n";
    return;
  }
  out +=
      "<table id=\"feeds-table\">\n<thead><tr><th>Feed</th><th>State</th><th>Last poll</th><th>Next poll</th>"
      "<th class=\"number\">Items</th><th>Last error</th></tr></thead>\n<tbody>\n";
  for (const FeedStatus* feed : feeds) {
    fmt::format_to(std::back_inserter(out), R"(<tr class="{}">)", to_string(feed->health));
    append_cell(feed->name, out);
    fmt::format_to(std::back_inserter(out), R"(<td class="state">{}</td><td>)", to_string(feed->health));
    append_time(feed->last_poll, now, out);
    out += "</td><td>";
    append_time(feed->next_poll, now, out);
    out += "</td>";
    append_number_cell(feed->items, out);
    out += R"(<td class="error">)";
    append_escaped_html(feed->last_error, out);
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void append_rules(const StatusSnapshot& snapshot, std::string& out) {
  out += "<section id=\"rules\">\n<h2>Rules</h2>\n";
  if (snapshot.rules.empty()) {
    out += "<p class=\"none\">No rules configured.</p>\n</section>\n";
    return;
  }
  out +=
      "<table id=\"rules-table\">\n<thead><tr><th>Rule</th><th class=\"number\">Matches in the last 24 h</th>"
      "</tr></thead>\n<tbody>\n";
  for (const auto& rule : snapshot.rules) {
    out += "<tr>";
    append_cell(rule.name, out);
    append_number_cell(rule.matches_last_24h, out);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void append_targets(const StatusSnapshot& snapshot, std::string& out) {
  out += "<section id=\"targets\">\n<h2>Targets</h2>\n";
  if (snapshot.targets.empty()) {
    out += "<p class=\"none\">No targets configured.</p>\n</section>\n";
    return;
  }
  out +=
      "<table id=\"targets-table\">\n<thead><tr><th>Target</th><th>Type</th><th class=\"number\">Queued</th>"
      "<th class=\"number\">Dead</th><th>Last error</th></tr></thead>\n<tbody>\n";
  for (const auto& target : snapshot.targets) {
    out += target.dead > 0 || !target.last_error.empty() ? R"(<tr class="dead">)" : "<tr>";
    append_cell(target.name, out);
    append_cell(target.type, out);
    append_number_cell(target.queued, out);
    append_number_cell(target.dead, out);
    out += R"(<td class="error">)";
    append_escaped_html(target.last_error, out);
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void append_alerts(const StatusSnapshot& snapshot, TimePoint now, std::string& out) {
  const std::size_t shown = std::min(snapshot.recent_alerts.size(), recent_alert_limit);
  out += "<section id=\"alerts\">\n<h2>Recent alerts</h2>\n";
  if (shown == 0) {
    out += "<p class=\"none\">No alerts yet.</p>\n</section>\n";
    return;
  }
  out +=
      "<table id=\"alerts-table\">\n<thead><tr><th>Created</th><th>Rule</th><th>Feed</th><th>Title</th>"
      "<th>Why</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const RecentAlert& alert = snapshot.recent_alerts[i];
    out += "<tr><td>";
    append_time(alert.created, now, out);
    out += "</td>";
    append_cell(alert.rule, out);
    append_cell(alert.feed, out);
    out += "<td>";
    append_link(alert.title, alert.link, out);
    out += "</td><td>";
    for (const auto& term : alert.why) {
      out += R"(<span class="term">)";
      append_escaped_html(term, out);
      out += "</span>";
    }
    out += "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

}  // namespace

const char* to_string(FeedHealth health) noexcept {
  switch (health) {
    case FeedHealth::ok: return "ok";
    case FeedHealth::failing: return "failing";
    case FeedHealth::disabled: return "disabled";
    case FeedHealth::baselining: return "baselining";
    case FeedHealth::pending: return "pending";
  }
  return "pending";
}

void append_escaped_html(std::string_view text, std::string& out) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // C0 controls are parse errors in HTML (WHATWG HTML §13.2.5); tab and newline are text.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') {
          out += c;
        }
    }
  }
}

std::string format_relative(TimePoint when, TimePoint now) {
  if (when == now) {
    return "now";
  }
  if (when < now) {
    return format_duration(now - when) + " ago";
  }
  return "in " + format_duration(when - now);
}

bool is_web_link(std::string_view url) noexcept {
  const auto starts_with_scheme = [url](std::string_view scheme) {
    return url.size() > scheme.size() &&
           std::equal(scheme.begin(), scheme.end(), url.begin(), [](char expected, char actual) {
             return expected == std::tolower(static_cast<unsigned char>(actual));
           });
  };
  return starts_with_scheme("http://") || starts_with_scheme("https://");
}

std::string render_status_page(const StatusSnapshot& snapshot, TimePoint now) {
  std::string out;
  out.reserve(page_head.size() + 512 * (snapshot.feeds.size() + snapshot.recent_alerts.size()) + 4096);
  out += page_head;
  append_header(snapshot, now, out);
  out += "<main>\n";
  append_feeds(snapshot, now, out);
  append_alerts(snapshot, now, out);
  append_rules(snapshot, out);
  append_targets(snapshot, out);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace newswatch::server
