#include "newswatch/alert/dispatcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "newswatch/alert/http_courier.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "support/platform_emulator.hpp"
#include "support/run_loop.hpp"
#include "support/simulated_clock.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::alert {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using testing::PlatformAnswer;

const TimePoint created = sys_days{year{2026} / March / 2} + 10h + 3min;
constexpr auto deadline = 20s;

/// A store with alerts in it, a webhook receiver, and a dispatcher on a simulated clock.
class DispatcherFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::SqliteStore::open(dir_.path());
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    config::Target target;
    target.name = "desk";
    target.type = config::TargetType::webhook;
    target.url = Secret(server_.url("/hook"), "");
    config_.targets.push_back(target);
    config::Rule rule;
    rule.name = "isis";
    rule.targets = {"desk"};
    config_.rules.push_back(rule);
  }

  /// Records one alert per story, `count` of them, created a second apart from `first`.
  void record_alerts(int count, TimePoint first = created, const std::string& rule = "isis", int from = 0) {
    store::PollRecord record;
    record.now = first;
    record.state.feed_name = "wire";
    record.state.url = "https://wire.example/rss";
    record.state.configured_url = record.state.url;
    for (int i = from; i < from + count; ++i) {
      const auto name = std::to_string(i);
      store::SeenItem item;
      item.feed = "wire";
      item.identity = "id:" + name;
      item.first_seen = first + seconds{i - from};
      item.last_seen = item.first_seen;
      item.story = static_cast<std::uint64_t>(i + 1);
      item.title = "Story " + name;
      item.link = "https://wire.example/" + name;
      record.items.push_back(item);
      record.stories.push_back(store::StoryRecord{item.story, item.first_seen, item.title});
      Alert alert;
      alert.id = rule + "-" + name;
      alert.rule = rule;
      alert.story = store::format_story_id(item.story);
      alert.feed = "wire";
      alert.item_identity = item.identity;
      alert.title = item.title;
      alert.link = item.link;
      alert.created = item.first_seen;
      alert.targets = {"desk"};
      record.alerts.push_back(alert);
    }
    ASSERT_TRUE(store_->record_poll(record));
  }

  Dispatcher& dispatcher() {
    if (!dispatcher_) {
      dispatcher_ = std::make_unique<Dispatcher>(io_, *store_, config_, courier_, clock_, settings_);
      dispatcher_->set_observer([this](const DeliveryEvent& event) { events_.push_back(event); });
    }
    return *dispatcher_;
  }

  /// Runs the loop until `requests` requests have arrived and the dispatcher has settled.
  bool settle(std::size_t requests) {
    return testing::run_until(
        io_, [&] { return receiver_.received().size() >= requests && !dispatcher().busy(); }, deadline);
  }

  std::vector<Delivery> deliveries_of(const std::string& alert_id) {
    store::AlertFilter filter;
    auto listed = store_->list_alerts(filter);
    EXPECT_TRUE(listed);
    for (const auto& overview : *listed) {
      if (overview.alert.id == alert_id) {
        return overview.deliveries;
      }
    }
    return {};
  }

  testing::TempDir dir_;
  testing::HttpServer server_;
  testing::PlatformEmulator receiver_{server_, config::TargetType::webhook, "/hook"};
  boost::asio::io_context io_;
  testing::SimulatedClock clock_{io_, Instant{created + 1s}};
  net::HttpClient client_{io_};
  HttpCourier courier_{client_, clock_};
  config::Config config_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<Dispatcher> dispatcher_;
  DispatcherSettings settings_ = [] {
    DispatcherSettings settings;
    settings.jitter_seed = 7;
    return settings;
  }();
  std::vector<DeliveryEvent> events_;
};

TEST_F(DispatcherFixture, AlertDispatcherDeliversInOrderOneAtATimeAndRecordsIt) {
  record_alerts(3);
  dispatcher().start();
  ASSERT_TRUE(settle(3));
  EXPECT_EQ(receiver_.accepted_keys(), (std::vector<std::string>{"isis-0", "isis-1", "isis-2"}));
  EXPECT_EQ(server_.peak_connections(), 1U) << "one request in flight per target";
  for (const auto* id : {"isis-0", "isis-1", "isis-2"}) {
    const auto deliveries = deliveries_of(id);
    ASSERT_EQ(deliveries.size(), 1U);
    EXPECT_EQ(deliveries[0].state, DeliveryState::sent);
    EXPECT_EQ(deliveries[0].attempts, 1);
  }
  const auto body = nlohmann::json::parse(receiver_.accepted_bodies().front());
  EXPECT_EQ(body["data"]["title"], "Story 0");
  ASSERT_EQ(events_.size(), 3U);
  EXPECT_EQ(events_[0].state, DeliveryState::sent);
  auto due = store_->load_due_deliveries(created + 1h, 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
}

TEST_F(DispatcherFixture, AlertDispatcherKeepsOrderAcrossPassesWithResultsWrittenTogether) {
  // Small passes, and results written at most every 50 ms: many sends between two writes, and
  // passes that read rows whose results are not written yet.
  settings_.batch = 4;
  settings_.write_interval = 50ms;
  record_alerts(30);
  dispatcher().start();
  ASSERT_TRUE(settle(30));
  testing::run_until(
      io_, [] { return false; }, 100ms);
  std::vector<std::string> expected;
  for (int i = 0; i < 30; ++i) {
    expected.push_back("isis-" + std::to_string(i));
  }
  EXPECT_EQ(receiver_.accepted_keys(), expected) << "each once, in order";
  EXPECT_EQ(receiver_.received().size(), 30U);
  for (const auto& id : expected) {
    const auto deliveries = deliveries_of(id);
    ASSERT_EQ(deliveries.size(), 1U);
    EXPECT_EQ(deliveries[0].state, DeliveryState::sent) << id;
    EXPECT_EQ(deliveries[0].attempts, 1) << id;
  }
}

TEST_F(DispatcherFixture, AlertDispatcherSendsNothingAgainWhileItsResultWaitsToBeWrittenAndStopWritesIt) {
  // The first result is written at once; the next wait for the interval, which does not end here.
  // The interval is longer than any machine has been up: the first write must not wait for the
  // steady clock (which starts at boot) to pass one interval.
  settings_.write_interval = 24h * 3650;
  record_alerts(3);
  dispatcher().start();
  ASSERT_TRUE(testing::run_until(
      io_, [&] { return events_.size() == 3; }, deadline));
  // A new pass sees the two unwritten rows still pending in the store, and leaves them alone.
  dispatcher().notify();
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.received().size(), 3U);
  EXPECT_TRUE(dispatcher().busy()) << "results wait to be written";
  EXPECT_EQ(deliveries_of("isis-0")[0].state, DeliveryState::sent);
  EXPECT_EQ(deliveries_of("isis-2")[0].state, DeliveryState::pending) << "not written yet: a crash sends it again";

  dispatcher().stop();
  EXPECT_FALSE(dispatcher().busy());
  for (const auto* id : {"isis-0", "isis-1", "isis-2"}) {
    const auto deliveries = deliveries_of(id);
    ASSERT_EQ(deliveries.size(), 1U);
    EXPECT_EQ(deliveries[0].state, DeliveryState::sent) << id;
    EXPECT_EQ(deliveries[0].attempts, 1) << id;
  }
}

TEST_F(DispatcherFixture, AlertDispatcherWritesWaitingResultsWhenItGoesAway) {
  settings_.write_interval = 1h;
  record_alerts(2);
  dispatcher().start();
  ASSERT_TRUE(testing::run_until(
      io_, [&] { return events_.size() == 2; }, deadline));
  dispatcher_.reset();
  for (const auto* id : {"isis-0", "isis-1"}) {
    EXPECT_EQ(deliveries_of(id)[0].state, DeliveryState::sent) << id;
  }
}

TEST_F(DispatcherFixture, AlertDispatcherRetriesWithBackoffAndNeverBeforeRetryAfter) {
  record_alerts(1);
  receiver_.script({PlatformAnswer::server_error, PlatformAnswer::rate_limited}, 30s);
  dispatcher().start();
  ASSERT_TRUE(settle(1));
  auto deliveries = deliveries_of("isis-0");
  ASSERT_EQ(deliveries.size(), 1U);
  EXPECT_EQ(deliveries[0].state, DeliveryState::pending);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 503 Service Unavailable");
  const auto first_failure = clock_.now();
  ASSERT_TRUE(dispatcher().next_wake());
  const auto retry_at = *dispatcher().next_wake();
  // 1 s backoff plus up to half again, rounded up to the store's whole seconds.
  EXPECT_GE(retry_at - first_failure, 1s);
  EXPECT_LE(retry_at - first_failure, 3s);
  EXPECT_EQ(deliveries[0].next_attempt, std::optional<TimePoint>{floor<seconds>(retry_at)});

  clock_.advance_to(retry_at - 1ms);
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.received().size(), 1U) << "nothing goes before its time";

  clock_.advance_to(retry_at);
  ASSERT_TRUE(settle(2));
  deliveries = deliveries_of("isis-0");
  EXPECT_EQ(deliveries[0].attempts, 2);
  EXPECT_THAT(deliveries[0].last_error, ::testing::StartsWith("HTTP 429"));
  ASSERT_TRUE(deliveries[0].next_attempt);
  EXPECT_GE(Instant{*deliveries[0].next_attempt} - retry_at, 30s) << "Retry-After outweighs the 2 s backoff";

  clock_.advance_to(retry_at + 29s);
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.received().size(), 2U) << "nothing goes before Retry-After";
  clock_.advance_to(Instant{*deliveries[0].next_attempt});
  ASSERT_TRUE(settle(3));
  deliveries = deliveries_of("isis-0");
  EXPECT_EQ(deliveries[0].state, DeliveryState::sent);
  EXPECT_EQ(deliveries[0].attempts, 3);
  EXPECT_EQ(receiver_.accepted_keys(), std::vector<std::string>{"isis-0"});
}

TEST_F(DispatcherFixture, AlertDispatcherKeepsOrderWhenTheFirstMessageIsRetried) {
  record_alerts(3);
  receiver_.script({PlatformAnswer::server_error});
  dispatcher().start();
  ASSERT_TRUE(settle(1));
  ASSERT_TRUE(dispatcher().next_wake());
  clock_.advance_to(*dispatcher().next_wake());
  ASSERT_TRUE(settle(4));
  EXPECT_EQ(receiver_.accepted_keys(), (std::vector<std::string>{"isis-0", "isis-1", "isis-2"}));
}

TEST_F(DispatcherFixture, AlertDispatcherGivesUpOnAPermanentErrorWithThePlatformText) {
  record_alerts(1);
  receiver_.script({PlatformAnswer::not_found});
  dispatcher().start();
  ASSERT_TRUE(settle(1));
  const auto deliveries = deliveries_of("isis-0");
  ASSERT_EQ(deliveries.size(), 1U);
  EXPECT_EQ(deliveries[0].state, DeliveryState::dead);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 404 no such hook");
  ASSERT_EQ(events_.size(), 1U);
  EXPECT_EQ(events_[0].state, DeliveryState::dead);
  EXPECT_FALSE(dispatcher().next_wake()) << "nothing left to wait for";
}

TEST_F(DispatcherFixture, AlertDispatcherLetsAnAlertOlderThanMaxAgeDieUnsent) {
  config_.daemon.alert_max_age = 1h;
  record_alerts(1, created - 2h);
  dispatcher().start();
  ASSERT_TRUE(testing::run_until(
      io_, [&] { return !events_.empty() && !dispatcher().busy(); }, deadline));
  EXPECT_TRUE(receiver_.received().empty());
  const auto deliveries = deliveries_of("isis-0");
  EXPECT_EQ(deliveries[0].state, DeliveryState::dead);
  EXPECT_EQ(deliveries[0].last_error, "not delivered within alert_max_age 1h");
}

TEST_F(DispatcherFixture, AlertDispatcherFoldsABurstIntoMaxPerMinuteWithoutWaiting) {
  config_.targets[0].max_per_minute = 5;
  record_alerts(30);
  dispatcher().start();
  ASSERT_TRUE(settle(5));
  testing::run_until(
      io_, [] { return false; }, 200ms);
  ASSERT_EQ(receiver_.accepted_bodies().size(), 5U) << "at most 5 messages, all within the minute";
  std::size_t alerts = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto body = nlohmann::json::parse(receiver_.accepted_bodies()[i]);
    EXPECT_EQ(body["type"], "newswatch.alert");
    alerts += body["data"]["alert_ids"].size();
  }
  const auto digest = nlohmann::json::parse(receiver_.accepted_bodies()[4]);
  EXPECT_EQ(digest["type"], "newswatch.digest");
  ASSERT_EQ(digest["data"]["alerts"].size(), 26U);
  EXPECT_EQ(digest["data"]["alerts"][0]["title"], "Story 4");
  EXPECT_EQ(digest["data"]["alerts"][25]["link"], "https://wire.example/29");
  alerts += digest["data"]["alerts"].size();
  EXPECT_EQ(alerts, 30U) << "nothing dropped";
  auto due = store_->load_due_deliveries(created + 1h, 100);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());

  // The window is spent: the next alerts wait for it, folded, and go when it frees up.
  record_alerts(3, created + 2s, "isis", 30);
  dispatcher().notify();
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.received().size(), 5U);
  ASSERT_TRUE(dispatcher().next_wake());
  EXPECT_EQ(*dispatcher().next_wake(), clock_.now() + 60s);
  clock_.advance_to(*dispatcher().next_wake());
  ASSERT_TRUE(settle(6));
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.received().size(), 8U) << "a fresh minute takes the three as they are";
}

TEST_F(DispatcherFixture, AlertDispatcherSendsADigestRuleOncePerInterval) {
  config_.rules[0].digest = 15min;
  record_alerts(3);  // 10:03:00 .. 10:03:02
  dispatcher().start();
  testing::run_until(
      io_, [&] { return !dispatcher().busy() && dispatcher().next_wake(); }, deadline);
  EXPECT_TRUE(receiver_.received().empty()) << "a digest rule's alerts wait for the digest";
  ASSERT_TRUE(dispatcher().next_wake());
  const Instant quarter{sys_days{year{2026} / March / 2} + 10h + 15min};
  EXPECT_EQ(*dispatcher().next_wake(), quarter);

  clock_.advance_to(quarter);
  ASSERT_TRUE(settle(1));
  ASSERT_EQ(receiver_.accepted_bodies().size(), 1U);
  const auto digest = nlohmann::json::parse(receiver_.accepted_bodies()[0]);
  EXPECT_EQ(digest["type"], "newswatch.digest");
  EXPECT_EQ(digest["data"]["alerts"].size(), 3U);

  record_alerts(2, created + 17min, "isis", 10);  // 10:20
  dispatcher().notify();
  testing::run_until(
      io_, [&] { return !dispatcher().busy() && dispatcher().next_wake(); }, deadline);
  ASSERT_TRUE(dispatcher().next_wake());
  EXPECT_EQ(*dispatcher().next_wake(), quarter + 15min);
  clock_.advance_to(quarter + 15min);
  ASSERT_TRUE(settle(2));
  const auto second = nlohmann::json::parse(receiver_.accepted_bodies()[1]);
  EXPECT_EQ(second["data"]["alerts"].size(), 2U);
}

TEST_F(DispatcherFixture, AlertDispatcherSendsNothingTwiceAcrossAnOutageAndARestart) {
  record_alerts(4);
  receiver_.always(PlatformAnswer::server_error);
  dispatcher().start();
  ASSERT_TRUE(settle(1));
  // The process goes away in the middle of the outage.
  dispatcher_.reset();
  receiver_.recover();
  clock_.advance_to(clock_.now() + 10s);
  dispatcher().start();
  ASSERT_TRUE(settle(5));
  testing::run_until(
      io_, [] { return false; }, 200ms);
  EXPECT_EQ(receiver_.accepted_keys(), (std::vector<std::string>{"isis-0", "isis-1", "isis-2", "isis-3"}));
}

}  // namespace
}  // namespace newswatch::alert
