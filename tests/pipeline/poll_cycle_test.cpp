#include "newswatch/pipeline/poll_cycle.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/pipeline/stages.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "newswatch/store/store_thread.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::pipeline {
namespace {

using namespace std::chrono_literals;
using testing::HttpServer;
using testing::ReceivedRequest;
using testing::ScriptedResponse;
using testing::TempDir;

/// An RSS 2.0 document whose items carry these titles.
std::string rss(const std::vector<std::string>& titles) {
  std::string items;
  int number = 0;
  for (const auto& title : titles) {
    items += "<item><title>" + title + "</title><link>https://example.org/" + std::to_string(number) +
             "</link><guid>item-" + std::to_string(number) + "</guid>" +
             "<pubDate>Wed, 24 Sep 2014 08:15:00 GMT</pubDate></item>";
    ++number;
  }
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test</title>"
         "<link>https://example.org/</link><description>d</description>" +
         items + "</channel></rss>";
}

const std::string matching_feed = rss({"Little hope for Syrian regime to join anti-ISIS coalition", "Markets calm"});

ScriptedResponse feed_response(const std::string& body) {
  return ScriptedResponse::text(200, body, "application/rss+xml");
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
unsigned short refused_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

Feed feed(std::string name, std::string url) {
  Feed configured;
  configured.name = std::move(name);
  configured.url = std::move(url);
  configured.baseline = false;  // These tests look at alerts from the first poll on.
  return configured;
}

/// An RSS item with a guid, link, title and description.
std::string rss_item(const std::string& guid, const std::string& link, const std::string& title,
                     const std::string& description = "", const std::string& date = "Wed, 24 Sep 2014 08:15:00 GMT") {
  return "<item><guid isPermaLink=\"false\">" + guid + "</guid><link>" + link + "</link><title>" + title +
         "</title><description>" + description + "</description><pubDate>" + date + "</pubDate></item>";
}

std::string rss_of(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    joined += item;
  }
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link>"
         "<description>d</description>" +
         joined + "</channel></rss>";
}

struct CycleRun {
  std::optional<PollSummary> summary;
  std::vector<Alert> matches;                                      ///< The alerts the cycle recorded.
  std::map<std::string, std::chrono::milliseconds> match_arrival;  ///< Feed name -> when its alerts were recorded.
  std::size_t held = 0;                 ///< With hold_all_: polls held back before recording resumed.
  std::size_t recorded_while_held = 0;  ///< With hold_all_: feeds finished before recording resumed.

  [[nodiscard]] const FeedReport& report(const std::string& name) const {
    for (const auto& feed_report : summary->feeds) {
      if (feed_report.feed == name) {
        return feed_report;
      }
    }
    throw std::out_of_range("no report for " + name);
  }
};

class PollCycleTest : public ::testing::Test {
 protected:
  PollCycleTest() {
    daemon_.state_dir = dir_.path() / "state";
    daemon_.fetch_timeout = 2s;
    daemon_.per_host_concurrency = 2;
    // The fixtures were published in 2014; max_item_age has its own test.
    daemon_.max_item_age = std::chrono::days{365 * 30};
    // As `once` and `run` do: the polls are written on a store thread of their own.
    writer_opener_ = store::SqliteStore::writer_opener(daemon_.state_dir, false);
  }

  /// One cycle with real parts: io_context, HttpClient, worker pool, SQLite store, rules.
  CycleRun run(const std::vector<Feed>& feeds) {
    CycleRun result;
    auto store = store::SqliteStore::open(daemon_.state_dir);
    if (!store) {
      ADD_FAILURE() << store.error().message;
      return result;
    }
    std::vector<rules::RuleDefinition> definitions;
    for (const auto& rule : rules_) {
      definitions.push_back(rules::RuleDefinition{rule.name, rule.query, rule.feeds});
    }
    auto rules = rules::RuleSet::compile(definitions);
    if (!rules) {
      ADD_FAILURE() << "rules did not compile";
      return result;
    }
    boost::asio::io_context io;
    boost::asio::thread_pool workers(2);
    config::Config config;
    config.daemon = daemon_;
    config.rules = rules_;
    Recorder recorder(**store, recorder_settings(config));
    {
      const auto loaded = recorder.load(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
      EXPECT_TRUE(loaded);
      net::HttpClient client(io);
      readers_.reset();
      if (reader_opener_) {
        readers_.emplace(reader_opener_);
      }
      std::optional<store::StoreThread> writer;
      if (writer_opener_) {
        writer.emplace(writer_opener_);
      }
      PollCycle cycle(
          {io, workers, **store, recorder, make_fetch_function(client, daemon_), make_worker_stages(daemon_, *rules),
           readers_ ? &*readers_ : nullptr, writer ? &*writer : nullptr},
          feeds, poll_cycle_settings(daemon_));
      auto guard = boost::asio::make_work_guard(io);
      const auto started = std::chrono::steady_clock::now();
      // Recording resumes once every poll is either held back or recorded (one without a fresh
      // item is not held).
      boost::asio::steady_timer hold_check(io);
      std::function<void()> check_held = [&] {
        if (cycle.held() + cycle.finished() < feeds.size()) {
          hold_check.expires_after(1ms);
          hold_check.async_wait([&](const boost::system::error_code&) { check_held(); });
          return;
        }
        result.recorded_while_held = cycle.finished();
        result.held = cycle.held();
        cycle.resume_recording();
      };
      if (hold_all_) {
        cycle.pause_recording();
        check_held();
      }
      cycle.start(
          [&](const FeedReport& report) {
            if (report.items.alerts > 0) {
              result.match_arrival.emplace(report.feed, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                            std::chrono::steady_clock::now() - started));
            }
          },
          [&](PollSummary summary) {
            result.summary = std::move(summary);
            guard.reset();
          });
      io.run_for(20s);  // A hard deadline: a hung cycle fails the test instead of blocking it.
    }
    workers.join();
    EXPECT_TRUE(result.summary.has_value()) << "the cycle did not finish within its deadline";
    if (result.summary) {
      auto alerts = recorder.alerts(result.summary->alert_ids);
      EXPECT_TRUE(alerts);
      if (alerts) {
        result.matches = std::move(*alerts);
      }
    }
    return result;
  }

  std::optional<FeedState> stored_state(const std::string& name) {
    auto store = store::SqliteStore::open(daemon_.state_dir);
    if (!store) {
      ADD_FAILURE() << store.error().message;
      return std::nullopt;
    }
    auto state = (*store)->load_feed_state(name);
    return state ? *state : std::nullopt;
  }

  TempDir dir_;
  HttpServer server_;
  config::DaemonSettings daemon_;
  store::ReaderPool::Open reader_opener_;   ///< Set: workers read stored items through a pool of these.
  store::StoreThread::Open writer_opener_;  ///< Set: the polls are written on a store thread through it.
  std::optional<store::ReaderPool> readers_;
  bool hold_all_ = false;  ///< Pause recording until every poll is held back or recorded.
  std::vector<config::Rule> rules_{config::Rule{"isis-coalition", "\"ISIS coalition\"", {}, {}, true, {}}};
};

TEST_F(PollCycleTest, SecondRunSendsConditionalRequestsAndGets304) {
  const std::string etag = "\"v1\"";
  const std::string last_modified = "Wed, 24 Sep 2014 09:00:00 GMT";
  server_.on("/feed", [&](const ReceivedRequest& request) {
    if (request.header("If-None-Match") == etag) {
      return ScriptedResponse::text(304, "").with_header("ETag", etag);
    }
    return feed_response(matching_feed).with_header("ETag", etag).with_header("Last-Modified", last_modified);
  });
  const std::vector<Feed> feeds{feed("world", server_.url("/feed"))};

  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.summary->count(PollVerdict::fetched), 1U);
  EXPECT_EQ(first.summary->items.seen, 2U);
  ASSERT_EQ(first.matches.size(), 1U);
  EXPECT_EQ(first.matches[0].rule, "isis-coalition");
  EXPECT_EQ(first.matches[0].feed, "world");
  EXPECT_EQ(first.matches[0].title, "Little hope for Syrian regime to join anti-ISIS coalition");

  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.summary->count(PollVerdict::not_modified), 1U);
  EXPECT_TRUE(second.matches.empty());
  const auto requests = server_.requests("/feed");
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_FALSE(requests[0].has_header("If-None-Match"));
  EXPECT_EQ(requests[1].header("If-None-Match"), etag);
  EXPECT_EQ(requests[1].header("If-Modified-Since"), last_modified);

  const auto state = stored_state("world");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->etag, etag);
  EXPECT_EQ(state->last_modified, last_modified);
  EXPECT_TRUE(state->next_poll.has_value());
}

TEST_F(PollCycleTest, GoneFeedStaysDisabledAcrossRestarts) {
  server_.on("/gone", ScriptedResponse::text(410, "gone"));
  const std::vector<Feed> feeds{feed("old", server_.url("/gone"))};

  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.report("old").verdict, PollVerdict::gone);

  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.report("old").verdict, PollVerdict::skipped);
  EXPECT_NE(second.report("old").detail.find("410"), std::string::npos) << second.report("old").detail;
  EXPECT_EQ(server_.request_count("/gone"), 1U);
  const auto state = stored_state("old");
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->disabled);
}

TEST_F(PollCycleTest, PermanentRedirectIsPersisted) {
  server_.on("/old", ScriptedResponse::redirect(301, server_.url("/new")));
  server_.on("/new", feed_response(matching_feed));
  const std::vector<Feed> feeds{feed("moved", server_.url("/old"))};

  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.report("moved").verdict, PollVerdict::fetched);
  const auto state = stored_state("moved");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->url, server_.url("/new"));
  EXPECT_EQ(state->configured_url, server_.url("/old"));

  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(server_.request_count("/old"), 1U);
  EXPECT_EQ(server_.request_count("/new"), 2U);
}

TEST_F(PollCycleTest, TemporaryRedirectIsNotPersisted) {
  server_.on("/home", ScriptedResponse::redirect(302, server_.url("/elsewhere")));
  server_.on("/elsewhere", feed_response(matching_feed));
  const std::vector<Feed> feeds{feed("visiting", server_.url("/home"))};

  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.report("visiting").verdict, PollVerdict::fetched);
  const auto state = stored_state("visiting");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->url, server_.url("/home"));
}

TEST_F(PollCycleTest, PendingRetryAfterIsNotPolled) {
  server_.on("/busy", ScriptedResponse::text(503, "busy").with_header("Retry-After", "3600"));
  const std::vector<Feed> feeds{feed("busy", server_.url("/busy"))};

  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.report("busy").verdict, PollVerdict::failed);
  const auto state = stored_state("busy");
  ASSERT_TRUE(state && state->retry_after);
  EXPECT_EQ(state->consecutive_failures, 1);

  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.report("busy").verdict, PollVerdict::skipped);
  EXPECT_EQ(server_.request_count("/busy"), 1U);
}

TEST_F(PollCycleTest, PerHostLimitIsRespected) {
  std::vector<Feed> feeds;
  for (int i = 0; i < 8; ++i) {
    const auto path = "/slow-" + std::to_string(i);
    auto response = feed_response(rss({"Item " + std::to_string(i)}));
    response.delay = 150ms;
    server_.on(path, response);
    feeds.push_back(feed("feed-" + std::to_string(i), server_.url(path)));
  }
  daemon_.per_host_concurrency = 2;
  const auto result = run(feeds);
  ASSERT_TRUE(result.summary);
  EXPECT_EQ(result.summary->count(PollVerdict::fetched), 8U);
  EXPECT_EQ(server_.total_requests(), 8U);
  EXPECT_LE(server_.peak_connections(), 2U);
  // Two at a time, 150 ms each: at least four rounds.
  EXPECT_GE(result.summary->elapsed, 4 * 150ms);
}

TEST_F(PollCycleTest, BrokenFeedsNeitherDelayNorBreakTheOthers) {
  auto slow = feed_response(matching_feed);
  slow.delay = 10s;
  server_.on("/slow", slow);
  server_.on("/html", ScriptedResponse::text(200, "<!DOCTYPE html><html><body>Not a feed</body></html>", "text/html"));
  // Three different stories: the same article in three feeds would rightly alert once.
  server_.on(
      "/good-1",
      feed_response(rss_of({rss_item("g1", "https://one.example/a", "ISIS coalition strikes hit Raqqa overnight")})));
  server_.on("/good-2", feed_response(rss_of({rss_item("g2", "https://two.example/b",
                                                       "Little hope for Syrian regime to join anti-ISIS coalition")})));
  server_.on("/good-3", feed_response(rss_of({rss_item("g3", "https://three.example/c",
                                                       "ISIS coalition ministers gather in Paris for budget talks")})));
  daemon_.per_host_concurrency = 2;
  const std::vector<Feed> feeds{
      feed("slow", server_.url("/slow")),
      feed("html", server_.url("/html")),
      feed("refused", "http://127.0.0.1:" + std::to_string(refused_port()) + "/feed"),
      feed("good-1", server_.url("/good-1")),
      feed("good-2", server_.url("/good-2")),
      feed("good-3", server_.url("/good-3")),
  };

  const auto result = run(feeds);
  ASSERT_TRUE(result.summary);
  EXPECT_EQ(result.summary->count(PollVerdict::fetched), 3U);
  EXPECT_EQ(result.summary->count(PollVerdict::failed), 3U);
  EXPECT_EQ(result.report("slow").verdict, PollVerdict::failed);
  EXPECT_NE(result.report("html").detail.find("not a feed"), std::string::npos) << result.report("html").detail;
  EXPECT_EQ(result.report("refused").verdict, PollVerdict::failed);
  for (const auto* name : {"good-1", "good-2", "good-3"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(result.report(name).verdict, PollVerdict::fetched);
    ASSERT_EQ(result.match_arrival.count(name), 1U);
    // The slow feed holds one of the host's two slots until its 2 s timeout; the others use the
    // second slot and finish long before that.
    EXPECT_LT(result.match_arrival.at(name), 1500ms);
  }
  EXPECT_GE(result.summary->elapsed, 1900ms);
}

TEST_F(PollCycleTest, WithoutValidatorsTheSecondCycleAlertsNothing) {
  server_.on("/feed", feed_response(matching_feed));  // No ETag, no Last-Modified: a full 200 every time.
  const std::vector<Feed> feeds{feed("world", server_.url("/feed"))};
  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.matches.size(), 1U);
  EXPECT_EQ(first.summary->items.fresh, 2U);
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.summary->count(PollVerdict::fetched), 1U);
  EXPECT_EQ(second.summary->items.seen, 2U);
  EXPECT_EQ(second.summary->items.fresh, 0U);
  EXPECT_TRUE(second.matches.empty());
}

TEST_F(PollCycleTest, WorkersReadTheStoredItemsThroughTheirOwnConnections) {
  server_.on("/feed", feed_response(matching_feed));  // No validators: every cycle parses the feed.
  server_.on("/other", feed_response(rss({"Markets calm", "Rain in Ankara"})));
  reader_opener_ = store::SqliteStore::reader_opener(daemon_.state_dir);
  const std::vector<Feed> feeds{feed("world", server_.url("/feed")), feed("other", server_.url("/other"))};
  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.matches.size(), 1U);
  EXPECT_EQ(first.summary->items.fresh, 4U);
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_GE(readers_->opened(), 1U);
  EXPECT_EQ(second.summary->items.seen, 4U);
  EXPECT_EQ(second.summary->items.fresh, 0U) << "the workers' connections see what the first cycle stored";
  EXPECT_TRUE(second.matches.empty());
}

TEST_F(PollCycleTest, AStoreThatCannotBeReadLeavesThePollUnrecorded) {
  server_.on("/feed", feed_response(matching_feed));
  reader_opener_ = [] {
    return Expected<std::unique_ptr<store::Store>, store::StoreError>(
        make_unexpected(store::StoreError{"store: state.db: unable to open database file"}));
  };
  const std::vector<Feed> feeds{feed("world", server_.url("/feed"))};
  const auto failed = run(feeds);
  ASSERT_TRUE(failed.summary);
  EXPECT_EQ(failed.report("world").verdict, PollVerdict::failed);
  EXPECT_NE(failed.report("world").detail.find("unable to open database file"), std::string::npos);
  EXPECT_TRUE(failed.matches.empty());
  reader_opener_ = store::SqliteStore::reader_opener(daemon_.state_dir);
  const auto retried = run(feeds);
  ASSERT_TRUE(retried.summary);
  EXPECT_EQ(retried.summary->items.fresh, 2U) << "nothing of the failed poll was stored";
  EXPECT_EQ(retried.matches.size(), 1U);
}

TEST_F(PollCycleTest, PollsTheStoreThreadCannotWriteStayUnrecordedAndComeBackWhole) {
  server_.on("/feed", feed_response(matching_feed));
  server_.on("/other", feed_response(rss({"Markets calm", "Rain in Ankara"})));
  writer_opener_ = [] {
    return Expected<std::unique_ptr<store::Store>, store::StoreError>(
        make_unexpected(store::StoreError{"store: state.db: disk I/O error"}));
  };
  const std::vector<Feed> feeds{feed("world", server_.url("/feed")), feed("other", server_.url("/other"))};
  const auto failed = run(feeds);
  ASSERT_TRUE(failed.summary);
  EXPECT_TRUE(failed.summary->alert_ids.empty());
  EXPECT_TRUE(failed.matches.empty());
  EXPECT_FALSE(stored_state("world")) << "the poll's feed state is not written either";

  // Polled again once the store can be written: every item is new, and the match alerts now.
  writer_opener_ = store::SqliteStore::writer_opener(daemon_.state_dir, false);
  const auto retried = run(feeds);
  ASSERT_TRUE(retried.summary);
  EXPECT_EQ(retried.summary->items.fresh, 4U) << "nothing of the failed polls was stored";
  EXPECT_EQ(retried.matches.size(), 1U);
  EXPECT_TRUE(stored_state("world"));

  // Without a store thread the loop writes the polls itself, with the same outcome.
  writer_opener_ = nullptr;
  const auto third = run(feeds);
  ASSERT_TRUE(third.summary);
  EXPECT_EQ(third.summary->items.seen, 4U);
  EXPECT_EQ(third.summary->items.fresh, 0U);
  EXPECT_TRUE(third.matches.empty());
}

TEST_F(PollCycleTest, PollsHeldBackAreRecordedInFullOnResume) {
  const auto body = rss_of({rss_item("x-1", "https://www.wire.example/story/1", "ISIS coalition strikes hit Raqqa")});
  const auto reprint =
      rss_of({rss_item("y-9", "http://wire.example/story/1/?utm_medium=feed#top", "ISIS coalition strikes hit Raqqa")});
  server_.on("/wire", feed_response(body));
  server_.on("/partner", feed_response(reprint));
  server_.on("/calm", feed_response(rss({"Markets calm"})));
  hold_all_ = true;
  const auto result = run({feed("wire", server_.url("/wire")), feed("partner", server_.url("/partner")),
                           feed("calm", server_.url("/calm"))});
  ASSERT_TRUE(result.summary);
  EXPECT_EQ(result.held, 3U);
  EXPECT_EQ(result.recorded_while_held, 0U) << "nothing is recorded while paused";
  EXPECT_EQ(result.summary->count(PollVerdict::fetched), 3U);
  EXPECT_EQ(result.summary->items.fresh, 3U);
  ASSERT_EQ(result.matches.size(), 1U) << "held polls still decide their stories together";
  EXPECT_EQ(result.matches[0].also.size(), 1U);
}

TEST_F(PollCycleTest, TheSummaryListsTheFeedsInConfigOrderWhicheverFinishesFirst) {
  auto slow = feed_response(rss({"Markets calm"}));
  slow.delay = 300ms;
  server_.on("/slow", slow);
  server_.on("/gone", ScriptedResponse::text(410, "gone"));
  server_.on("/fast", feed_response(rss({"Quiet day"})));
  auto disabled = feed("disabled", server_.url("/fast"));
  disabled.enabled = false;
  const std::vector<Feed> feeds{feed("slow", server_.url("/slow")), feed("gone", server_.url("/gone")), disabled,
                                feed("refused", "http://127.0.0.1:" + std::to_string(refused_port()) + "/feed"),
                                feed("fast", server_.url("/fast"))};
  const auto listed = [](const PollSummary& summary) {
    std::vector<std::pair<std::string, PollVerdict>> reports;
    for (const auto& report : summary.feeds) {
      reports.emplace_back(report.feed, report.verdict);
    }
    return reports;
  };
  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(listed(*first.summary), (std::vector<std::pair<std::string, PollVerdict>>{{"slow", PollVerdict::fetched},
                                                                                      {"gone", PollVerdict::gone},
                                                                                      {"refused", PollVerdict::failed},
                                                                                      {"fast", PollVerdict::fetched}}));
  // The gone feed is skipped now: reported where it stands, without a poll.
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(listed(*second.summary),
            (std::vector<std::pair<std::string, PollVerdict>>{{"slow", PollVerdict::fetched},
                                                              {"gone", PollVerdict::skipped},
                                                              {"refused", PollVerdict::failed},
                                                              {"fast", PollVerdict::fetched}}));
}

TEST_F(PollCycleTest, OnlyPollsWithFreshItemsWaitForTheStoryIndex) {
  const std::string etag = "\"v1\"";
  server_.on("/cached", [&](const ReceivedRequest& request) {
    if (request.header("If-None-Match") == etag) {
      return ScriptedResponse::text(304, "").with_header("ETag", etag);
    }
    return feed_response(rss({"Quiet day"})).with_header("ETag", etag);
  });
  server_.on("/same", feed_response(rss({"Markets calm"})));
  server_.on("/news", feed_response(rss({"Markets calm"})));
  const std::vector<Feed> feeds{feed("cached", server_.url("/cached")), feed("same", server_.url("/same")),
                                feed("news", server_.url("/news"))};
  ASSERT_TRUE(run(feeds).summary);

  server_.on("/news", feed_response(rss({"Markets calm", "ISIS coalition meets in Paris"})));
  hold_all_ = true;
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.held, 1U) << "only the poll with a fresh item waits for the index";
  EXPECT_EQ(second.recorded_while_held, 2U) << "a 304 and a body of stored items are recorded at once";
  EXPECT_EQ(second.report("cached").verdict, PollVerdict::not_modified);
  EXPECT_EQ(second.report("same").verdict, PollVerdict::fetched);
  EXPECT_EQ(second.summary->items.fresh, 1U);
  ASSERT_EQ(second.matches.size(), 1U);
  EXPECT_EQ(second.matches[0].feed, "news");
  EXPECT_EQ(second.matches[0].title, "ISIS coalition meets in Paris");
}

TEST_F(PollCycleTest, TheFirstPollOfANewFeedIsItsBaseline) {
  server_.on("/feed", feed_response(matching_feed));
  auto baselined = feed("world", server_.url("/feed"));
  baselined.baseline = true;
  const auto first = run({baselined});
  ASSERT_TRUE(first.summary);
  EXPECT_TRUE(first.matches.empty());
  EXPECT_TRUE(first.report("world").baselined);
  EXPECT_EQ(first.summary->items.fresh, 2U) << "the baseline records what is there";
  server_.on("/feed", feed_response(rss({"Little hope for Syrian regime to join anti-ISIS coalition", "Markets calm",
                                         "ISIS coalition meets in Paris"})));
  const auto second = run({baselined});
  ASSERT_TRUE(second.summary);
  ASSERT_EQ(second.matches.size(), 1U) << "after the baseline, only what is new alerts";
  EXPECT_EQ(second.matches[0].title, "ISIS coalition meets in Paris");
}

TEST_F(PollCycleTest, AChangedUrlBaselinesAgain) {
  server_.on("/a", feed_response(matching_feed));
  server_.on("/b", feed_response(rss({"ISIS coalition widens", "Other"})));
  auto world = feed("world", server_.url("/a"));
  world.baseline = true;
  ASSERT_TRUE(run({world}).summary);
  world.url = server_.url("/b");
  const auto moved = run({world});
  ASSERT_TRUE(moved.summary);
  EXPECT_TRUE(moved.report("world").baselined);
  EXPECT_TRUE(moved.matches.empty());
}

TEST_F(PollCycleTest, GuidsThatChangeOnEveryFetchAreTheSameItems) {
  int fetches = 0;
  server_.on("/unstable", [&](const ReceivedRequest&) {
    ++fetches;
    const auto token = std::to_string(fetches);
    return feed_response(rss_of({rss_item("a-" + token, "https://news.example/a?utm_source=rss&sid=" + token,
                                          "ISIS coalition strikes hit Raqqa"),
                                 rss_item("b-" + token, "https://news.example/b", "Markets calm")}));
  });
  daemon_.strip_query_params = {"sid"};
  const std::vector<Feed> feeds{feed("cms", server_.url("/unstable"))};
  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  EXPECT_EQ(first.matches.size(), 1U);
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.summary->items.fresh, 0U);
  EXPECT_TRUE(second.matches.empty());
}

TEST_F(PollCycleTest, TheSameArticleInTwoFeedsAlertsOnceAndListsTheOther) {
  const auto body = rss_of({rss_item("x-1", "https://www.wire.example/story/1", "ISIS coalition strikes hit Raqqa")});
  const auto reprint =
      rss_of({rss_item("y-9", "http://wire.example/story/1/?utm_medium=feed#top", "ISIS coalition strikes hit Raqqa")});
  server_.on("/wire", feed_response(body));
  server_.on("/partner", feed_response(reprint));
  daemon_.per_host_concurrency = 1;
  daemon_.max_concurrent_fetches = 1;
  const auto result = run({feed("wire", server_.url("/wire")), feed("partner", server_.url("/partner"))});
  ASSERT_TRUE(result.summary);
  ASSERT_EQ(result.matches.size(), 1U);
  ASSERT_EQ(result.matches[0].also.size(), 1U);
  EXPECT_NE(result.matches[0].feed, result.matches[0].also[0].feed);
  EXPECT_EQ(result.summary->items.folded, 1U);
}

TEST_F(PollCycleTest, AnEditAlertsOnlyForRulesTheOldVersionDidNotMatch) {
  rules_.push_back(config::Rule{"raqqa", "raqqa", {}, {}, true, {}});
  server_.on("/feed", feed_response(rss_of({rss_item("g-1", "https://news.example/1", "ISIS coalition meets")})));
  const std::vector<Feed> feeds{feed("world", server_.url("/feed"))};
  const auto first = run(feeds);
  ASSERT_TRUE(first.summary);
  ASSERT_EQ(first.matches.size(), 1U);
  EXPECT_EQ(first.matches[0].rule, "isis-coalition");
  server_.on("/feed",
             feed_response(rss_of({rss_item("g-1", "https://news.example/1", "ISIS coalition meets over Raqqa")})));
  const auto second = run(feeds);
  ASSERT_TRUE(second.summary);
  EXPECT_EQ(second.summary->items.updated, 1U);
  ASSERT_EQ(second.matches.size(), 1U);
  EXPECT_EQ(second.matches[0].rule, "raqqa");
  EXPECT_TRUE(second.matches[0].updated);
  const auto third = run(feeds);
  ASSERT_TRUE(third.summary);
  EXPECT_TRUE(third.matches.empty()) << "an unchanged edit is not an edit again";
}

TEST_F(PollCycleTest, AnItemOlderThanMaxItemAgeIsRecordedButNeverAlerts) {
  server_.on("/feed", feed_response(matching_feed));  // Published in 2014.
  daemon_.max_item_age = std::chrono::days{7};
  const auto result = run({feed("world", server_.url("/feed"))});
  ASSERT_TRUE(result.summary);
  EXPECT_EQ(result.summary->items.fresh, 2U);
  EXPECT_TRUE(result.matches.empty());
}

TEST_F(PollCycleTest, ACopyOfAStoryInTheSamePollJoinsIt) {
  const std::string lead =
      "Coalition aircraft struck Islamic State positions near Raqqa overnight, the U.S.-led coalition said on "
      "Monday, in the heaviest raids on the group's stronghold in northern Syria this month.";
  server_.on("/feed", feed_response(rss_of({
                          rss_item("a", "https://news.example/world/raqqa", "ISIS coalition strikes hit Raqqa", lead),
                          rss_item("b", "https://news.example/live/raqqa-strikes", "ISIS coalition strikes hit Raqqa",
                                   "RAQQA (Wire) - " + lead),
                      })));
  const auto result = run({feed("world", server_.url("/feed"))});
  ASSERT_TRUE(result.summary);
  EXPECT_EQ(result.summary->items.fresh, 2U);
  EXPECT_EQ(result.summary->items.folded, 1U);
  ASSERT_EQ(result.matches.size(), 1U);
  ASSERT_EQ(result.matches[0].also.size(), 1U);
}

TEST_F(PollCycleTest, AnAdaptiveFeedIsPolledAtItsPublishingPace) {
  // Five items six hours apart: half the median gap is 3h, against a 10m fixed interval.
  std::string body = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>)"
                     R"(<link>https://slow.example/</link><description>d</description>)";
  const std::vector<std::string> dates{"Wed, 24 Sep 2014 00:00:00 GMT", "Wed, 24 Sep 2014 06:00:00 GMT",
                                       "Wed, 24 Sep 2014 12:00:00 GMT", "Wed, 24 Sep 2014 18:00:00 GMT",
                                       "Thu, 25 Sep 2014 00:00:00 GMT"};
  for (std::size_t item = 0; item < dates.size(); ++item) {
    body += "<item><title>Item " + std::to_string(item) + "</title><link>https://slow.example/" + std::to_string(item) +
            "</link><pubDate>" + dates[item] + "</pubDate></item>";
  }
  body += "</channel></rss>";
  server_.on("/slow", feed_response(body));
  daemon_.default_interval = 10min;
  daemon_.max_interval = 24h;
  auto adaptive = feed("adaptive", server_.url("/slow"));
  adaptive.adaptive = true;
  const auto fixed = feed("fixed", server_.url("/slow"));
  const auto result = run({adaptive, fixed});
  ASSERT_TRUE(result.summary);
  const auto delay = [this](const std::string& name) {
    const auto state = stored_state(name);
    return state && state->last_poll && state->next_poll ? *state->next_poll - *state->last_poll
                                                         : std::chrono::system_clock::duration::zero();
  };
  EXPECT_GE(delay("adaptive"), 3h);
  EXPECT_LE(delay("adaptive"), 3h + 5min);  // Jitter adds at most max_jitter.
  EXPECT_GE(delay("fixed"), 10min);
  EXPECT_LE(delay("fixed"), 11min);
}

}  // namespace
}  // namespace newswatch::pipeline
