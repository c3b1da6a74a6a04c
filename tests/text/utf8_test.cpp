#include "newswatch/text/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::text {
namespace {

struct Utf8Case {
  std::string_view name;
  std::string_view input;
  bool valid;
  std::string_view repaired;
};

// Unicode §3.9 Table 3-7 boundaries and the "maximal subpart" replacement practice.
const Utf8Case utf8_cases[] = {
    {"ascii", "plain", true, "plain"},
    {"two_byte", "caf\xC3\xA9", true, "caf\xC3\xA9"},
    {"three_byte", "\xE2\x82\xAC", true, "\xE2\x82\xAC"},
    {"four_byte", "\xF0\x9F\x93\xB0", true, "\xF0\x9F\x93\xB0"},
    {"lone_continuation", "a\x80z", false, "a\xEF\xBF\xBDz"},
    {"overlong_c0", "\xC0\xAF", false, "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"overlong_e0", "\xE0\x80\xAF", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"surrogate", "\xED\xA0\x80", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"above_10ffff", "\xF4\x90\x80\x80", false, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"truncated_three_byte", "x\xE2\x82", false, "x\xEF\xBF\xBD"},
    {"truncated_then_ascii", "\xE2\x82z", false, "\xEF\xBF\xBDz"},
    {"latin1_byte", "Z\xFCrich", false, "Z\xEF\xBF\xBDrich"},
    {"long_ascii_then_bad", "0123456789abcdef\xFF", false, "0123456789abcdef\xEF\xBF\xBD"},
};

class Utf8Validation : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Validation, ValidatesAndRepairsWithReplacementCharacter) {
  const Utf8Case& test = GetParam();
  EXPECT_EQ(is_valid_utf8(test.input), test.valid);
  const std::string repaired = to_valid_utf8(test.input);
  EXPECT_EQ(repaired, test.repaired);
  EXPECT_TRUE(is_valid_utf8(repaired));
}

INSTANTIATE_TEST_SUITE_P(Table, Utf8Validation, ::testing::ValuesIn(utf8_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Utf8, AppendsCodePointsAndReplacesSurrogates) {
  std::string out;
  append_utf8(out, U'A');
  append_utf8(out, 0xE9);
  append_utf8(out, 0x20AC);
  append_utf8(out, 0x1F4F0);
  append_utf8(out, 0xD800);
  append_utf8(out, 0x110000);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\xB0\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Utf8, MultibyteDetectionNeedsAtLeastOneNonAsciiSequence) {
  EXPECT_FALSE(is_multibyte_utf8("ascii only"));
  EXPECT_TRUE(is_multibyte_utf8("na\xC3\xAFve"));
  EXPECT_FALSE(is_multibyte_utf8("na\xEFve"));
}

TEST(Utf8, DecodeReportsLength) {
  const DecodedCodePoint euro = decode_utf8("\xE2\x82\xAC!", 0);
  EXPECT_TRUE(euro.valid);
  EXPECT_EQ(euro.code_point, 0x20ACU);
  EXPECT_EQ(euro.length, 3U);
}

}  // namespace
}  // namespace newswatch::text
