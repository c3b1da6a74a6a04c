#include "newswatch/app/json_lines.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace newswatch::app {
namespace {

using namespace std::string_literals;

std::string reference(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string written(const std::string& text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonLines, WritesStringsAsNlohmannDumpDoes) {
  const std::vector<std::string> cases = {
      "",
      "plain ASCII title",
      "quote \" and backslash \\ and slash /",
      "controls \b\f\n\r\t \x01\x1f end"s,
      "nul \0 inside"s,
      "delete \x7f kept",
      "UTF-8: İstanbul Straße 東京 مدرسة 😀",
      "invalid \xff byte",
      "truncated \xe6\x9d",
      "overlong \xc0\xaf slash",
      "surrogate \xed\xa0\x80 half",
      "past U+10FFFF \xf4\x90\x80\x80",
      "lone continuation \x80\x80 bytes",
  };
  for (const std::string& text : cases) {
    EXPECT_EQ(written(text), reference(text)) << text;
  }
}

TEST(JsonLines, AgreesWithNlohmannOnRandomBytes) {
  std::mt19937 random(5);
  for (int round = 0; round < 5000; ++round) {
    std::string text(random() % 24, '\0');
    for (char& c : text) {
      // Mostly ASCII, some UTF-8 lead and continuation bytes, some controls.
      const unsigned pick = random() % 10;
      c = static_cast<char>(pick < 6 ? 0x20 + random() % 0x60 : pick < 9 ? 0x80 + random() % 0x80 : random() % 0x20);
    }
    ASSERT_EQ(written(text), reference(text)) << round;
  }
}

TEST(JsonLines, ValidatesUtf8ByTheUnicodeTable) {
  EXPECT_TRUE(is_valid_utf8("ascii only, long enough for the eight-byte path"));
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\x80"));  // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xbf\xbf"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("abc\xc3"));       // cut short
}

}  // namespace
}  // namespace newswatch::app
