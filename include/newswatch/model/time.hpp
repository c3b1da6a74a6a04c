#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace newswatch {

/// Wall-clock instants in UTC, second precision (feeds carry no more).
using TimePoint = std::chrono::sys_seconds;

/// The wall clock now, in whole seconds (the store's resolution).
TimePoint now_seconds();

/// Formats an instant as RFC 3339 UTC, e.g. "2015-08-25T12:00:00Z".
std::string format_rfc3339(TimePoint instant);

/// A short duration for logs: "45s", "4m", "1h30m", "2d3h".
std::string format_duration(std::chrono::seconds duration);

/// Formats an optional instant; nullopt stays nullopt.
std::optional<std::string> format_rfc3339(const std::optional<TimePoint>& instant);

}  // namespace newswatch
