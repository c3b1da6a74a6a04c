#include "newswatch/schedule/next_poll.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::schedule {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

// Wednesday 2026-11-25 10:00:00 UTC.
const TimePoint now = sys_days{year{2026} / November / 25} + 10h;

/// A policy without jitter, so the table can name exact instants.
SchedulePolicy exact_policy() {
  SchedulePolicy policy;
  policy.min_interval = 1min;
  policy.max_interval = 6h;
  policy.max_backoff = 24h;
  policy.jitter_ratio = 0.0;
  return policy;
}

struct NextPollCase {
  std::string name;
  PollHints hints;
  seconds expected_delay;
  PollBasis expected_basis;
};

PollHints with_interval(seconds interval) {
  PollHints hints;
  hints.feed_interval = interval;
  return hints;
}

std::vector<NextPollCase> next_poll_cases() {
  std::vector<NextPollCase> cases;
  cases.push_back({"interval alone", with_interval(10min), 10min, PollBasis::interval});
  {
    auto hints = with_interval(10min);
    hints.max_age = 30min;
    cases.push_back({"max-age longer than interval", hints, 30min, PollBasis::cache_control});
  }
  {
    auto hints = with_interval(10min);
    hints.max_age = 5min;
    cases.push_back({"max-age shorter than interval", hints, 10min, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    hints.expires = now + 20min;
    cases.push_back({"expires without date", hints, 20min, PollBasis::expires});
  }
  {
    // The server's clock runs an hour ahead: Expires - Date is still 20 minutes.
    auto hints = with_interval(10min);
    hints.server_date = now + 1h;
    hints.expires = now + 1h + 20min;
    cases.push_back({"expires corrected by date", hints, 20min, PollBasis::expires});
  }
  {
    auto hints = with_interval(10min);
    hints.max_age = 15min;
    hints.expires = now + 2h;
    cases.push_back({"max-age overrides expires", hints, 15min, PollBasis::cache_control});
  }
  {
    auto hints = with_interval(10min);
    hints.ttl = 60min;
    cases.push_back({"rss ttl", hints, 60min, PollBasis::ttl});
  }
  {
    auto hints = with_interval(10min);
    hints.update_period = 2h;
    hints.ttl = 30min;
    cases.push_back({"sy:updatePeriod beats ttl", hints, 2h, PollBasis::update_period});
  }
  cases.push_back({"raised to min_interval", with_interval(10s), 1min, PollBasis::minimum});
  {
    auto hints = with_interval(10min);
    hints.ttl = 48h;
    cases.push_back({"clamped to max_interval", hints, 6h, PollBasis::maximum});
  }
  {
    auto hints = with_interval(10min);
    hints.consecutive_failures = 1;
    cases.push_back({"one failure doubles", hints, 20min, PollBasis::backoff});
  }
  {
    auto hints = with_interval(10min);
    hints.consecutive_failures = 3;
    cases.push_back({"three failures", hints, 80min, PollBasis::backoff});
  }
  {
    auto hints = with_interval(10min);
    hints.consecutive_failures = 500;
    cases.push_back({"backoff capped at a day", hints, 24h, PollBasis::backoff});
  }
  {
    auto hints = with_interval(10min);
    hints.retry_after = now + 45min;
    cases.push_back({"retry-after longer", hints, 45min, PollBasis::retry_after});
  }
  {
    auto hints = with_interval(10min);
    hints.retry_after = now + 2min;
    cases.push_back({"retry-after shorter", hints, 10min, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    hints.retry_after = now - 1h;
    cases.push_back({"retry-after in the past", hints, 10min, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    hints.retry_after = now + 12h;
    cases.push_back({"retry-after beyond max_interval is honoured", hints, 12h, PollBasis::retry_after});
  }
  {
    auto hints = with_interval(10min);
    hints.retry_after = now + days{400};
    cases.push_back({"absurd retry-after capped at a week", hints, days{7}, PollBasis::retry_after});
  }
  {
    auto hints = with_interval(10min);
    hints.consecutive_failures = 2;
    hints.retry_after = now + 30min;
    cases.push_back({"backoff beats shorter retry-after", hints, 40min, PollBasis::backoff});
  }
  {
    // Now is 10:00 UTC; 10:10 falls into skipped hour 10, so the poll moves to 11:00.
    auto hints = with_interval(10min);
    hints.skip_hours = {10};
    cases.push_back({"skipped hour", hints, 60min, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    hints.skip_hours = {10, 11, 12};
    cases.push_back({"consecutive skipped hours", hints, 3h, PollBasis::interval});
  }
  {
    // Wednesday skipped: the next poll is Thursday 00:00, 14 hours away.
    auto hints = with_interval(10min);
    hints.skip_days = {Wednesday};
    cases.push_back({"skipped day", hints, 14h, PollBasis::interval});
  }
  {
    // Wednesday skipped, then hour 0 of Thursday: Thursday 01:00.
    auto hints = with_interval(10min);
    hints.skip_days = {Wednesday};
    hints.skip_hours = {0};
    cases.push_back({"skipped day then skipped hour", hints, 15h, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    for (int hour = 0; hour < 24; ++hour) {
      hints.skip_hours.push_back(hour);
    }
    cases.push_back({"every hour skipped is ignored", hints, 10min, PollBasis::interval});
  }
  {
    auto hints = with_interval(10min);
    hints.skip_hours = {-1, 24, 99};
    cases.push_back({"out of range hours ignored", hints, 10min, PollBasis::interval});
  }
  return cases;
}

TEST(NextPoll, FollowsTheTableOfHints) {
  const auto policy = exact_policy();
  for (const auto& test : next_poll_cases()) {
    SCOPED_TRACE(test.name);
    const auto decision = next_poll("feed", now, test.hints, policy);
    EXPECT_EQ(decision.delay, test.expected_delay);
    EXPECT_EQ(decision.at, now + test.expected_delay);
    EXPECT_EQ(decision.basis, test.expected_basis);
  }
}

TEST(NextPoll, AdaptiveIntervalLengthensRarelyPublishingFeeds) {
  auto policy = exact_policy();
  policy.adaptive = true;
  auto hints = with_interval(10min);
  // One item every 4 hours: poll every 2 hours.
  for (int i = 0; i < 6; ++i) {
    hints.published.push_back(now - hours{4 * i});
  }
  const auto decision = next_poll("feed", now, hints, policy);
  EXPECT_EQ(decision.delay, 2h);
  EXPECT_EQ(decision.basis, PollBasis::adaptive);

  policy.adaptive = false;
  EXPECT_EQ(next_poll("feed", now, hints, policy).delay, 10min);
}

TEST(NextPoll, AdaptiveIntervalNeverShortensTheConfiguredOne) {
  auto policy = exact_policy();
  policy.adaptive = true;
  auto hints = with_interval(30min);
  for (int i = 0; i < 10; ++i) {
    hints.published.push_back(now - minutes{2 * i});
  }
  const auto decision = next_poll("feed", now, hints, policy);
  EXPECT_EQ(decision.delay, 30min);
  EXPECT_EQ(decision.basis, PollBasis::interval);
}

TEST(AdaptiveInterval, UsesHalfTheMedianGap) {
  struct Case {
    std::string name;
    std::vector<seconds> offsets;
    std::optional<seconds> expected;
  };
  const std::vector<Case> cases{
      {"too few items", {0s, 1h, 2h}, std::nullopt},   {"regular", {0s, 1h, 2h, 3h}, 30min},
      {"unsorted input", {3h, 0s, 2h, 1h}, 30min},     {"one outlier gap", {0s, 1h, 2h, 3h, 50h}, 30min},
      {"all at once", {0s, 0s, 0s, 0s}, std::nullopt},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.name);
    std::vector<TimePoint> published;
    for (const auto offset : test.offsets) {
      published.push_back(now - offset);
    }
    EXPECT_EQ(adaptive_interval(published), test.expected);
  }
}

TEST(AdaptiveInterval, LooksOnlyAtTheTwentyMostRecentItems) {
  std::vector<TimePoint> published;
  for (int i = 0; i < 20; ++i) {
    published.push_back(now - hours{i});
  }
  for (int i = 0; i < 30; ++i) {
    published.push_back(now - days{30} - days{i});
  }
  EXPECT_EQ(adaptive_interval(published), 30min);
}

TEST(Jitter, IsDeterministicPerFeedAndBounded) {
  SchedulePolicy policy;
  policy.jitter_ratio = 0.1;
  policy.max_jitter = 5min;
  const auto first = jitter_for("trt-world", 30min, policy);
  EXPECT_EQ(first, jitter_for("trt-world", 30min, policy));
  EXPECT_GE(first, 0s);
  EXPECT_LT(first, 3min);

  // Different names spread out: 50 feeds must not all land on the same second.
  std::vector<seconds> offsets;
  for (int i = 0; i < 50; ++i) {
    const auto offset = jitter_for("feed-" + std::to_string(i), 10h, policy);
    EXPECT_GE(offset, 0s);
    EXPECT_LT(offset, 5min);  // max_jitter caps 10% of 10 hours.
    offsets.push_back(offset);
  }
  std::sort(offsets.begin(), offsets.end());
  EXPECT_GT(std::unique(offsets.begin(), offsets.end()) - offsets.begin(), 40);

  policy.jitter_ratio = 0.0;
  EXPECT_EQ(jitter_for("trt-world", 30min, policy), 0s);
}

TEST(NextPoll, AddsTheFeedsJitter) {
  SchedulePolicy policy = exact_policy();
  policy.jitter_ratio = 0.1;
  const auto hints = with_interval(30min);
  const auto decision = next_poll("trt-world", now, hints, policy);
  EXPECT_EQ(decision.delay, 30min + jitter_for("trt-world", 30min, policy));
  EXPECT_EQ(decision.basis, PollBasis::interval);
}

TEST(SkipWindows, LeavesAllowedInstantsAlone) {
  const TimePoint candidate = now + 5h + 17min;
  EXPECT_EQ(skip_windows(candidate, {0, 1, 2}, {Sunday}), candidate);
}

TEST(SkipWindows, SkipsAWholeWeekendIntoMonday) {
  // Saturday 2026-11-28 12:34 UTC with Saturday and Sunday skipped: Monday 00:00.
  const TimePoint saturday = sys_days{year{2026} / November / 28} + 12h + 34min;
  const TimePoint monday = sys_days{year{2026} / November / 30};
  EXPECT_EQ(skip_windows(saturday, {}, {Saturday, Sunday}), monday);
}

TEST(PollBasis, HasReadableNames) {
  EXPECT_EQ(to_string(PollBasis::retry_after), "retry-after");
  EXPECT_EQ(to_string(PollBasis::cache_control), "cache-control");
  EXPECT_EQ(to_string(PollBasis::backoff), "backoff");
}

}  // namespace
}  // namespace newswatch::schedule
