#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/match.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch {

/// Another item of the same story: an outlet that also reported it.
struct StoryMember {
  std::string feed;
  std::string title;
  std::string link;

  friend bool operator==(const StoryMember&, const StoryMember&) = default;
};

/// Where an alert is on its way to one target.
enum class DeliveryState {
  pending,  ///< Waiting to be sent (or to be retried).
  sent,     ///< The target accepted it.
  dead,     ///< Given up: a permanent error, or older than alert_max_age.
};

/// "pending", "sent", "dead".
const char* to_string(DeliveryState state) noexcept;
/// The state a to_string() spelling names; nullopt for anything else.
std::optional<DeliveryState> delivery_state_from_string(std::string_view text) noexcept;

/// One rule's alert on one story: everything a message needs, frozen when the alert was made, so
/// a later edit of the feed or the config never changes what is sent.
struct Alert {
  std::string id;     ///< Stable: derived from rule and story, so a retry carries the same id.
  std::string rule;   ///< Rule name.
  std::string story;  ///< Story id (see dedup).
  std::string feed;   ///< Feed of the item that raised it.
  std::string item_id;
  std::string title;
  std::string link;  ///< The item's own link (not the canonical form).
  std::optional<TimePoint> published;
  std::string summary;             ///< Plain text, shortened.
  std::vector<MatchEvidence> why;  ///< What matched.
  std::vector<StoryMember> also;   ///< Other members of the story known when it was read.
  bool updated = false;            ///< Raised by an edit of an item seen before.
  TimePoint created{};
  std::vector<std::string> targets;  ///< Target names it goes to (empty: printed only).
};

/// One alert on its way to one target.
struct Delivery {
  std::string alert_id;
  std::string target;
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  std::optional<TimePoint> next_attempt;  ///< Not before this (backoff, Retry-After).
  std::optional<TimePoint> finished;      ///< When it went sent or dead.
  std::string last_error;
};

}  // namespace newswatch
