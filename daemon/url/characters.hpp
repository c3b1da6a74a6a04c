#pragma once

#include <string>
#include <string_view>

namespace newswatch::url::detail {

/// True for a 7-bit byte.
constexpr bool is_ascii(char c) noexcept {
  return static_cast<unsigned char>(c) < 0x80;
}

/// True for A-Z and a-z.
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// True for 0-9.
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// True for a hexadecimal digit of either case (RFC 3986 §2.1).
constexpr bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// The value of a hexadecimal digit.
constexpr unsigned hex_value(char c) noexcept {
  if (is_digit(c)) {
    return static_cast<unsigned>(c - '0');
  }
  return static_cast<unsigned>((c | 0x20) - 'a' + 10);
}

/// RFC 3986 §2.3 unreserved: letters, digits, '-', '.', '_', '~'.
constexpr bool is_unreserved(char c) noexcept {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/// RFC 3986 §2.2 sub-delims.
constexpr bool is_sub_delim(char c) noexcept {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
         c == ';' || c == '=';
}

/// A-Z lowered; every other byte unchanged.
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// True when `a` and `b` are equal but for the case of ASCII letters.
constexpr bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

/// Appends `text` with A-Z lowered.
inline void append_lower(std::string& out, std::string_view text) {
  for (const char c : text) {
    out.push_back(lower(c));
  }
}

}  // namespace newswatch::url::detail
