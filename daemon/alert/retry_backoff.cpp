#include "newswatch/alert/retry_backoff.hpp"

#include <algorithm>

namespace newswatch::alert {

std::chrono::milliseconds retry_delay(int attempts, double jitter) noexcept {
  auto base = first_retry_delay;
  for (int attempt = 1; attempt < attempts && base < last_retry_delay; ++attempt) {
    base *= 2;
  }
  base = std::min(base, last_retry_delay);
  const auto stretch = std::chrono::milliseconds{
      static_cast<long long>(static_cast<double>(base.count()) * std::clamp(jitter, 0.0, 1.0) / 2.0)};
  return std::min(base + stretch, last_retry_delay);
}

}  // namespace newswatch::alert
