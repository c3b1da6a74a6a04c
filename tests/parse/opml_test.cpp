#include "newswatch/parse/opml.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::parse {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

OpmlDocument read_ok(const std::string& bytes) {
  auto document = read_opml(bytes);
  EXPECT_TRUE(document) << (document ? "" : document.error().message);
  return document ? std::move(*document) : OpmlDocument{};
}

std::string opml_body(const std::string& outlines) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head><title>Subs</title></head>\n"
         "<body>\n" +
         outlines + "</body>\n</opml>\n";
}

TEST(OpmlRead, ReadsNestedOutlinesWithTheirCategoryPath) {
  const auto document =
      read_ok(opml_body("<outline text=\"News\">\n"
                        "  <outline text=\"World\">\n"
                        "    <outline type=\"rss\" text=\"TRT World\" xmlUrl=\"https://www.trtworld.example/rss\"/>\n"
                        "  </outline>\n"
                        "  <outline type=\"rss\" title=\"BBC\" xmlUrl=\" https://feeds.bbci.example/news/rss.xml \"/>\n"
                        "</outline>\n"
                        "<outline text=\"Top\" xmlUrl=\"http://top.example/feed\" category=\"/Tech/AI,/Science\"/>\n"));
  EXPECT_EQ(document.title, "Subs");
  ASSERT_EQ(document.feeds.size(), 3U);
  EXPECT_EQ(document.feeds[0].title, "TRT World");
  EXPECT_EQ(document.feeds[0].xml_url, "https://www.trtworld.example/rss");
  EXPECT_THAT(document.feeds[0].categories, ElementsAre("News", "World"));
  EXPECT_EQ(document.feeds[0].line, 7U);
  EXPECT_EQ(document.feeds[1].title, "BBC");  // title="" stands in for a missing text=""
  EXPECT_EQ(document.feeds[1].xml_url, "https://feeds.bbci.example/news/rss.xml");
  EXPECT_THAT(document.feeds[1].categories, ElementsAre("News"));
  EXPECT_THAT(document.feeds[2].categories, ElementsAre("Tech", "AI", "Science"));
  EXPECT_THAT(document.warnings, IsEmpty());
}

struct SkippedUrlCase {
  const char* xml_url;
  const char* warning;
};

class OpmlSkippedUrl : public ::testing::TestWithParam<SkippedUrlCase> {};

TEST_P(OpmlSkippedUrl, IsLeftOutWithAWarningNamingTheLine) {
  const auto document = read_ok(opml_body(std::string("<outline text=\"Bad\" xmlUrl=\"") + GetParam().xml_url +
                                          "\"/>\n<outline text=\"Good\" xmlUrl=\"https://good.example/rss\"/>\n"));
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_EQ(document.feeds[0].title, "Good");
  ASSERT_EQ(document.warnings.size(), 1U);
  EXPECT_EQ(document.warnings[0].line, 5U);
  EXPECT_THAT(document.warnings[0].message, HasSubstr(GetParam().warning));
  EXPECT_THAT(document.warnings[0].message, HasSubstr("skipped"));
}

INSTANTIATE_TEST_SUITE_P(Cases, OpmlSkippedUrl,
                         ::testing::Values(SkippedUrlCase{"/feeds/world.xml", "is not an absolute URL"},
                                           SkippedUrlCase{"", "is empty"},
                                           SkippedUrlCase{"feed://x.example/rss", "scheme \"feed\""},
                                           SkippedUrlCase{"ftp://x.example/rss", "scheme \"ftp\""},
                                           SkippedUrlCase{"https://exa mple.org/rss", "is not a valid URL"},
                                           SkippedUrlCase{"https:///rss", "has no valid host"}));

TEST(OpmlRead, SkipsARepeatedUrlKeepingTheFirst) {
  const auto document = read_ok(
      opml_body("<outline text=\"First\" xmlUrl=\"https://a.example/rss\"/>\n"
                "<outline text=\"Folder\"><outline text=\"Again\" xmlUrl=\"https://a.example/rss\"/></outline>\n"));
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_EQ(document.feeds[0].title, "First");
  ASSERT_EQ(document.warnings.size(), 1U);
  EXPECT_EQ(document.warnings[0].line, 6U);
  EXPECT_THAT(document.warnings[0].message, HasSubstr("\"Again\": xmlUrl https://a.example/rss is listed already"));
}

TEST(OpmlRead, ExpandsNoEntities) {
  const auto document = read_ok(
      "<!DOCTYPE opml [<!ENTITY lol \"lollollollollollollol\">]>\n"
      "<opml><body><outline text=\"&lol;&lol;\" xmlUrl=\"https://a.example/rss\"/></body></opml>");
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_EQ(document.feeds[0].title, "&lol;&lol;");
}

TEST(OpmlRead, DecodesHostileTitlesIntoPlainText) {
  const auto document = read_ok(
      opml_body("<outline text=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; \\&#10;&#9;[[feed]] \"\n"
                "  xmlUrl=\"https://x.example/rss?a=1&amp;b=2\"/>\n"));
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_EQ(document.feeds[0].title, "<script>alert(\"x\")</script> & \\ [[feed]]");
  EXPECT_EQ(document.feeds[0].xml_url, "https://x.example/rss?a=1&b=2");
}

TEST(OpmlRead, ReadsUtf16Documents) {
  const std::string utf8 = opml_body("<outline text=\"Zeitung für Süd\" xmlUrl=\"https://sz.example/rss\"/>\n");
  std::string utf16 = "\xff\xfe";  // UTF-16LE byte order mark
  for (const char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  // The ü and ü above are two UTF-8 bytes each; re-encode them properly as one UTF-16 unit.
  const std::string wrong = std::string("\xc3\0\xbc\0", 4);
  for (std::size_t at = utf16.find(wrong); at != std::string::npos; at = utf16.find(wrong)) {
    utf16.replace(at, 4, std::string("\xfc\0", 2));
  }
  const auto document = read_ok(utf16);
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_EQ(document.feeds[0].title,
            "Zeitung f\xc3\xbcr S\xc3\xbc"
            "d");
}

struct BadDocumentCase {
  std::string bytes;
  const char* message;
  std::size_t line;
};

class OpmlBadDocument : public ::testing::TestWithParam<BadDocumentCase> {};

TEST_P(OpmlBadDocument, IsAnErrorSayingWhatAndWhere) {
  const auto document = read_opml(GetParam().bytes);
  ASSERT_FALSE(document);
  EXPECT_THAT(document.error().message, HasSubstr(GetParam().message));
  EXPECT_EQ(document.error().line, GetParam().line);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, OpmlBadDocument,
    ::testing::Values(
        BadDocumentCase{"", "empty document", 0}, BadDocumentCase{" \n\t", "empty document", 0},
        BadDocumentCase{"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
                        "not OPML: the root element is <rss>", 2},
        BadDocumentCase{"<opml>\n<body>\n<outline text=\"a\" xmlUrl=\"https://a.example/\">\n</body></opml>", "not XML",
                        4},
        BadDocumentCase{"<opml><body><outline text=\"a\" xmlUrl=\"https://a.example/\"/></body>", "not XML", 1},
        BadDocumentCase{"<opml version=\"2.0\"><head/><body/></opml>", "no feeds: no <outline>", 0},
        BadDocumentCase{"<opml version=\"2.0\"><body><outline text=\"Folder\"/>"
                        "<outline text=\"rel\" xmlUrl=\"/rss\"/></body></opml>",
                        "none of its 2 outline(s) has a usable xmlUrl", 0}));

TEST(OpmlRead, SurvivesDeepNesting) {
  std::string outlines;
  constexpr int depth = 20000;
  for (int i = 0; i < depth; ++i) {
    outlines += "<outline text=\"c\">";
  }
  outlines += "<outline text=\"deep\" xmlUrl=\"https://deep.example/rss\"/>";
  for (int i = 0; i < depth; ++i) {
    outlines += "</outline>";
  }
  const auto document = read_ok(opml_body(outlines));
  ASSERT_EQ(document.feeds.size(), 1U);
  EXPECT_THAT(document.feeds[0].categories, ElementsAre("c"));  // repeats are kept once
}

TEST(OpmlRead, RefusesOversizedDocuments) {
  const auto document = read_opml(std::string(std::size_t{17} * 1024 * 1024, ' '));
  ASSERT_FALSE(document);
  EXPECT_THAT(document.error().message, HasSubstr("document too large"));
}

TEST(OpmlWrite, WritesOpml20OutlinesWithEscapedAttributes) {
  const std::string xml =
      write_opml("Feeds & <more>", {{"trt-world", "https://www.trtworld.example/rss?a=1&b=\"2\"", {"world", "turkey"}},
                                    {"no-tags", "https://x.example/rss", {}}});
  EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
  EXPECT_THAT(xml, HasSubstr("<opml version=\"2.0\">"));
  EXPECT_THAT(xml, HasSubstr("<title>Feeds &amp; &lt;more&gt;</title>"));
  EXPECT_THAT(xml, HasSubstr("<outline type=\"rss\" text=\"trt-world\" title=\"trt-world\" "
                             "xmlUrl=\"https://www.trtworld.example/rss?a=1&amp;b=&quot;2&quot;\" "
                             "category=\"/world,/turkey\" />"));
  EXPECT_THAT(xml, HasSubstr("<outline type=\"rss\" text=\"no-tags\" title=\"no-tags\" "
                             "xmlUrl=\"https://x.example/rss\" />"));
}

TEST(OpmlWrite, ReadsBackWhatItWrote) {
  const std::vector<OpmlOutline> outlines{
      {"Quotes \" and <angles> & 'apostrophes'", "https://a.example/rss?x=1&y=2", {"news", "world"}},
      {std::string("control\x01\x1f chars and \xff invalid", 29), "https://b.example/feed", {"a/b", "c,d"}},
      {"Türkçe başlık — عنوان", "https://c.example/atom.xml", {}}};
  const auto document = read_ok(write_opml("round trip", outlines));
  EXPECT_EQ(document.title, "round trip");
  ASSERT_EQ(document.feeds.size(), 3U);
  EXPECT_EQ(document.feeds[0].title, outlines[0].title);
  EXPECT_EQ(document.feeds[0].xml_url, outlines[0].xml_url);
  EXPECT_THAT(document.feeds[0].categories, ElementsAre("news", "world"));
  EXPECT_EQ(document.feeds[1].title, "control chars and \xef\xbf\xbd invalid");
  EXPECT_THAT(document.feeds[1].categories, ElementsAre("a-b", "c d"));
  EXPECT_EQ(document.feeds[2].title, outlines[2].title);
  EXPECT_THAT(document.feeds[2].categories, IsEmpty());
}

}  // namespace
}  // namespace newswatch::parse
