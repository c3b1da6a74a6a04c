#include "newswatch/config/names.hpp"

#include <algorithm>

#include "newswatch/text/normalize.hpp"

namespace newswatch::config {
namespace {

/// Longest generated name: long enough to tell feeds apart, short enough for a log line.
constexpr std::size_t max_generated_name = 64;

bool is_name_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

}  // namespace

bool is_valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_name_character);
}

std::string name_from_text(std::string_view text) {
  const bool has_alphanumeric = std::any_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  // A title that is already a name stays as written; one of only punctuation ("---") is no name.
  if (is_valid_name(text) && text.size() <= max_generated_name && has_alphanumeric) {
    return std::string(text);
  }
  std::string name;
  bool pending_dash = false;
  for (const char c : text::normalize(text)) {
    // normalize() folds case and drops accents, so what is left of Latin script is a-z.
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_dash && !name.empty()) {
        name += '-';
      }
      pending_dash = false;
      name += c;
    } else {
      pending_dash = true;
    }
  }
  if (name.size() > max_generated_name) {
    name.resize(max_generated_name);
    // Cut at a word boundary when there is one in the second half.
    if (const auto dash = name.rfind('-'); dash != std::string::npos && dash > max_generated_name / 2) {
      name.resize(dash);
    }
  }
  return name;
}

}  // namespace newswatch::config
