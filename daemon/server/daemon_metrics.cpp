#include "newswatch/server/daemon_metrics.hpp"

#include <array>

namespace newswatch::server {
namespace {

constexpr std::array all_poll_results{PollResult::ok,         PollResult::not_modified,    PollResult::gone,
                                      PollResult::http_error, PollResult::transport_error, PollResult::parse_error};

double unix_seconds(TimePoint at) {
  return static_cast<double>(at.time_since_epoch().count());
}

const char* delivery_result(DeliveryState state) {
  switch (state) {
    case DeliveryState::sent: return "sent";
    case DeliveryState::dead: return "dead";
    case DeliveryState::pending: return "retry";
  }
  return "retry";
}

}  // namespace

const char* to_string(PollResult result) noexcept {
  switch (result) {
    case PollResult::ok: return "ok";
    case PollResult::not_modified: return "not_modified";
    case PollResult::gone: return "gone";
    case PollResult::http_error: return "http_error";
    case PollResult::transport_error: return "transport_error";
    case PollResult::parse_error: return "parse_error";
  }
  return "unknown";
}

// Buckets: feed fetches range from a fast 304 (tens of ms) to a slow server near the transfer
// timeout; delivery latency from an immediate send to an alert held back by retries for an hour.
DaemonMetrics::DaemonMetrics(std::string_view version, TimePoint started)
    : feed_polls_(
          registry_.counter("newswatch_feed_polls_total", "Feed polls, by feed and result.", {"feed", "result"})),
      fetch_duration_(registry_.histogram("newswatch_fetch_duration_seconds",
                                          "Wall time of feed fetches, from request to last byte.", {},
                                          {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60})),
      feed_last_success_(registry_.gauge("newswatch_feed_last_success_timestamp_seconds",
                                         "Unix time of the feed's last successful poll (200 parsed or 304).",
                                         {"feed"})),
      feed_consecutive_failures_(registry_.gauge("newswatch_feed_consecutive_failures",
                                                 "Polls of the feed in a row that failed; 0 after a success.",
                                                 {"feed"})),
      items_new_(registry_.counter("newswatch_items_new_total", "New items recorded, by feed.", {"feed"})),
      feeds_(registry_.gauge("newswatch_feeds", "Configured feeds, by state.", {"state"})),
      alerts_(registry_.counter("newswatch_alerts_total", "Alerts raised, by rule.", {"rule"})),
      deliveries_(registry_.counter("newswatch_deliveries_total",
                                    "Delivery attempts that ended, by target and result (sent, retry, dead).",
                                    {"target", "result"})),
      outbox_pending_(
          registry_.gauge("newswatch_outbox_pending", "Deliveries waiting in the outbox, by target.", {"target"})),
      delivery_latency_(registry_.histogram("newswatch_delivery_latency_seconds",
                                            "Time from an alert's creation to its delivery.", {},
                                            {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600})),
      config_reloads_(registry_.counter("newswatch_config_reloads_total", "Config reloads, by result.", {"result"})),
      config_last_reload_success_(registry_.gauge("newswatch_config_last_reload_success_timestamp_seconds",
                                                  "Unix time of the last successful config load.")),
      store_errors_(registry_.counter("newswatch_store_errors_total", "Failed store reads and writes.")) {
  registry_.gauge("newswatch_build_info", "Always 1; the version is in the label.", {"version"}).with({version}).set(1);
  registry_.gauge("newswatch_start_time_seconds", "Unix time the daemon started.").with({}).set(unix_seconds(started));
  // The config was loaded successfully to get this far.
  config_last_reload_success_.with({}).set(unix_seconds(started));
  config_reloads_.with({"success"});
  config_reloads_.with({"failure"});
  store_errors_.with({});
  fetch_duration_.with({});
  delivery_latency_.with({});
}

void DaemonMetrics::add_feed(std::string_view feed) {
  for (const PollResult result : all_poll_results) {
    feed_polls_.with({feed, to_string(result)});
  }
  items_new_.with({feed});
}

void DaemonMetrics::feed_polled(std::string_view feed, PollResult result) {
  feed_polls_.with({feed, to_string(result)}).inc();
}

void DaemonMetrics::feed_polled(std::string_view feed, PollResult result,
                                std::chrono::duration<double> fetch_duration) {
  feed_polled(feed, result);
  fetch_duration_.with({}).observe(fetch_duration.count());
}

void DaemonMetrics::feed_succeeded(std::string_view feed, TimePoint at) {
  feed_last_success_.with({feed}).set(unix_seconds(at));
}

void DaemonMetrics::set_feed_consecutive_failures(std::string_view feed, std::size_t failures) {
  feed_consecutive_failures_.with({feed}).set(static_cast<double>(failures));
}

void DaemonMetrics::items_new(std::string_view feed, std::size_t count) {
  items_new_.with({feed}).inc(static_cast<double>(count));
}

void DaemonMetrics::remove_feed(std::string_view feed) {
  registry_.remove_where("feed", feed);
}

void DaemonMetrics::set_feeds_in_state(std::string_view state, std::size_t count) {
  feeds_.with({state}).set(static_cast<double>(count));
}

void DaemonMetrics::alerts_raised(std::string_view rule, std::size_t count) {
  alerts_.with({rule}).inc(static_cast<double>(count));
}

void DaemonMetrics::remove_rule(std::string_view rule) {
  registry_.remove_where("rule", rule);
}

void DaemonMetrics::deliveries_finished(std::string_view target, DeliveryState state, std::size_t count) {
  deliveries_.with({target, delivery_result(state)}).inc(static_cast<double>(count));
}

void DaemonMetrics::delivery_latency(std::chrono::duration<double> latency) {
  delivery_latency_.with({}).observe(latency.count());
}

void DaemonMetrics::set_outbox_pending(std::string_view target, std::size_t pending) {
  outbox_pending_.with({target}).set(static_cast<double>(pending));
}

void DaemonMetrics::remove_target(std::string_view target) {
  registry_.remove_where("target", target);
}

void DaemonMetrics::config_reloaded(bool succeeded, TimePoint at) {
  config_reloads_.with({succeeded ? "success" : "failure"}).inc();
  if (succeeded) {
    config_last_reload_success_.with({}).set(unix_seconds(at));
  }
}

void DaemonMetrics::store_error() {
  store_errors_.with({}).inc();
}

}  // namespace newswatch::server
