#include "newswatch/net/http_headers.hpp"

#include <algorithm>
#include <utility>

namespace newswatch::net {
namespace {

char to_lower_ascii(char character) noexcept {
  return character >= 'A' && character <= 'Z' ? static_cast<char>(character - 'A' + 'a') : character;
}

bool is_http_whitespace(char character) noexcept {
  return character == ' ' || character == '\t' || character == '\r' || character == '\n';
}

}  // namespace

bool equals_ignore_case(std::string_view left, std::string_view right) noexcept {
  return left.size() == right.size() && std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
           return to_lower_ascii(a) == to_lower_ascii(b);
         });
}

std::string_view trim_http_whitespace(std::string_view text) noexcept {
  while (!text.empty() && is_http_whitespace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_http_whitespace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

void HttpHeaders::add(std::string name, std::string value) {
  fields_.push_back(HttpHeader{std::move(name), std::move(value)});
}

std::optional<std::string> HttpHeaders::find(std::string_view name) const {
  for (const auto& field : fields_) {
    if (equals_ignore_case(field.name, name)) {
      return field.value;
    }
  }
  return std::nullopt;
}

std::optional<std::string> HttpHeaders::find_combined(std::string_view name) const {
  std::optional<std::string> combined;
  for (const auto& field : fields_) {
    if (!equals_ignore_case(field.name, name)) {
      continue;
    }
    if (combined) {
      combined->append(", ");
      combined->append(field.value);
    } else {
      combined = field.value;
    }
  }
  return combined;
}

void HttpHeaders::add_raw_line(std::string_view line) {
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // Obsolete folding: RFC 9112 §5.2 lets a recipient replace the fold with a space.
    if (!fields_.empty()) {
      const auto continuation = trim_http_whitespace(line);
      if (!continuation.empty()) {
        fields_.back().value.append(" ").append(continuation);
      }
    }
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return;
  }
  add(std::string(trim_http_whitespace(line.substr(0, colon))),
      std::string(trim_http_whitespace(line.substr(colon + 1))));
}

}  // namespace newswatch::net
