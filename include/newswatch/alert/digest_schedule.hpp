#pragma once

#include <chrono>

#include "newswatch/model/time.hpp"

namespace newswatch::alert {

/// When the digest that an alert made at `created` belongs to goes out, for a rule with
/// `digest = interval`: the first multiple of `interval` since the Unix epoch after `created`
/// (":00, :15, :30, :45" UTC for "15m", midnight UTC for "1d"). Derived from the alert alone, so a
/// restart sends the same digest at the same time without remembering anything.
TimePoint digest_time(TimePoint created, std::chrono::seconds interval) noexcept;

}  // namespace newswatch::alert
