#include <gtest/gtest.h>

#include <string>

#include "fixture.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {
namespace {

using newswatch::testing::parse_ok;
using newswatch::testing::read_feed_fixture;

TEST(AtomParse, ReadsAtom10FeedFields) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("atom10.atom"));
  EXPECT_EQ(feed.format, FeedFormat::atom10);
  EXPECT_EQ(feed.title, "Carnet de route");
  EXPECT_EQ(feed.link, "https://blog.example/");
  EXPECT_EQ(feed.self_url, "https://blog.example/feed.atom");
  EXPECT_EQ(feed.hub_url, "https://hub.example/");
  EXPECT_EQ(feed.language, "fr");
  ASSERT_TRUE(feed.updated);
  EXPECT_EQ(format_rfc3339(*feed.updated), "2024-05-02T08:00:00Z");
}

TEST(AtomParse, ReadsEntryFieldsAndResolvesXmlBase) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("atom10.atom"));
  ASSERT_EQ(feed.items.size(), 2U);
  const Item& entry = feed.items[0];
  EXPECT_EQ(entry.id, "tag:blog.example,2024:velo-train");
  EXPECT_EQ(entry.title, "V\xC3\xA9lo & train en Bretagne");
  EXPECT_EQ(entry.link, "https://blog.example/posts/velo-train");
  EXPECT_EQ(entry.comments, "https://blog.example/posts/velo-train#comments");
  ASSERT_TRUE(entry.published);
  EXPECT_EQ(format_rfc3339(*entry.published), "2024-05-01T09:30:00Z");
  ASSERT_TRUE(entry.updated);
  EXPECT_EQ(format_rfc3339(*entry.updated), "2024-05-02T08:00:00Z");
  EXPECT_EQ(entry.authors, std::vector<std::string>{"Anne Le Goff"});
  EXPECT_EQ(entry.categories, std::vector<std::string>{"voyage"});
  EXPECT_EQ(entry.summary, "Deux jours & 300 km.");
  EXPECT_EQ(entry.summary_html, "Deux jours &amp; 300 km.");
  EXPECT_EQ(entry.content, "Jour 1 : Rennes.\nJour 2 : Brest.");
  EXPECT_NE(entry.content_html.find("<p>Jour 2 : Brest.</p>"), std::string::npos);
  ASSERT_EQ(entry.enclosures.size(), 1U);
  EXPECT_EQ(entry.enclosures[0].url, "https://img.example/bzh.jpg");
  EXPECT_EQ(entry.enclosures[0].type, "image/jpeg");
  EXPECT_EQ(entry.enclosures[0].length, 2048U);
}

TEST(AtomParse, OutOfLineContentHasNoText) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("atom10.atom"));
  ASSERT_EQ(feed.items.size(), 2U);
  EXPECT_EQ(feed.items[1].content, "");
  ASSERT_TRUE(feed.items[1].updated);
  EXPECT_EQ(format_rfc3339(*feed.items[1].updated), "2024-04-30T00:00:00Z");
}

TEST(AtomParse, ReadsAtom03) {
  const ParsedFeed feed = parse_ok(read_feed_fixture("atom03.xml"));
  EXPECT_EQ(feed.format, FeedFormat::atom03);
  EXPECT_EQ(feed.title, "Dive & Code");
  EXPECT_EQ(feed.link, "http://dive.example/");
  ASSERT_EQ(feed.items.size(), 1U);
  const Item& entry = feed.items[0];
  ASSERT_TRUE(entry.published);
  EXPECT_EQ(format_rfc3339(*entry.published), "2005-11-09T11:56:34Z");
  EXPECT_EQ(entry.content, "Escaped HTML");
  EXPECT_EQ(entry.content_html, "<p>Escaped <b>HTML</b></p>");
}

struct TextConstructCase {
  const char* name;
  const char* element;
  const char* plain;
};

// RFC 4287 §3.1: type="text" is literal text, "html" is escaped markup, "xhtml" inline markup.
const TextConstructCase text_construct_cases[] = {
    {"text_keeps_markup_characters", "<title type=\"text\">a &lt;b&gt; c</title>", "a <b> c"},
    {"default_is_text", "<title>AT&amp;T</title>", "AT&T"},
    {"html_is_rendered", "<title type=\"html\">a &lt;b&gt;bold&lt;/b&gt; &amp;amp; c</title>", "a bold & c"},
    {"xhtml_is_rendered",
     "<title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">x <b>y</b> &amp; z</div></title>", "x y & z"},
    {"cdata_html", "<title type=\"html\"><![CDATA[<i>q</i> &amp; r]]></title>", "q & r"},
};

class AtomTextConstructs : public ::testing::TestWithParam<TextConstructCase> {};

TEST_P(AtomTextConstructs, ProduceClean) {
  const std::string xml =
      std::string("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>") + GetParam().element + "</entry></feed>";
  const ParsedFeed feed = parse_ok(xml);
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_EQ(feed.items[0].title, GetParam().plain);
}

INSTANTIATE_TEST_SUITE_P(Table, AtomTextConstructs, ::testing::ValuesIn(text_construct_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(AtomParse, PrefixedAtomElements) {
  const ParsedFeed feed = parse_ok(
      "<a:feed xmlns:a=\"http://www.w3.org/2005/Atom\"><a:title>P</a:title><a:entry><a:id>1</a:id>"
      "<a:link href=\"https://p.example/1\"/></a:entry></a:feed>");
  EXPECT_EQ(feed.title, "P");
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_EQ(feed.items[0].link, "https://p.example/1");
}

TEST(AtomParse, RelativeLinksUseFetchUrlWithoutXmlBase) {
  const ParsedFeed feed =
      parse_ok("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><link href=\"/e/1\"/></entry></feed>",
               {"", "https://feeds.example/atom.xml"});
  ASSERT_EQ(feed.items.size(), 1U);
  EXPECT_EQ(feed.items[0].link, "https://feeds.example/e/1");
}

}  // namespace
}  // namespace newswatch::parse
