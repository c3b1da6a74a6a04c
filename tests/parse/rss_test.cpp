#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fixture.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {
namespace {

using newswatch::testing::parse_ok;
using newswatch::testing::read_feed_fixture;

TEST(RssParse, ReadsTrtWorldStyleItem) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("trtworld.rss"));
  EXPECT_EQ(feed.format, FeedFormat::rss20);
  EXPECT_EQ(feed.title, "TRT World - Middle East");
  EXPECT_EQ(feed.link, "https://www.trtworld.example/");
  EXPECT_EQ(feed.language, "en");
  ASSERT_TRUE(feed.updated);
  EXPECT_EQ(format_rfc3339(*feed.updated), "2015-08-25T12:30:00Z");
  ASSERT_EQ(feed.items.size(), 2U);
  const Item& item = feed.items[0];
  EXPECT_EQ(item.title, "Little hope for Syrian regime to join anti-ISIS coalition");
  EXPECT_EQ(item.id, "trtworld-mea-2941");
  EXPECT_EQ(item.link,
            "https://www.trtworld.example/mea/little-hope-for-syrian-regime-to-join-anti-isis-coalition-2941");
  ASSERT_TRUE(item.published);
  EXPECT_EQ(format_rfc3339(*item.published), "2015-08-25T12:00:00Z");
  EXPECT_FALSE(item.updated);
  EXPECT_EQ(item.authors, std::vector<std::string>{"TRT World and Agencies"});
  EXPECT_EQ(item.categories, (std::vector<std::string>{"Middle East", "Syria"}));
  EXPECT_EQ(item.summary,
            "Russia's proposal that the Syrian regime join the US-led coalition against ISIS finds little support in "
            "Washington.\nOfficials say the regime cannot be a partner.");
  EXPECT_NE(item.summary_html.find("<b>Syrian regime</b>"), std::string::npos);
  EXPECT_EQ(item.summary.find("trackView"), std::string::npos);
  ASSERT_EQ(item.enclosures.size(), 1U);
  EXPECT_EQ(item.enclosures[0].url, "https://cdn.trtworld.example/img/2941.jpg");
  EXPECT_EQ(item.enclosures[0].type, "image/jpeg");
  EXPECT_EQ(item.enclosures[0].length, 48213U);
}

TEST(RssParse, ReadsWebSubLinksAndPollingHints) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("trtworld.rss"));
  EXPECT_EQ(feed.self_url, "https://www.trtworld.example/rss/mea");
  EXPECT_EQ(feed.hub_url, "https://hub.example/");
  EXPECT_EQ(feed.ttl, std::chrono::minutes(15));
  EXPECT_EQ(feed.update_period, std::chrono::seconds(900));  // hourly / 4
  EXPECT_EQ(feed.skip_hours, (std::vector<int>{1, 2}));
  EXPECT_EQ(feed.skip_days, std::vector<std::chrono::weekday>{std::chrono::Sunday});
}

TEST(RssParse, DecodesDoubleEscapedTitlesAndEscapedHtml) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("trtworld.rss"));
  ASSERT_EQ(feed.items.size(), 2U);
  EXPECT_EQ(feed.items[1].title, "Turkey & Iraq discuss border security");
  EXPECT_EQ(feed.items[1].summary, "Talks in Ankara focused on the border.");
  EXPECT_EQ(feed.items[1].summary_html, "Talks in <i>Ankara</i> focused on the border.");
  EXPECT_EQ(feed.items[1].id, "https://www.trtworld.example/mea/turkey-iraq-border-2940");
  ASSERT_EQ(feed.items[1].enclosures.size(), 1U);
  EXPECT_EQ(feed.items[1].enclosures[0].length, 1048576U);
}

struct VersionCase {
  const char* fixture;
  FeedFormat format;
  std::size_t items;
  const char* first_title;
  const char* first_link;
};

const VersionCase version_cases[] = {
    {"rss090.rdf", FeedFormat::rss09x, 2, "First headline", "http://portal.example/1"},
    {"rss091.xml", FeedFormat::rss09x, 1, "Ferry timetable changes", "http://gazette.example/ferry"},
    {"rss092.xml", FeedFormat::rss09x, 1, "Evening bulletin", ""},
    {"rss10.rdf", FeedFormat::rss10, 1, "Glaciers retreat faster", "http://science.example/a/1"},
    {"trtworld.rss", FeedFormat::rss20, 2, "Little hope for Syrian regime to join anti-ISIS coalition",
     "https://www.trtworld.example/mea/little-hope-for-syrian-regime-to-join-anti-isis-coalition-2941"},
};

class RssVersions : public ::testing::TestWithParam<VersionCase> {};

TEST_P(RssVersions, DetectsVersionAndReadsItems) {
  const ParsedFeed feed = parse_ok(read_feed_fixture(GetParam().fixture));
  EXPECT_EQ(format_name(feed.format), format_name(GetParam().format));
  ASSERT_EQ(feed.items.size(), GetParam().items);
  EXPECT_EQ(feed.items[0].title, GetParam().first_title);
  EXPECT_EQ(feed.items[0].link, GetParam().first_link);
  EXPECT_TRUE(feed.warnings.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RssVersions, ::testing::ValuesIn(version_cases));

TEST(RssParse, ReadsRdfExtensions) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("rss10.rdf"));
  EXPECT_EQ(feed.language, "de");
  ASSERT_TRUE(feed.updated);
  EXPECT_EQ(format_rfc3339(*feed.updated), "2024-03-01T07:00:00Z");
  const Item& item = feed.items.at(0);
  EXPECT_EQ(item.id, "http://science.example/a/1");  // rdf:about stands in for a guid
  EXPECT_EQ(item.authors, std::vector<std::string>{"A. Meier"});
  EXPECT_EQ(item.categories, std::vector<std::string>{"Climate"});
  EXPECT_EQ(item.content, "A survey of 200 glaciers.");
  EXPECT_EQ(item.content_html, "<p>A survey of <em>200</em> glaciers.</p>");
  ASSERT_TRUE(item.published);
  EXPECT_EQ(format_rfc3339(*item.published), "2024-02-29T17:45:00Z");
}

struct LinkCase {
  const char* name;
  const char* channel_extra;
  const char* item_link;
  const char* fetch_url;
  const char* expected;
};

// Item links resolve against xml:base, then the channel link, then the fetch URL.
const LinkCase link_cases[] = {
    {"against_channel_link", "<link>https://site.example/news/</link>", "story/1", "https://feeds.example/rss",
     "https://site.example/news/story/1"},
    {"against_fetch_url", "", "/story/1", "https://feeds.example/rss", "https://feeds.example/story/1"},
    {"relative_channel_link", "<link>/home/</link>", "a", "https://feeds.example/rss", "https://feeds.example/home/a"},
    {"absolute_untouched", "<link>https://site.example/</link>", "https://other.example/x", "",
     "https://other.example/x"},
    {"no_base_at_all", "", "story/1", "", "story/1"},
};

class RssLinks : public ::testing::TestWithParam<LinkCase> {};

TEST_P(RssLinks, ResolvesRelativeLinks) {
  const std::string xml = std::string("<rss version=\"2.0\"><channel>") + GetParam().channel_extra + "<item><link>" +
                          GetParam().item_link + "</link></item></channel></rss>";
  const ParsedFeed feed = parse_ok(xml, {"", GetParam().fetch_url});
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_EQ(feed.items[0].link, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Table, RssLinks, ::testing::ValuesIn(link_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(RssParse, ResolvesRelativeLinksAgainstXmlBase) {
  const ParsedFeed feed = parse_ok(
      "<rss version=\"2.0\" xml:base=\"https://base.example/dir/\"><channel><link>https://site.example/</link>"
      "<item xml:base=\"sub/\"><link>page</link></item></channel></rss>");
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_EQ(feed.items[0].link, "https://base.example/dir/sub/page");
}

TEST(RssParse, GuidPermalinkStandsInForMissingLink) {
  const ParsedFeed feed = parse_ok(
      "<rss version=\"2.0\"><channel><item><guid>https://x.example/1</guid></item>"
      "<item><guid isPermaLink=\"false\">https://x.example/2</guid></item></channel></rss>");
  ASSERT_EQ(feed.items.size(), 2U);
  EXPECT_EQ(feed.items[0].link, "https://x.example/1");
  EXPECT_EQ(feed.items[1].link, "");
  EXPECT_EQ(feed.items[1].id, "https://x.example/2");
}

TEST(RssParse, UnknownDefaultNamespaceOnRootStillMeansRss) {
  const ParsedFeed feed = parse_ok(
      "<rss version=\"2.0\" xmlns=\"http://backend.userland.com/rss2\"><channel><title>T</title>"
      "<item><title>I</title></item></channel></rss>");
  EXPECT_EQ(feed.title, "T");
  ASSERT_EQ(feed.items.size(), 1U);
}

TEST(RssParse, ReadsAtomAndMediaExtensionsInItems) {
  const ParsedFeed feed = parse_ok(
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:m=\"http://search.yahoo.com/mrss/\""
      " xmlns:c=\"http://purl.org/rss/1.0/modules/content/\"><channel><item>"
      "<atom:link href=\"https://x.example/a\"/><atom:updated>2024-01-02T00:00:00Z</atom:updated>"
      "<c:encoded><![CDATA[<p>Full <b>text</b></p>]]></c:encoded>"
      "<m:group><m:content url=\"https://x.example/v.mp4\" type=\"video/mp4\" fileSize=\"10\"/>"
      "<m:thumbnail url=\"https://x.example/t.jpg\"/></m:group>"
      "<m:content url=\"https://x.example/v.mp4\" type=\"video/mp4\"/>"
      "</item></channel></rss>");
  ASSERT_EQ(feed.items.size(), 1U);
  const Item& item = feed.items[0];
  EXPECT_EQ(item.link, "https://x.example/a");
  ASSERT_TRUE(item.updated);
  EXPECT_EQ(format_rfc3339(*item.updated), "2024-01-02T00:00:00Z");
  EXPECT_EQ(item.content, "Full text");
  EXPECT_EQ(item.content_html, "<p>Full <b>text</b></p>");
  ASSERT_EQ(item.enclosures.size(), 2U);  // the repeated media:content is not added twice
  EXPECT_EQ(item.enclosures[0].length, 10U);
  EXPECT_EQ(item.enclosures[1].url, "https://x.example/t.jpg");
}

TEST(RssParse, UnparseableDateIsAWarningNotAFailure) {
  const ParsedFeed feed =
      parse_ok("<rss version=\"2.0\"><channel><item><title>x</title><pubDate>someday</pubDate></item></channel></rss>");
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_FALSE(feed.items[0].published);
  ASSERT_EQ(feed.warnings.size(), 1U);
  EXPECT_NE(feed.warnings[0].find("someday"), std::string::npos);
}

}  // namespace
}  // namespace newswatch::parse
