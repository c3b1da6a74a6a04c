#include "newswatch/parse/feed_json.hpp"

namespace newswatch::parse {
namespace {

nlohmann::json optional_time(const std::optional<TimePoint>& instant) {
  if (!instant) {
    return nullptr;
  }
  return format_rfc3339(*instant);
}

}  // namespace

nlohmann::json item_to_json(const Item& item) {
  nlohmann::json enclosures = nlohmann::json::array();
  for (const Enclosure& enclosure : item.enclosures) {
    nlohmann::json length = nullptr;
    if (enclosure.length) {
      length = *enclosure.length;
    }
    enclosures.push_back({{"url", enclosure.url}, {"type", enclosure.type}, {"length", std::move(length)}});
  }
  return nlohmann::json{
      {"id", item.id},
      {"title", item.title},
      {"link", item.link},
      {"published", optional_time(item.published)},
      {"updated", optional_time(item.updated)},
      {"authors", item.authors},
      {"categories", item.categories},
      {"summary", item.summary},
      {"content", item.content},
      {"enclosures", std::move(enclosures)},
  };
}

nlohmann::json feed_to_json(const ParsedFeed& feed) {
  nlohmann::json items = nlohmann::json::array();
  for (const Item& item : feed.items) {
    items.push_back(item_to_json(item));
  }
  return nlohmann::json{
      {"format", format_name(feed.format)},
      {"title", feed.title},
      {"link", feed.link},
      {"language", feed.language},
      {"updated", optional_time(feed.updated)},
      {"items", std::move(items)},
      {"warnings", feed.warnings},
  };
}

}  // namespace newswatch::parse
