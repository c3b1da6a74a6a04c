#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/model/time.hpp"
#include "newswatch/pipeline/feed_state_update.hpp"

namespace newswatch::pipeline {

/// What dedup made of one poll's items.
struct ItemCounts {
  std::size_t seen = 0;     ///< Items in the feed.
  std::size_t fresh = 0;    ///< Never seen before (in this feed).
  std::size_t updated = 0;  ///< Seen before, with a changed title, summary or content.
  std::size_t folded = 0;   ///< New items that joined a story another item started (same link or near-duplicate).
  std::size_t alerts = 0;   ///< Alerts recorded.

  ItemCounts& operator+=(const ItemCounts& other) {
    seen += other.seen;
    fresh += other.fresh;
    updated += other.updated;
    folded += other.folded;
    alerts += other.alerts;
    return *this;
  }
};

/// How one feed fared in a poll cycle.
struct FeedReport {
  std::string feed;
  std::string url;  ///< The URL polled (after earlier permanent redirects).
  PollVerdict verdict = PollVerdict::failed;
  std::string detail;  ///< Failure reason, or why the feed was skipped.
  ItemCounts items;
  bool baselined = false;  ///< This poll was the feed's baseline: recorded, alerted on nothing.
  std::optional<TimePoint> next_poll;
};

/// The outcome of a whole cycle.
struct PollSummary {
  std::vector<FeedReport> feeds;  ///< In config order.
  ItemCounts items;
  std::vector<std::string> alert_ids;  ///< Alerts recorded, in the order they were made.
  std::chrono::milliseconds elapsed{0};
  std::optional<std::string> store_error;  ///< Set when the store could not be read or written.

  /// Feeds whose poll ended with `verdict`.
  [[nodiscard]] std::size_t count(PollVerdict verdict) const;
};

}  // namespace newswatch::pipeline
