#include "newswatch/app/daemon_status.hpp"

#include <algorithm>

namespace newswatch::app {

server::FeedHealth feed_health(const FeedState& state, bool polling) {
  if (state.disabled) {
    return server::FeedHealth::disabled;
  }
  if (state.consecutive_failures > 0) {
    return server::FeedHealth::failing;
  }
  if (!state.baselined && polling) {
    return server::FeedHealth::baselining;
  }
  if (!state.last_poll) {
    return server::FeedHealth::pending;
  }
  return server::FeedHealth::ok;
}

server::PollResult poll_result(const pipeline::FeedPollResult& result) {
  switch (result.report.verdict) {
    case pipeline::PollVerdict::fetched: return server::PollResult::ok;
    case pipeline::PollVerdict::not_modified: return server::PollResult::not_modified;
    case pipeline::PollVerdict::gone: return server::PollResult::gone;
    case pipeline::PollVerdict::failed:
    case pipeline::PollVerdict::skipped: break;
  }
  if (result.parse_failed) {
    return server::PollResult::parse_error;
  }
  return result.fetch_outcome == fetch::FetchOutcome::http_error ? server::PollResult::http_error
                                                                 : server::PollResult::transport_error;
}

server::StatusSnapshot make_status_snapshot(store::Store& store, const StatusInputs& inputs, TimePoint now) {
  const auto& config = inputs.config;
  server::StatusSnapshot snapshot;
  snapshot.version = inputs.version;
  snapshot.started = inputs.started;
  snapshot.config_path = inputs.config_path;
  snapshot.last_reload = inputs.last_reload;
  snapshot.last_reload_succeeded = !inputs.last_reload_error.has_value();
  snapshot.last_reload_error = inputs.last_reload_error.value_or("");

  std::map<std::string, std::size_t, std::less<>> items;
  if (auto feeds = store.list_feeds()) {
    for (const auto& feed : *feeds) {
      items[feed.state.feed_name] = feed.items;
    }
  }
  for (const auto& feed : inputs.feeds) {
    server::FeedStatus status;
    status.name = feed.name;
    status.health = feed_health(feed.state, feed.polling);
    status.last_poll = feed.state.last_poll;
    if (!feed.state.disabled && !feed.polling) {
      status.next_poll = feed.state.next_poll;
    }
    status.last_error = feed.state.consecutive_failures > 0 || feed.state.disabled ? feed.state.last_error : "";
    const auto found = items.find(feed.name);
    status.items = found == items.end() ? 0 : found->second;
    snapshot.feeds.push_back(std::move(status));
  }

  store::AlertFilter last_day;
  last_day.since = now - std::chrono::hours{24};
  last_day.limit = 100000;
  std::map<std::string, std::size_t, std::less<>> matches;
  if (auto alerts = store.list_alerts(last_day)) {
    for (const auto& overview : *alerts) {
      ++matches[overview.alert.rule];
    }
  }
  for (const auto& rule : config.rules) {
    if (rule.enabled) {
      const auto found = matches.find(rule.name);
      snapshot.rules.push_back(server::RuleStatus{rule.name, found == matches.end() ? 0 : found->second});
    }
  }

  std::map<std::string, store::DeliveryCounts, std::less<>> counts;
  if (auto stored = store.delivery_counts()) {
    for (auto& count : *stored) {
      auto name = count.target;
      counts.emplace(std::move(name), std::move(count));
    }
  }
  for (const auto& target : config.targets) {
    server::TargetStatus status;
    status.name = target.name;
    status.type = config::target_type_name(target.type);
    if (const auto found = counts.find(target.name); found != counts.end()) {
      status.queued = found->second.pending;
      status.dead = found->second.dead;
    }
    if (const auto found = inputs.target_errors.find(target.name); found != inputs.target_errors.end()) {
      status.last_error = found->second;
    }
    snapshot.targets.push_back(std::move(status));
  }

  store::AlertFilter recent;
  recent.limit = server::recent_alert_limit;
  if (auto alerts = store.list_alerts(recent)) {
    for (const auto& overview : *alerts) {
      const auto& alert = overview.alert;
      server::RecentAlert entry{alert.rule, alert.title, alert.link, alert.feed, alert.created, {}};
      for (const auto& evidence : alert.why) {
        for (const auto& text : evidence.text) {
          if (!text.empty() && std::find(entry.why.begin(), entry.why.end(), text) == entry.why.end()) {
            entry.why.push_back(text);
          }
        }
      }
      snapshot.recent_alerts.push_back(std::move(entry));
    }
  }
  return snapshot;
}

}  // namespace newswatch::app
