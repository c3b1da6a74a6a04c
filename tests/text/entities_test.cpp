#include "newswatch/text/entities.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

struct EntityCase {
  std::string_view name;
  std::string_view input;
  std::string_view decoded;
};

const EntityCase entity_cases[] = {
    {"xml_five", "&lt;&gt;&amp;&quot;&apos;", "<>&\"'"},
    {"html_named", "&nbsp;&eacute;&hellip;&mdash;", "\xC2\xA0\xC3\xA9\xE2\x80\xA6\xE2\x80\x94"},
    {"two_code_points", "&NotEqualTilde;", "\xE2\x89\x82\xCC\xB8"},
    {"longest_name", "&CounterClockwiseContourIntegral;", "\xE2\x88\xB3"},
    {"astral", "&Afr;", "\xF0\x9D\x94\x84"},
    {"decimal", "&#39;&#8364;", "'\xE2\x82\xAC"},
    {"hex_either_case", "&#x20AC;&#X20ac;", "\xE2\x82\xAC\xE2\x82\xAC"},
    {"numeric_without_semicolon", "&#169 2024", "\xC2\xA9 2024"},
    {"windows_1252_c1", "&#150;&#147;", "\xE2\x80\x93\xE2\x80\x9C"},
    {"zero_and_surrogate", "&#0;&#xD800;", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"out_of_range", "&#x110000;&#99999999999;", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    {"legacy_without_semicolon", "&copy 2024 &amp more", "\xC2\xA9 2024 & more"},
    {"legacy_before_alnum_kept", "?a=1&copy=2&ampx", "?a=1&copy=2&ampx"},
    {"unknown_kept", "&bogus; &", "&bogus; &"},
    {"bare_ampersand", "AT&T & co", "AT&T & co"},
    {"case_sensitive", "&AMP;&Amp;", "&&Amp;"},
    {"double_escaped_once", "&amp;amp;", "&amp;"},
};

class EntityDecoding : public ::testing::TestWithParam<EntityCase> {};

TEST_P(EntityDecoding, DecodesLikeHtml5) {
  EXPECT_EQ(decode_entities(GetParam().input), GetParam().decoded);
}

INSTANTIATE_TEST_SUITE_P(Table, EntityDecoding, ::testing::ValuesIn(entity_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(EntityTable, HoldsTheWholeHtml5ListSorted) {
  const auto table = named_entities();
  // WHATWG lists 2231 names, 106 of them also without ';'; one entry per name here.
  EXPECT_EQ(table.size(), 2125U);
  EXPECT_EQ(semicolon_optional_entity_names().size(), 106U);
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                             [](const NamedEntity& left, const NamedEntity& right) { return left.name < right.name; }));
  for (const std::string_view name : semicolon_optional_entity_names()) {
    EXPECT_NE(find_named_entity(name), nullptr) << name;
  }
}

TEST(EntityDecoding, DecodesEveryTableNameAsTheTableSays) {
  // Frequent references take a shortcut before the table search; both must agree.
  for (const NamedEntity& entity : named_entities()) {
    std::string expected;
    append_utf8(expected, entity.first);
    if (entity.second != 0) {
      append_utf8(expected, entity.second);
    }
    EXPECT_EQ(decode_entities("&" + std::string(entity.name) + ";"), expected) << entity.name;
  }
}

TEST(EntityTable, FindsByExactName) {
  ASSERT_NE(find_named_entity("zwnj"), nullptr);
  EXPECT_EQ(find_named_entity("zwnj")->first, 0x200CU);
  EXPECT_EQ(find_named_entity("nbsp;"), nullptr);
  EXPECT_EQ(find_named_entity("NBSP"), nullptr);
}

}  // namespace
}  // namespace newswatch::text
