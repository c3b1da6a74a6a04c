#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/alert.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::store {

/// One item a feed has shown, as the store keeps it.
struct SeenItem {
  std::string feed;
  std::string identity;       ///< dedup::ItemIdentity::key: unique within the feed.
  std::string canonical_url;  ///< Identity form of the link; empty when the item has none.
  std::uint64_t content_hash = 0;
  std::uint64_t source_hash = 0;  ///< dedup::ItemIdentity::source_hash; 0 when unknown.
  std::string fingerprint;        ///< Story fingerprint as dedup encodes it (opaque bytes to the store).
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::optional<TimePoint> published;
  std::uint64_t story = 0;
  std::string title;
  std::string link;
  std::vector<std::string> rules;  ///< Rules the stored version matched (an edit alerts only for others).
};

/// What a poll needs to know of an item it saw before (the per-feed snapshot).
struct KnownItem {
  std::string identity;
  std::string canonical_url;
  std::uint64_t content_hash = 0;
  std::uint64_t source_hash = 0;  ///< 0 when unknown (stored before it was kept).
  TimePoint last_seen{};
  std::uint64_t story = 0;
  std::vector<std::string> rules;
};

/// A story: items from one or more outlets that report the same thing.
struct StoryRecord {
  std::uint64_t id = 0;
  TimePoint first_seen{};
  std::string title;  ///< Of its first member.
};

/// Everything one poll of one feed changes, written in one transaction: a crash leaves either none
/// of it or all of it, so items are never marked seen without their alerts.
struct PollRecord {
  FeedState state;
  std::vector<SeenItem> items;         ///< New or edited items (written whole).
  std::vector<std::string> refreshed;  ///< Identities still in the feed whose last_seen moves to `now`.
  std::vector<StoryRecord> stories;    ///< Stories this poll started.
  std::vector<Alert> alerts;           ///< New alerts; one pending delivery per target each.
  TimePoint now{};
};

/// A fingerprint of a recent item, to rebuild the in-memory story index at start-up.
struct FingerprintRecord {
  std::string_view fingerprint;  ///< Encoded, as stored; valid only during the visit it is passed to.
  std::uint64_t story = 0;
  TimePoint seen{};
};

/// What `newswatch state feeds` shows of one feed.
struct FeedOverview {
  FeedState state;
  std::size_t items = 0;
};

/// How many deliveries to a target wait and how many were given up, for the daemon's status.
struct DeliveryCounts {
  std::string target;
  std::size_t pending = 0;
  std::size_t dead = 0;
};

/// A story and its members, for `newswatch state stories`.
struct StoryOverview {
  StoryRecord story;
  std::vector<SeenItem> members;  ///< Oldest first.
};

/// Which alerts `list_alerts` returns.
struct AlertFilter {
  std::optional<TimePoint> since;
  std::optional<DeliveryState> state;  ///< Alerts with at least one delivery in this state.
  std::size_t limit = 1000;
  std::optional<std::string> rule;  ///< Only this rule's alerts.
};

/// An alert with its deliveries, for `newswatch state alerts`.
struct AlertOverview {
  Alert alert;
  std::vector<Delivery> deliveries;
};

/// A pending delivery whose time has come, with the alert it carries.
struct DueDelivery {
  Delivery delivery;
  Alert alert;
};

/// What prune() removed.
struct PruneResult {
  std::size_t items = 0;
  std::size_t stories = 0;
  std::size_t alerts = 0;
  bool more = false;  ///< The limit was reached: another call may forget more.

  /// Adds the counts of a later slice; `more` becomes the later slice's.
  void add(const PruneResult& slice) {
    items += slice.items;
    stories += slice.stories;
    alerts += slice.alerts;
    more = slice.more;
  }
};

/// Formats a story id as 16 hex digits, the spelling users see.
std::string format_story_id(std::uint64_t story);
/// Reads a format_story_id() spelling back; nullopt when it is not one.
std::optional<std::uint64_t> parse_story_id(std::string_view text);

}  // namespace newswatch::store
