#include "newswatch/model/match.hpp"

#include <charconv>
#include <optional>

namespace newswatch {
namespace {

/// The i in "author[i]"; nullopt when `field` is not `prefix[i]`.
std::optional<std::size_t> list_index(std::string_view field, std::string_view prefix) {
  if (!field.starts_with(prefix) || field.size() < prefix.size() + 3 || field[prefix.size()] != '[' ||
      field.back() != ']') {
    return std::nullopt;
  }
  const auto digits = field.substr(prefix.size() + 1, field.size() - prefix.size() - 2);
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return index;
}

}  // namespace

const std::string* field_text(const Item& item, std::string_view field) {
  if (field == "title") {
    return &item.title;
  }
  if (field == "summary") {
    return &item.summary;
  }
  if (field == "content") {
    return &item.content;
  }
  if (field == "link") {
    return &item.link;
  }
  if (const auto index = list_index(field, "author"); index && *index < item.authors.size()) {
    return &item.authors[*index];
  }
  if (const auto index = list_index(field, "category"); index && *index < item.categories.size()) {
    return &item.categories[*index];
  }
  return nullptr;
}

}  // namespace newswatch
