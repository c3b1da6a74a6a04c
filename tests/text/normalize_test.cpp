#include "newswatch/text/normalize.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace newswatch::text {
namespace {

struct NormalizeCase {
  const char* name;
  std::string input;
  std::string expected;
};

class NormalizeTable : public ::testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeTable, Normalizes) {
  EXPECT_EQ(normalize(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NormalizeTable,
    ::testing::Values(NormalizeCase{"AsciiLowercased", "ISIS Coalition, 2024!", "isis coalition, 2024!"},
                      NormalizeCase{"EmptyStaysEmpty", "", ""},
                      NormalizeCase{"FrenchAccents", "Élysée Café à Noël", "elysee cafe a noel"},
                      NormalizeCase{"GermanSharpS", "Straße STRASSE", "strasse strasse"},
                      NormalizeCase{"TurkishDottedCapitalI", "İstanbul", "istanbul"},
                      NormalizeCase{"TurkishDotlessI", "ıstanbul ISTANBUL", "istanbul istanbul"},
                      NormalizeCase{"CompatibilityLigature", "ﬁnance", "finance"},
                      NormalizeCase{"FullwidthLatin", "ＮＡＴＯ", "nato"},
                      NormalizeCase{"CombiningMarkStripped", "Jose\xCC\x81", "jose"},
                      NormalizeCase{"SoftHyphenDropped", "news\xC2\xADpaper", "newspaper"},
                      NormalizeCase{"ArabicAlefWithHamza", "أحمد إسلام آمن", "احمد اسلام امن"},
                      NormalizeCase{"ArabicTehMarbuta", "مدرسة", "مدرسه"},
                      NormalizeCase{"ArabicAlefMaksura", "مستشفى", "مستشفي"},
                      NormalizeCase{"ArabicTatweel", "كـــتاب", "كتاب"}, NormalizeCase{"ArabicHarakat", "كَتَبَ", "كتب"},
                      NormalizeCase{"GreekFinalSigma", "ΟΔΟΣ", "οδοσ"},
                      NormalizeCase{"HangulStaysComposed", "한국", "한국"},
                      NormalizeCase{"InvalidByteBecomesReplacement",
                                    "a\xFF"
                                    "b",
                                    "a\xEF\xBF\xBD"
                                    "b"}),
    [](const ::testing::TestParamInfo<NormalizeCase>& param_info) { return std::string(param_info.param.name); });

TEST(Normalize, IsIdempotent) {
  const std::vector<std::string> samples = {"İstanbul'da Straße", "ﬁ ＮＡＴＯ ①", "أحمد مدرسة", "東京タワー", "Ǆemal"};
  for (const auto& sample : samples) {
    const std::string once = normalize(sample);
    EXPECT_EQ(normalize(once), once) << sample;
  }
}

TEST(ForEachNormalized, ReportsOriginalByteRanges) {
  std::vector<std::tuple<char32_t, std::uint32_t, std::uint32_t>> seen;
  for_each_normalized(
      "Aß", [&seen](char32_t c, std::uint32_t begin, std::uint32_t end) { seen.emplace_back(c, begin, end); });
  const std::vector<std::tuple<char32_t, std::uint32_t, std::uint32_t>> expected = {
      {U'a', 0, 1}, {U's', 1, 3}, {U's', 1, 3}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace newswatch::text
