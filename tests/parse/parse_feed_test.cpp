#include "newswatch/parse/parse_feed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "fixture.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::parse {
namespace {

using newswatch::testing::read_feed_fixture;

bool has_warning(const ParsedFeed& feed, const std::string& part) {
  return std::any_of(feed.warnings.begin(), feed.warnings.end(),
                     [&part](const std::string& warning) { return warning.find(part) != std::string::npos; });
}

struct FormatCase {
  const char* fixture;
  const char* format;
};

const FormatCase format_cases[] = {
    {"rss090.rdf", "rss0.9x"},
    {"rss091.xml", "rss0.9x"},
    {"rss092.xml", "rss0.9x"},
    {"rss10.rdf", "rss1.0"},
    {"trtworld.rss", "rss2.0"},
    {"atom03.xml", "atom0.3"},
    {"atom10.atom", "atom1.0"},
    {"jsonfeed10.json", "jsonfeed1.0"},
    {"jsonfeed11.json", "jsonfeed1.1"},
    {"windows1251.rss", "rss2.0"},
    {"utf16.rss", "rss2.0"},
    {"recovery.rss", "rss2.0"},
};

class FormatDetection : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatDetection, ComesFromContentNotUrl) {
  // A misleading URL and content type must not matter.
  const auto parsed = parse_feed(read_feed_fixture(GetParam().fixture), {"text/html", "https://x.example/feed.json"});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(format_name(parsed->format), GetParam().format);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FormatDetection, ::testing::ValuesIn(format_cases));

TEST(FormatDetection, RssVersionVariants) {
  for (const auto& [version, format] : {std::pair{"0.93", "rss0.9x"}, std::pair{"0.94", "rss0.9x"},
                                        std::pair{"2.00", "rss2.0"}, std::pair{"", "rss2.0"}}) {
    const auto parsed = parse_feed(std::string("<rss version=\"") + version + "\"><channel/></rss>", {});
    ASSERT_TRUE(parsed);
    EXPECT_EQ(format_name(parsed->format), format) << version;
  }
}

struct ErrorCase {
  const char* name;
  std::string input;
  const char* message;
};

const ErrorCase error_cases[] = {
    {"empty", "", "empty document"},
    {"only_whitespace", " \r\n\t ", "empty document"},
    {"html_page", read_feed_fixture("html_page.html"), "not a feed: got an HTML page (title: Welcome & Sign in)"},
    {"xhtml_page", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head></head></html>",
     "not a feed: got an HTML page (title: none)"},
    {"unknown_root", read_feed_fixture("opml.xml"), "not a feed: root element <opml>"},
    {"not_markup", "hello world", "not a feed: no XML or JSON content"},
    {"broken_xml", "<<<", "not XML: "},
    {"invalid_json", "{\"items\": [1,}", "invalid JSON at byte 14"},
};

class ParseErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrors, AreClearMessages) {
  const auto parsed = parse_feed(GetParam().input, {});
  ASSERT_FALSE(parsed);
  EXPECT_TRUE(parsed.error().message.starts_with(GetParam().message)) << parsed.error().message;
}

INSTANTIATE_TEST_SUITE_P(Table, ParseErrors, ::testing::ValuesIn(error_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(ParseRecovery, WhitespaceBeforeDeclarationUndefinedEntitiesBareAmpersandsControls) {
  const auto parsed = parse_feed(read_feed_fixture("recovery.rss"), {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->title, "Tom & Jerry News");
  EXPECT_EQ(parsed->link, "https://tj.example/?a=1&b=2");
  ASSERT_EQ(parsed->items.size(), 1U);
  EXPECT_EQ(parsed->items[0].title, "Cats & dogs\xE2\x80\xA6 \xC2\xA9 2024 AT&T");
  EXPECT_EQ(parsed->items[0].summary, "Bell: ring");
  EXPECT_EQ(parsed->items[0].link, "https://tj.example/story?id=7&ref=rss");
}

TEST(ParseRecovery, GarbageBeforeFirstTagIsSkippedWithWarning) {
  const auto parsed = parse_feed("junk\n<rss version=\"2.0\"><channel><title>T</title></channel></rss>", {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->title, "T");
  EXPECT_TRUE(has_warning(*parsed, "skipped 5 bytes"));
}

TEST(ParseRecovery, TruncatedDocumentKeepsCompletedItems) {
  const auto parsed = parse_feed(read_feed_fixture("truncated.rss"), {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->items.size(), 2U);
  EXPECT_EQ(parsed->items[1].title, "Complete two");
  EXPECT_TRUE(has_warning(*parsed, "kept the 2 items"));
}

TEST(ParseRecovery, CutRightAfterAnItemKeepsIt) {
  const auto parsed = parse_feed("<rss><channel><item><title>a</title></item><item><title>b</title></item>", {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->items.size(), 2U);
}

TEST(ParseRecovery, CutInsideAValueKeepsItsLastCharacterWhole) {
  // The document breaks off inside an attribute value that ends in a two-byte character: the
  // value keeps that character whole, never half of it.
  const auto parsed =
      parse_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title><link href=\"/caf\xC3\xA9", {});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(text::is_valid_utf8(parsed->link)) << parsed->link;
  EXPECT_EQ(parsed->title, "T");
}

struct CharsetCase {
  const char* name;
  std::string bytes;
  const char* content_type;
  const char* title;
  const char* warning;  ///< Empty: no warning expected.
};

const CharsetCase charset_cases[] = {
    {"declared_windows_1251", read_feed_fixture("windows1251.rss"), "",
     "\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8 \xD0\xB4\xD0\xBD\xD1\x8F", ""},
    {"utf16_with_bom", read_feed_fixture("utf16.rss"), "", "Z\xC3\xBCrich Zeitung", ""},
    {"http_charset_wins",
     "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>\xE9t\xE9</title></channel></rss>",
     "application/rss+xml; charset=ISO-8859-1", "\xC3\xA9t\xC3\xA9", ""},
    {"declared_latin1_but_utf8",
     "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>\xC3\xA9t\xC3\xA9</title></channel></rss>",
     "", "\xC3\xA9t\xC3\xA9", "but the document is UTF-8"},
    {"undeclared_latin1", "<rss><channel><title>\xE9t\xE9</title></channel></rss>", "", "\xC3\xA9t\xC3\xA9",
     "read as windows-1252"},
    {"declared_utf8_invalid",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><title>a\xFF</title></channel></rss>", "",
     "a\xEF\xBF\xBD", "invalid UTF-8"},
    {"utf8_bom", "\xEF\xBB\xBF<rss><channel><title>\xE2\x82\xAC</title></channel></rss>", "", "\xE2\x82\xAC", ""},
    {"unknown_charset", "<?xml version=\"1.0\" encoding=\"x-klingon\"?><rss><channel><title>t</title></channel></rss>",
     "", "t", "unknown charset"},
    {"shift_jis",
     "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><rss><channel><title>\x93\xFA\x96\x7B</title></channel></rss>", "",
     "\xE6\x97\xA5\xE6\x9C\xAC", ""},
};

class ParseCharsets : public ::testing::TestWithParam<CharsetCase> {};

TEST_P(ParseCharsets, OutputIsUtf8) {
  const auto parsed = parse_feed(GetParam().bytes, {GetParam().content_type, ""});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->title, GetParam().title);
  if (std::string(GetParam().warning).empty()) {
    EXPECT_TRUE(parsed->warnings.empty()) << parsed->warnings.front();
  } else {
    EXPECT_TRUE(has_warning(*parsed, GetParam().warning));
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ParseCharsets, ::testing::ValuesIn(charset_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(ParseLimits, RefusesDocumentsOver64MiB) {
  const std::string huge(64U * 1024U * 1024U + 1U, ' ');
  const auto parsed = parse_feed(huge, {});
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("too large"), std::string::npos);
}

TEST(FormatName, NamesEveryFormat) {
  EXPECT_EQ(format_name(FeedFormat::rss09x), "rss0.9x");
  EXPECT_EQ(format_name(FeedFormat::rss10), "rss1.0");
  EXPECT_EQ(format_name(FeedFormat::rss20), "rss2.0");
  EXPECT_EQ(format_name(FeedFormat::atom03), "atom0.3");
  EXPECT_EQ(format_name(FeedFormat::atom10), "atom1.0");
  EXPECT_EQ(format_name(FeedFormat::jsonfeed10), "jsonfeed1.0");
  EXPECT_EQ(format_name(FeedFormat::jsonfeed11), "jsonfeed1.1");
}

}  // namespace
}  // namespace newswatch::parse
