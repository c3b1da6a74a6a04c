#pragma once

#include <chrono>
#include <string_view>

#include "newswatch/config/config.hpp"

namespace newswatch::alert {

/// A platform's documented sending pace, as a token bucket: `burst` messages at once, refilled at
/// `messages` per `period`. messages == 0 means no limit.
struct Pace {
  int messages = 0;
  std::chrono::seconds period{1};
  int burst = 1;
  std::string_view basis;  ///< Where the figure comes from, for logs and the README.

  /// True when the platform sets no pace.
  [[nodiscard]] bool unlimited() const noexcept { return messages == 0; }
};

/// The default pace of messages to `target`; `max_per_minute` flood control comes on top.
Pace default_pace(const config::Target& target);

}  // namespace newswatch::alert
