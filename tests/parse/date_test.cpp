#include "newswatch/parse/date.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace newswatch::parse {
namespace {

struct DateCase {
  std::string_view name;
  std::string_view input;
  std::string_view utc;  ///< Empty: no date.
};

const DateCase date_cases[] = {
    // RFC 822 / RFC 1123 and real-world variants
    {"rfc1123_gmt", "Tue, 25 Aug 2015 12:00:00 GMT", "2015-08-25T12:00:00Z"},
    {"numeric_plus_0300", "Tue, 25 Aug 2015 15:00:00 +0300", "2015-08-25T12:00:00Z"},
    {"numeric_with_colon", "Tue, 25 Aug 2015 15:00:00 +03:00", "2015-08-25T12:00:00Z"},
    {"negative_offset", "Tue, 25 Aug 2015 08:00:00 -0400", "2015-08-25T12:00:00Z"},
    {"no_weekday", "25 Aug 2015 12:00:00 UT", "2015-08-25T12:00:00Z"},
    {"no_seconds", "Tue, 25 Aug 2015 12:00 Z", "2015-08-25T12:00:00Z"},
    {"one_digit_day", "Sat, 1 Aug 2015 12:00:00 GMT", "2015-08-01T12:00:00Z"},
    {"two_digit_year_2000s", "Tue, 25 Aug 15 12:00:00 GMT", "2015-08-25T12:00:00Z"},
    {"two_digit_year_1900s", "Fri, 13 Aug 99 12:00:00 GMT", "1999-08-13T12:00:00Z"},
    {"est", "Tue, 25 Aug 2015 07:00:00 EST", "2015-08-25T12:00:00Z"},
    {"edt", "Tue, 25 Aug 2015 08:00:00 EDT", "2015-08-25T12:00:00Z"},
    {"cst", "Tue, 25 Aug 2015 06:00:00 CST", "2015-08-25T12:00:00Z"},
    {"cdt", "Tue, 25 Aug 2015 07:00:00 CDT", "2015-08-25T12:00:00Z"},
    {"mst", "Tue, 25 Aug 2015 05:00:00 MST", "2015-08-25T12:00:00Z"},
    {"mdt", "Tue, 25 Aug 2015 06:00:00 MDT", "2015-08-25T12:00:00Z"},
    {"pst", "Tue, 25 Aug 2015 04:00:00 PST", "2015-08-25T12:00:00Z"},
    {"pdt", "Tue, 25 Aug 2015 05:00:00 PDT", "2015-08-25T12:00:00Z"},
    {"military_letter_reads_as_utc", "Tue, 25 Aug 2015 12:00:00 A", "2015-08-25T12:00:00Z"},
    {"stray_whitespace", "  Tue,  25   Aug 2015\t12:00:00   GMT \n", "2015-08-25T12:00:00Z"},
    {"full_names", "Tuesday, 25 August 2015 12:00:00 GMT", "2015-08-25T12:00:00Z"},
    {"lower_case", "tue, 25 aug 2015 12:00:00 gmt", "2015-08-25T12:00:00Z"},
    {"rfc850_dashes", "Tuesday, 25-Aug-15 12:00:00 GMT", "2015-08-25T12:00:00Z"},
    {"asctime", "Tue Aug 25 12:00:00 2015", "2015-08-25T12:00:00Z"},
    {"gmt_plus_offset", "Tue, 25 Aug 2015 15:00:00 GMT+0300", "2015-08-25T12:00:00Z"},
    {"foreign_weekday", "mer, 16 nov 2022 00:38:15 +0100", "2022-11-15T23:38:15Z"},
    {"spanish_weekday_like_month", "mar, 15 nov 2022 10:00:00 GMT", "2022-11-15T10:00:00Z"},
    {"numeric_dotted", "22.11.2022 12:16:00", "2022-11-22T12:16:00Z"},
    {"pm_suffix", "Aug 25, 2015 1:30 PM GMT", "2015-08-25T13:30:00Z"},
    {"date_only", "25 Aug 2015", "2015-08-25T00:00:00Z"},
    // RFC 3339 / ISO 8601 / W3CDTF
    {"rfc3339_z", "2015-08-25T12:00:00Z", "2015-08-25T12:00:00Z"},
    {"rfc3339_offset", "2015-08-25T15:00:00+03:00", "2015-08-25T12:00:00Z"},
    {"rfc3339_fraction", "2015-08-25T12:00:00.987654Z", "2015-08-25T12:00:00Z"},
    {"lower_case_t_and_z", "2015-08-25t12:00:00z", "2015-08-25T12:00:00Z"},
    {"space_separator", "2015-08-25 12:00:00", "2015-08-25T12:00:00Z"},
    {"missing_zone_is_utc", "2015-08-25T12:00:00", "2015-08-25T12:00:00Z"},
    {"no_seconds_iso", "2015-08-25T12:00Z", "2015-08-25T12:00:00Z"},
    {"offset_without_colon", "2015-08-25T15:00:00+0300", "2015-08-25T12:00:00Z"},
    {"basic_format", "20150825T120000Z", "2015-08-25T12:00:00Z"},
    {"w3cdtf_day", "2015-08-25", "2015-08-25T00:00:00Z"},
    {"w3cdtf_month", "2015-08", "2015-08-01T00:00:00Z"},
    {"w3cdtf_year", "2015", "2015-01-01T00:00:00Z"},
    {"leap_second", "2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"},
    {"leap_day", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
    // Not dates
    {"empty", "", ""},
    {"garbage", "yesterday", ""},
    {"impossible_day", "2015-02-30T00:00:00Z", ""},
    {"impossible_hour", "Tue, 25 Aug 2015 25:00:00 GMT", ""},
    {"missing_year", "Tue, 25 Aug 12:00:00 GMT", ""},
    {"bad_offset", "2015-08-25T12:00:00+99:00", ""},
};

class DateParse : public ::testing::TestWithParam<DateCase> {};

TEST_P(DateParse, ConvertsToUtc) {
  const auto parsed = parse_date(GetParam().input);
  if (GetParam().utc.empty()) {
    EXPECT_FALSE(parsed) << format_rfc3339(*parsed);
  } else {
    ASSERT_TRUE(parsed) << GetParam().input;
    EXPECT_EQ(format_rfc3339(*parsed), GetParam().utc);
  }
}

INSTANTIATE_TEST_SUITE_P(Table, DateParse, ::testing::ValuesIn(date_cases),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

}  // namespace
}  // namespace newswatch::parse
