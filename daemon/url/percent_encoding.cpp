#include "percent_encoding.hpp"

#include "characters.hpp"

namespace newswatch::url::detail {
namespace {

constexpr char upper_hex[] = "0123456789ABCDEF";

void append_encoded(std::string& out, unsigned char byte) {
  out.push_back('%');
  out.push_back(upper_hex[byte >> 4U]);
  out.push_back(upper_hex[byte & 0xFU]);
}

bool is_escape_at(std::string_view text, std::size_t i) noexcept {
  return text[i] == '%' && i + 2 < text.size() && is_hex_digit(text[i + 1]) && is_hex_digit(text[i + 2]);
}

}  // namespace

void append_normalized(std::string& out, std::string_view component) {
  for (std::size_t i = 0; i < component.size(); ++i) {
    // Runs of literal bytes, nearly all of a link, are copied at once.
    std::size_t run = i;
    while (run < component.size() && is_literal(component[run])) {
      ++run;
    }
    if (run > i) {
      out.append(component.substr(i, run - i));
      i = run;
      if (i == component.size()) {
        return;
      }
    }
    const char c = component[i];
    if (is_escape_at(component, i)) {
      const auto byte = static_cast<unsigned char>(hex_value(component[i + 1]) * 16 + hex_value(component[i + 2]));
      if (is_unreserved(static_cast<char>(byte))) {
        out.push_back(static_cast<char>(byte));
      } else {
        append_encoded(out, byte);
      }
      i += 2;
    } else {
      append_encoded(out, static_cast<unsigned char>(c));
    }
  }
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_escape_at(text, i)) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace newswatch::url::detail
