#include "newswatch/app/opml_drop_in.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

parse::OpmlFeed outline(std::string title, std::string url, std::vector<std::string> categories = {}) {
  return parse::OpmlFeed{std::move(title), std::move(url), std::move(categories), 0};
}

TEST(ImportedFeeds, NamesAreValidAndUnique) {
  parse::OpmlDocument document;
  document.feeds = {outline("TRT World", "https://a.example/rss"), outline("TRT World", "https://b.example/rss"),
                    outline("trt-world", "https://c.example/rss"), outline("Новости", "https://news.example.ru/rss"),
                    outline("", "https://[::1]:8080/rss")};
  const auto feeds = imported_feeds(document, {});
  ASSERT_EQ(feeds.size(), 5U);
  EXPECT_EQ(feeds[0].name, "trt-world");
  EXPECT_EQ(feeds[1].name, "trt-world-2");
  EXPECT_EQ(feeds[2].name, "trt-world-3");
  EXPECT_EQ(feeds[3].name, "news.example.ru");  // nothing Latin in the title: the host
  EXPECT_EQ(feeds[4].name, "feed");             // no title, no host name
  EXPECT_EQ(feeds[3].title, "Новости");
}

TEST(ImportedFeeds, TagsAreTheCategoryPathThenTheExtraTags) {
  parse::OpmlDocument document;
  document.feeds = {outline("A", "https://a.example/rss", {"News", "World Affairs", "news", "Ünïcode"})};
  const auto feeds = imported_feeds(document, {"imported", "News"});
  ASSERT_EQ(feeds.size(), 1U);
  EXPECT_THAT(feeds[0].tags, ElementsAre("News", "world-affairs", "news", "unicode", "imported"));
}

struct TomlStringCase {
  std::string text;
  std::string toml;
};

class TomlString : public ::testing::TestWithParam<TomlStringCase> {};

TEST_P(TomlString, EscapesWhatTomlRequires) {
  EXPECT_EQ(toml_string(GetParam().text), GetParam().toml);
}

INSTANTIATE_TEST_SUITE_P(Cases, TomlString,
                         ::testing::Values(TomlStringCase{"plain", "\"plain\""},
                                           TomlStringCase{"say \"hi\"", "\"say \\\"hi\\\"\""},
                                           TomlStringCase{"C:\\feeds", "\"C:\\\\feeds\""},
                                           TomlStringCase{"a\nb\tc\rd", "\"a\\nb\\tc\\rd\""},
                                           TomlStringCase{std::string("nul\0bell\x07"
                                                                      "del\x7f",
                                                                      13),
                                                          "\"nul\\u0000bell\\u0007del\\u007F\""},
                                           TomlStringCase{"T\xc3\xbcrk\xc3\xa7\x65", "\"T\xc3\xbcrk\xc3\xa7\x65\""},
                                           TomlStringCase{"bad \xff byte", "\"bad \xef\xbf\xbd byte\""}));

TEST(FeedsDropIn, KeepsTheTitleAsACommentThatCannotBreakOut) {
  const std::vector<ImportedFeed> feeds{
      {"evil", "Title\n[[target]]\nname = \"x\"", "https://e.example/rss?a=1&b=\"2\"", {"news"}}};
  const std::string toml = feeds_drop_in(feeds, "subs.opml");
  EXPECT_THAT(toml, HasSubstr("# Feeds imported from subs.opml by newswatch import-opml.\n"));
  EXPECT_THAT(toml, HasSubstr("\n# Title [[target]] name = \"x\"\n[[feed]]\nname = \"evil\"\n"
                              "url = \"https://e.example/rss?a=1&b=\\\"2\\\"\"\ntags = [\"news\"]\n"));
}

}  // namespace
}  // namespace newswatch::app
