#include "newswatch/model/time.hpp"

#include <fmt/format.h>

namespace newswatch {

TimePoint now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

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

std::string format_duration(std::chrono::seconds duration) {
  using namespace std::chrono;
  if (duration < 1min) {
    return fmt::format("{}s", duration.count());
  }
  const auto whole_days = duration_cast<days>(duration);
  const auto whole_hours = duration_cast<hours>(duration - whole_days);
  const auto whole_minutes = duration_cast<minutes>(duration - whole_days - whole_hours);
  if (whole_days.count() > 0) {
    return whole_hours.count() > 0 ? fmt::format("{}d{}h", whole_days.count(), whole_hours.count())
                                   : fmt::format("{}d", whole_days.count());
  }
  if (whole_hours.count() > 0) {
    return whole_minutes.count() > 0 ? fmt::format("{}h{}m", whole_hours.count(), whole_minutes.count())
                                     : fmt::format("{}h", whole_hours.count());
  }
  return fmt::format("{}m", whole_minutes.count());
}

}  // namespace newswatch
