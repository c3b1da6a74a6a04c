#include "newswatch/fetch/cache_headers.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace newswatch::fetch {
namespace {

using namespace std::chrono;

const TimePoint now = sys_days{year{2026} / November / 28} + hours{23};

struct MaxAgeCase {
  const char* cache_control;
  std::optional<seconds> expected;
};

TEST(ParseMaxAge, ReadsTheDirectiveAmongOthers) {
  const MaxAgeCase cases[] = {
      {"max-age=300", seconds{300}},
      {"public, max-age=60, must-revalidate", seconds{60}},
      {"MAX-AGE = 120", seconds{120}},
      {"max-age=\"90\"", seconds{90}},
      {"max-age=0", seconds{0}},
      {"max-age=10, max-age=20", seconds{10}},  // RFC 9111 §4.2.1: the first wins.
      {"s-maxage=600", std::nullopt},           // Shared caches only.
      {"s-maxage=600, max-age=30", seconds{30}},
      {"max-age=99999999999999999999", seconds{2147483648}},  // §1.2.2: saturate at 2^31.
      {"max-age=-5", std::nullopt},
      {"max-age=abc", std::nullopt},
      {"max-age", std::nullopt},
      {"no-cache, no-store", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.cache_control);
    EXPECT_EQ(parse_max_age(test_case.cache_control), test_case.expected);
  }
}

TEST(ParseRetryAfter, AcceptsSecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("120", now), now + seconds{120});
  EXPECT_EQ(parse_retry_after(" 0 ", now), now);
  EXPECT_EQ(parse_retry_after("Sun, 29 Nov 2026 01:00:00 GMT", now), now + hours{2});
  EXPECT_EQ(parse_retry_after("Sunday, 29-Nov-26 01:00:00 GMT", now), now + hours{2});
  EXPECT_EQ(parse_retry_after("-1", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
}

TEST(ReadCacheHints, CollectsEveryHint) {
  net::HttpHeaders headers;
  headers.add("Cache-Control", "public");
  headers.add("cache-control", "max-age=600");
  headers.add("Expires", "Sun, 29 Nov 2026 00:00:00 GMT");
  headers.add("Retry-After", "30");
  headers.add("Date", "Sat, 28 Nov 2026 22:59:58 GMT");

  const auto hints = read_cache_hints(headers, now);

  EXPECT_EQ(hints.max_age, seconds{600});  // Found across two field lines.
  EXPECT_EQ(hints.expires, std::nullopt);  // RFC 9111 §5.3: max-age overrides Expires.
  EXPECT_EQ(hints.retry_after, now + seconds{30});
  EXPECT_EQ(hints.server_date, now - seconds{2});
}

TEST(ReadCacheHints, UsesExpiresWithoutMaxAgeAndIgnoresInvalidOnes) {
  net::HttpHeaders valid;
  valid.add("Expires", "Sun, 29 Nov 2026 00:00:00 GMT");
  EXPECT_EQ(read_cache_hints(valid, now).expires, now + hours{1});

  net::HttpHeaders invalid;
  invalid.add("Expires", "0");
  const auto hints = read_cache_hints(invalid, now);
  EXPECT_EQ(hints.expires, std::nullopt);
  EXPECT_EQ(hints.max_age, std::nullopt);
  EXPECT_EQ(hints.retry_after, std::nullopt);
  EXPECT_EQ(hints.server_date, std::nullopt);
}

}  // namespace
}  // namespace newswatch::fetch
