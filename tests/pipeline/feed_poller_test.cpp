#include "newswatch/pipeline/feed_poller.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/store/sqlite_store.hpp"

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

TEST(FeedPoller, ABurstStartsItsFetchesAGroupPerTurnWithoutCappingHowManyRunAtOnce) {
  auto store = store::SqliteStore::open_scratch();
  ASSERT_TRUE(store) << store.error().message;
  Recorder recorder(**store, RecorderSettings{});
  boost::asio::io_context io;
  boost::asio::thread_pool workers(1);
  HeldFetches fetches;
  PollCycleSettings settings;
  settings.max_concurrent_fetches = 64;
  settings.per_host_concurrency = 64;
  FeedPoller poller({io, workers, **store, recorder, fetches.function(), WorkerStages{}, nullptr, nullptr}, settings);

  constexpr int burst = 40;
  constexpr auto group = FeedPoller::fetches_started_per_turn;
  static_assert(group < burst && burst <= 64, "the burst takes several groups and fits the limits");
  std::vector<std::string> finished;
  for (int i = 0; i < burst; ++i) {
    FeedState state;
    state.feed_name = feed(i).name;
    state.url = feed(i).url;
    poller.poll(feed(i), state, [&finished](const FeedPollResult& result) { finished.push_back(result.report.feed); });
  }
  // Nothing starts inside poll(): the loop starts the burst, one group per turn.
  EXPECT_TRUE(fetches.urls.empty());
  // Stands for an answer that came in meanwhile: it runs after the first group, before the others.
  std::size_t started_before_answer = 0;
  boost::asio::post(io, [&] { started_before_answer = fetches.urls.size(); });
  io.poll();
  EXPECT_EQ(started_before_answer, group);
  // All of them run at once, in the order they were polled.
  ASSERT_EQ(fetches.urls.size(), static_cast<std::size_t>(burst));
  for (int i = 0; i < burst; ++i) {
    EXPECT_EQ(fetches.urls[static_cast<std::size_t>(i)], feed(i).url);
  }
  EXPECT_EQ(poller.in_flight(), static_cast<std::size_t>(burst));

  // Each poll still finishes once its fetch answers.
  for (auto& answer : fetches.answers) {
    fetch::FetchResult refused;
    refused.outcome = fetch::FetchOutcome::transport_error;
    refused.error = "connection refused";
    answer(std::move(refused));
  }
  io.restart();
  io.run();
  workers.join();
  EXPECT_EQ(finished.size(), static_cast<std::size_t>(burst));
  EXPECT_EQ(poller.in_flight(), 0U);
}

TEST(FeedPoller, AFetchWaitingForItsHostStartsWhenTheSlotIsFreed) {
  auto store = store::SqliteStore::open_scratch();
  ASSERT_TRUE(store) << store.error().message;
  Recorder recorder(**store, RecorderSettings{});
  boost::asio::io_context io;
  boost::asio::thread_pool workers(1);
  HeldFetches fetches;
  PollCycleSettings settings;
  settings.max_concurrent_fetches = 64;
  settings.per_host_concurrency = 1;
  FeedPoller poller({io, workers, **store, recorder, fetches.function(), WorkerStages{}, nullptr, nullptr}, settings);

  std::vector<std::string> finished;
  for (int i = 0; i < 3; ++i) {
    FeedState state;
    state.feed_name = feed(i).name;
    state.url = feed(i).url;
    poller.poll(feed(i), state, [&finished](const FeedPollResult& result) { finished.push_back(result.report.feed); });
  }
  io.poll();
  ASSERT_EQ(fetches.urls.size(), 1U);  // One host, one slot.
  EXPECT_EQ(poller.waiting(), 2U);
  for (std::size_t answered = 0; answered < 3; ++answered) {
    ASSERT_EQ(fetches.answers.size(), answered + 1) << "the next fetch starts once the slot is freed";
    fetch::FetchResult refused;
    refused.outcome = fetch::FetchOutcome::transport_error;
    refused.error = "connection refused";
    auto answer = std::move(fetches.answers[answered]);
    answer(std::move(refused));
    io.restart();
    io.poll();
  }
  io.restart();
  io.run();
  workers.join();
  EXPECT_EQ(fetches.urls, (std::vector<std::string>{feed(0).url, feed(1).url, feed(2).url}));
  EXPECT_EQ(finished.size(), 3U);
}

}  // namespace
}  // namespace newswatch::pipeline
