#include "newswatch/fetch/http_date.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace newswatch::fetch {
namespace {

using namespace std::chrono;

TimePoint at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

const TimePoint now = at(2026, 11, 28, 23, 0, 0);

struct DateCase {
  const char* text;
  std::optional<TimePoint> expected;
};

TEST(ParseHttpDate, ReadsAllThreeFormsAndRejectsTheRest) {
  const DateCase cases[] = {
      // RFC 9110 §5.6.7's own examples, one per form.
      {"Sun, 06 Nov 1994 08:49:37 GMT", at(1994, 11, 6, 8, 49, 37)},
      {"Sunday, 06-Nov-94 08:49:37 GMT", at(1994, 11, 6, 8, 49, 37)},
      {"Sun Nov  6 08:49:37 1994", at(1994, 11, 6, 8, 49, 37)},
      {"Sun Nov 16 08:49:37 1994", at(1994, 11, 16, 8, 49, 37)},
      {"  Tue, 29 Feb 2028 00:00:00 GMT \r\n", at(2028, 2, 29, 0, 0, 0)},
      {"Thursday, 01-Jan-70 00:00:00 GMT", at(2070, 1, 1, 0, 0, 0)},    // 44 years ahead: kept.
      {"Monday, 01-Jan-99 00:00:00 GMT", at(1999, 1, 1, 0, 0, 0)},      // 73 years ahead: a century back.
      {"Sat, 31 Dec 2016 23:59:60 GMT", at(2016, 12, 31, 23, 59, 59)},  // Leap second.
      {"Wed, 06 Nov 1994 08:49:37 GMT", at(1994, 11, 6, 8, 49, 37)},    // Wrong weekday, usable date.
      {"Sun, 06 Nov 1994 08:49:37 +0000", std::nullopt},
      {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},
      {"Sun, 31 Feb 2026 08:49:37 GMT", std::nullopt},
      {"Sun, 06 Nov 1994 24:00:00 GMT", std::nullopt},
      {"2026-11-28T23:00:00Z", std::nullopt},
      {"0", std::nullopt},
      {"", std::nullopt},
      {"Sun, 06 Nov 1994 08:49:37 GMT trailing", std::nullopt},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.text);
    EXPECT_EQ(parse_http_date(test_case.text, now), test_case.expected);
  }
}

TEST(FormatHttpDate, WritesImfFixdateThatParsesBack) {
  const auto instant = at(1994, 11, 6, 8, 49, 37);
  EXPECT_EQ(format_http_date(instant), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(at(2026, 3, 1, 0, 0, 5)), "Sun, 01 Mar 2026 00:00:05 GMT");
  EXPECT_EQ(parse_http_date(format_http_date(now), now), now);
}

}  // namespace
}  // namespace newswatch::fetch
