#include "newswatch/parse/date.hpp"

#include <array>
#include <chrono>
#include <cstdint>

namespace newswatch::parse {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Reads up to `max_digits` digits at `pos`; returns the count read (0 when none).
std::size_t read_number(std::string_view text, std::size_t pos, std::size_t max_digits, int& value) noexcept {
  std::size_t count = 0;
  value = 0;
  while (pos + count < text.size() && count < max_digits && is_digit(text[pos + count])) {
    value = value * 10 + (text[pos + count] - '0');
    ++count;
  }
  return count;
}

/// Day, time and offset assembled into an instant; nullopt for impossible values.
std::optional<TimePoint> make_time(int year, int month, int day, int hour, int minute, int second,
                                   seconds offset) noexcept {
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (year < 1 || year > 9999 || !date.ok() || hour < 0 || hour > 24 || minute < 0 || minute > 59 || second < 0 ||
      second > 60 || (hour == 24 && (minute != 0 || second != 0))) {
    return std::nullopt;
  }
  second = second == 60 ? 59 : second;  // a leap second reads as the second before it
  const TimePoint local = std::chrono::sys_days(date) + hours(hour) + minutes(minute) + seconds(second);
  return local - offset;
}

struct ZoneName {
  std::string_view name;
  int offset_minutes;
};

/// RFC 822 §5.1 zones, plus abbreviations common in feeds.
constexpr std::array<ZoneName, 24> zone_names{{
    {"ut", 0},         {"utc", 0},        {"gmt", 0},        {"z", 0},         {"est", -5 * 60},  {"edt", -4 * 60},
    {"cst", -6 * 60},  {"cdt", -5 * 60},  {"mst", -7 * 60},  {"mdt", -6 * 60}, {"pst", -8 * 60},  {"pdt", -7 * 60},
    {"akst", -9 * 60}, {"akdt", -8 * 60}, {"hst", -10 * 60}, {"bst", 60},      {"cet", 60},       {"cest", 2 * 60},
    {"eet", 2 * 60},   {"eest", 3 * 60},  {"msk", 3 * 60},   {"jst", 9 * 60},  {"aest", 10 * 60}, {"aedt", 11 * 60},
}};

constexpr std::array<std::string_view, 12> month_names{"january",   "february", "march",    "april",
                                                       "may",       "june",     "july",     "august",
                                                       "september", "october",  "november", "december"};

/// The month a word names (three letters at least, "Sept" too), 0 if none.
int month_from_word(std::string_view word) noexcept {
  if (word.size() < 3) {
    return 0;
  }
  for (std::size_t index = 0; index < month_names.size(); ++index) {
    if (month_names[index].starts_with(word) || (word == "sept" && index == 8)) {
      return static_cast<int>(index) + 1;
    }
  }
  return 0;
}

/// Parses "hh", "hhmm", "hh:mm" after a sign; returns bytes read or 0.
std::size_t read_offset(std::string_view text, std::size_t pos, int& offset_minutes) noexcept {
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) {
    return 0;
  }
  const int sign = text[pos] == '-' ? -1 : 1;
  int hour = 0;
  int minute = 0;
  std::size_t at = pos + 1;
  const std::size_t hour_digits = read_number(text, at, 2, hour);
  if (hour_digits == 0) {
    return 0;
  }
  at += hour_digits;
  if (at < text.size() && text[at] == ':') {
    ++at;
  }
  at += read_number(text, at, 2, minute);
  if (hour > 23 || minute > 59) {
    return 0;
  }
  offset_minutes = sign * (hour * 60 + minute);
  return at - pos;
}

}  // namespace

std::optional<TimePoint> parse_iso8601_date(std::string_view text) {
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  int year = 0;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::size_t pos = read_number(text, 0, 4, year);
  if (pos != 4) {
    return std::nullopt;
  }
  // Extended (2015-08-25T12:00:00) or basic (20150825T120000) format, W3CDTF partial dates.
  const bool extended = pos < text.size() && text[pos] == '-';
  const auto field = [&](int& value, char separator, bool separated) {
    if (separated) {
      if (pos >= text.size() || text[pos] != separator) {
        return false;
      }
      ++pos;
    }
    const std::size_t read = read_number(text, pos, 2, value);
    pos += read;
    return read == 2;
  };
  if (pos < text.size() && !field(month, '-', extended)) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ' && !field(day, '-', extended)) {
    return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    while (pos < text.size() && text[pos] == ' ') {
      ++pos;
    }
    if (read_number(text, pos, 2, hour) != 2) {
      return std::nullopt;
    }
    pos += 2;
    const bool time_extended = pos < text.size() && text[pos] == ':';
    if (!field(minute, ':', time_extended)) {
      return std::nullopt;
    }
    if (pos < text.size() && (time_extended ? text[pos] == ':' : is_digit(text[pos])) &&
        !field(second, ':', time_extended)) {
      return std::nullopt;
    }
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      while (pos < text.size() && is_digit(text[pos])) {
        ++pos;  // second precision is all newswatch keeps
      }
    }
    while (pos < text.size() && text[pos] == ' ') {
      ++pos;
    }
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
    } else if (pos < text.size()) {
      const std::size_t read = read_offset(text, pos, offset_minutes);
      if (read == 0) {
        return std::nullopt;
      }
      pos += read;
    }
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return make_time(year, month, day, hour, minute, second, minutes(offset_minutes));
}

std::optional<TimePoint> parse_rfc822_date(std::string_view text) {
  int year = -1;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool have_time = false;
  bool pm = false;
  bool am = false;
  int offset_minutes = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (is_alpha(c)) {
      std::array<char, 16> buffer{};
      std::size_t length = 0;
      while (pos < text.size() && (is_alpha(text[pos]) || text[pos] == '.')) {
        if (text[pos] != '.' && length < buffer.size()) {
          buffer[length++] = lower(text[pos]);
        }
        ++pos;
      }
      const std::string_view word(buffer.data(), length);
      // Words that are neither month, zone nor AM/PM (weekdays, also in other languages, and
      // repeats such as "January, 29 Jan") carry nothing needed; day, month and year still must be found.
      const bool leading_with_comma = day == 0 && year < 0 && !have_time && pos < text.size() && text[pos] == ',';
      if (leading_with_comma) {
        continue;  // "Mar, 16 Nov 2022" (Spanish martes): a leading word before a comma is a weekday
      }
      if (const int named_month = month_from_word(word); named_month != 0 && month == 0) {
        month = named_month;
      } else if (word == "am" || word == "pm") {
        am = word == "am";
        pm = word == "pm";
      } else if (word.size() == 1 && word != "j") {
        // RFC 5322 §4.3: military zones were defined with the wrong sign in RFC 822, so they carry no
        // reliable offset and read as +0000.
        offset_minutes = 0;
      } else {
        for (const ZoneName& zone : zone_names) {
          if (zone.name == word) {
            offset_minutes = zone.offset_minutes;
          }
        }
      }
    } else if (is_digit(c)) {
      int value = 0;
      const std::size_t digits = read_number(text, pos, 9, value);
      if (pos + digits < text.size() && text[pos + digits] == ':' && !have_time) {
        hour = value;
        pos += digits + 1;
        const std::size_t minute_digits = read_number(text, pos, 2, minute);
        if (minute_digits == 0) {
          return std::nullopt;
        }
        pos += minute_digits;
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
          pos += read_number(text, pos, 2, second);
          if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            while (pos < text.size() && is_digit(text[pos])) {
              ++pos;
            }
          }
        }
        have_time = true;
        continue;
      }
      // Numeric day.month.year ("22.11.2022"), the European order.
      if (digits <= 2 && day == 0 && month == 0 && pos + digits < text.size() && text[pos + digits] == '.') {
        int numeric_month = 0;
        const std::size_t month_digits = read_number(text, pos + digits + 1, 2, numeric_month);
        const std::size_t after = pos + digits + 1 + month_digits;
        if (month_digits > 0 && after < text.size() && text[after] == '.' && numeric_month >= 1 &&
            numeric_month <= 12) {
          day = value;
          month = numeric_month;
          pos = after + 1;
          continue;
        }
      }
      pos += digits;
      if (digits == 4 || (day != 0 && year < 0 && month != 0)) {
        if (year >= 0) {
          return std::nullopt;
        }
        // RFC 2822 §4.3 obsolete two-digit years: 00-49 are 20xx, 50-99 are 19xx; three digits add 1900.
        year = digits == 2 ? (value < 50 ? 2000 + value : 1900 + value) : digits == 3 ? value + 1900 : value;
      } else if (day == 0 && digits <= 2) {
        day = value;
      } else {
        return std::nullopt;
      }
    } else if ((c == '+' || c == '-') && have_time) {
      const std::size_t read = read_offset(text, pos, offset_minutes);
      if (read == 0) {
        return std::nullopt;
      }
      // "GMT+0300": the offset after a zone name adds to it, and named zones used here are GMT/UT.
      pos += read;
    } else {
      ++pos;  // separators: spaces, commas, dashes, dots, parentheses
    }
  }
  if (year < 0 || month == 0 || day == 0) {
    return std::nullopt;
  }
  if (pm && hour < 12) {
    hour += 12;
  } else if (am && hour == 12) {
    hour = 0;
  }
  return make_time(year, month, day, hour, minute, second, minutes(offset_minutes));
}

std::optional<TimePoint> parse_date(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size() &&
         (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' || text[start] == '\r')) {
    ++start;
  }
  if (text.size() - start >= 4 && is_digit(text[start]) && is_digit(text[start + 1]) && is_digit(text[start + 2]) &&
      is_digit(text[start + 3])) {
    if (auto iso = parse_iso8601_date(text.substr(start))) {
      return iso;
    }
  }
  return parse_rfc822_date(text.substr(start));
}

}  // namespace newswatch::parse
