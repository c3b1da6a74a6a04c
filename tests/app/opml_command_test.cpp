// newswatch import-opml and export-opml, run as the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

const char* const reader_export =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<opml version=\"1.0\">\n"
    "  <head><title>Reader subscriptions</title></head>\n"
    "  <body>\n"
    "    <outline text=\"World News\" title=\"World News\">\n"
    "      <outline type=\"rss\" text=\"TRT World\" xmlUrl=\"https://www.trtworld.example/rss\"/>\n"
    "      <outline type=\"rss\" text=\"BBC &quot;World&quot;\" xmlUrl=\"https://feeds.bbci.example/world.xml\"/>\n"
    "      <outline type=\"rss\" text=\"TRT World\" xmlUrl=\"https://www.trtworld.example/mea/rss\"/>\n"
    "    </outline>\n"
    "    <outline type=\"rss\" text=\"Relative\" xmlUrl=\"/local/rss\"/>\n"
    "  </body>\n"
    "</opml>\n";

/// The "  feed ..." lines of `newswatch check` for the config at `path`.
std::vector<std::string> checked_feeds(const std::string& path) {
  const auto result = run_newswatch({"check", "--config", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> feeds;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("  feed ")) {
      feeds.push_back(line);
    }
  }
  return feeds;
}

TEST(ImportOpml, PrintsFeedTablesThatCheckAccepts) {
  testing::TempDir dir;
  const auto opml = dir.write("subs.opml", reader_export);
  const auto result = run_newswatch({"import-opml", opml.string(), "--tag", "imported", "-t", "desk"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("# TRT World\n[[feed]]\nname = \"trt-world\"\n"
                                    "url = \"https://www.trtworld.example/rss\"\n"
                                    "tags = [\"world-news\", \"imported\", \"desk\"]\n"));
  EXPECT_THAT(result.out, HasSubstr("# BBC \"World\"\n[[feed]]\nname = \"bbc-world\"\n"));
  EXPECT_THAT(result.out, HasSubstr("name = \"trt-world-2\"\nurl = \"https://www.trtworld.example/mea/rss\"\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("/local/rss")));
  EXPECT_THAT(result.err, HasSubstr(opml.string() + ":10: warning: outline \"Relative\": xmlUrl \"/local/rss\" is "
                                                    "not an absolute URL; skipped"));

  dir.write("newswatch.toml", "[daemon]\nstate_dir = \"" + (dir.path() / "state").string() + "\"\n");
  dir.write("conf.d/50-imported.toml", result.out);
  const auto feeds = checked_feeds((dir.path() / "newswatch.toml").string());
  ASSERT_EQ(feeds.size(), 3U);
  EXPECT_THAT(feeds[0], HasSubstr("tags: world-news, imported, desk"));
}

TEST(ImportOpml, ReadsStandardInput) {
  testing::ProcessOptions options;
  options.stdin_data = reader_export;
  const auto result = run_newswatch({"import-opml", "-"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("# Feeds imported from standard input"));
}

struct BadImportCase {
  std::string contents;
  std::string error;  ///< After "FILE".
};

class ImportOpmlError : public ::testing::TestWithParam<BadImportCase> {};

TEST_P(ImportOpmlError, NamesTheFileAndLineAndExitsOne) {
  testing::TempDir dir;
  const auto file = dir.write("bad.opml", GetParam().contents);
  const auto result = run_newswatch({"import-opml", file.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(file.string() + GetParam().error));
  EXPECT_TRUE(result.out.empty()) << result.out;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ImportOpmlError,
    ::testing::Values(BadImportCase{"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<channel/></rss>\n",
                                    ":2: error: not OPML: the root element is <rss>, not <opml>"},
                      BadImportCase{
                          "<opml>\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.example/\">\n</body>\n</opml>\n",
                          ":4: error: not XML"},
                      BadImportCase{"<opml><body><outline text=\"folder\"/></body></opml>\n",
                                    ": error: no feeds: none of its 1 outline(s) has a usable xmlUrl"},
                      BadImportCase{"", ": error: empty document"}));

TEST(ImportOpml, RefusesAMissingFileAndABadTag) {
  const auto missing = run_newswatch({"import-opml", "/nonexistent/subs.opml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("/nonexistent/subs.opml: error: cannot open"));
  testing::TempDir dir;
  const auto opml = dir.write("subs.opml", reader_export);
  const auto bad_tag = run_newswatch({"import-opml", opml.string(), "--tag", "not a tag"});
  EXPECT_EQ(bad_tag.exit_code, 1);
  EXPECT_THAT(bad_tag.err, HasSubstr("tag \"not a tag\" has characters other than"));
}

TEST(ExportOpml, RoundTripsThroughImport) {
  testing::TempDir dir;
  const auto original = dir.write(
      "a/newswatch.toml", "[daemon]\nstate_dir = \"" + (dir.path() / "state").string() +
                              "\"\n\n"
                              "[[feed]]\nname = \"trt-world\"\nurl = \"https://www.trtworld.example/rss\"\ntags = "
                              "[\"world\", \"turkey\"]\n\n"
                              "[[feed]]\nname = \"Query_Feed.2\"\nurl = \"https://q.example/feed?a=1&b=%22x%22\"\n\n"
                              "[[feed]]\nname = \"local\"\nurl = \"file:///srv/feeds/local.xml\"\n");
  const auto opml = dir.path() / "feeds.opml";
  const auto exported = run_newswatch({"export-opml", "--config", original.string(), "--output", opml.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr("export-opml: feed \"local\" is a local file; left out"));
  const std::string xml = testing::read_file(opml);
  EXPECT_THAT(xml, HasSubstr("<opml version=\"2.0\">"));
  EXPECT_THAT(xml, HasSubstr("xmlUrl=\"https://q.example/feed?a=1&amp;b=%22x%22\""));
  EXPECT_THAT(xml, HasSubstr("category=\"/world,/turkey\""));

  const auto imported = run_newswatch({"import-opml", opml.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  dir.write("b/newswatch.toml", "[daemon]\nstate_dir = \"" + (dir.path() / "state").string() + "\"\n");
  dir.write("b/conf.d/50-imported.toml", imported.out);

  auto before = checked_feeds(original.string());
  ASSERT_EQ(before.size(), 3U);
  before.pop_back();  // the file: feed, which no other reader could use
  EXPECT_EQ(checked_feeds((dir.path() / "b/newswatch.toml").string()), before);
}

TEST(ExportOpml, WritesToStandardOutputAndFailsOnABadConfig) {
  testing::TempDir dir;
  const auto config = dir.write("newswatch.toml", "[[feed]]\nname = \"a\"\nurl = \"https://a.example/rss\"\n");
  const auto result = run_newswatch({"export-opml", "--config", config.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("<outline type=\"rss\" text=\"a\" title=\"a\" xmlUrl=\"https://a.example/rss\" />"));
  const auto broken = dir.write("broken.toml", "[[feed]]\nname = \"a b\"\n");
  EXPECT_EQ(run_newswatch({"export-opml", "--config", broken.string()}).exit_code, 1);
}

TEST(OpmlCommands, AppearInHelp) {
  const auto help = run_newswatch({"--help"});
  EXPECT_THAT(help.out, HasSubstr("import-opml"));
  EXPECT_THAT(help.out, HasSubstr("export-opml"));
  const auto import_help = run_newswatch({"import-opml", "--help"});
  EXPECT_EQ(import_help.exit_code, 0);
  EXPECT_THAT(import_help.out, HasSubstr("--tag"));
}

}  // namespace
}  // namespace newswatch
