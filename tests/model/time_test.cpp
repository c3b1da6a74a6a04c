#include <gtest/gtest.h>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/secret.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch {
namespace {

using namespace std::chrono;

TEST(FormatRfc3339, PrintsUtcWithZulu) {
  const TimePoint instant = sys_days{year{2015} / August / 25} + hours{12} + minutes{3} + seconds{9};
  EXPECT_EQ(format_rfc3339(instant), "2015-08-25T12:03:09Z");
}

TEST(FormatRfc3339, HandlesDatesBeforeTheEpoch) {
  const TimePoint instant = sys_days{year{1969} / December / 31} + hours{23};
  EXPECT_EQ(format_rfc3339(instant), "1969-12-31T23:00:00Z");
}

TEST(FormatRfc3339, KeepsMissingDatesMissing) {
  EXPECT_FALSE(format_rfc3339(std::optional<TimePoint>{}).has_value());
}

TEST(Expected, HoldsValueOrError) {
  Expected<int, std::string> good = 7;
  Expected<int, std::string> bad = make_unexpected(std::string("broken"));
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(*good, 7);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error(), "broken");
}

TEST(Secret, NeverShowsItsValue) {
  const Secret from_env("hunter2", "env:SLACK_URL");
  const Secret inline_value("hunter2", "");
  EXPECT_EQ(from_env.reveal(), "hunter2");
  EXPECT_EQ(from_env.redacted(), "env:SLACK_URL");
  EXPECT_EQ(inline_value.redacted(), "<redacted>");
}

}  // namespace
}  // namespace newswatch
