#include "newswatch/alert/message_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "newswatch/text/utf8.hpp"

namespace newswatch::alert {
namespace {

TEST(TextLength, CountsBytesCodePointsAndUtf16Units) {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x93\xB0";  // a é € 📰
  EXPECT_EQ(text_length(text, LengthUnit::bytes), 10U);
  EXPECT_EQ(text_length(text, LengthUnit::code_points), 4U);
  EXPECT_EQ(text_length(text, LengthUnit::utf16), 5U);
}

struct TruncateCase {
  std::string name;
  std::string input;
  std::size_t limit;
  LengthUnit unit;
  std::string expected;
};

class Truncate : public ::testing::TestWithParam<TruncateCase> {};

TEST_P(Truncate, CutsAtAGraphemeBoundaryWithAnEllipsis) {
  const auto& test = GetParam();
  const std::string out = truncate_text(test.input, test.limit, test.unit);
  EXPECT_EQ(out, test.expected);
  EXPECT_LE(text_length(out, test.unit), test.limit);
  EXPECT_TRUE(text::is_valid_utf8(out));
}

const std::string family =
    "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
const std::string flag = "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB3";                     // 🇺🇳
const std::string e_acute = "e\xCC\x81";                                         // e + U+0301

INSTANTIATE_TEST_SUITE_P(
    Cases, Truncate,
    ::testing::Values(
        TruncateCase{"Fits", "short", 10, LengthUnit::code_points, "short"},
        TruncateCase{"Ascii", "Coalition talks", 9, LengthUnit::code_points, "Coalitio\xE2\x80\xA6"},
        TruncateCase{"DropsTrailingSpace", "one two three", 5, LengthUnit::code_points, "one\xE2\x80\xA6"},
        TruncateCase{"KeepsZwjSequenceWhole", "ab" + family + "cd", 6, LengthUnit::code_points, "ab\xE2\x80\xA6"},
        TruncateCase{"KeepsFlagWhole", "x" + flag + "y", 3, LengthUnit::code_points, "x\xE2\x80\xA6"},
        TruncateCase{"KeepsCombiningMark", "ab" + e_acute + "cd", 4, LengthUnit::code_points, "ab\xE2\x80\xA6"},
        TruncateCase{"Utf16CountsSurrogatePairs", "\xF0\x9F\x93\xB0\xF0\x9F\x93\xB0zz", 4, LengthUnit::utf16,
                     "\xF0\x9F\x93\xB0\xE2\x80\xA6"},
        TruncateCase{"BytesNeverSplitASequence", "\xC3\xA9\xC3\xA9\xC3\xA9", 5, LengthUnit::bytes,
                     "\xC3\xA9\xE2\x80\xA6"},
        TruncateCase{"NoRoomForAnythingButTheEllipsis", "abcdef", 1, LengthUnit::code_points, "\xE2\x80\xA6"},
        TruncateCase{"NoRoomAtAll", "abcdef", 0, LengthUnit::code_points, ""}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Truncate, CutsInsideAClusterLongerThanTheLimit) {
  // Zalgo text: one base letter and a thousand combining marks is one grapheme cluster.
  std::string zalgo = "a";
  for (int i = 0; i < 1000; ++i) {
    zalgo += "\xCC\x81";
  }
  const std::string out = truncate_text(zalgo, 10, LengthUnit::code_points);
  EXPECT_EQ(text_length(out, LengthUnit::code_points), 10U);
  EXPECT_TRUE(text::is_valid_utf8(out));
}

struct CleanCase {
  std::string name;
  std::string input;
  bool single_line;
  std::string expected;
};

class Clean : public ::testing::TestWithParam<CleanCase> {};

TEST_P(Clean, RemovesWhatCouldBreakAMessage) {
  const auto& test = GetParam();
  EXPECT_EQ(clean_text(test.input, test.single_line), test.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Clean,
    ::testing::Values(CleanCase{"RepairsInvalidUtf8", "bad \xC3\x28 \xFF!", true, "bad \xEF\xBF\xBD( \xEF\xBF\xBD!"},
                      CleanCase{"DropsTerminalEscapes", "\x1B[31mred\x1B[0m \x07", true, "[31mred[0m"},
                      CleanCase{"DropsBidiOverrides",
                                "a\xE2\x80\xAE"
                                "evil\xE2\x80\xAC b \xE2\x81\xA6x\xE2\x81\xA9",
                                true, "aevil b x"},
                      CleanCase{"KeepsRightToLeftLetters", "\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA", true,
                                "\xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA"},
                      CleanCase{"KeepsZeroWidthJoiner", family, true, family},
                      CleanCase{"DropsByteOrderMarkAndC1", "\xEF\xBB\xBFhi\xC2\x85", true, "hi"},
                      CleanCase{"CollapsesWhiteSpace", "  one \t two\r\n\nthree  ", true, "one two three"},
                      CleanCase{"KeepsLinesWhenAsked",
                                "one\r\ntwo\rthree\xE2\x80\xA8"
                                "four",
                                false, "one\ntwo\nthree\nfour"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace newswatch::alert
