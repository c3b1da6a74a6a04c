// Rendering /metrics for a large deployment: 10,000 feeds with every per-feed family filled (six
// poll results, last success, consecutive failures, new items), 200 rules, 20 targets and both
// histograms. The scrape runs on the loop thread, so it must stay short. Goal: render <= 50 ms.
// Times are this thread's CPU time (like the other benches, so that other load on a shared machine
// moves them less), with wall time beside them. Prints figures and whether the goal is met; not a test.
//
//   bench_metrics [--feeds 10000] [--rounds 20]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <time.h>

#include "newswatch/server/daemon_metrics.hpp"

namespace {

using namespace newswatch;
using Clock = std::chrono::steady_clock;

struct Options {
  int feeds = 10000;
  int rounds = 20;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (key == "--feeds") {
      options.feeds = value;
    } else if (key == "--rounds") {
      options.rounds = value;
    }
  }
  return options;
}

double milliseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

/// CPU time this thread has used, in milliseconds.
double cpu_milliseconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  const TimePoint now{std::chrono::seconds{1700000000}};
  server::DaemonMetrics metrics("0.1.0", now);

  const double fill_started = cpu_milliseconds();
  std::vector<std::string> feeds;
  feeds.reserve(static_cast<std::size_t>(options.feeds));
  for (int i = 0; i < options.feeds; ++i) {
    feeds.push_back(fmt::format("outlet-{:05}-{}", i, i % 3 == 0 ? "world" : "politics"));
  }
  for (std::size_t i = 0; i < feeds.size(); ++i) {
    const std::string& feed = feeds[i];
    metrics.add_feed(feed);
    metrics.feed_polled(feed, server::PollResult::ok, std::chrono::milliseconds{50 + static_cast<int>(i % 900)});
    metrics.feed_polled(feed, server::PollResult::not_modified, std::chrono::milliseconds{30});
    if (i % 10 == 0) {
      metrics.feed_polled(feed, server::PollResult::transport_error, std::chrono::seconds{30});
    }
    metrics.feed_succeeded(feed, now - std::chrono::seconds{static_cast<long>(i % 600)});
    metrics.set_feed_consecutive_failures(feed, i % 10 == 0 ? 1 : 0);
    metrics.items_new(feed, i % 7);
  }
  for (int rule = 0; rule < 200; ++rule) {
    metrics.alerts_raised(fmt::format("rule-{:03}", rule), static_cast<std::size_t>(rule % 5));
  }
  for (int target = 0; target < 20; ++target) {
    const auto name = fmt::format("target-{:02}", target);
    metrics.deliveries_finished(name, DeliveryState::sent, 40);
    metrics.deliveries_finished(name, DeliveryState::pending, 2);
    metrics.deliveries_finished(name, DeliveryState::dead, 1);
    metrics.set_outbox_pending(name, static_cast<std::size_t>(target));
    metrics.delivery_latency(std::chrono::milliseconds{200 * target});
  }
  for (const char* state : {"ok", "failing", "disabled", "baselining", "pending"}) {
    metrics.set_feeds_in_state(state, 2000);
  }
  const double fill_time = cpu_milliseconds() - fill_started;

  // One poll's worth of updates, as the loop makes them after each fetch.
  const double update_started = cpu_milliseconds();
  for (const auto& feed : feeds) {
    metrics.feed_polled(feed, server::PollResult::ok, std::chrono::milliseconds{120});
    metrics.feed_succeeded(feed, now);
    metrics.set_feed_consecutive_failures(feed, 0);
    metrics.items_new(feed, 1);
  }
  const double update_time = cpu_milliseconds() - update_started;

  std::vector<double> renders;
  std::vector<double> walls;
  std::size_t size = 0;
  std::size_t lines = 0;
  for (int round = 0; round < options.rounds; ++round) {
    const double cpu_started = cpu_milliseconds();
    const auto wall_started = Clock::now();
    const std::string text = metrics.render();
    renders.push_back(cpu_milliseconds() - cpu_started);
    walls.push_back(milliseconds(Clock::now() - wall_started));
    size = text.size();
    lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
  std::sort(renders.begin(), renders.end());
  std::sort(walls.begin(), walls.end());
  const double median = renders[renders.size() / 2];

  fmt::print("bench_metrics: {} feeds, {} series lines, {:.2f} MB exposition\n", options.feeds, lines,
             static_cast<double>(size) / 1e6);
  fmt::print("  fill (every series created):       {:8.2f} ms CPU\n", fill_time);
  fmt::print("  one poll's updates for every feed: {:8.2f} ms CPU ({:.0f} ns per feed, 4 updates)\n", update_time,
             update_time * 1e6 / options.feeds);
  fmt::print("  render x{}: CPU min {:.2f} / median {:.2f} / max {:.2f} ms ({:.0f} MB/s); wall median {:.2f} ms\n",
             options.rounds, renders.front(), median, renders.back(), static_cast<double>(size) / 1e3 / median,
             walls[walls.size() / 2]);
  fmt::print("  goal render <= 50 ms (median CPU): {}\n", median <= 50.0 ? "met" : "MISSED");
  return 0;
}
