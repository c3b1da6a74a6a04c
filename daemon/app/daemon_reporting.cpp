// app::Daemon: what it reports of its work — the log lines of polls and alerts, systemd STATUS=,
// the metrics, and the readiness and status page snapshots (the loop itself is daemon.cpp).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "newswatch/app/daemon.hpp"
#include "newswatch/app/daemon_status.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/version.hpp"

namespace newswatch::app {

void Daemon::log_poll(const FeedSlot& slot, const pipeline::FeedPollResult& result) {
  const auto& report = result.report;
  const bool failed = report.verdict == pipeline::PollVerdict::failed;
  switch (failure_log_.on_poll(slot.feed->name, failed, result.next.delay)) {
    case FailureLogLine::first_failure:
      spdlog::warn("fetch: feed={} url={}: {}; retrying in {} ({})", slot.feed->name, report.url, report.detail,
                   format_duration(result.next.delay), to_string(result.next.basis));
      break;
    case FailureLogLine::backoff_step:
      spdlog::warn("fetch: feed={} url={}: still failing ({} in a row): {}; retrying in {} ({})", slot.feed->name,
                   report.url, slot.state.consecutive_failures, report.detail, format_duration(result.next.delay),
                   to_string(result.next.basis));
      break;
    case FailureLogLine::recovery:
      spdlog::info("fetch: feed={} url={}: recovered; next poll in {}", slot.feed->name, report.url,
                   format_duration(result.next.delay));
      break;
    case FailureLogLine::none:
      if (failed) {
        spdlog::debug("fetch: feed={} url={}: {}; retrying in {}", slot.feed->name, report.url, report.detail,
                      format_duration(result.next.delay));
      }
      break;
  }
  const auto& items = report.items;
  if (items.fresh + items.updated > 0) {
    spdlog::info("poll: feed={} new={} updated={} folded={} alerts={}{} next={}", slot.feed->name, items.fresh,
                 items.updated, items.folded, items.alerts, report.baselined ? " baseline=yes" : "",
                 format_duration(result.next.delay));
  } else {
    spdlog::debug("poll: feed={} verdict={} next={}", slot.feed->name, to_string(report.verdict),
                  format_duration(result.next.delay));
  }
}

void Daemon::log_alerts(const std::vector<std::string>& ids) {
  auto alerts = recorder_->alerts(ids);
  if (!alerts) {
    spdlog::error("{}", alerts.error().message);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& alert : *alerts) {
    metrics_->alerts_raised(alert.rule);
    if (!alert.targets.empty()) {
      recorded_at_.emplace(alert.id, now);
    }
    spdlog::info("alert: id={} rule={} feed={} story={} targets={} title=\"{}\" link={}", alert.id, alert.rule,
                 alert.feed, alert.story, alert.targets.size(), alert.title, alert.link);
  }
}

std::string Daemon::status_text() const {
  std::size_t failing = 0;
  for (const auto& [name, slot] : slots_) {
    failing += slot.state.consecutive_failures > 0 || slot.state.disabled ? 1 : 0;
  }
  const auto& config = *current_.config;
  std::string text = fmt::format("feeds {}", slots_.size());
  if (failing > 0) {
    text += fmt::format(" ({} failing)", failing);
  }
  text += fmt::format(", rules {}, targets {}; last poll {}; pending deliveries {}", config.rules.size(),
                      config.targets.size(), last_poll_ ? format_rfc3339(*last_poll_) : std::string("none yet"),
                      pending_deliveries_);
  if (last_reload_error_) {
    text += "; " + *last_reload_error_;
  }
  return text;
}

void Daemon::publish_status() {
  if (auto counts = store_->delivery_counts()) {
    pending_deliveries_ = 0;
    std::map<std::string, std::size_t, std::less<>> pending;
    for (const auto& count : *counts) {
      pending_deliveries_ += count.pending;
      pending[count.target] = count.pending;
    }
    for (const auto& target : current_.config->targets) {
      const auto found = pending.find(target.name);
      metrics_->set_outbox_pending(target.name, found == pending.end() ? 0 : found->second);
    }
  } else {
    metrics_->store_error();
    spdlog::error("{}", counts.error().message);
  }
  std::map<std::string, std::size_t, std::less<>> by_health;
  for (const auto health : {server::FeedHealth::ok, server::FeedHealth::failing, server::FeedHealth::disabled,
                            server::FeedHealth::baselining, server::FeedHealth::pending}) {
    by_health[server::to_string(health)] = 0;
  }
  for (const auto& [name, slot] : slots_) {
    ++by_health[server::to_string(feed_health(slot.state, slot.polling))];
  }
  for (const auto& [health, count] : by_health) {
    metrics_->set_feeds_in_state(health, count);
  }
  notifier_.status(status_text());
}

void Daemon::count_poll(const FeedSlot& slot, const pipeline::FeedPollResult& result) {
  const auto& name = slot.feed->name;
  const auto outcome = poll_result(result);
  if (result.report.verdict == pipeline::PollVerdict::skipped) {
    return;
  }
  metrics_->feed_polled(name, outcome, std::chrono::duration<double>(result.fetch_elapsed));
  if (outcome == server::PollResult::ok || outcome == server::PollResult::not_modified) {
    metrics_->feed_succeeded(name, now_seconds());
  }
  metrics_->set_feed_consecutive_failures(name, static_cast<std::size_t>(std::max(0, slot.state.consecutive_failures)));
  if (result.report.items.fresh > 0) {
    metrics_->items_new(name, result.report.items.fresh);
  }
}

void Daemon::on_delivery(const alert::DeliveryEvent& event) {
  metrics_->deliveries_finished(event.target, event.state, event.alert_ids.size());
  if (event.state == DeliveryState::pending) {
    target_errors_[event.target] = event.detail;
    return;
  }
  if (event.state == DeliveryState::sent) {
    target_errors_.erase(event.target);
  } else {
    target_errors_[event.target] = event.detail;
  }
  const auto now = std::chrono::steady_clock::now();
  for (const auto& id : event.alert_ids) {
    const auto found = recorded_at_.find(id);
    if (found == recorded_at_.end()) {
      continue;
    }
    if (event.state == DeliveryState::sent) {
      metrics_->delivery_latency(std::chrono::duration<double>(now - found->second));
    }
    recorded_at_.erase(found);
  }
}

server::Readiness Daemon::readiness() const {
  if (stopping_) {
    return {false, "shutting down"};
  }
  if (!ready_) {
    return {false, "starting: config, store or schedule not up yet"};
  }
  return {true, {}};
}

server::StatusSnapshot Daemon::status_snapshot() {
  StatusInputs inputs{version,          started_, config_path_,  last_reload_, last_reload_error_,
                      *current_.config, {},       target_errors_};
  for (const auto& [name, slot] : slots_) {
    inputs.feeds.push_back(FeedView{name, slot.state, slot.polling});
  }
  return make_status_snapshot(*store_, inputs, now_seconds());
}

}  // namespace newswatch::app
