#include "newswatch/model/time.hpp"

#include <fmt/format.h>

namespace newswatch {

std::string format_rfc3339(TimePoint instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{instant - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count());
}

std::optional<std::string> format_rfc3339(const std::optional<TimePoint>& instant) {
  if (!instant) {
    return std::nullopt;
  }
  return format_rfc3339(*instant);
}

}  // namespace newswatch
