#include "newswatch/pipeline/worker_pool.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <latch>
#include <mutex>
#include <set>
#include <vector>

#include "support/temp_dir.hpp"

namespace newswatch::pipeline {
namespace {

int nice_of(pid_t thread) {
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(thread));
  EXPECT_EQ(errno, 0);
  return nice;
}

TEST(WorkerPool, EveryThreadRunsBelowTheThreadThatMadeIt) {
  const int base = nice_of(gettid());
  WorkerPool pool(2);
  ASSERT_EQ(pool.threads(), 2U);
  // Two tasks that wait for each other run on two threads.
  std::latch both(2);
  std::mutex mutex;
  std::set<pid_t> threads;
  std::vector<int> nices;
  for (int task = 0; task < 2; ++task) {
    boost::asio::post(pool, [&] {
      {
        const std::scoped_lock lock(mutex);
        threads.insert(gettid());
        nices.push_back(nice_of(gettid()));
      }
      both.arrive_and_wait();
    });
  }
  pool.join();
  EXPECT_EQ(threads.size(), 2U);
  EXPECT_EQ(nice_of(gettid()), base) << "the thread that made the pool keeps its priority";
  if (seccomp_filtered(testing::read_file("/proc/self/status"))) {
    EXPECT_FALSE(pool.lowered());
    EXPECT_EQ(nices, (std::vector<int>{base, base}));
  } else {
    EXPECT_TRUE(pool.lowered());
    const int lowered = std::min(19, base + WorkerPool::nice_steps);
    EXPECT_EQ(nices, (std::vector<int>{lowered, lowered}));
  }
}

TEST(WorkerPool, ReadsSeccompFiltersFromProcStatus) {
  EXPECT_TRUE(seccomp_filtered("Name:\tnewswatch\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n"));
  EXPECT_FALSE(seccomp_filtered("Name:\tnewswatch\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n"));
  // Strict mode allows only read, write, exit and sigreturn: newswatch could not run under it, and
  // it is no filter.
  EXPECT_FALSE(seccomp_filtered("Name:\tnewswatch\nSeccomp:\t1\n"));
  EXPECT_FALSE(seccomp_filtered("Name:\tnewswatch\nState:\tR (running)\n"));  // A kernel without seccomp.
  EXPECT_FALSE(seccomp_filtered(""));
}

}  // namespace
}  // namespace newswatch::pipeline
