#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::parse {

/// Feed formats and versions told apart by content.
enum class FeedFormat { rss09x, rss10, rss20, atom03, atom10, jsonfeed10, jsonfeed11 };

/// "rss0.9x", "rss1.0", "rss2.0", "atom0.3", "atom1.0", "jsonfeed1.0" or "jsonfeed1.1".
std::string_view format_name(FeedFormat format);

/// What the transport knows about the bytes: the HTTP Content-Type (for its charset) and the URL
/// they came from (the last resort base for relative links).
struct ParseHints {
  std::string content_type;
  std::string url;
};

/// A parsed feed: channel fields, polling hints and items in document order.
struct ParsedFeed {
  FeedFormat format = FeedFormat::rss20;
  std::string title;
  std::string link;      ///< The site's URL, absolute.
  std::string self_url;  ///< atom:link rel="self" / JSON feed_url (WebSub topic).
  std::string hub_url;   ///< atom:link rel="hub" / JSON hubs (WebSub hub).
  std::string language;
  std::optional<TimePoint> updated;
  std::optional<std::chrono::minutes> ttl;            ///< RSS <ttl>.
  std::optional<std::chrono::seconds> update_period;  ///< sy:updatePeriod / sy:updateFrequency combined.
  std::vector<int> skip_hours;                        ///< RSS <skipHours>, 0..23 (UTC).
  std::vector<std::chrono::weekday> skip_days;        ///< RSS <skipDays>.
  std::vector<Item> items;
  std::vector<std::string> warnings;  ///< What was recovered from: bad dates, charsets, truncation.
};

/// Why some bytes are not a feed.
struct ParseError {
  std::string message;
};

/// Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1 from raw bytes (up to 64 MiB).
/// Pure: no I/O, no global state, safe to call from several threads at once.
Expected<ParsedFeed, ParseError> parse_feed(std::string_view bytes, const ParseHints& hints);

}  // namespace newswatch::parse
