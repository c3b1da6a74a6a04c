#include "newswatch/fetch/http_date.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>

#include "newswatch/net/http_headers.hpp"

namespace newswatch::fetch {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> month_names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> day_names = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/// A cursor over the date text; every reader returns false when the expected piece is absent.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (!text_.starts_with(expected)) {
      return false;
    }
    text_.remove_prefix(expected.size());
    return true;
  }

  /// Exactly `digits` decimal digits (asctime's day allows a leading space instead of a digit).
  bool number(int digits, int& value, bool allow_leading_space = false) {
    if (text_.size() < static_cast<std::size_t>(digits)) {
      return false;
    }
    value = 0;
    for (int index = 0; index < digits; ++index) {
      const char character = text_[static_cast<std::size_t>(index)];
      if (character == ' ' && allow_leading_space && index == 0) {
        continue;
      }
      if (character < '0' || character > '9') {
        return false;
      }
      value = value * 10 + (character - '0');
    }
    text_.remove_prefix(static_cast<std::size_t>(digits));
    return true;
  }

  bool month(unsigned& value) {
    for (std::size_t index = 0; index < month_names.size(); ++index) {
      if (literal(month_names[index])) {
        value = static_cast<unsigned>(index + 1);
        return true;
      }
    }
    return false;
  }

  /// Skips a day name: three letters, or RFC 850's full name; its value is not checked against
  /// the date (a wrong weekday does not make the date unusable).
  bool day_name(bool long_form) {
    for (const auto name : day_names) {
      if (literal(name)) {
        if (long_form) {
          while (!text_.empty() && text_.front() >= 'a' && text_.front() <= 'z') {
            text_.remove_prefix(1);
          }
        }
        return true;
      }
    }
    return false;
  }

  bool time_of_day(int& hour, int& minute, int& second) {
    return number(2, hour) && literal(":") && number(2, minute) && literal(":") && number(2, second);
  }

  [[nodiscard]] bool at_end() const { return text_.empty(); }

 private:
  std::string_view text_;
};

std::optional<TimePoint> make_time(int year_number, unsigned month_number, int day_number, int hour, int minute,
                                   int second) {
  const year_month_day date{year{year_number}, month{month_number}, day{static_cast<unsigned>(day_number)}};
  // A leap second (60) is accepted by the grammar; it is folded into the minute's last second.
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return sys_days{date} + hours{hour} + minutes{minute} + seconds{second > 59 ? 59 : second};
}

std::optional<TimePoint> parse_imf_fixdate(std::string_view text) {
  Scanner scan(text);
  int day_number = 0;
  unsigned month_number = 0;
  int year_number = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (scan.day_name(false) && scan.literal(", ") && scan.number(2, day_number) && scan.literal(" ") &&
      scan.month(month_number) && scan.literal(" ") && scan.number(4, year_number) && scan.literal(" ") &&
      scan.time_of_day(hour, minute, second) && scan.literal(" GMT") && scan.at_end()) {
    return make_time(year_number, month_number, day_number, hour, minute, second);
  }
  return std::nullopt;
}

std::optional<TimePoint> parse_rfc850(std::string_view text, TimePoint now) {
  Scanner scan(text);
  int day_number = 0;
  unsigned month_number = 0;
  int two_digit_year = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!(scan.day_name(true) && scan.literal(", ") && scan.number(2, day_number) && scan.literal("-") &&
        scan.month(month_number) && scan.literal("-") && scan.number(2, two_digit_year) && scan.literal(" ") &&
        scan.time_of_day(hour, minute, second) && scan.literal(" GMT") && scan.at_end())) {
    return std::nullopt;
  }
  // RFC 9110 §5.6.7: a year more than 50 years in the future is the most recent past year with
  // the same last two digits.
  const int current_year = static_cast<int>(year_month_day{floor<days>(now)}.year());
  int full_year = current_year - current_year % 100 + two_digit_year;
  if (full_year > current_year + 50) {
    full_year -= 100;
  } else if (full_year <= current_year - 50) {
    full_year += 100;
  }
  return make_time(full_year, month_number, day_number, hour, minute, second);
}

std::optional<TimePoint> parse_asctime(std::string_view text) {
  Scanner scan(text);
  int day_number = 0;
  unsigned month_number = 0;
  int year_number = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (scan.day_name(false) && scan.literal(" ") && scan.month(month_number) && scan.literal(" ") &&
      scan.number(2, day_number, true) && scan.literal(" ") && scan.time_of_day(hour, minute, second) &&
      scan.literal(" ") && scan.number(4, year_number) && scan.at_end()) {
    return make_time(year_number, month_number, day_number, hour, minute, second);
  }
  return std::nullopt;
}

}  // namespace

std::optional<TimePoint> parse_http_date(std::string_view text, TimePoint now) {
  text = net::trim_http_whitespace(text);
  if (auto fixdate = parse_imf_fixdate(text)) {
    return fixdate;
  }
  if (auto rfc850 = parse_rfc850(text, now)) {
    return rfc850;
  }
  return parse_asctime(text);
}

std::string format_http_date(TimePoint instant) {
  const auto day_point = floor<days>(instant);
  const year_month_day date{day_point};
  const hh_mm_ss clock{instant - day_point};
  const weekday day_of_week{day_point};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", day_names[day_of_week.c_encoding()],
                     static_cast<unsigned>(date.day()), month_names[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), clock.hours().count(), clock.minutes().count(),
                     clock.seconds().count());
}

}  // namespace newswatch::fetch
