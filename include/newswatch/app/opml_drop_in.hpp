#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/parse/opml.hpp"

namespace newswatch::app {

/// A feed read from an OPML list, named and tagged for a [[feed]] table.
struct ImportedFeed {
  std::string name;   ///< Valid and unique within the import.
  std::string title;  ///< The outline's title, kept as a comment.
  std::string url;
  std::vector<std::string> tags;  ///< The category path as names, then the extra tags.
};

/// Names every feed after its title (else its host, else "feed"), made unique with -2, -3, ...;
/// tags are the categories turned into valid names, then `extra_tags`, without repeats.
std::vector<ImportedFeed> imported_feeds(const parse::OpmlDocument& document,
                                         const std::vector<std::string>& extra_tags);

/// A conf.d drop-in with one [[feed]] table per feed, `source` named in its header comment.
std::string feeds_drop_in(const std::vector<ImportedFeed>& feeds, std::string_view source);

/// `text` as a TOML basic string, quotes included (TOML 1.0 "Basic strings"): valid UTF-8, '"'
/// and '\' escaped, control characters as \uXXXX.
std::string toml_string(std::string_view text);

/// The configured feeds as OPML outlines: title the feed name, category the tags. file: feeds
/// are left out (no other reader can fetch them); their names go to `skipped`.
std::vector<parse::OpmlOutline> opml_outlines(const config::Config& config, std::vector<std::string>& skipped);

}  // namespace newswatch::app
