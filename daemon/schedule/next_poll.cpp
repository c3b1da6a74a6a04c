#include "newswatch/schedule/next_poll.hpp"

#include <algorithm>
#include <bitset>
#include <cstdint>

namespace newswatch::schedule {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

/// How many recent items the adaptive interval looks at.
constexpr std::size_t adaptive_window = 20;
constexpr std::size_t adaptive_minimum_items = 4;

/// FNV-1a, 64 bit, stable across runs and platforms (unlike std::hash), followed by the splitmix64
/// finaliser so that names differing in their last byte still differ in the high bits.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char byte : text) {
    hash ^= static_cast<unsigned char>(byte);
    hash *= 1099511628211ULL;
  }
  hash ^= hash >> 30U;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27U;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31U;
  return hash;
}

/// delay * 2^failures without overflowing, capped at `ceiling`.
seconds doubled(seconds delay, int failures, seconds ceiling) {
  seconds result = delay;
  for (int i = 0; i < failures && result < ceiling; ++i) {
    result *= 2;
  }
  return std::min(result, ceiling);
}

struct Candidate {
  seconds delay;
  PollBasis basis;
};

}  // namespace

std::string_view to_string(PollBasis basis) {
  switch (basis) {
    case PollBasis::interval: return "interval";
    case PollBasis::cache_control: return "cache-control";
    case PollBasis::expires: return "expires";
    case PollBasis::ttl: return "ttl";
    case PollBasis::update_period: return "update-period";
    case PollBasis::adaptive: return "adaptive";
    case PollBasis::backoff: return "backoff";
    case PollBasis::retry_after: return "retry-after";
    case PollBasis::minimum: return "min-interval";
    case PollBasis::maximum: return "max-interval";
  }
  return "interval";
}

std::optional<seconds> adaptive_interval(const std::vector<TimePoint>& published) {
  if (published.size() < adaptive_minimum_items) {
    return std::nullopt;
  }
  std::vector<TimePoint> recent = published;
  std::sort(recent.begin(), recent.end());
  if (recent.size() > adaptive_window) {
    recent.erase(recent.begin(), recent.end() - static_cast<std::ptrdiff_t>(adaptive_window));
  }
  std::vector<seconds> gaps;
  gaps.reserve(recent.size() - 1);
  for (std::size_t i = 1; i < recent.size(); ++i) {
    gaps.push_back(recent[i] - recent[i - 1]);
  }
  const auto middle = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), middle, gaps.end());
  if (*middle <= seconds{0}) {
    return std::nullopt;
  }
  // Polling twice per typical gap notices a new item within half a gap on average.
  return *middle / 2;
}

seconds jitter_for(std::string_view feed_name, seconds delay, const SchedulePolicy& policy) {
  if (delay <= seconds{0} || policy.jitter_ratio <= 0.0) {
    return seconds{0};
  }
  const auto spread = std::min(
      seconds{static_cast<seconds::rep>(static_cast<double>(delay.count()) * policy.jitter_ratio)}, policy.max_jitter);
  // The top 53 bits of the hash as a fraction in [0, 1).
  const double fraction = static_cast<double>(stable_hash(feed_name) >> 11U) * 0x1.0p-53;
  return seconds{static_cast<seconds::rep>(fraction * static_cast<double>(spread.count()))};
}

TimePoint skip_windows(TimePoint candidate, const std::vector<int>& skip_hours,
                       const std::vector<std::chrono::weekday>& skip_days) {
  std::bitset<24> hour_skipped;
  for (const int hour : skip_hours) {
    if (hour >= 0 && hour < 24) {
      hour_skipped.set(static_cast<std::size_t>(hour));
    }
  }
  std::bitset<7> day_skipped;
  for (const auto day : skip_days) {
    if (day.ok()) {
      day_skipped.set(day.c_encoding());
    }
  }
  // A feed that asks never to be polled is asking for something we cannot do; ignore the list.
  if (hour_skipped.all()) {
    hour_skipped.reset();
  }
  if (day_skipped.all()) {
    day_skipped.reset();
  }
  TimePoint at = candidate;
  // At most 6 skipped days and 23 skipped hours in a row: the loop always ends well before this bound.
  for (int step = 0; step < 24 * 8; ++step) {
    const auto day = std::chrono::floor<days>(at);
    const std::chrono::weekday weekday{day};
    if (day_skipped.test(weekday.c_encoding())) {
      at = day + days{1};
      continue;
    }
    const auto hour = std::chrono::floor<hours>(at - day).count();
    if (hour_skipped.test(static_cast<std::size_t>(hour))) {
      at = day + hours{hour + 1};
      continue;
    }
    break;
  }
  return at;
}

NextPoll next_poll(std::string_view feed_name, TimePoint now, const PollHints& hints, const SchedulePolicy& policy) {
  std::vector<Candidate> candidates{{hints.feed_interval, PollBasis::interval}};
  if (hints.max_age) {
    candidates.push_back({*hints.max_age, PollBasis::cache_control});
  } else if (hints.expires) {
    // RFC 9111 §4.2.1: without max-age the freshness lifetime is Expires minus Date, which is
    // immune to a difference between the server's clock and ours.
    const TimePoint reference = hints.server_date.value_or(now);
    candidates.push_back({*hints.expires - reference, PollBasis::expires});
  }
  if (hints.ttl) {
    candidates.push_back({*hints.ttl, PollBasis::ttl});
  }
  if (hints.update_period) {
    candidates.push_back({*hints.update_period, PollBasis::update_period});
  }
  if (policy.adaptive) {
    if (const auto adaptive = adaptive_interval(hints.published)) {
      candidates.push_back({*adaptive, PollBasis::adaptive});
    }
  }
  // The first of equal candidates wins, so the configured interval is named when nothing beats it.
  Candidate chosen = candidates.front();
  for (const auto& candidate : candidates) {
    if (candidate.delay > chosen.delay) {
      chosen = candidate;
    }
  }
  const seconds floor = std::max(policy.min_interval, seconds{1});
  const seconds ceiling = std::max(policy.max_interval, floor);
  if (chosen.delay < floor) {
    chosen = {floor, PollBasis::minimum};
  } else if (chosen.delay > ceiling) {
    chosen = {ceiling, PollBasis::maximum};
  }

  if (hints.consecutive_failures > 0) {
    const seconds backoff_ceiling = std::max(policy.max_backoff, chosen.delay);
    const seconds backoff = doubled(chosen.delay, hints.consecutive_failures, backoff_ceiling);
    if (backoff > chosen.delay) {
      chosen = {backoff, PollBasis::backoff};
    }
  }

  // A server's explicit Retry-After (RFC 9110 §10.2.3) is honoured even beyond max_interval: polling
  // earlier would only earn another 429 or 503.
  if (hints.retry_after && *hints.retry_after > now) {
    const seconds wait = std::min<seconds>(*hints.retry_after - now, policy.max_retry_after);
    if (wait > chosen.delay) {
      chosen = {wait, PollBasis::retry_after};
    }
  }

  const TimePoint jittered = now + chosen.delay + jitter_for(feed_name, chosen.delay, policy);
  const TimePoint at = skip_windows(jittered, hints.skip_hours, hints.skip_days);
  return NextPoll{at, at - now, chosen.basis};
}

}  // namespace newswatch::schedule
