#pragma once

#include <chrono>
#include <cstddef>
#include <deque>

#include "newswatch/alert/clock.hpp"

namespace newswatch::alert {

/// A target's `max_per_minute`: remembers when its last messages went, so that no 60-second window
/// carries more than the limit (a sliding window, not a per-minute counter that a burst straddling
/// a minute's end could pass twice).
class FloodWindow {
 public:
  /// The window's length.
  static constexpr std::chrono::seconds length{60};

  /// `max_per_minute` 0 limits nothing.
  explicit FloodWindow(int max_per_minute) : limit_(max_per_minute) {}

  /// True when a limit applies.
  [[nodiscard]] bool limited() const noexcept { return limit_ > 0; }
  /// How many more messages may start at `now`; a large number when unlimited.
  [[nodiscard]] std::size_t remaining(Instant now) const;
  /// Counts a message that starts at `now`.
  void record(Instant now);
  /// When the oldest message in the window leaves it (`now` when there is room).
  [[nodiscard]] Instant frees_at(Instant now) const;

 private:
  void forget_before(Instant now) const;

  int limit_;
  mutable std::deque<Instant> sent_;
};

}  // namespace newswatch::alert
