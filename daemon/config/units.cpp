#include "newswatch/config/units.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace newswatch::config {
namespace {

/// Reads leading decimal digits; nullopt when there are none or they overflow.
std::optional<std::uint64_t> take_number(std::string_view& text) {
  std::uint64_t value = 0;
  const auto* const begin = text.data();
  const auto [end, error] = std::from_chars(begin, begin + text.size(), value);
  if (error != std::errc{} || end == begin) {
    return std::nullopt;
  }
  text.remove_prefix(static_cast<std::size_t>(end - begin));
  return value;
}

constexpr std::array<std::pair<char, std::int64_t>, 4> duration_units{{{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  std::int64_t total = 0;
  std::size_t last_unit = 0;  // Units must come largest first, each once: "1h30m", not "30m1h".
  while (!text.empty()) {
    const auto number = take_number(text);
    if (!number || text.empty()) {
      return std::nullopt;
    }
    std::size_t unit = 0;
    while (unit < duration_units.size() && duration_units[unit].first != text.front()) {
      ++unit;
    }
    if (unit == duration_units.size() || (total > 0 && unit < last_unit) || (last_unit == unit && total > 0)) {
      return std::nullopt;
    }
    const auto factor = duration_units[unit].second;
    if (*number > static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
      return std::nullopt;
    }
    total += static_cast<std::int64_t>(*number) * factor;
    last_unit = unit;
    text.remove_prefix(1);
  }
  if (total <= 0) {
    return std::nullopt;
  }
  return std::chrono::seconds{total};
}

std::string format_duration(std::chrono::seconds duration) {
  auto remaining = duration.count();
  if (remaining <= 0) {
    return "0s";
  }
  std::string text;
  for (const auto& [unit, factor] : duration_units) {
    if (remaining >= factor) {
      text += std::to_string(remaining / factor);
      text += unit;
      remaining %= factor;
    }
  }
  return text;
}

namespace {

struct SizeUnit {
  std::string_view name;
  std::uint64_t factor;
};

constexpr std::array<SizeUnit, 8> size_units{{{"GiB", 1ULL << 30},
                                              {"MiB", 1ULL << 20},
                                              {"KiB", 1ULL << 10},
                                              {"GB", 1000ULL * 1000 * 1000},
                                              {"MB", 1000ULL * 1000},
                                              {"KB", 1000ULL},
                                              {"kB", 1000ULL},
                                              {"B", 1ULL}}};

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  const auto number = take_number(text);
  if (!number || *number == 0) {
    return std::nullopt;
  }
  for (const auto& unit : size_units) {
    if (text == unit.name) {
      if (*number > std::numeric_limits<std::uint64_t>::max() / unit.factor) {
        return std::nullopt;
      }
      return *number * unit.factor;
    }
  }
  return std::nullopt;
}

std::string format_size(std::uint64_t bytes) {
  for (const auto& unit : size_units) {
    if (unit.factor > 1 && unit.name.back() == 'B' && unit.name.size() == 3 && bytes % unit.factor == 0 &&
        bytes >= unit.factor) {
      return std::to_string(bytes / unit.factor) + std::string(unit.name);
    }
  }
  return std::to_string(bytes) + "B";
}

}  // namespace newswatch::config
