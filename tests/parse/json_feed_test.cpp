#include <gtest/gtest.h>

#include <string>

#include "fixture.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {
namespace {

using newswatch::testing::read_feed_fixture;

TEST(JsonFeedParse, ReadsVersion11) {
  const auto parsed = parse_feed(read_feed_fixture("jsonfeed11.json"), {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  const ParsedFeed& feed = *parsed;
  EXPECT_EQ(feed.format, FeedFormat::jsonfeed11);
  EXPECT_EQ(feed.title, "Night Desk");
  EXPECT_EQ(feed.link, "https://nightdesk.example/");
  EXPECT_EQ(feed.self_url, "https://nightdesk.example/feed.json");
  EXPECT_EQ(feed.hub_url, "https://hub.example/");
  EXPECT_EQ(feed.language, "en-US");
  ASSERT_EQ(feed.items.size(), 2U);
  const Item& item = feed.items[0];
  EXPECT_EQ(item.id, "2024-06-01-storm");
  EXPECT_EQ(item.link, "https://nightdesk.example/2024/06/01/storm");
  EXPECT_EQ(item.title, "Storm closes port");
  EXPECT_EQ(item.content, "The port is closed until Monday.");
  EXPECT_EQ(item.content_html, "<p>The port is <strong>closed</strong> until Monday.</p>");
  EXPECT_EQ(item.summary, "Port closed.");
  ASSERT_TRUE(item.published);
  EXPECT_EQ(format_rfc3339(*item.published), "2024-06-02T02:15:00Z");
  ASSERT_TRUE(item.updated);
  EXPECT_EQ(format_rfc3339(*item.updated), "2024-06-02T01:00:00Z");
  EXPECT_EQ(item.authors, (std::vector<std::string>{"R. Diaz", "K. Osei"}));
  EXPECT_EQ(item.categories, (std::vector<std::string>{"weather", "shipping"}));
  ASSERT_EQ(item.enclosures.size(), 1U);
  EXPECT_EQ(item.enclosures[0].type, "audio/mpeg");
  EXPECT_EQ(item.enclosures[0].length, 123456U);
}

TEST(JsonFeedParse, NumericIdsAndBadDatesAreTolerated) {
  const auto parsed = parse_feed(read_feed_fixture("jsonfeed11.json"), {});
  ASSERT_TRUE(parsed);
  const Item& item = parsed->items.at(1);
  EXPECT_EQ(item.id, "42");
  EXPECT_EQ(item.content, "Plain text only.");
  EXPECT_FALSE(item.published);
  ASSERT_EQ(parsed->warnings.size(), 1U);
  EXPECT_NE(parsed->warnings[0].find("not a date"), std::string::npos);
}

TEST(JsonFeedParse, ReadsVersion10WithSingleAuthor) {
  const auto parsed = parse_feed(read_feed_fixture("jsonfeed10.json"), {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->format, FeedFormat::jsonfeed10);
  ASSERT_EQ(parsed->items.size(), 1U);
  EXPECT_EQ(parsed->items[0].authors, std::vector<std::string>{"J. Park"});
  EXPECT_EQ(parsed->items[0].content, "Stocks rose.");
}

struct JsonErrorCase {
  const char* name;
  const char* document;
  const char* message_part;
};

const JsonErrorCase json_error_cases[] = {
    {"invalid_json_has_position", "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [}",
     "invalid JSON at byte 59"},
    {"array_is_not_a_feed", "[1, 2]", "not a feed: JSON document is not an object"},
    {"object_without_version_or_items", "{\"name\": \"x\"}", "not a feed: JSON without"},
};

class JsonFeedErrors : public ::testing::TestWithParam<JsonErrorCase> {};

TEST_P(JsonFeedErrors, AreClear) {
  const auto parsed = parse_feed(GetParam().document, {});
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find(GetParam().message_part), std::string::npos) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Table, JsonFeedErrors, ::testing::ValuesIn(json_error_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace newswatch::parse
