#include "newswatch/text/entities.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

/// HTML5 §13.2.5.80: numeric references to 0x80-0x9F mean the windows-1252 character at that byte.
/// Zero marks the five bytes windows-1252 leaves undefined; those keep their C1 value.
constexpr std::array<char32_t, 32> windows_1252_c1{0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                   0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                   0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                   0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/// The longest HTML5 entity name ("CounterClockwiseContourIntegral").
constexpr std::size_t max_entity_name = 32;

bool is_ascii_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

char32_t map_numeric_reference(std::uint32_t value) noexcept {
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return replacement_character;
  }
  if (value >= 0x80 && value <= 0x9F) {
    const char32_t mapped = windows_1252_c1[value - 0x80];
    return mapped != 0 ? mapped : static_cast<char32_t>(value);
  }
  return static_cast<char32_t>(value);
}

std::size_t decode_numeric(std::string& out, std::string_view text) {
  // text starts with "&#".
  std::size_t pos = 2;
  const bool hex = pos < text.size() && (text[pos] == 'x' || text[pos] == 'X');
  if (hex) {
    ++pos;
  }
  const std::size_t digits_start = pos;
  std::uint32_t value = 0;
  while (pos < text.size()) {
    const int digit = hex ? hex_value(text[pos]) : (text[pos] >= '0' && text[pos] <= '9' ? text[pos] - '0' : -1);
    if (digit < 0) {
      break;
    }
    // Saturate above U+10FFFF so that long digit strings cannot overflow.
    value = std::min<std::uint32_t>(value * (hex ? 16U : 10U) + static_cast<std::uint32_t>(digit), 0x110000U);
    ++pos;
  }
  if (pos == digits_start) {
    return 0;
  }
  if (pos < text.size() && text[pos] == ';') {
    ++pos;
  }
  append_utf8(out, map_numeric_reference(value));
  return pos;
}

void append_entity(std::string& out, const NamedEntity& entity) {
  append_utf8(out, entity.first);
  if (entity.second != 0) {
    append_utf8(out, entity.second);
  }
}

bool is_semicolon_optional(std::string_view name) noexcept {
  const auto names = semicolon_optional_entity_names();
  return std::binary_search(names.begin(), names.end(), name);
}

/// The references feeds use most, with their UTF-8: the five XML ones (escaped HTML is full of &lt; and
/// &gt;), then typography that CMSs write as references.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> frequent_references{{
    {"lt", "<"},
    {"gt", ">"},
    {"amp", "&"},
    {"quot", "\""},
    {"apos", "'"},
    {"nbsp", "\xC2\xA0"},
    {"mdash", "\xE2\x80\x94"},
    {"ndash", "\xE2\x80\x93"},
    {"rsquo", "\xE2\x80\x99"},
    {"lsquo", "\xE2\x80\x98"},
    {"ldquo", "\xE2\x80\x9C"},
    {"rdquo", "\xE2\x80\x9D"},
    {"hellip", "\xE2\x80\xA6"},
}};

/// The UTF-8 of one of the frequent references, else empty: a few length-checked compares instead of a
/// binary search over the whole HTML5 table.
std::string_view frequent_reference(std::string_view name) noexcept {
  for (const auto& [known, utf8] : frequent_references) {
    if (known == name) {
      return utf8;
    }
  }
  return {};
}

}  // namespace

const NamedEntity* find_named_entity(std::string_view name) noexcept {
  const auto table = named_entities();
  const auto found =
      std::lower_bound(table.begin(), table.end(), name,
                       [](const NamedEntity& entity, std::string_view key) { return entity.name < key; });
  if (found == table.end() || found->name != name) {
    return nullptr;
  }
  return &*found;
}

std::size_t decode_one_entity(std::string& out, std::string_view text) {
  if (text.size() < 2 || text[0] != '&') {
    return 0;
  }
  if (text[1] == '#') {
    return decode_numeric(out, text);
  }
  std::size_t end = 1;
  while (end < text.size() && end <= max_entity_name && is_ascii_alnum(text[end])) {
    ++end;
  }
  const std::string_view name = text.substr(1, end - 1);
  if (name.empty()) {
    return 0;
  }
  if (end < text.size() && text[end] == ';') {
    if (const std::string_view frequent = frequent_reference(name); !frequent.empty()) {
      out.append(frequent);
      return end + 1;
    }
    if (const NamedEntity* entity = find_named_entity(name)) {
      append_entity(out, *entity);
      return end + 1;
    }
  }
  // Legacy references without ';' (HTML5 §13.2.5.73): the longest known prefix, unless an
  // alphanumeric or '=' follows it, which keeps URLs such as "?a=1&copy=2" intact.
  for (std::size_t length = std::min<std::size_t>(name.size(), 6); length >= 2; --length) {
    const std::string_view prefix = name.substr(0, length);
    if (!is_semicolon_optional(prefix)) {
      continue;
    }
    const std::size_t after = 1 + length;
    if (after < text.size() && (is_ascii_alnum(text[after]) || text[after] == '=')) {
      return 0;
    }
    append_entity(out, *find_named_entity(prefix));
    return after;
  }
  return 0;
}

void append_decoded_entities(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const void* found = std::memchr(text.data() + pos, '&', text.size() - pos);
    if (found == nullptr) {
      out.append(text.substr(pos));
      return;
    }
    const auto amp = static_cast<std::size_t>(static_cast<const char*>(found) - text.data());
    out.append(text.substr(pos, amp - pos));
    const std::size_t consumed = decode_one_entity(out, text.substr(amp));
    if (consumed == 0) {
      out.push_back('&');
      pos = amp + 1;
    } else {
      pos = amp + consumed;
    }
  }
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_decoded_entities(out, text);
  return out;
}

}  // namespace newswatch::text
