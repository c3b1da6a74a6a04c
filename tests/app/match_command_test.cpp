#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::run_newswatch;

const std::string trtworld_feed = std::string(NEWSWATCH_TEST_DATA_DIR) + "/feeds/trtworld.rss";
const std::string seed_title = "Little hope for Syrian regime to join anti-ISIS coalition";

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream stream(out);
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty()) {
      lines.push_back(nlohmann::json::parse(line));
    }
  }
  return lines;
}

TEST(MatchCommand, PrintsOneJsonLinePerMatchWithSpans) {
  const auto result = run_newswatch({"match", "--query", "\"ISIS coalition\"", trtworld_feed});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U) << result.out;
  const auto& match = lines[0];
  EXPECT_EQ(match["rule"], "query");
  EXPECT_EQ(match["file"], trtworld_feed);
  EXPECT_EQ(match["item_id"], "trtworld-mea-2941");
  EXPECT_EQ(match["title"], seed_title);
  EXPECT_THAT(match["link"].get<std::string>(), HasSubstr("/mea/little-hope-for-syrian-regime"));
  const auto begin = seed_title.find("ISIS coalition");
  const nlohmann::json expected_why = {
      {{"field", "title"}, {"spans", {{begin, begin + std::string("ISIS coalition").size()}}}}};
  EXPECT_EQ(match["why"], expected_why);
}

TEST(MatchCommand, NonMatchingQueryPrintsNothing) {
  const auto result = run_newswatch({"match", "--query", "\"ISIS coalition\" NOT regime", trtworld_feed});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(MatchCommand, ExplainHighlightsTheMatchingText) {
  const auto result = run_newswatch({"match", "--explain", "--query", "ISIS NEAR/3 coalition", trtworld_feed});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("title: Little hope for Syrian regime to join anti-[ISIS] [coalition]"));
}

TEST(MatchCommand, ExplainHighlightsTheSiteInTheLink) {
  const auto result =
      run_newswatch({"match", "--explain", "--query", "site:trtworld.example \"ISIS coalition\"", trtworld_feed});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("  link: https://www.[trtworld.example]/mea/little-hope-for-syrian-regime"));
  EXPECT_THAT(result.out, HasSubstr("title: Little hope for Syrian regime to join anti-[ISIS coalition]"));
  EXPECT_THAT(result.out, Not(HasSubstr("  link: https://www.trtworld.example/")));
}

TEST(MatchCommand, StatsGoToStderr) {
  const auto result = run_newswatch({"match", "--stats", "--query", "syria*", trtworld_feed});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("rules (0 always checked)"));
  EXPECT_THAT(result.err, HasSubstr("candidates/item"));
  EXPECT_THAT(result.err, HasSubstr("items/s"));
}

TEST(MatchCommand, BadQueryShowsColumnAndCaret) {
  const auto result = run_newswatch({"match", "--query", "(ISIS coalition))", trtworld_feed});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("rule \"query\": query:1:17: unbalanced \")\"\n  (ISIS coalition))\n"
                                    "                  ^"));
  EXPECT_EQ(result.out, "");
}

TEST(MatchCommand, UnreadableFileIsBadInput) {
  const auto result = run_newswatch({"match", "--query", "isis", "/nonexistent/feed.rss"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("cannot open /nonexistent/feed.rss"));
}

TEST(MatchCommand, RunsEveryEnabledRuleOfAConfig) {
  testing::TempDir dir;
  const auto config = dir.write("newswatch.toml",
                                "[daemon]\nstate_dir = \"" + dir.path().string() +
                                    "\"\n\n[[feed]]\nname = \"trt-world\"\nurl = \"https://www.trtworld.example/rss\"\n"
                                    "tags = [\"world\"]\n\n[[target]]\nname = \"terminal\"\ntype = \"console\"\n\n"
                                    "[[rule]]\nname = \"isis-coalition\"\nquery = '\"ISIS coalition\"'\n"
                                    "targets = [\"terminal\"]\n\n"
                                    "[[rule]]\nname = \"assad\"\nquery = 'title:assad'\ntargets = [\"terminal\"]\n\n"
                                    "[[rule]]\nname = \"off\"\nquery = 'syria'\nenabled = false\n"
                                    "targets = [\"terminal\"]\n\n"
                                    "[[rule]]\nname = \"world-only\"\nquery = 'coalition'\nfeeds = [\"tag:world\"]\n"
                                    "targets = [\"terminal\"]\n");
  const auto result = run_newswatch({"match", "--config", config.string(), trtworld_feed});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> rules;
  for (const auto& line : json_lines(result.out)) {
    rules.push_back(line["rule"]);
  }
  EXPECT_THAT(rules, ::testing::Contains("isis-coalition"));
  EXPECT_THAT(rules, ::testing::Contains("world-only"));
  EXPECT_THAT(rules, Not(::testing::Contains("off")));
  EXPECT_THAT(rules, Not(::testing::Contains("assad")));

  const auto as_feed = run_newswatch({"match", "--config", config.string(), "--feed", "trt-world", trtworld_feed});
  ASSERT_EQ(as_feed.exit_code, 0) << as_feed.err;
  EXPECT_THAT(as_feed.out, HasSubstr("\"rule\":\"world-only\""));

  const auto unknown_feed = run_newswatch({"match", "--config", config.string(), "--feed", "bbc", trtworld_feed});
  EXPECT_EQ(unknown_feed.exit_code, 1);
  EXPECT_THAT(unknown_feed.err, HasSubstr("no feed named \"bbc\""));
}

}  // namespace
}  // namespace newswatch
