#include "newswatch/text/html_to_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::text {
namespace {

struct HtmlCase {
  std::string_view name;
  std::string_view html;
  std::string_view text;
};

const HtmlCase html_cases[] = {
    {"plain", "Little hope for Syrian regime", "Little hope for Syrian regime"},
    {"inline_tags_join", "<b>anti</b>-<i>ISIS</i> coalition", "anti-ISIS coalition"},
    {"paragraphs_break_lines", "<p>One.</p><p>Two.</p>", "One.\nTwo."},
    {"br_breaks_line", "line<br>next<br/>last", "line\nnext\nlast"},
    {"list_items", "<ul><li>a</li><li>b</li></ul>", "a\nb"},
    {"script_and_style_dropped", "a<script>var x = '<p>';</script>b<style>p{}</style>c", "abc"},
    {"script_end_tag_any_case", "a<SCRIPT type=x>1</ScRiPt>b", "ab"},
    {"comments_dropped", "a<!-- <p>hidden</p> -->b", "ab"},
    {"cdata_is_text", "a <![CDATA[x < y]]> b", "a x < y b"},
    {"entities_decoded", "Tom &amp; Jerry&nbsp;&mdash;&#39;s", "Tom & Jerry \xE2\x80\x94's"},
    {"decoded_angle_is_text", "&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"},
    {"whitespace_collapsed", "  a \t\n\r b  ", "a b"},
    {"nbsp_and_unicode_spaces", "a\xC2\xA0\xE2\x80\x83 b", "a b"},
    {"control_characters_are_space", "a\x01\x07z", "a z"},
    {"less_than_not_a_tag", "3 < 4 and 5<6", "3 < 4 and 5<6"},
    {"attribute_with_angle", "<a title=\"x>y\" href='/'>link</a>", "link"},
    {"unterminated_tag", "text <a href=", "text"},
    {"block_then_spaces", "<div> a </div> <div> b </div>", "a\nb"},
    {"table_cells_spaced", "<table><tr><td>1</td><td>2</td></tr></table>", "1 2"},
    {"invalid_utf8_replaced", "caf\xE9", "caf\xEF\xBF\xBD"},
    {"empty", "", ""},
    // Runs of plain text are skipped sixteen bytes at a time; what lies at block edges must still count.
    {"double_space_inside_block", "abc  defghijklmnop", "abc defghijklmnop"},
    {"double_space_across_blocks", "abcdefg  hijklmnop   q", "abcdefg hijklmnop q"},
    {"space_ending_block_then_space", "abcdefg \tijklmnop", "abcdefg ijklmnop"},
    {"long_text_then_tag", "the quick brown fox jumps over the lazy dog <p>end",
     "the quick brown fox jumps over the lazy dog\nend"},
    {"long_text_then_space_at_end", "the quick brown fox jumps over the lazy   ",
     "the quick brown fox jumps over the lazy"},
    {"double_space_across_sixteen_byte_blocks", "abcdefghijklmno  pqrstuvwxyz0123456",
     "abcdefghijklmno pqrstuvwxyz0123456"},
    {"space_ending_sixteen_byte_block_then_tab", "abcdefghijklmno \tqrstuvwxyz0123456",
     "abcdefghijklmno qrstuvwxyz0123456"},
    {"delete_inside_long_run", "abcdefghijklmnopqrst\x7Fuvwxyz0123456789", "abcdefghijklmnopqrst uvwxyz0123456789"},
    {"reference_and_tag_inside_long_run", "abcdefghijklmnopqrstu&amp;vwxyz0123456789abcdef<b>x</b>",
     "abcdefghijklmnopqrstu&vwxyz0123456789abcdefx"},
    {"invalid_byte_inside_long_run", "abcdefghijklmnopqrstu\xFFvwxyz0123456789",
     "abcdefghijklmnopqrstu\xEF\xBF\xBDvwxyz0123456789"},
    {"multibyte_inside_long_run",
     "caf\xC3\xA9 au lait, cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
     "e\xC2\xA0ici",
     "caf\xC3\xA9 au lait, cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
     "e ici"},
};

class HtmlToText : public ::testing::TestWithParam<HtmlCase> {};

TEST_P(HtmlToText, ExtractsPlainText) {
  EXPECT_EQ(html_to_text(GetParam().html), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(Table, HtmlToText, ::testing::ValuesIn(html_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(CollapseText, DecodesReferencesButKeepsTagsAsText) {
  EXPECT_EQ(collapse_text("  <b>Smith</b> &amp;\n Jones "), "<b>Smith</b> & Jones");
}

TEST(CollapseWhitespace, KeepsReferencesAndTags) {
  EXPECT_EQ(collapse_whitespace(" a &amp;\n\n <b> "), "a &amp; <b>");
}

}  // namespace
}  // namespace newswatch::text
