#include "newswatch/alert/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace newswatch::alert {

TokenBucket::TokenBucket(const Pace& pace, Instant now)
    : unlimited_(pace.unlimited() || pace.period.count() <= 0),
      capacity_(static_cast<double>(std::max(pace.burst, 1))),
      interval_(unlimited_ ? Instant::duration::zero()
                           : std::chrono::duration_cast<Instant::duration>(pace.period) / pace.messages),
      tokens_(capacity_),
      refilled_(now) {}

void TokenBucket::refill(Instant now) {
  if (now <= refilled_) {
    return;
  }
  const auto elapsed = static_cast<double>((now - refilled_).count());
  tokens_ = std::min(capacity_, tokens_ + elapsed / static_cast<double>(interval_.count()));
  refilled_ = now;
}

bool TokenBucket::try_take(Instant now) {
  if (unlimited_) {
    return true;
  }
  refill(now);
  if (tokens_ < 1.0) {
    return false;
  }
  tokens_ -= 1.0;
  return true;
}

Instant TokenBucket::next_token(Instant now) const {
  if (unlimited_) {
    return now;
  }
  auto copy = *this;
  copy.refill(now);
  if (copy.tokens_ >= 1.0) {
    return now;
  }
  const auto missing = (1.0 - copy.tokens_) * static_cast<double>(interval_.count());
  return now + Instant::duration{static_cast<Instant::rep>(std::ceil(missing))};
}

}  // namespace newswatch::alert
