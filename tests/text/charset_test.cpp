#include "newswatch/text/charset.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::text {
namespace {

struct DecodeCase {
  std::string_view name;
  std::string_view charset;
  std::string_view bytes;
  std::string_view utf8;
};

const DecodeCase decode_cases[] = {
    {"windows_1252", "windows-1252", "caf\xE9 \x80", "caf\xC3\xA9 \xE2\x82\xAC"},
    {"iso_8859_1_read_as_1252", "ISO-8859-1", "\x93quoted\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D"},
    {"iso_8859_7_greek", "iso-8859-7", "\xE1\xE2\xE3", "\xCE\xB1\xCE\xB2\xCE\xB3"},
    {"windows_1251", "windows-1251", "\xCF\xF0\xE8", "\xD0\x9F\xD1\x80\xD0\xB8"},
    {"koi8_r", "KOI8-R", "\xF0\xD2\xC9", "\xD0\x9F\xD1\x80\xD0\xB8"},
    {"shift_jis", "Shift_JIS", "\x93\xFA\x96\x7B", "\xE6\x97\xA5\xE6\x9C\xAC"},
    {"euc_jp", "EUC-JP", "\xC6\xFC\xCB\xDC", "\xE6\x97\xA5\xE6\x9C\xAC"},
    {"gb2312_as_gbk", "gb2312", "\xD6\xD0\xCE\xC4", "\xE4\xB8\xAD\xE6\x96\x87"},
    {"gb18030", "GB18030", "\xD6\xD0", "\xE4\xB8\xAD"},
    {"big5", "Big5", "\xA4\xA4\xA4\xE5", "\xE4\xB8\xAD\xE6\x96\x87"},
    {"utf16le", "UTF-16LE", std::string_view("A\0\xE9\0", 4), "A\xC3\xA9"},
    {"utf16be", "UTF-16BE", std::string_view("\0A\0\xE9", 4), "A\xC3\xA9"},
    {"utf32le", "UTF-32LE", std::string_view("A\0\0\0", 4), "A"},
    {"utf8_repaired", "utf-8", "ok\xFF", "ok\xEF\xBF\xBD"},
    {"invalid_in_source_replaced", "Shift_JIS", "a\x81", "a\xEF\xBF\xBD"},
};

class CharsetDecoding : public ::testing::TestWithParam<DecodeCase> {};

TEST_P(CharsetDecoding, ConvertsToUtf8) {
  const auto decoded = decode_to_utf8(GetParam().bytes, GetParam().charset);
  ASSERT_TRUE(decoded) << decoded.error();
  EXPECT_EQ(*decoded, GetParam().utf8);
}

INSTANTIATE_TEST_SUITE_P(Table, CharsetDecoding, ::testing::ValuesIn(decode_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(CharsetDecoding, UnknownCharsetIsAnError) {
  const auto decoded = decode_to_utf8("x", "x-no-such-charset");
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().find("X-NO-SUCH-CHARSET"), std::string::npos);
}

struct DetectCase {
  std::string_view name;
  std::string_view bytes;
  std::string_view content_type;
  std::string_view charset;
  CharsetSource source;
  std::size_t bom_length;
};

// RFC 7303 §3.2 order: BOM, then HTTP charset, then the XML declaration, then UTF-8.
const DetectCase detect_cases[] = {
    {"utf8_bom_beats_header", "\xEF\xBB\xBF<?xml?>", "text/xml; charset=iso-8859-1", "UTF-8",
     CharsetSource::byte_order_mark, 3},
    {"utf16le_bom", std::string_view("\xFF\xFE<\0", 4), "", "UTF-16LE", CharsetSource::byte_order_mark, 2},
    {"utf16be_bom", std::string_view("\xFE\xFF\0<", 4), "", "UTF-16BE", CharsetSource::byte_order_mark, 2},
    {"header_beats_declaration", "<?xml version=\"1.0\" encoding=\"windows-1251\"?>",
     "application/rss+xml; charset=\"KOI8-R\"", "KOI8-R", CharsetSource::http_header, 0},
    {"declaration", "  <?xml version='1.0' encoding = 'Shift_JIS' ?><rss/>", "text/xml", "SHIFT_JIS",
     CharsetSource::xml_declaration, 0},
    {"utf16_without_bom", std::string_view("<\0?\0x\0", 6), "", "UTF-16LE", CharsetSource::utf16_pattern, 0},
    {"default_utf8", "<rss/>", "", "UTF-8", CharsetSource::none, 0},
    {"declaration_without_encoding", "<?xml version=\"1.0\"?><rss/>", "", "UTF-8", CharsetSource::none, 0},
};

class CharsetDetection : public ::testing::TestWithParam<DetectCase> {};

TEST_P(CharsetDetection, FollowsRfc7303Order) {
  const CharsetDecision decision = detect_xml_charset(GetParam().bytes, GetParam().content_type);
  EXPECT_EQ(decision.charset, GetParam().charset);
  EXPECT_EQ(decision.source, GetParam().source);
  EXPECT_EQ(decision.bom_length, GetParam().bom_length);
}

INSTANTIATE_TEST_SUITE_P(Table, CharsetDetection, ::testing::ValuesIn(detect_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Charset, ReadsContentTypeParameter) {
  EXPECT_EQ(charset_from_content_type("text/xml; Charset=\"utf-8\""), "utf-8");
  EXPECT_EQ(charset_from_content_type("text/xml;q=1; charset=ISO-8859-2"), "ISO-8859-2");
  EXPECT_EQ(charset_from_content_type("application/rss+xml"), "");
}

TEST(Charset, KnowsSingleByteCharsets) {
  EXPECT_TRUE(is_single_byte_charset(canonical_charset("iso-8859-15")));
  EXPECT_TRUE(is_single_byte_charset(canonical_charset("windows-1250")));
  EXPECT_TRUE(is_single_byte_charset(canonical_charset("koi8-u")));
  EXPECT_FALSE(is_single_byte_charset(canonical_charset("shift_jis")));
  EXPECT_FALSE(is_single_byte_charset(canonical_charset("utf-8")));
}

TEST(IconvConverter, MovesOwnership) {
  auto opened = IconvConverter::to_utf8_from("WINDOWS-1252");
  ASSERT_TRUE(opened);
  IconvConverter moved = std::move(*opened);
  EXPECT_EQ(moved.convert("\xE9"), "\xC3\xA9");
  EXPECT_EQ(moved.convert("\xE8"), "\xC3\xA8");
}

}  // namespace
}  // namespace newswatch::text
