// `newswatch once` killed with SIGKILL at random moments: the store never holds an item marked seen
// without its alerts, and across all runs every expected alert exists exactly once.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::app {
namespace {

using testing::HttpServer;
using testing::ReceivedRequest;
using testing::run_newswatch;
using testing::ScriptedResponse;
using testing::TempDir;

constexpr int feed_count = 12;
constexpr int items_per_feed = 6;
constexpr int killed_runs = 40;

/// Feed f lists items 0..shown-1; the even ones match the rule, each a story of its own.
std::string feed_body(int feed, int shown) {
  std::string body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title><link>https://f.example/</link>"
      "<description>d</description>";
  for (int item = 0; item < shown; ++item) {
    const auto id = std::to_string(feed) + "-" + std::to_string(item);
    // Twelve words drawn per item from a wide vocabulary: no two items are near-duplicates of one story.
    static const std::vector<std::string> vocabulary{
        "harbour",  "pipeline", "election",   "drought", "stadium",   "vaccine", "tariff",   "glacier",  "senate",
        "railway",  "festival", "refinery",   "orchard", "satellite", "border",  "currency", "hospital", "museum",
        "wildfire", "summit",   "protest",    "merger",  "airline",   "reactor", "vineyard", "tunnel",   "cathedral",
        "copper",   "monsoon",  "parliament", "fishery", "telescope", "bridge",  "cabinet",  "lithium",  "ferry"};
    std::mt19937 words(static_cast<unsigned>(feed * 1000 + item));
    std::string topic;
    for (int word = 0; word < 12; ++word) {
      topic += vocabulary[words() % vocabulary.size()] + " ";
    }
    body += "<item><guid>g" + id + "</guid><link>https://f" + std::to_string(feed) + ".example/" + id +
            "</link><title>" + (item % 2 == 0 ? "Coalition watch " : "Market note ") + id + ": " + topic +
            "</title><description>Report " + id + ": " + topic + "</description></item>";
  }
  return body + "</channel></rss>";
}

struct Database {
  explicit Database(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
    }
  }
  ~Database() { sqlite3_close(handle); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&&) = delete;
  Database& operator=(Database&&) = delete;

  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    std::vector<std::vector<std::string>> result;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
      return result;
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int column = 0; column < sqlite3_column_count(statement); ++column) {
        const auto* text = sqlite3_column_text(statement, column);
        row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
      }
      result.push_back(std::move(row));
    }
    sqlite3_finalize(statement);
    return result;
  }

  sqlite3* handle = nullptr;
};

/// The invariants of a state.db after any crash.
void expect_consistent(const std::filesystem::path& db_path, int run) {
  if (!std::filesystem::exists(db_path)) {
    return;  // Killed before the store was created: nothing to hold.
  }
  SCOPED_TRACE("after run " + std::to_string(run));
  const Database db(db_path);
  EXPECT_EQ(db.rows("PRAGMA integrity_check"), (std::vector<std::vector<std::string>>{{"ok"}}));
  const auto tables = db.rows("SELECT count(*) FROM sqlite_master WHERE name = 'seen_items'");
  if (tables.empty() || tables[0][0] == "0") {
    return;  // Killed during the first migration: it rolled back whole.
  }
  // Every stored item that matched the rule has the rule's alert on its story.
  const auto orphans = db.rows(
      "SELECT feed, identity FROM seen_items WHERE rules <> '' AND NOT EXISTS "
      "(SELECT 1 FROM alerts WHERE alerts.rule = 'coalition' AND alerts.story = seen_items.story)");
  EXPECT_TRUE(orphans.empty()) << orphans.size() << " item(s) marked seen without their alert, first "
                               << (orphans.empty() ? "" : orphans[0][0] + " " + orphans[0][1]);
  // A feed's items are never stored without its state, and never the state of a fetched poll without its items.
  const auto stateless = db.rows(
      "SELECT DISTINCT feed FROM seen_items WHERE NOT EXISTS "
      "(SELECT 1 FROM feed_state WHERE feed_state.feed_name = seen_items.feed)");
  EXPECT_TRUE(stateless.empty());
  const auto deliveries = db.rows(
      "SELECT count(*) FROM deliveries WHERE NOT EXISTS (SELECT 1 FROM alerts WHERE alerts.id = deliveries.alert_id)");
  EXPECT_EQ(deliveries.at(0).at(0), "0");
}

TEST(CrashSafety, KilledRunsLoseNoAlertAndDoubleNone) {
  HttpServer server;
  std::atomic<int> shown{1};  // Each feed grows by one item every few runs, so runs keep finding new items.
  for (int feed = 0; feed < feed_count; ++feed) {
    server.on("/feed-" + std::to_string(feed), [feed, &shown](const ReceivedRequest&) {
      return ScriptedResponse::text(200, feed_body(feed, shown.load()), "application/rss+xml");
    });
  }
  TempDir dir;
  std::string toml = "[daemon]\nstate_dir = \"" + (dir.path() / "state").string() +
                     "\"\nlog_level = \"off\"\nmax_item_age = \"36500d\"\n\n";
  for (int feed = 0; feed < feed_count; ++feed) {
    toml += "[[feed]]\nname = \"feed-" + std::to_string(feed) + "\"\nurl = \"" +
            server.url("/feed-" + std::to_string(feed)) + "\"\nbaseline = false\n\n";
  }
  toml += "[[target]]\nname = \"desk\"\ntype = \"console\"\n\n";
  toml += "[[rule]]\nname = \"coalition\"\nquery = 'coalition'\ntargets = [\"desk\"]\n";
  const auto config = dir.write("newswatch.toml", toml).string();
  const auto db_path = dir.path() / "state" / "state.db";

  // How long a whole run takes here, to spread the kills over it.
  const auto started = std::chrono::steady_clock::now();
  const auto full = run_newswatch({"once", "--config", config, "--json"});
  ASSERT_EQ(full.exit_code, 0) << full.err;
  const auto run_time =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  expect_consistent(db_path, 0);

  std::mt19937 random(20261130);  // Fixed seed: a failure replays.
  std::uniform_int_distribution<std::int64_t> moment(0, run_time.count() * 3 / 2);
  int killed = 0;
  for (int run = 1; run <= killed_runs; ++run) {
    if (run % 4 == 0 && shown < items_per_feed) {
      ++shown;
    }
    testing::ProcessOptions options;
    options.kill_after = std::chrono::microseconds{moment(random)};
    const auto result = run_newswatch({"once", "--config", config, "--json"}, options);
    killed += result.exit_code == 137 ? 1 : 0;
    ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 137) << result.exit_code << ": " << result.err;
    expect_consistent(db_path, run);
  }
  EXPECT_GT(killed, killed_runs / 4) << "most runs should have been killed mid-way";

  // One clean run picks up whatever the kills left unrecorded.
  shown = items_per_feed;
  const auto last = run_newswatch({"once", "--config", config, "--json"});
  ASSERT_EQ(last.exit_code, 0) << last.err;
  expect_consistent(db_path, killed_runs + 1);

  const Database db(db_path);
  const auto alerts = db.rows("SELECT count(*), count(DISTINCT story) FROM alerts WHERE rule = 'coalition'");
  const auto expected = std::to_string(feed_count * ((items_per_feed + 1) / 2));
  EXPECT_EQ(alerts.at(0).at(0), expected) << "every matching item's alert exists";
  EXPECT_EQ(alerts.at(0).at(1), expected) << "and exactly once";
  const auto items = db.rows("SELECT count(*) FROM seen_items");
  EXPECT_EQ(items.at(0).at(0), std::to_string(feed_count * items_per_feed));
}

}  // namespace
}  // namespace newswatch::app
