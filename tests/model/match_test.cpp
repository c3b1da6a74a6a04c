#include "newswatch/model/match.hpp"

#include <gtest/gtest.h>

namespace newswatch {
namespace {

TEST(FieldText, NamesEveryFieldAMatchCanPointAt) {
  Item item;
  item.title = "t";
  item.summary = "s";
  item.content = "c";
  item.link = "https://example.org/";
  item.authors = {"a0", "a1"};
  item.categories = {"c0"};
  EXPECT_EQ(field_text(item, "title"), &item.title);
  EXPECT_EQ(field_text(item, "summary"), &item.summary);
  EXPECT_EQ(field_text(item, "content"), &item.content);
  EXPECT_EQ(field_text(item, "link"), &item.link);
  EXPECT_EQ(field_text(item, "author[1]"), &item.authors[1]);
  EXPECT_EQ(field_text(item, "category[0]"), &item.categories[0]);
}

TEST(FieldText, UnknownOrOutOfRangeFieldsAreNull) {
  Item item;
  item.authors = {"a0"};
  for (const char* field : {"", "titles", "author[1]", "author[]", "author[x]", "author[0", "category[0]", "feed"}) {
    EXPECT_EQ(field_text(item, field), nullptr) << field;
  }
}

}  // namespace
}  // namespace newswatch
