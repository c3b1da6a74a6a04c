#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace newswatch {
namespace {

using testing::run_newswatch;

std::string fixture(const std::string& name) {
  return std::string(NEWSWATCH_TEST_DATA_DIR) + "/feeds/" + name;
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream stream(out);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

TEST(ParseCommand, PrintsOneJsonObjectPerInput) {
  const auto result = run_newswatch({"parse", fixture("trtworld.rss"), fixture("atom10.atom")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0].at("file"), fixture("trtworld.rss"));
  EXPECT_EQ(lines[0].at("format"), "rss2.0");
  EXPECT_EQ(lines[0].at("items").at(0).at("title"), "Little hope for Syrian regime to join anti-ISIS coalition");
  EXPECT_EQ(lines[0].at("items").at(0).at("published"), "2015-08-25T12:00:00Z");
  EXPECT_EQ(lines[1].at("format"), "atom1.0");
}

TEST(ParseCommand, ExitsOneWhenAnyInputFails) {
  const auto result = run_newswatch({"parse", fixture("html_page.html"), fixture("rss091.xml"), "/nonexistent/x.xml"});
  EXPECT_EQ(result.exit_code, 1);
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[0].at("error"), "not a feed: got an HTML page (title: Welcome & Sign in)");
  EXPECT_FALSE(lines[0].contains("items"));
  EXPECT_EQ(lines[1].at("format"), "rss0.9x");
  EXPECT_TRUE(lines[2].contains("error"));
}

TEST(ParseCommand, ReadsStdinWithHints) {
  testing::ProcessOptions options;
  options.stdin_data =
      "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>\xE9t\xE9</title>"
      "<link>/a</link></item></channel></rss>";
  const auto result = run_newswatch(
      {"parse", "--content-type", "text/xml; charset=iso-8859-1", "--url", "https://feeds.example/rss", "-"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0].at("file"), "-");
  EXPECT_EQ(lines[0].at("items").at(0).at("title"), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(lines[0].at("items").at(0).at("link"), "https://feeds.example/a");
}

TEST(ParseCommand, StatsGoToStderr) {
  const auto result = run_newswatch({"parse", "--stats", fixture("trtworld.rss")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("2 items"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("MB/s"), std::string::npos) << result.err;
  EXPECT_EQ(json_lines(result.out).size(), 1U);
}

TEST(ParseCommand, RequiresAnInput) {
  const auto result = run_newswatch({"parse"});
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
}  // namespace newswatch
