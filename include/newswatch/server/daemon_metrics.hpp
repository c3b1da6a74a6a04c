#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "newswatch/model/alert.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/server/metrics.hpp"

namespace newswatch::server {

/// How one poll of a feed ended, as the `result` label of newswatch_feed_polls_total spells it.
/// A closed set, so that the label's cardinality is bounded and every result series exists (at
/// zero) from the moment a feed is added: rate() over a series that appears late misses its start.
enum class PollResult {
  ok,               ///< 2xx and the body parsed as a feed.
  not_modified,     ///< 304.
  gone,             ///< 410: the feed is now disabled.
  http_error,       ///< Any other non-2xx status.
  transport_error,  ///< DNS, connect, TLS, timeout, size cap...
  parse_error,      ///< 2xx but not a feed.
};

/// "ok", "not_modified", "gone", "http_error", "transport_error", "parse_error".
const char* to_string(PollResult result) noexcept;

/// newswatch's own metric families, named per the Prometheus naming guide (base units: seconds;
/// `_total` on counters; `_timestamp_seconds` for Unix times), with one method for each thing the
/// daemon reports. Used on the loop thread only, like Registry.
///
/// Feeds, rules and targets are label values: after a config reload, remove_feed(),
/// remove_rule() and remove_target() drop the series of those that are gone, so /metrics does not
/// keep reporting a feed that no longer exists.
class DaemonMetrics {
 public:
  /// Registers every family; newswatch_build_info{version} is 1 from the start and start time is `started`.
  DaemonMetrics(std::string_view version, TimePoint started);
  ~DaemonMetrics() = default;
  DaemonMetrics(const DaemonMetrics&) = delete;
  DaemonMetrics& operator=(const DaemonMetrics&) = delete;
  DaemonMetrics(DaemonMetrics&&) = delete;
  DaemonMetrics& operator=(DaemonMetrics&&) = delete;

  /// Creates a feed's series at zero (each poll result, new items), so rate() sees the feed from its start.
  void add_feed(std::string_view feed);
  /// One poll of `feed` ended with `result`; the fetch took `fetch_duration` (omit when nothing was fetched).
  void feed_polled(std::string_view feed, PollResult result);
  /// As above, with the fetch's wall time for newswatch_fetch_duration_seconds.
  void feed_polled(std::string_view feed, PollResult result, std::chrono::duration<double> fetch_duration);
  /// The feed was fetched and understood (200 parsed, or 304) at `at`.
  void feed_succeeded(std::string_view feed, TimePoint at);
  /// Polls in a row that failed; 0 after a success. Alert on it rather than on single failures.
  void set_feed_consecutive_failures(std::string_view feed, std::size_t failures);
  /// `count` new items were recorded for `feed`.
  void items_new(std::string_view feed, std::size_t count);
  /// Drops every series labelled with `feed`: it was removed from the config.
  void remove_feed(std::string_view feed);
  /// How many feeds are in `state` (ok, failing, disabled, baselining, ...): newswatch_feeds{state}.
  void set_feeds_in_state(std::string_view state, std::size_t count);

  /// Rule `rule` raised `count` alerts.
  void alerts_raised(std::string_view rule, std::size_t count = 1);
  /// Drops every series labelled with `rule`.
  void remove_rule(std::string_view rule);

  /// `count` deliveries to `target` ended in `state` (sent; dead; pending = a retry is scheduled).
  void deliveries_finished(std::string_view target, DeliveryState state, std::size_t count = 1);
  /// An alert reached its target `latency` after it was created (newswatch_delivery_latency_seconds).
  void delivery_latency(std::chrono::duration<double> latency);
  /// Deliveries waiting in the outbox for `target`.
  void set_outbox_pending(std::string_view target, std::size_t pending);
  /// Drops every series labelled with `target`.
  void remove_target(std::string_view target);

  /// A config reload ended; on success `at` becomes the last successful reload time.
  void config_reloaded(bool succeeded, TimePoint at);
  /// A store read or write failed (the store is the truth: this one is worth an alert).
  void store_error();

  /// The registry, for families a caller adds itself.
  [[nodiscard]] Registry& registry() noexcept { return registry_; }
  /// The exposition for /metrics (text format 0.0.4).
  [[nodiscard]] std::string render() const { return registry_.render(); }

 private:
  Registry registry_;
  CounterFamily& feed_polls_;
  HistogramFamily& fetch_duration_;
  GaugeFamily& feed_last_success_;
  GaugeFamily& feed_consecutive_failures_;
  CounterFamily& items_new_;
  GaugeFamily& feeds_;
  CounterFamily& alerts_;
  CounterFamily& deliveries_;
  GaugeFamily& outbox_pending_;
  HistogramFamily& delivery_latency_;
  CounterFamily& config_reloads_;
  GaugeFamily& config_last_reload_success_;
  CounterFamily& store_errors_;
};

}  // namespace newswatch::server
