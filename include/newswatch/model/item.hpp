#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/model/time.hpp"

namespace newswatch {

/// A media file attached to an item (RSS <enclosure>, Atom rel="enclosure", JSON attachments).
struct Enclosure {
  std::string url;
  std::string type;
  std::optional<std::uint64_t> length;
};

/// One story from a feed. Text fields are clean plain text; *_html keep the original markup.
struct Item {
  std::string id;  ///< guid / atom:id / JSON id, verbatim; may be empty.
  std::string title;
  std::string link;  ///< Absolute URL, resolved against xml:base, the feed link or the fetch URL.
  std::string comments;
  std::optional<TimePoint> published;
  std::optional<TimePoint> updated;
  std::vector<std::string> authors;
  std::vector<std::string> categories;
  std::string summary;
  std::string summary_html;
  std::string content;
  std::string content_html;
  std::vector<Enclosure> enclosures;
};

}  // namespace newswatch
