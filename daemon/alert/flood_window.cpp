#include "newswatch/alert/flood_window.hpp"

#include <limits>

namespace newswatch::alert {

void FloodWindow::forget_before(Instant now) const {
  while (!sent_.empty() && sent_.front() + length <= now) {
    sent_.pop_front();
  }
}

std::size_t FloodWindow::remaining(Instant now) const {
  if (!limited()) {
    return std::numeric_limits<std::size_t>::max();
  }
  forget_before(now);
  const auto limit = static_cast<std::size_t>(limit_);
  return sent_.size() >= limit ? 0 : limit - sent_.size();
}

void FloodWindow::record(Instant now) {
  if (!limited()) {
    return;
  }
  forget_before(now);
  sent_.push_back(now);
}

Instant FloodWindow::frees_at(Instant now) const {
  if (remaining(now) > 0 || sent_.empty()) {
    return now;
  }
  return sent_.front() + length;
}

}  // namespace newswatch::alert
