// The dispatcher against an unthrottled local webhook receiver (scripts/bench-deliver starts
// nginx answering 200):
//  1. throughput: N pending webhook alerts in a fresh store, delivered by one dispatcher on one
//     loop thread: deliveries per second and CPU seconds (user + system) per 1,000;
//  2. idle latency: alerts recorded one at a time while the dispatcher runs, from the start of
//     the record to the receiver's log line for its request (nginx's $msec): p50, p99, max.
// Prints figures and whether each goal is met; not a test.
//
//   bench_deliver --url URL [--count 20000] [--concurrency 1] [--access-log PATH --samples 200]
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/alert/dispatcher.hpp"
#include "newswatch/alert/http_courier.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace {

using namespace newswatch;
using namespace std::chrono_literals;

struct Options {
  std::string url;
  int count = 20000;
  int concurrency = 1;
  std::string access_log;
  int samples = 200;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--url") {
      options.url = value;
    } else if (key == "--count") {
      options.count = std::atoi(value.c_str());
    } else if (key == "--concurrency") {
      options.concurrency = std::atoi(value.c_str());
    } else if (key == "--access-log") {
      options.access_log = value;
    } else if (key == "--samples") {
      options.samples = std::atoi(value.c_str());
    }
  }
  return options;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& value) {
    return static_cast<double>(value.tv_sec) + static_cast<double>(value.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// What the dispatcher reported: alerts sent and dead (each counted once), and retries scheduled.
struct Tally {
  std::size_t sent = 0;
  std::size_t dead = 0;
  std::size_t retried = 0;

  void add(const alert::DeliveryEvent& event) {
    const auto alerts = event.alert_ids.size();
    switch (event.state) {
      case DeliveryState::sent: sent += alerts; break;
      case DeliveryState::dead: dead += alerts; break;
      case DeliveryState::pending: retried += alerts; break;
    }
  }
  [[nodiscard]] std::size_t finished() const { return sent + dead; }
};

config::Config bench_config(const Options& options, const std::filesystem::path& state_dir) {
  config::Config config;
  config.daemon.state_dir = state_dir;
  config::Target target;
  target.name = "bench";
  target.type = config::TargetType::webhook;
  target.url = Secret(options.url, "");
  target.concurrency = options.concurrency;
  config.targets.push_back(target);
  config::Rule rule;
  rule.name = "bench";
  rule.targets = {"bench"};
  config.rules.push_back(rule);
  return config;
}

/// One poll's worth of alerts, `count` of them, each its own story.
store::PollRecord alerts_record(int first, int count, TimePoint now) {
  store::PollRecord record;
  record.now = now;
  record.state.feed_name = "wire";
  record.state.url = "https://wire.example/rss";
  record.state.configured_url = record.state.url;
  record.state.baselined = true;
  for (int i = first; i < first + count; ++i) {
    store::SeenItem item;
    item.feed = "wire";
    item.identity = fmt::format("id:{}", i);
    item.first_seen = now;
    item.last_seen = now;
    item.story = static_cast<std::uint64_t>(i) + 1;
    item.title = fmt::format("Coalition ministers meet for talks number {} on border security", i);
    item.link = fmt::format("https://wire.example/world/{}", i);
    record.items.push_back(item);
    record.stories.push_back(store::StoryRecord{item.story, now, item.title});
    Alert alert;
    alert.id = fmt::format("bench-{}", i);
    alert.rule = "bench";
    alert.story = store::format_story_id(item.story);
    alert.feed = "wire";
    alert.item_identity = item.identity;
    alert.title = item.title;
    alert.link = item.link;
    alert.summary = "Ministers met on Friday to discuss the coalition and its next steps.";
    alert.why = {MatchEvidence{"title", {{0, 9}}, {"Coalition"}}};
    alert.created = now;
    alert.targets = {"bench"};
    record.alerts.push_back(alert);
  }
  return record;
}

int throughput(const Options& options) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("newswatch-bench-deliver-{}", ::getpid());
  std::filesystem::remove_all(dir);
  auto opened = store::SqliteStore::open(dir);
  if (!opened) {
    fmt::print(stderr, "bench_deliver: {}\n", opened.error().message);
    return 2;
  }
  auto& store = **opened;
  const auto config = bench_config(options, dir);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto recorded = store.record_poll(alerts_record(0, options.count, now)); !recorded) {
    fmt::print(stderr, "bench_deliver: {}\n", recorded.error().message);
    return 2;
  }

  boost::asio::io_context io;
  net::HttpClient client(io);
  alert::SystemClock clock(io);
  alert::HttpCourier courier(client, clock);
  alert::Dispatcher dispatcher(io, store, config, courier, clock);
  Tally tally;
  dispatcher.set_observer([&tally](const alert::DeliveryEvent& event) { tally.add(event); });
  const auto cpu_before = cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  dispatcher.start();
  // A retry is not an end: the loop runs until every alert is sent or dead (or nothing moves for 10 s).
  while (tally.finished() < static_cast<std::size_t>(options.count) || dispatcher.busy()) {
    if (io.stopped()) {
      io.restart();
    }
    if (io.run_one_for(10s) == 0) {
      break;
    }
  }
  const auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto cpu = cpu_seconds() - cpu_before;
  const auto per_second = static_cast<double>(tally.sent) / wall;
  fmt::print(
      "throughput: {} webhooks, concurrency {}: {} sent, {} dead, {} retried in {:.2f} s = {:.0f} deliveries/s "
      "(goal >= 2000: {}); {:.3f} CPU-s per 1,000 deliveries\n",
      options.count, options.concurrency, tally.sent, tally.dead, tally.retried, wall, per_second,
      per_second >= 2000 ? "met" : "NOT met", tally.sent > 0 ? cpu / static_cast<double>(tally.sent) * 1000.0 : 0.0);
  std::filesystem::remove_all(dir);
  return tally.sent == static_cast<std::size_t>(options.count) ? 0 : 1;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) {
    return 0.0;
  }
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

int idle_latency(const Options& options) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("newswatch-bench-idle-{}", ::getpid());
  std::filesystem::remove_all(dir);
  auto opened = store::SqliteStore::open(dir);
  if (!opened) {
    fmt::print(stderr, "bench_deliver: {}\n", opened.error().message);
    return 2;
  }
  auto& store = **opened;
  const auto config = bench_config(options, dir);
  boost::asio::io_context io;
  net::HttpClient client(io);
  alert::SystemClock clock(io);
  alert::HttpCourier courier(client, clock);
  alert::Dispatcher dispatcher(io, store, config, courier, clock);
  Tally tally;
  dispatcher.set_observer([&tally](const alert::DeliveryEvent& event) { tally.add(event); });
  dispatcher.start();

  // Alerts come one at a time, 20 ms apart: the dispatcher is idle when each is recorded.
  std::map<std::string, double> recorded_at;
  boost::asio::steady_timer timer(io);
  int next = 0;
  std::function<void()> record_one = [&] {
    const auto now = std::chrono::system_clock::now();
    recorded_at[fmt::format("bench-{}", next)] = std::chrono::duration<double>(now.time_since_epoch()).count();
    (void)store.record_poll(alerts_record(next, 1, std::chrono::floor<std::chrono::seconds>(now)));
    dispatcher.notify();
    ++next;
    if (next < options.samples) {
      timer.expires_after(20ms);
      timer.async_wait([&](const boost::system::error_code& error) {
        if (!error) {
          record_one();
        }
      });
    }
  };
  record_one();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  // Until every alert is sent or dead: a retry (due a second or more later) is waited for too.
  while ((tally.finished() < static_cast<std::size_t>(options.samples) || dispatcher.busy()) &&
         std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(1s);
  }
  dispatcher.stop();
  std::filesystem::remove_all(dir);

  // The receiver's log: "$msec $http_webhook_id" per request, its first line per alert (a retried
  // alert's later ones are repeats). nginx writes a line after the answer has gone out, so the
  // last lines may come a moment after the dispatcher has the answers: read until every alert
  // the dispatcher saw sent has its line, for at most 5 s.
  std::map<std::string, double> logged_at;
  const auto read_log = [&] {
    logged_at.clear();
    std::ifstream log(options.access_log);
    for (std::string line; std::getline(log, line);) {
      std::istringstream fields(line);
      double at = 0;
      std::string id;
      fields >> at >> id;
      if (recorded_at.contains(id)) {
        logged_at.emplace(id, at);
      }
    }
  };
  const auto log_deadline = std::chrono::steady_clock::now() + 5s;
  for (read_log(); logged_at.size() < tally.sent && std::chrono::steady_clock::now() < log_deadline; read_log()) {
    std::this_thread::sleep_for(10ms);
  }
  std::vector<double> latencies_ms;
  for (const auto& [id, at] : logged_at) {
    latencies_ms.push_back((at - recorded_at.at(id)) * 1000.0);
  }
  const auto p99 = percentile(latencies_ms, 0.99);
  fmt::print(
      "idle latency: {} alerts recorded one at a time, {} sent ({} dead, {} retried), {} logged by the receiver: "
      "record -> request p50 {:.1f} ms, p99 {:.1f} ms (goal <= 50: {}), max {:.1f} ms\n",
      options.samples, tally.sent, tally.dead, tally.retried, latencies_ms.size(), percentile(latencies_ms, 0.5), p99,
      p99 <= 50.0 ? "met" : "NOT met",
      latencies_ms.empty() ? 0.0 : *std::max_element(latencies_ms.begin(), latencies_ms.end()));
  for (const auto& [id, at] : recorded_at) {
    if (!logged_at.contains(id)) {
      fmt::print("idle latency: {} never reached the receiver\n", id);
    }
  }
  return latencies_ms.size() == static_cast<std::size_t>(options.samples) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  if (options.url.empty()) {
    fmt::print(stderr,
               "usage: bench_deliver --url URL [--count N] [--concurrency C] [--access-log PATH --samples M]\n");
    return 1;
  }
  if (!options.access_log.empty()) {
    return idle_latency(options);
  }
  return throughput(options);
}
