// End to end through the real binary: what `once` remembers between runs and across feeds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/store/sqlite_store.hpp"
#include "support/http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::app {
namespace {

using testing::HttpServer;
using testing::run_newswatch;
using testing::ScriptedResponse;
using testing::TempDir;

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) {
      lines.push_back(nlohmann::json::parse(line));
    }
  }
  return lines;
}

struct FeedItem {
  std::string guid;
  std::string link;
  std::string title;
  std::string description;
};

std::string rss(const std::vector<FeedItem>& items) {
  std::string body =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>https://example.org/</link>"
      "<description>d</description>";
  for (const auto& item : items) {
    body += "<item><guid isPermaLink=\"false\">" + item.guid + "</guid><link>" + item.link + "</link><title>" +
            item.title + "</title><description>" + item.description +
            "</description><pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>";
  }
  return body + "</channel></rss>";
}

/// A wire story as five outlets reprint it: an edited headline, a dropped dateline, a cut sentence.
const std::string wire_lead =
    "Coalition aircraft struck Islamic State positions near Raqqa overnight, the U.S.-led coalition said on "
    "Monday, in the heaviest raids on the group's stronghold in northern Syria this month. The strikes destroyed "
    "weapons depots and a command post, according to a statement, which gave no figure for casualties.";

class MemoryEndToEnd : public ::testing::Test {
 protected:
  /// A config with these feeds (name -> path on the local server) and the given rules; every feed
  /// alerts from its first poll unless `baseline` says otherwise.
  std::string write_config(const std::vector<std::pair<std::string, std::string>>& feeds, bool baseline = false,
                           const std::string& rules =
                               "[[rule]]\nname = \"isis-coalition\"\n"
                               "query = 'coalition (ISIS OR \"Islamic State\")'\n") {
    std::string toml = "[daemon]\nstate_dir = \"" + (dir_.path() / "state").string() +
                       "\"\nlog_level = \"warn\"\nper_host_concurrency = 1\nmax_concurrent_fetches = 1\n"
                       "max_item_age = \"36500d\"\n\n";
    for (const auto& [name, path] : feeds) {
      toml += "[[feed]]\nname = \"" + name + "\"\nurl = \"" + server_.url(path) +
              "\"\nbaseline = " + (baseline ? "true" : "false") + "\n\n";
    }
    return dir_.write("newswatch.toml", toml + rules).string();
  }

  testing::ProcessResult once(const std::string& config, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"once", "--config", config, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_newswatch(args);
  }

  TempDir dir_;
  HttpServer server_;
};

TEST_F(MemoryEndToEnd, ASecondRunWithoutValidatorsPrintsNothing) {
  server_.on("/feed",
             ScriptedResponse::text(
                 200, rss({{"g1", "https://news.example/raqqa", "ISIS coalition strikes hit Raqqa", wire_lead}}),
                 "application/rss+xml"));
  const auto config = write_config({{"world", "/feed"}});
  const auto first = once(config);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(json_lines(first.out).size(), 1U) << first.out;
  const auto second = once(config);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(second.out.empty()) << second.out;
  EXPECT_NE(second.err.find("1 seen, 0 new"), std::string::npos) << second.err;
}

TEST_F(MemoryEndToEnd, KeepsTermFrequenciesForTheNextRun) {
  server_.on("/feed",
             ScriptedResponse::text(
                 200, rss({{"g1", "https://news.example/raqqa", "ISIS coalition strikes hit Raqqa", wire_lead}}),
                 "application/rss+xml"));
  const auto config = write_config({{"world", "/feed"}});
  ASSERT_EQ(once(config).exit_code, 0);
  auto store = store::SqliteStore::open_read_only(dir_.path() / "state");
  ASSERT_TRUE(store) << store.error().message;
  auto saved = (*store)->load_term_frequencies();
  ASSERT_TRUE(saved && saved->has_value());
  const auto frequencies = rules::TermFrequencies::deserialize(**saved);
  ASSERT_TRUE(frequencies);
  EXPECT_EQ(frequencies->documents(), 1U);
  EXPECT_EQ(frequencies->count(rules::word_key("raqqa")), 1U);
}

TEST_F(MemoryEndToEnd, TheSameArticleInTwoFeedsAlertsOnce) {
  server_.on("/world", ScriptedResponse::text(200,
                                              rss({{"w1", "https://www.news.example/raqqa?utm_source=rss",
                                                    "ISIS coalition strikes hit Raqqa", wire_lead}}),
                                              "application/rss+xml"));
  server_.on("/mideast",
             ScriptedResponse::text(
                 200, rss({{"m7", "http://news.example/raqqa/", "ISIS coalition strikes hit Raqqa", wire_lead}}),
                 "application/rss+xml"));
  const auto config = write_config({{"world", "/world"}, {"mideast", "/mideast"}});
  const auto result = once(config);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U) << result.out;
  ASSERT_EQ(lines[0]["also"].size(), 1U) << result.out;
  EXPECT_NE(lines[0]["feed"], lines[0]["also"][0]["feed"]);
  EXPECT_NE(result.err.find("1 duplicates folded"), std::string::npos) << result.err;
}

TEST_F(MemoryEndToEnd, FiveReprintsOfAWireStoryGiveOneAlertWithFourAlso) {
  const std::vector<FeedItem> reprints{
      {"a", "https://wire.example/raqqa-strikes", "Coalition strikes hit Islamic State near Raqqa",
       "RAQQA, Syria (Wire) - " + wire_lead},
      {"b", "https://daily.example/world/raqqa-raids", "Coalition strikes hit Islamic State near Raqqa - Daily",
       wire_lead},
      {"c", "https://herald.example/2026/11/30/coalition-raqqa",
       "US-led coalition strikes hit Islamic State near Raqqa",
       "Coalition aircraft struck Islamic State positions near Raqqa overnight, the U.S.-led coalition said on "
       "Monday, in the heaviest raids on the group's stronghold in northern Syria this month."},
      {"d", "https://times.example/news/raqqa", "Coalition strikes hit Islamic State positions near Raqqa",
       "BEIRUT - " + wire_lead},
      {"e", "https://post.example/a/123", "UPDATE 1-Coalition strikes hit Islamic State near Raqqa", wire_lead},
  };
  std::vector<std::pair<std::string, std::string>> feeds;
  for (std::size_t i = 0; i < reprints.size(); ++i) {
    const auto path = "/outlet-" + std::to_string(i);
    server_.on(path, ScriptedResponse::text(200, rss({reprints[i]}), "application/rss+xml"));
    feeds.emplace_back("outlet-" + std::to_string(i), path);
  }
  const auto config = write_config(feeds);
  const auto result = once(config);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U) << result.out;
  // Whichever outlet's copy was recorded first raises the alert; the four others are listed.
  std::set<std::string> outlets{lines[0]["feed"].get<std::string>()};
  for (const auto& member : lines[0]["also"]) {
    outlets.insert(member["feed"].get<std::string>());
  }
  EXPECT_EQ(lines[0]["also"].size(), 4U) << result.out;
  EXPECT_EQ(outlets.size(), 5U) << result.out;

  const auto stories = run_newswatch({"state", "stories", "--config", config, "--json"});
  ASSERT_EQ(stories.exit_code, 0) << stories.err;
  const auto listed = json_lines(stories.out);
  ASSERT_EQ(listed.size(), 1U) << stories.out;
  EXPECT_EQ(listed[0]["members"].size(), 5U);
  EXPECT_EQ(listed[0]["story"], lines[0]["story"]);
}

TEST_F(MemoryEndToEnd, TwoDifferentStoriesWithTheSameTitleGiveTwoAlerts) {
  server_.on("/a", ScriptedResponse::text(
                       200,
                       rss({{"a1", "https://one.example/live-1", "Live updates",
                             "The ISIS coalition met in Paris on Monday to agree a new strategy for the campaign "
                             "in Iraq, with ministers from twenty countries at the table."}}),
                       "application/rss+xml"));
  server_.on("/b", ScriptedResponse::text(
                       200,
                       rss({{"b1", "https://two.example/live-2", "Live updates",
                             "Turkish forces shelled positions across the border as the ISIS coalition weighed a "
                             "request for air support near Kobani, officials in Ankara said."}}),
                       "application/rss+xml"));
  const auto config = write_config({{"one", "/a"}, {"two", "/b"}});
  const auto result = once(config);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 2U) << result.out;
  EXPECT_NE(lines[0]["story"], lines[1]["story"]);
  EXPECT_TRUE(lines[0]["also"].empty());
}

TEST_F(MemoryEndToEnd, TheFirstPollOfANewFeedAlertsOnNothing) {
  server_.on("/feed",
             ScriptedResponse::text(
                 200, rss({{"g1", "https://news.example/raqqa", "ISIS coalition strikes hit Raqqa", wire_lead}}),
                 "application/rss+xml"));
  const auto config = write_config({{"world", "/feed"}}, true);
  const auto first = once(config);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(first.out.empty()) << first.out;
  EXPECT_NE(first.err.find("baseline"), std::string::npos) << first.err;

  // --no-baseline alerts from the first poll, for one run.
  const auto forgotten = run_newswatch({"state", "forget", "world", "--config", config});
  ASSERT_EQ(forgotten.exit_code, 0) << forgotten.err;
  const auto again = once(config, {"--no-baseline"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json_lines(again.out).size(), 1U) << again.out;
}

TEST_F(MemoryEndToEnd, DryRunPrintsButWritesNothing) {
  server_.on("/feed",
             ScriptedResponse::text(
                 200, rss({{"g1", "https://news.example/raqqa", "ISIS coalition strikes hit Raqqa", wire_lead}}),
                 "application/rss+xml"));
  const auto config = write_config({{"world", "/feed"}});
  const auto dry = once(config, {"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(json_lines(dry.out).size(), 1U) << dry.out;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "state" / "state.db")) << "a dry run creates no state";

  ASSERT_EQ(once(config).exit_code, 0);
  const auto dry_again = once(config, {"--dry-run"});
  ASSERT_EQ(dry_again.exit_code, 0) << dry_again.err;
  EXPECT_TRUE(dry_again.out.empty()) << "a dry run reads the stored memory: " << dry_again.out;
  const auto real = once(config);
  EXPECT_TRUE(real.out.empty()) << real.out;
}

TEST_F(MemoryEndToEnd, StateCommandsShowFeedsItemsAndAlerts) {
  server_.on("/feed", ScriptedResponse::text(
                          200,
                          rss({{"g1", "https://news.example/raqqa", "ISIS coalition strikes hit Raqqa", wire_lead},
                               {"g2", "https://news.example/markets", "Markets calm", "Nothing."}}),
                          "application/rss+xml"));
  const auto config = write_config({{"world", "/feed"}});
  const auto run = once(config);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto alert_id = json_lines(run.out).at(0)["alert_id"];

  const auto feeds = run_newswatch({"state", "feeds", "--config", config, "--json"});
  ASSERT_EQ(feeds.exit_code, 0) << feeds.err;
  const auto feed_lines = json_lines(feeds.out);
  ASSERT_EQ(feed_lines.size(), 1U);
  EXPECT_EQ(feed_lines[0]["feed"], "world");
  EXPECT_EQ(feed_lines[0]["items"], 2);

  const auto items = run_newswatch({"state", "items", "world", "--limit", "1", "--config", config, "--json"});
  ASSERT_EQ(items.exit_code, 0) << items.err;
  EXPECT_EQ(json_lines(items.out).size(), 1U);

  const auto alerts = run_newswatch({"state", "alerts", "--since", "1h", "--config", config, "--json"});
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  const auto alert_lines = json_lines(alerts.out);
  ASSERT_EQ(alert_lines.size(), 1U);
  EXPECT_EQ(alert_lines[0]["alert_id"], alert_id);

  const auto text = run_newswatch({"state", "alerts", "--config", config});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("ISIS coalition strikes hit Raqqa"), std::string::npos) << text.out;

  const auto bad_since = run_newswatch({"state", "stories", "--since", "yesterday", "--config", config});
  EXPECT_EQ(bad_since.exit_code, 1);
  EXPECT_NE(bad_since.err.find("--since"), std::string::npos) << bad_since.err;

  const auto unknown = run_newswatch({"state", "forget", "nope", "--config", config});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("nope"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace newswatch::app
