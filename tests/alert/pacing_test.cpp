// Retry backoff, token bucket, flood window and digest schedule: the dispatcher's pure timing.
#include <gtest/gtest.h>

#include "newswatch/alert/digest_schedule.hpp"
#include "newswatch/alert/flood_window.hpp"
#include "newswatch/alert/retry_backoff.hpp"
#include "newswatch/alert/token_bucket.hpp"

namespace newswatch::alert {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const Instant start = sys_days{year{2026} / March / 2} + 9h;

TEST(AlertRetryBackoff, DoublesFromOneSecondToOneHourWithJitterOnTop) {
  EXPECT_EQ(retry_delay(1, 0.0), 1s);
  EXPECT_EQ(retry_delay(2, 0.0), 2s);
  EXPECT_EQ(retry_delay(5, 0.0), 16s);
  EXPECT_EQ(retry_delay(1, 0.999), 1499ms);
  EXPECT_EQ(retry_delay(12, 0.0), 2048s);
  EXPECT_EQ(retry_delay(13, 0.0), 1h) << "capped";
  EXPECT_EQ(retry_delay(13, 0.9), 1h) << "jitter never passes the cap";
  EXPECT_EQ(retry_delay(1000, 0.5), 1h);
  for (int attempts = 1; attempts < 20; ++attempts) {
    EXPECT_LE(retry_delay(attempts, 0.0), retry_delay(attempts + 1, 0.0));
  }
}

TEST(AlertTokenBucket, StartsFullThenRefillsAtThePace) {
  TokenBucket bucket(Pace{2, 1s, 2, "test"}, start);
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_FALSE(bucket.try_take(start)) << "a burst is at most the rate's count";
  EXPECT_EQ(bucket.next_token(start), start + 500ms);
  EXPECT_FALSE(bucket.try_take(start + 499ms));
  EXPECT_TRUE(bucket.try_take(start + 500ms));
  EXPECT_FALSE(bucket.try_take(start + 500ms));
  EXPECT_TRUE(bucket.try_take(start + 10s));
  EXPECT_TRUE(bucket.try_take(start + 10s));
  EXPECT_FALSE(bucket.try_take(start + 10s)) << "an idle bucket holds no more than its burst";
}

TEST(AlertTokenBucket, BurstAndRateAreSeparate) {
  // Matrix's default: one message every 5 s, in bursts of up to 10.
  TokenBucket bucket(Pace{1, 5s, 10, "test"}, start);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(bucket.try_take(start));
  }
  EXPECT_FALSE(bucket.try_take(start));
  EXPECT_EQ(bucket.next_token(start), start + 5s);
}

TEST(AlertTokenBucket, AnUnlimitedRateNeverWaits) {
  TokenBucket bucket(Pace{}, start);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(bucket.try_take(start));
  }
  EXPECT_EQ(bucket.next_token(start), start);
}

TEST(AlertFloodWindow, NoSixtySecondWindowCarriesMoreThanTheLimit) {
  FloodWindow window(3);
  EXPECT_EQ(window.remaining(start), 3U);
  window.record(start);
  window.record(start + 10s);
  window.record(start + 50s);
  EXPECT_EQ(window.remaining(start + 59s), 0U);
  EXPECT_EQ(window.frees_at(start + 59s), start + 60s);
  EXPECT_EQ(window.remaining(start + 60s), 1U) << "a sliding window: the first message has left it";
  EXPECT_EQ(window.remaining(start + 70s), 2U);
  EXPECT_EQ(window.remaining(start + 110s), 3U);
  const FloodWindow unlimited(0);
  EXPECT_FALSE(unlimited.limited());
  EXPECT_GT(unlimited.remaining(start), 1000000U);
}

TEST(AlertDigestSchedule, SendsAtTheNextMultipleOfTheInterval) {
  const TimePoint day = sys_days{year{2026} / March / 2};
  EXPECT_EQ(digest_time(day + 10h + 3min, 15min), day + 10h + 15min);
  EXPECT_EQ(digest_time(day + 10h + 14min + 59s, 15min), day + 10h + 15min);
  EXPECT_EQ(digest_time(day + 10h + 15min, 15min), day + 10h + 30min) << "on the boundary: the next one";
  EXPECT_EQ(digest_time(day + 23h, 24h), day + 24h) << "daily digests go at midnight UTC";
  EXPECT_EQ(digest_time(day + 10h, 0s), day + 10h);
}

}  // namespace
}  // namespace newswatch::alert
