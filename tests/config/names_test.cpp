#include "newswatch/config/names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace newswatch::config {
namespace {

struct NameCase {
  const char* text;
  const char* name;
};

class NameFromText : public ::testing::TestWithParam<NameCase> {};

TEST_P(NameFromText, GivesAValidName) {
  const std::string name = name_from_text(GetParam().text);
  EXPECT_EQ(name, GetParam().name);
  if (!name.empty()) {
    EXPECT_TRUE(is_valid_name(name)) << name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NameFromText,
    ::testing::Values(NameCase{"trt-world", "trt-world"}, NameCase{"BBC_News.v2", "BBC_News.v2"},
                      NameCase{"TRT World", "trt-world"},
                      NameCase{"  Le Monde — International ", "le-monde-international"},
                      NameCase{"Süddeutsche Zeitung", "suddeutsche-zeitung"}, NameCase{"Straße", "strasse"},
                      NameCase{"\"quoted\" & <tagged>", "quoted-tagged"}, NameCase{"Новости", ""},
                      NameCase{"الجزيرة 24", "24"}, NameCase{"", ""}, NameCase{"---", ""},
                      NameCase{"A very long feed title that goes on and on about the world news of the day and more",
                               "a-very-long-feed-title-that-goes-on-and-on-about-the-world-news"}));

TEST(IsValidName, AcceptsLettersDigitsDashUnderscoreDot) {
  EXPECT_TRUE(is_valid_name("trt-world_2.0"));
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name("trt world"));
  EXPECT_FALSE(is_valid_name("tag:world"));
  EXPECT_FALSE(is_valid_name("s\xc3\xbc"));
}

}  // namespace
}  // namespace newswatch::config
