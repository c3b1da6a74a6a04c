#include "newswatch/text/suggest.hpp"

#include <gtest/gtest.h>

#include <array>

namespace newswatch::text {
namespace {

TEST(EditDistance, CountsSingleCharacterEdits) {
  EXPECT_EQ(edit_distance("", ""), 0U);
  EXPECT_EQ(edit_distance("interval", "interval"), 0U);
  EXPECT_EQ(edit_distance("intervall", "interval"), 1U);
  EXPECT_EQ(edit_distance("titel", "title"), 2U);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
  EXPECT_EQ(edit_distance("", "abc"), 3U);
}

TEST(ClosestMatch, SuggestsNearMissesOnly) {
  constexpr std::array<std::string_view, 4> keys{"interval", "tags", "enabled", "url"};
  EXPECT_EQ(closest_match("intervall", keys), "interval");
  EXPECT_EQ(closest_match("enabeld", keys), "enabled");
  EXPECT_EQ(closest_match("tag", keys), "tags");
  EXPECT_FALSE(closest_match("colour", keys).has_value());
  EXPECT_FALSE(closest_match("ur", std::array<std::string_view, 1>{"id"}).has_value());
}

}  // namespace
}  // namespace newswatch::text
