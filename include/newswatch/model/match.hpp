#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/model/item.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch {

/// Where a rule matched inside one field of an item.
struct FieldSpans {
  /// "title", "summary", "content", "link" (where a site: term matched), or "author[i]" /
  /// "category[i]" for the i-th entry of a list.
  std::string field;
  /// [begin, end) byte offsets in that field's plain text, sorted, not overlapping.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;

  friend bool operator==(const FieldSpans&, const FieldSpans&) = default;
};

/// The text of `item` a FieldSpans::field names, or nullptr when the item has no such field.
const std::string* field_text(const Item& item, std::string_view field);

/// One rule that matched an item, and why (empty when only feed:/lang: filters matched).
struct Match {
  std::string rule;
  std::vector<FieldSpans> why;

  friend bool operator==(const Match&, const Match&) = default;
};

/// Where a rule matched in one field, with the matched text for readers.
struct MatchEvidence {
  std::string field;                                           ///< "title", "summary", "category[0]"...
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  ///< Byte offsets [begin, end).
  std::vector<std::string> text;                               ///< The bytes of each span.

  friend bool operator==(const MatchEvidence&, const MatchEvidence&) = default;
};

/// One rule that matched one item, with the item fields a reader needs.
struct MatchRecord {
  std::string rule;
  std::string feed;
  std::string item_id;
  std::string title;
  std::string link;
  std::optional<TimePoint> published;
  std::vector<MatchEvidence> why;
};

}  // namespace newswatch
