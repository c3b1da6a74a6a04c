#include "newswatch/alert/digest_schedule.hpp"

namespace newswatch::alert {

TimePoint digest_time(TimePoint created, std::chrono::seconds interval) noexcept {
  if (interval.count() <= 0) {
    return created;
  }
  const auto since_epoch = created.time_since_epoch();
  const auto slot =
      since_epoch.count() >= 0 ? since_epoch / interval : (since_epoch - interval + std::chrono::seconds{1}) / interval;
  return TimePoint{(slot + 1) * interval};
}

}  // namespace newswatch::alert
