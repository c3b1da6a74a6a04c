#pragma once

#include <string>
#include <string_view>

namespace newswatch::text {

/// True for A-Z and a-z; bytes of multi-byte UTF-8 never are.
constexpr bool is_ascii_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// A-Z lowered to a-z; every other byte unchanged. For protocol-level names (tags, hosts, scopes,
/// language tags), not for text matching, which goes through normalize().
constexpr char lower_ascii(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `text` with A-Z lowered.
inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = lower_ascii(c);
  }
  return out;
}

}  // namespace newswatch::text
