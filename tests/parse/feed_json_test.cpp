#include "newswatch/parse/feed_json.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace newswatch::parse {
namespace {

TEST(FeedJson, MatchesTheParseCommandContract) {
  const auto parsed = parse_feed(newswatch::testing::read_feed_fixture("trtworld.rss"), {});
  ASSERT_TRUE(parsed);
  const nlohmann::json json = feed_to_json(*parsed);
  EXPECT_EQ(json.size(), 7U);
  EXPECT_EQ(json.at("format"), "rss2.0");
  EXPECT_EQ(json.at("title"), "TRT World - Middle East");
  EXPECT_EQ(json.at("link"), "https://www.trtworld.example/");
  EXPECT_EQ(json.at("language"), "en");
  EXPECT_EQ(json.at("updated"), "2015-08-25T12:30:00Z");
  EXPECT_TRUE(json.at("warnings").is_array());
  const nlohmann::json& item = json.at("items").at(0);
  EXPECT_EQ(item.size(), 10U);
  EXPECT_EQ(item.at("id"), "trtworld-mea-2941");
  EXPECT_EQ(item.at("title"), "Little hope for Syrian regime to join anti-ISIS coalition");
  EXPECT_EQ(item.at("published"), "2015-08-25T12:00:00Z");
  EXPECT_TRUE(item.at("updated").is_null());
  EXPECT_EQ(item.at("authors"), nlohmann::json::array({"TRT World and Agencies"}));
  EXPECT_EQ(item.at("categories"), nlohmann::json::array({"Middle East", "Syria"}));
  EXPECT_TRUE(item.at("summary").get<std::string>().starts_with("Russia's proposal"));
  EXPECT_EQ(item.at("content"), "");
  EXPECT_EQ(item.at("enclosures"),
            nlohmann::json::parse(R"([{"url":"https://cdn.trtworld.example/img/2941.jpg","type":"image/jpeg",)"
                                  R"("length":48213}])"));
}

TEST(FeedJson, MissingLengthIsNull) {
  Item item;
  item.enclosures.push_back({"https://x.example/a.mp3", "audio/mpeg", std::nullopt});
  EXPECT_TRUE(item_to_json(item).at("enclosures").at(0).at("length").is_null());
}

}  // namespace
}  // namespace newswatch::parse
