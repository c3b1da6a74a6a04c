#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
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

const std::string trt_feed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>TRT World</title><link>https://www.trtworld.com/</link>
<description>World</description>
<item><title>Little hope for Syrian regime to join anti-ISIS coalition</title>
<link>https://www.trtworld.com/mea/little-hope-1234</link><guid isPermaLink="false">trt-1234</guid>
<pubDate>Wed, 24 Sep 2014 08:15:00 GMT</pubDate></item>
<item><title>Ceasefire talks resume in Geneva</title><link>https://www.trtworld.com/europe/geneva-1233</link>
<guid isPermaLink="false">trt-1233</guid></item>
</channel></rss>
)";

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

class OnceCommandTest : public ::testing::Test {
 protected:
  OnceCommandTest() {
    server_.on("/trt", [](const ReceivedRequest& request) {
      if (request.header("If-None-Match") == "\"trt-1\"") {
        return ScriptedResponse::text(304, "");
      }
      return ScriptedResponse::text(200, trt_feed, "application/rss+xml").with_header("ETag", "\"trt-1\"");
    });
    server_.on("/missing", ScriptedResponse::text(404, "no such feed"));
  }

  std::string write_config(const std::string& state_dir) {
    const std::string toml = "[daemon]\nstate_dir = \"" + state_dir +
                             "\"\nlog_level = \"warn\"\nmax_item_age = \"36500d\"\n\n"
                             "[[feed]]\nname = \"trt-world\"\nbaseline = false\nurl = \"" +
                             server_.url("/trt") +
                             "\"\n\n"
                             "[[feed]]\nname = \"missing\"\nurl = \"" +
                             server_.url("/missing") +
                             "\"\n\n"
                             "[[rule]]\nname = \"isis-coalition\"\nquery = '\"ISIS coalition\"'\n";
    return dir_.write("newswatch.toml", toml).string();
  }

  TempDir dir_;
  HttpServer server_;
};

TEST_F(OnceCommandTest, PrintsMatchesAsJsonLinesAndASummary) {
  const auto config = write_config((dir_.path() / "state").string());
  const auto result = run_newswatch({"once", "--config", config, "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 1U) << result.out;
  const auto& match = lines[0];
  EXPECT_EQ(match["rule"], "isis-coalition");
  EXPECT_EQ(match["feed"], "trt-world");
  EXPECT_EQ(match["item_id"], "trt-1234");
  EXPECT_EQ(match["title"], "Little hope for Syrian regime to join anti-ISIS coalition");
  EXPECT_EQ(match["link"], "https://www.trtworld.com/mea/little-hope-1234");
  EXPECT_EQ(match["published"], "2014-09-24T08:15:00Z");
  ASSERT_TRUE(match["why"].is_array());
  ASSERT_FALSE(match["why"].empty());
  EXPECT_EQ(match["why"][0]["field"], "title");
  EXPECT_EQ(match["why"][0]["text"][0], "ISIS coalition");

  EXPECT_NE(result.err.find("1 ok"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("1 failed"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("missing"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("404"), std::string::npos) << result.err;
}

TEST_F(OnceCommandTest, SecondRunIsConditional) {
  const auto config = write_config((dir_.path() / "state").string());
  ASSERT_EQ(run_newswatch({"once", "--config", config, "--json"}).exit_code, 0);
  const auto second = run_newswatch({"once", "--config", config, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(json_lines(second.out).empty()) << second.out;
  EXPECT_NE(second.err.find("1 not modified"), std::string::npos) << second.err;
  const auto requests = server_.requests("/trt");
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[1].header("If-None-Match"), "\"trt-1\"");
}

TEST_F(OnceCommandTest, PrintsReadableLinesWithoutJson) {
  const auto config = write_config((dir_.path() / "state").string());
  const auto result = run_newswatch({"once", "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("[isis-coalition] trt-world: Little hope for Syrian regime to join anti-ISIS coalition"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("\"ISIS coalition\""), std::string::npos) << result.out;
}

TEST_F(OnceCommandTest, ConfigErrorExitsWithOne) {
  const auto config = dir_.write("bad.toml", "[daemon]\ndefault_interval = \"soon\"\n");
  const auto result = run_newswatch({"once", "--config", config.string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("bad.toml"), std::string::npos) << result.err;
  EXPECT_EQ(server_.total_requests(), 0U);
}

TEST_F(OnceCommandTest, UnusableStoreExitsWithTwo) {
  const auto occupied = dir_.write("occupied", "a file where the state directory should be");
  const auto config = write_config((occupied / "state").string());
  const auto result = run_newswatch({"once", "--config", config});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("state directory"), std::string::npos) << result.err;
  EXPECT_EQ(server_.total_requests(), 0U);
}

TEST(OnceDemo, FindsTheIsisCoalitionStoryInTheBundledFeeds) {
  // conf/demo.toml with its state in a temp dir; its relative file: URLs resolve against the
  // config's directory, so the copy lives next to the real conf/demo/.
  const TempDir dir;
  const std::string source_dir = NEWSWATCH_SOURCE_DIR;
  std::string toml = testing::read_file(source_dir + "/conf/demo.toml");
  const auto state_line = toml.find("state_dir = ");
  ASSERT_NE(state_line, std::string::npos);
  toml.replace(state_line, toml.find('\n', state_line) - state_line,
               "state_dir = \"" + (dir.path() / "state").string() + "\"");
  const auto config = dir.write("demo.toml", toml);
  std::filesystem::create_directory_symlink(source_dir + "/conf/demo", dir.path() / "demo");

  const auto result = run_newswatch({"once", "--config", config.string(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto lines = json_lines(result.out);
  bool found = false;
  for (const auto& line : lines) {
    found = found || (line["feed"] == "trt-world" &&
                      line["title"] == "Little hope for Syrian regime to join anti-ISIS coalition");
  }
  EXPECT_TRUE(found) << result.out;
  EXPECT_NE(result.err.find("0 failed"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace newswatch::app
