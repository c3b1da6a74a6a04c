#pragma once

#include <nlohmann/json.hpp>

#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {

/// The `newswatch parse` JSON object for a feed (without "file"); README.md "## newswatch parse" is its contract.
nlohmann::json feed_to_json(const ParsedFeed& feed);

/// One item as it appears in feed_to_json's "items".
nlohmann::json item_to_json(const Item& item);

}  // namespace newswatch::parse
