#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "newswatch/model/time.hpp"

namespace newswatch::schedule {

/// Bounds and knobs of the polling policy, from the [daemon] settings.
struct SchedulePolicy {
  std::chrono::seconds min_interval{std::chrono::minutes{1}};
  std::chrono::seconds max_interval{std::chrono::hours{24}};
  std::chrono::seconds max_backoff{std::chrono::hours{24}};  ///< Ceiling of the failure backoff.
  /// A server's Retry-After is honoured beyond max_interval, but never beyond this (a typo'd
  /// HTTP-date must not silence a feed for years).
  std::chrono::seconds max_retry_after{std::chrono::days{7}};
  double jitter_ratio = 0.1;                                 ///< Jitter adds up to this share of the delay...
  std::chrono::seconds max_jitter{std::chrono::minutes{5}};  ///< ...but never more than this.
  bool adaptive = false;                                     ///< Lengthen the interval of feeds that publish rarely.
};

/// What the config, the last fetch and the last parse say about when to poll a feed again.
struct PollHints {
  std::chrono::seconds feed_interval{std::chrono::minutes{10}};  ///< The feed's (or the default) interval.
  std::optional<std::chrono::seconds> max_age;                   ///< Cache-Control max-age.
  std::optional<TimePoint> expires;                              ///< Expires header.
  std::optional<TimePoint> server_date;                          ///< Date header, to correct Expires for skew.
  std::optional<std::chrono::seconds> ttl;                       ///< RSS <ttl>, already in seconds.
  std::optional<std::chrono::seconds> update_period;             ///< sy:updatePeriod / sy:updateFrequency, in seconds.
  std::optional<TimePoint> retry_after;                          ///< 429/503 Retry-After, as an instant.
  std::vector<int> skip_hours;                                   ///< RSS <skipHours>: UTC hours 0-23.
  std::vector<std::chrono::weekday> skip_days;                   ///< RSS <skipDays>.
  std::vector<TimePoint> published;  ///< Items' publication times, for the adaptive interval.
  int consecutive_failures = 0;      ///< Including the poll that just ended.
};

/// Which hint decided the delay (for logs: "retrying in 4m (Retry-After)").
enum class PollBasis {
  interval,
  cache_control,
  expires,
  ttl,
  update_period,
  adaptive,
  backoff,
  retry_after,
  minimum,  ///< Every hint was shorter than min_interval.
  maximum,  ///< Clamped down to max_interval.
};

/// The decision: when, how long from now, and why.
struct NextPoll {
  TimePoint at;
  std::chrono::seconds delay{0};  ///< at - now, jitter and skip windows included.
  PollBasis basis = PollBasis::interval;
};

/// A short lowercase name of the basis, e.g. "retry-after".
std::string_view to_string(PollBasis basis);

/// When to poll `feed_name` next after a poll that ended at `now`. Pure: the jitter is seeded from
/// the feed name, so the same inputs always give the same answer.
NextPoll next_poll(std::string_view feed_name, TimePoint now, const PollHints& hints, const SchedulePolicy& policy);

/// The interval suggested by the feed's publishing rate (half the median gap between recent items),
/// or nullopt when fewer than four items carry dates.
std::optional<std::chrono::seconds> adaptive_interval(const std::vector<TimePoint>& published);

/// The deterministic jitter for a feed and a delay: a fixed fraction (from a hash of the name) of
/// min(delay * jitter_ratio, max_jitter).
std::chrono::seconds jitter_for(std::string_view feed_name, std::chrono::seconds delay, const SchedulePolicy& policy);

/// `candidate` moved forward to the first instant outside the skipped UTC hours and days (RSS 2.0
/// skipHours/skipDays). A list that skips every hour or every day is ignored.
TimePoint skip_windows(TimePoint candidate, const std::vector<int>& skip_hours,
                       const std::vector<std::chrono::weekday>& skip_days);

}  // namespace newswatch::schedule
