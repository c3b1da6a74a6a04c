#include "newswatch/net/http_headers.hpp"

#include <gtest/gtest.h>

namespace newswatch::net {
namespace {

TEST(HttpHeaders, FindsNamesCaseInsensitivelyAndKeepsSpelling) {
  HttpHeaders headers;
  headers.add_raw_line("ETag: \"abc\"\r\n");
  headers.add_raw_line("cache-control:  max-age=60 \r\n");

  EXPECT_EQ(headers.find("etag"), "\"abc\"");
  EXPECT_EQ(headers.find("Cache-Control"), "max-age=60");
  EXPECT_EQ(headers.fields()[0].name, "ETag");
  EXPECT_FALSE(headers.find("Expires"));
  EXPECT_TRUE(headers.contains("ETAG"));
}

TEST(HttpHeaders, CombinesRepeatedFieldsAndKeepsTheFirstForFind) {
  HttpHeaders headers;
  headers.add("Cache-Control", "public");
  headers.add("Vary", "Accept");
  headers.add("cache-control", "max-age=5");

  EXPECT_EQ(headers.find("Cache-Control"), "public");
  EXPECT_EQ(headers.find_combined("Cache-Control"), "public, max-age=5");
  EXPECT_EQ(headers.size(), 3U);
}

TEST(HttpHeaders, UnfoldsObsoleteContinuationLinesAndSkipsJunk) {
  HttpHeaders headers;
  headers.add_raw_line("X-Long: first\r\n");
  headers.add_raw_line("\t second\r\n");
  headers.add_raw_line("no colon here\r\n");
  headers.add_raw_line(": no name\r\n");
  headers.add_raw_line("Empty:\r\n");

  ASSERT_EQ(headers.size(), 2U);
  EXPECT_EQ(headers.find("X-Long"), "first second");
  EXPECT_EQ(headers.find("Empty"), "");
}

TEST(TrimHttpWhitespace, RemovesSpacesTabsAndLineEnds) {
  EXPECT_EQ(trim_http_whitespace(" \t value \r\n"), "value");
  EXPECT_EQ(trim_http_whitespace("\r\n"), "");
}

}  // namespace
}  // namespace newswatch::net
