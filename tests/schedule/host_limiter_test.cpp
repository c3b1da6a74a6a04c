#include "newswatch/schedule/host_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::schedule {
namespace {

using Jobs = std::vector<HostLimiter::Job>;

TEST(HostKey, NormalisesHostAndPort) {
  struct Case {
    std::string url;
    std::string expected;
  };
  const std::vector<Case> cases{
      {"https://www.TRTWorld.com/rss", "www.trtworld.com"},
      {"http://example.org:80/feed", "example.org"},
      {"https://example.org:443", "example.org"},
      {"http://example.org:8080/feed?x=1", "example.org:8080"},
      {"https://user:secret@example.org/feed", "example.org"},
      {"http://[::1]:8080/feed", "[::1]:8080"},
      {"http://[::1]/feed", "[::1]"},
      {"HTTP://Example.ORG#top", "example.org"},
      {"https://Example.org.:/feed", "example.org"},
      {"https://example.org:80/feed", "example.org:80"},
      {"https://bücher.example/feed", "xn--bcher-kva.example"},
      {"https://example.org/world news.rss", "example.org"},
      {"mailto:news@example.org", ""},
      {"file:///srv/feeds/a.xml", ""},
      {"not a url", ""},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.url);
    EXPECT_EQ(host_key(test.url), test.expected);
  }
}

TEST(HostLimiter, StartsUpToThePerHostLimit) {
  HostLimiter limiter(10, 2);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_TRUE(limiter.try_acquire(1, "a"));
  EXPECT_FALSE(limiter.try_acquire(2, "a"));
  EXPECT_TRUE(limiter.try_acquire(3, "b"));
  EXPECT_EQ(limiter.active(), 3U);
  EXPECT_EQ(limiter.waiting(), 1U);
  EXPECT_EQ(limiter.active_on("a"), 2U);

  EXPECT_EQ(limiter.release("a"), Jobs{2});
  EXPECT_EQ(limiter.active_on("a"), 2U);
  EXPECT_EQ(limiter.waiting(), 0U);
}

TEST(HostLimiter, RespectsTheGlobalLimit) {
  HostLimiter limiter(2, 2);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_TRUE(limiter.try_acquire(1, "b"));
  EXPECT_FALSE(limiter.try_acquire(2, "c"));
  EXPECT_FALSE(limiter.try_acquire(3, "d"));
  EXPECT_EQ(limiter.release("a"), Jobs{2});
  EXPECT_EQ(limiter.release("c"), Jobs{3});
  EXPECT_EQ(limiter.active(), 2U);
}

TEST(HostLimiter, BusyHostDoesNotBlockOthers) {
  // Host "a" has a long queue; a job for host "b" queued later still starts as soon as a global slot
  // frees, because "a" has no room.
  HostLimiter limiter(3, 2);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_TRUE(limiter.try_acquire(1, "a"));
  for (HostLimiter::Job job = 2; job < 6; ++job) {
    EXPECT_FALSE(limiter.try_acquire(job, "a"));
  }
  EXPECT_TRUE(limiter.try_acquire(6, "b"));
  EXPECT_FALSE(limiter.try_acquire(7, "c"));  // Global limit reached.
  EXPECT_EQ(limiter.release("b"), Jobs{7});   // "a" is full, so the oldest job that can run is 7.
  EXPECT_EQ(limiter.release("a"), Jobs{2});
}

TEST(HostLimiter, ServesWaitingJobsInArrivalOrder) {
  HostLimiter limiter(1, 1);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_FALSE(limiter.try_acquire(1, "b"));
  EXPECT_FALSE(limiter.try_acquire(2, "a"));
  EXPECT_FALSE(limiter.try_acquire(3, "c"));
  EXPECT_EQ(limiter.release("a"), Jobs{1});
  EXPECT_EQ(limiter.release("b"), Jobs{2});
  EXPECT_EQ(limiter.release("a"), Jobs{3});
  EXPECT_EQ(limiter.release("c"), Jobs{});
  EXPECT_EQ(limiter.active(), 0U);
}

TEST(HostLimiter, AFreedSlotGoesToTheOldestJobWhoseHostHasRoom) {
  // Global 2, per host 1: a and b run; job 2 waits for host a, job 3 (host c) for a global slot.
  HostLimiter limiter(2, 1);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_TRUE(limiter.try_acquire(1, "b"));
  EXPECT_FALSE(limiter.try_acquire(2, "a"));
  EXPECT_FALSE(limiter.try_acquire(3, "c"));
  EXPECT_EQ(limiter.release("b"), Jobs{3});  // "a" is at its limit, "c" is next.
  EXPECT_EQ(limiter.release("a"), Jobs{2});
}

TEST(HostLimiter, NothingStarvesUnderSteadyLoad) {
  // 200 jobs over 3 hosts with one hot host; every job starts exactly once and never more than the
  // limits run at a time.
  HostLimiter limiter(4, 2);
  const std::vector<std::string> hosts{"hot", "hot", "hot", "warm", "cold"};
  std::vector<int> started(200, 0);
  std::vector<HostLimiter::Job> running;
  for (HostLimiter::Job job = 0; job < started.size(); ++job) {
    if (limiter.try_acquire(job, hosts[job % hosts.size()])) {
      ++started[job];
      running.push_back(job);
    }
  }
  while (!running.empty()) {
    const auto finished = running.front();
    running.erase(running.begin());
    for (const auto next : limiter.release(hosts[finished % hosts.size()])) {
      ++started[next];
      running.push_back(next);
    }
    EXPECT_LE(limiter.active(), 4U);
    EXPECT_LE(limiter.active_on("hot"), 2U);
  }
  for (std::size_t job = 0; job < started.size(); ++job) {
    EXPECT_EQ(started[job], 1) << "job " << job;
  }
  EXPECT_EQ(limiter.waiting(), 0U);
}

TEST(HostLimiter, IgnoresAReleaseWithoutAnAcquire) {
  HostLimiter limiter(1, 1);
  EXPECT_EQ(limiter.release("nowhere"), Jobs{});
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_EQ(limiter.active(), 1U);
}

TEST(HostLimiter, AJobThatGaveItsHostBackHoldsItsGlobalSlotUntilReleased) {
  HostLimiter limiter(2, 1);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_TRUE(limiter.try_acquire(1, "b"));
  EXPECT_FALSE(limiter.try_acquire(2, "a"));
  // Job 0 is done with host a, but both global slots stay taken: job 2 waits.
  EXPECT_EQ(limiter.release_host("a"), Jobs{});
  EXPECT_EQ(limiter.active_on("a"), 0U);
  EXPECT_EQ(limiter.active(), 2U);
  EXPECT_EQ(limiter.waiting(), 1U);
  // Job 0 gives its global slot back: job 2 starts on the host it freed.
  EXPECT_EQ(limiter.release_global(), Jobs{2});
  EXPECT_EQ(limiter.active_on("a"), 1U);
  EXPECT_EQ(limiter.active(), 2U);
  // Nothing else was kept: a second global release frees nothing.
  EXPECT_EQ(limiter.release_global(), Jobs{});
  EXPECT_EQ(limiter.active(), 2U);
  EXPECT_EQ(limiter.release("a"), Jobs{});
  EXPECT_EQ(limiter.release("b"), Jobs{});
  EXPECT_EQ(limiter.active(), 0U);
}

TEST(HostLimiter, AFreedHostStartsItsNextJobWhileAGlobalSlotIsFree) {
  HostLimiter limiter(3, 1);
  EXPECT_TRUE(limiter.try_acquire(0, "a"));
  EXPECT_FALSE(limiter.try_acquire(1, "a"));
  EXPECT_EQ(limiter.release_host("a"), Jobs{1});
  EXPECT_EQ(limiter.active(), 2U);  // Job 0 still holds its global slot.
  EXPECT_EQ(limiter.active_on("a"), 1U);
  // A host release without an acquire keeps no global slot.
  EXPECT_EQ(limiter.release_host("nowhere"), Jobs{});
  EXPECT_EQ(limiter.release_global(), Jobs{});
  EXPECT_EQ(limiter.active(), 1U);
  EXPECT_EQ(limiter.release_global(), Jobs{});
  EXPECT_EQ(limiter.active(), 1U);
}

}  // namespace
}  // namespace newswatch::schedule
