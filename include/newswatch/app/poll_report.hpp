#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/app/feed_state_update.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::app {

/// How one feed fared in a poll cycle.
struct FeedReport {
  std::string feed;
  std::string url;  ///< The URL polled (after earlier permanent redirects).
  PollVerdict verdict = PollVerdict::failed;
  std::string detail;  ///< Failure reason, or why the feed was skipped.
  std::size_t items = 0;
  std::size_t matches = 0;
  std::optional<TimePoint> next_poll;
};

/// The outcome of a whole cycle.
struct PollSummary {
  std::vector<FeedReport> feeds;  ///< In config order.
  std::size_t items = 0;
  std::size_t matches = 0;
  std::chrono::milliseconds elapsed{0};
  std::optional<std::string> store_error;  ///< Set when feed state could not be loaded or saved.

  /// Feeds whose poll ended with `verdict`.
  [[nodiscard]] std::size_t count(PollVerdict verdict) const;
};

/// One JSON object on one line: {"rule","feed","item_id","title","link","published","why"}.
std::string match_to_json_line(const MatchRecord& match);
/// One or two human-readable lines: rule, feed, title, link, and what matched.
std::string match_to_text(const MatchRecord& match);
/// The stderr summary: counts, items, matches, elapsed, then one line per feed that failed or was skipped.
std::string summary_to_text(const PollSummary& summary);
/// A short duration for logs: "45s", "4m", "1h30m", "2d3h".
std::string format_duration(std::chrono::seconds duration);

}  // namespace newswatch::app
