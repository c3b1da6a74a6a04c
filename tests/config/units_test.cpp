#include "newswatch/config/units.hpp"

#include <gtest/gtest.h>

namespace newswatch::config {
namespace {

using std::chrono::seconds;

struct DurationCase {
  const char* text;
  std::optional<seconds> expected;
};

TEST(ParseDuration, AcceptsUnitsAndSums) {
  const DurationCase cases[] = {
      {"90s", seconds{90}},     {"10m", seconds{600}},        {"2h", seconds{7200}}, {"1d", seconds{86400}},
      {"1h30m", seconds{5400}}, {"1d2h3m4s", seconds{93784}}, {"", std::nullopt},    {"10", std::nullopt},
      {"m", std::nullopt},      {"0s", std::nullopt},         {"10x", std::nullopt}, {"30m1h", std::nullopt},
      {"1h1h", std::nullopt},   {"-5m", std::nullopt},        {"5 m", std::nullopt}, {"99999999999d", std::nullopt},
  };
  for (const auto& test : cases) {
    EXPECT_EQ(parse_duration(test.text), test.expected) << test.text;
  }
}

TEST(FormatDuration, UsesLargestExactUnits) {
  EXPECT_EQ(format_duration(seconds{600}), "10m");
  EXPECT_EQ(format_duration(seconds{5400}), "1h30m");
  EXPECT_EQ(format_duration(seconds{86400}), "1d");
  EXPECT_EQ(format_duration(seconds{61}), "1m1s");
  EXPECT_EQ(format_duration(seconds{0}), "0s");
}

TEST(ParseSize, AcceptsDecimalAndBinaryUnits) {
  EXPECT_EQ(parse_size("16MiB"), 16ULL << 20);
  EXPECT_EQ(parse_size("512KiB"), 512ULL << 10);
  EXPECT_EQ(parse_size("1GiB"), 1ULL << 30);
  EXPECT_EQ(parse_size("2MB"), 2000000ULL);
  EXPECT_EQ(parse_size("3kB"), 3000ULL);
  EXPECT_EQ(parse_size("800B"), 800ULL);
  EXPECT_FALSE(parse_size("16"));
  EXPECT_FALSE(parse_size("0MiB"));
  EXPECT_FALSE(parse_size("16 MiB"));
  EXPECT_FALSE(parse_size("16mib"));
  EXPECT_FALSE(parse_size("99999999999999999GiB"));
}

TEST(FormatSize, RoundTripsThroughParse) {
  for (const auto bytes : {1ULL, 1024ULL, 16ULL << 20, 3ULL << 30, 1000ULL, 1536ULL}) {
    EXPECT_EQ(parse_size(format_size(bytes)), bytes) << format_size(bytes);
  }
  EXPECT_EQ(format_size(16ULL << 20), "16MiB");
}

}  // namespace
}  // namespace newswatch::config
