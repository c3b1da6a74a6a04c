#pragma once

#include <string_view>

#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {

/// Parses a JSON Feed 1.0 or 1.1 document (https://www.jsonfeed.org/version/1.1/) from UTF-8 text.
Expected<ParsedFeed, ParseError> parse_json_feed(std::string_view utf8, const ParseHints& hints);

}  // namespace newswatch::parse
