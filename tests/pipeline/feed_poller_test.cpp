#include "newswatch/pipeline/feed_poller.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/store/sqlite_store.hpp"
#include "support/run_loop.hpp"

namespace newswatch::pipeline {
namespace {

// A fetch that answers only when the test says so: what was asked, in order, and the answers owed.
struct HeldFetches {
  std::vector<std::string> urls;
  std::vector<std::function<void(fetch::FetchResult)>> answers;

  FetchFunction function() {
    return [this](const fetch::FetchRequest& request, std::function<void(fetch::FetchResult)> answer) {
      urls.push_back(request.url);
      answers.push_back(std::move(answer));
    };
  }
};

Feed feed(int number) {
  Feed configured;
  configured.name = "feed-" + std::to_string(number);
  configured.url = "http://127.0.0.1:9/" + std::to_string(number) + ".xml";
  return configured;
}

fetch::FetchResult downloaded() {
  fetch::FetchResult result;
  result.outcome = fetch::FetchOutcome::ok;
  result.status = 200;
  result.body = "<rss/>";
  return result;
}

fetch::FetchResult refused() {
  fetch::FetchResult result;
  result.outcome = fetch::FetchOutcome::transport_error;
  result.error = "connection refused";
  return result;
}

// A FeedPoller over a scratch store and held fetches, with room for 64 transfers at once unless
// told otherwise.
class FeedPollerTest : public ::testing::Test {
 protected:
  void start(std::size_t per_host, std::size_t global = 64, WorkerStages stages = {}) {
    auto opened = store::SqliteStore::open_scratch();
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    recorder_.emplace(*store_, RecorderSettings{});
    PollCycleSettings settings;
    settings.max_concurrent_fetches = global;
    settings.per_host_concurrency = per_host;
    poller_.emplace(
        FeedPoller::Parts{io_, workers_, *store_, *recorder_, fetches_.function(), std::move(stages), nullptr, nullptr},
        settings);
  }
  void poll(int count) {
    for (int i = 0; i < count; ++i) {
      FeedState state;
      state.feed_name = feed(i).name;
      state.url = feed(i).url;
      poller_->poll(std::make_shared<const Feed>(feed(i)), state,
                    [this](const FeedPollResult& result) { finished_.push_back(result.report.feed); });
    }
  }
  // Runs the loop until `done` holds (false after 30 s); the guard keeps it waiting for the
  // workers' answers instead of spinning while none is queued.
  bool run_until(const std::function<bool()>& done) {
    const auto guard = boost::asio::make_work_guard(io_);
    return testing::run_until(io_, done, std::chrono::seconds{30});
  }
  // Runs what is left and stops the workers.
  void drain() {
    io_.restart();
    io_.run();
    workers_.join();
  }

  boost::asio::io_context io_;
  boost::asio::thread_pool workers_{1};
  std::unique_ptr<store::SqliteStore> store_;
  std::optional<Recorder> recorder_;
  HeldFetches fetches_;
  std::optional<FeedPoller> poller_;
  std::vector<std::string> finished_;
};

TEST_F(FeedPollerTest, ABurstStartsItsFetchesAGroupPerTurnWithoutCappingHowManyRunAtOnce) {
  ASSERT_NO_FATAL_FAILURE(start(64));
  constexpr int burst = 40;
  constexpr auto group = FeedPoller::fetches_started_per_turn;
  static_assert(group < burst && burst <= 64, "the burst takes several groups and fits the limits");
  poll(burst);
  // Nothing starts inside poll(): the loop starts the burst, one group per turn.
  EXPECT_TRUE(fetches_.urls.empty());
  // Stands for an answer that came in meanwhile: it runs after the first group, before the others.
  std::size_t started_before_answer = 0;
  boost::asio::post(io_, [&] { started_before_answer = fetches_.urls.size(); });
  io_.poll();
  EXPECT_EQ(started_before_answer, group);
  // All of them run at once, in the order they were polled.
  ASSERT_EQ(fetches_.urls.size(), static_cast<std::size_t>(burst));
  for (int i = 0; i < burst; ++i) {
    EXPECT_EQ(fetches_.urls[static_cast<std::size_t>(i)], feed(i).url);
  }
  EXPECT_EQ(poller_->in_flight(), static_cast<std::size_t>(burst));

  // Each poll still finishes once its fetch answers.
  for (auto& answer : fetches_.answers) {
    answer(refused());
  }
  drain();
  EXPECT_EQ(finished_.size(), static_cast<std::size_t>(burst));
  EXPECT_EQ(poller_->in_flight(), 0U);
}

TEST_F(FeedPollerTest, AFetchWaitingForItsHostStartsWhenTheSlotIsFreed) {
  ASSERT_NO_FATAL_FAILURE(start(1));
  poll(3);
  io_.poll();
  ASSERT_EQ(fetches_.urls.size(), 1U);  // One host, one slot.
  EXPECT_EQ(poller_->waiting(), 2U);
  for (std::size_t answered = 0; answered < 3; ++answered) {
    ASSERT_EQ(fetches_.answers.size(), answered + 1) << "the next fetch starts once the slot is freed";
    auto answer = std::move(fetches_.answers[answered]);
    answer(refused());
    io_.restart();
    io_.poll();
  }
  drain();
  EXPECT_EQ(fetches_.urls, (std::vector<std::string>{feed(0).url, feed(1).url, feed(2).url}));
  EXPECT_EQ(finished_.size(), 3U);
}

// Parsing that waits until the test opens the gate, so bodies stay with the worker.
struct GatedParse {
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();

  WorkerStages stages() {
    WorkerStages gated;
    gated.parse = [opened = opened](std::string_view /*body*/, const std::string& /*type*/,
                                    const std::string& /*url*/) -> Expected<ParsedBody, std::string> {
      opened.wait();
      return make_unexpected(std::string("not a feed"));
    };
    return gated;
  }
};

TEST_F(FeedPollerTest, ABodyWaitingForAWorkerKeepsItsGlobalSlotButFreesItsHost) {
  GatedParse parse;
  ASSERT_NO_FATAL_FAILURE(start(1, 2, parse.stages()));
  poll(4);  // One host: one fetch at a time on it, two bodies at most in memory.
  io_.poll();
  ASSERT_EQ(fetches_.urls.size(), 1U);
  // Downloaded: the host takes its next fetch while the body waits for the (held) parser.
  auto first = std::move(fetches_.answers[0]);
  first(downloaded());
  io_.restart();
  io_.poll();
  ASSERT_EQ(fetches_.urls.size(), 2U);
  // The second body fills the global limit: no third download starts while both are unparsed.
  auto second = std::move(fetches_.answers[1]);
  second(downloaded());
  io_.restart();
  io_.poll();
  EXPECT_EQ(fetches_.urls.size(), 2U);
  EXPECT_EQ(poller_->waiting(), 2U);
  // Once the workers are done with them, the rest start, and every poll ends.
  parse.gate.set_value();
  ASSERT_TRUE(run_until([&] { return fetches_.urls.size() == 3U; }));
  auto third = std::move(fetches_.answers[2]);
  third(refused());  // A failed fetch gives its slot back at once.
  ASSERT_TRUE(run_until([&] { return fetches_.urls.size() == 4U; }));
  auto fourth = std::move(fetches_.answers[3]);
  fourth(downloaded());
  ASSERT_TRUE(run_until([&] { return finished_.size() == 4U; }));
  drain();
  EXPECT_EQ(fetches_.urls, (std::vector<std::string>{feed(0).url, feed(1).url, feed(2).url, feed(3).url}));
  EXPECT_EQ(poller_->in_flight(), 0U);
  EXPECT_EQ(poller_->waiting(), 0U);
}

}  // namespace
}  // namespace newswatch::pipeline
