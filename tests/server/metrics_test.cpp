#include "newswatch/server/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>

#include "newswatch/server/daemon_metrics.hpp"
#include "support/process.hpp"

namespace newswatch::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TimePoint at(std::int64_t seconds) {
  return TimePoint{std::chrono::seconds{seconds}};
}

TEST(MetricsRender, EscapesBackslashQuoteAndNewlineInLabelValues) {
  Registry registry;
  registry.counter("test_events_total", "Events.", {"source"}).with({"a\\b\"c\nd"}).inc();
  EXPECT_THAT(registry.render(), HasSubstr("test_events_total{source=\"a\\\\b\\\"c\\nd\"} 1\n"));
}

TEST(MetricsRender, EscapesBackslashAndNewlineInHelp) {
  Registry registry;
  registry.gauge("test_level", "Line one\nback\\slash \"quoted\"");
  EXPECT_THAT(registry.render(), HasSubstr("# HELP test_level Line one\\nback\\\\slash \"quoted\"\n"));
}

TEST(MetricsRender, WritesHelpTypeAndUnlabelledSample) {
  Registry registry;
  registry.counter("test_runs_total", "Runs.").with({}).inc(3);
  EXPECT_EQ(registry.render(), "# HELP test_runs_total Runs.\n# TYPE test_runs_total counter\ntest_runs_total 3\n");
}

TEST(MetricsRender, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  auto& histogram = registry.histogram("test_duration_seconds", "Durations.", {}, {0.1, 1, 10}).with({});
  for (const double value : {0.05, 0.1, 0.5, 2.0, 20.0}) {
    histogram.observe(value);
  }
  EXPECT_EQ(registry.render(),
            "# HELP test_duration_seconds Durations.\n"
            "# TYPE test_duration_seconds histogram\n"
            "test_duration_seconds_bucket{le=\"0.1\"} 2\n"
            "test_duration_seconds_bucket{le=\"1\"} 3\n"
            "test_duration_seconds_bucket{le=\"10\"} 4\n"
            "test_duration_seconds_bucket{le=\"+Inf\"} 5\n"
            "test_duration_seconds_sum 22.65\n"
            "test_duration_seconds_count 5\n");
}

TEST(MetricsRender, HistogramLabelsComeBeforeLe) {
  Registry registry;
  registry.histogram("test_size_bytes", "Sizes.", {"kind"}, {100}).with({"feed"}).observe(50);
  const auto text = registry.render();
  EXPECT_THAT(text, HasSubstr("test_size_bytes_bucket{kind=\"feed\",le=\"100\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("test_size_bytes_bucket{kind=\"feed\",le=\"+Inf\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("test_size_bytes_sum{kind=\"feed\"} 50\n"));
  EXPECT_THAT(text, HasSubstr("test_size_bytes_count{kind=\"feed\"} 1\n"));
}

TEST(MetricsRender, FamiliesAndSeriesAreSortedWhateverTheInsertionOrder) {
  Registry registry;
  auto& zeta = registry.gauge("test_zeta", "Z.", {"name"});
  registry.gauge("test_alpha", "A.").with({}).set(1);
  zeta.with({"b"}).set(2);
  zeta.with({"a"}).set(1);
  const auto text = registry.render();
  EXPECT_LT(text.find("test_alpha"), text.find("test_zeta"));
  EXPECT_LT(text.find("test_zeta{name=\"a\"}"), text.find("test_zeta{name=\"b\"}"));
  EXPECT_EQ(text, registry.render());
}

TEST(MetricsRender, SpecialValuesUseTheExpositionSpelling) {
  const auto spelled = [](double value) {
    std::string out;
    append_sample_value(value, out);
    return out;
  };
  EXPECT_EQ(spelled(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(spelled(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(spelled(std::nan("")), "NaN");
  EXPECT_EQ(spelled(0.25), "0.25");
  EXPECT_EQ(spelled(1700000000), "1700000000");
  EXPECT_EQ(spelled(-3), "-3");
}

TEST(MetricsRegistry, RejectsDuplicateAndInvalidNames) {
  Registry registry;
  registry.counter("test_total", "T.");
  EXPECT_THROW(registry.counter("test_total", "Again."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("9lives", "Bad name."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("test_gauge", "Bad label.", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("test_twice", "Same label twice.", {"a", "a"}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("test_h", "le label.", {"le"}, {1}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("test_h2", "Descending.", {}, {2, 1}), std::invalid_argument);
}

TEST(MetricsRegistry, WrongNumberOfLabelValuesIsABrokenInvariant) {
  Registry registry;
  auto& family = registry.counter("test_total", "T.", {"a", "b"});
  EXPECT_THROW(family.with({"only-one"}), std::invalid_argument);
}

TEST(MetricsRegistry, CountersIgnoreNegativeIncrements) {
  Counter counter;
  counter.inc(2);
  counter.inc(-1);
  EXPECT_EQ(counter.value(), 2);
}

TEST(MetricsRegistry, RemoveWhereDropsOnlyMatchingSeries) {
  Registry registry;
  auto& polls = registry.counter("test_polls_total", "P.", {"feed", "result"});
  polls.with({"a", "ok"}).inc();
  polls.with({"a", "error"}).inc();
  polls.with({"b", "ok"}).inc();
  registry.gauge("test_other", "No feed label.", {"rule"}).with({"a"}).set(1);
  EXPECT_EQ(registry.remove_where("feed", "a"), 2U);
  EXPECT_EQ(polls.size(), 1U);
  EXPECT_NE(polls.find({"b", "ok"}), nullptr);
  EXPECT_THAT(registry.render(), HasSubstr("test_other{rule=\"a\"} 1"));
}

TEST(DaemonMetrics, RemovingAFeedDropsEveryOneOfItsSeries) {
  DaemonMetrics metrics("1.2.3", at(1700000000));
  for (const char* feed : {"gone-feed", "kept-feed"}) {
    metrics.add_feed(feed);
    metrics.feed_polled(feed, PollResult::ok, std::chrono::milliseconds{120});
    metrics.feed_succeeded(feed, at(1700000100));
    metrics.set_feed_consecutive_failures(feed, 0);
    metrics.items_new(feed, 4);
  }
  ASSERT_THAT(metrics.render(), HasSubstr("feed=\"gone-feed\""));
  metrics.remove_feed("gone-feed");
  const auto text = metrics.render();
  EXPECT_THAT(text, Not(HasSubstr("gone-feed")));
  EXPECT_THAT(text, HasSubstr("newswatch_items_new_total{feed=\"kept-feed\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_feed_last_success_timestamp_seconds{feed=\"kept-feed\"} 1700000100\n"));
}

TEST(DaemonMetrics, NamesEveryFamilyAnOperatorAlertsOn) {
  DaemonMetrics metrics("1.2.3", at(1700000000));
  metrics.add_feed("world");
  metrics.feed_polled("world", PollResult::transport_error);
  metrics.alerts_raised("isis-coalition", 2);
  metrics.deliveries_finished("newsroom", DeliveryState::sent, 2);
  metrics.deliveries_finished("newsroom", DeliveryState::pending);
  metrics.delivery_latency(std::chrono::seconds{3});
  metrics.set_outbox_pending("newsroom", 1);
  metrics.config_reloaded(false, at(1700000500));
  metrics.set_feeds_in_state("failing", 1);
  const auto text = metrics.render();
  EXPECT_THAT(text, HasSubstr("newswatch_build_info{version=\"1.2.3\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_feed_polls_total{feed=\"world\",result=\"transport_error\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_feed_polls_total{feed=\"world\",result=\"ok\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_alerts_total{rule=\"isis-coalition\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_deliveries_total{target=\"newsroom\",result=\"sent\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_deliveries_total{target=\"newsroom\",result=\"retry\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_delivery_latency_seconds_count 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_outbox_pending{target=\"newsroom\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_config_reloads_total{result=\"failure\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_config_last_reload_success_timestamp_seconds 1700000000\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_feeds{state=\"failing\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("newswatch_fetch_duration_seconds_count 0\n"));
}

TEST(DaemonMetrics, PassesPromtoolCheckMetrics) {
  const std::string promtool = "/usr/bin/promtool";
  ASSERT_TRUE(std::filesystem::exists(promtool))
      << promtool << " is missing: scripts/install-deps installs it (Debian package prometheus)";
  DaemonMetrics metrics("0.1.0", at(1700000000));
  for (const char* feed : {"trt-world", "quote\"and\\backslash", "multi\nline"}) {
    metrics.add_feed(feed);
    metrics.feed_polled(feed, PollResult::ok, std::chrono::milliseconds{250});
    metrics.feed_polled(feed, PollResult::not_modified, std::chrono::milliseconds{30});
    metrics.feed_succeeded(feed, at(1700000300));
    metrics.set_feed_consecutive_failures(feed, 0);
    metrics.items_new(feed, 7);
  }
  metrics.feed_polled("trt-world", PollResult::http_error, std::chrono::seconds{2});
  metrics.set_feeds_in_state("ok", 2);
  metrics.set_feeds_in_state("failing", 1);
  metrics.alerts_raised("isis-coalition", 3);
  metrics.deliveries_finished("newsroom", DeliveryState::sent, 3);
  metrics.deliveries_finished("newsroom", DeliveryState::dead);
  metrics.delivery_latency(std::chrono::milliseconds{1500});
  metrics.set_outbox_pending("newsroom", 0);
  metrics.config_reloaded(true, at(1700000400));
  metrics.store_error();

  testing::ProcessOptions options;
  options.stdin_data = metrics.render();
  options.timeout = std::chrono::seconds{30};
  const auto result = testing::run_process(promtool, {"check", "metrics"}, options);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err << "\n--- exposition ---\n" << options.stdin_data;
}

}  // namespace
}  // namespace newswatch::server
