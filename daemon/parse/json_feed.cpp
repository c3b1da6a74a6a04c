#include "newswatch/parse/json_feed.hpp"

#include <nlohmann/json.hpp>

#include "newswatch/parse/date.hpp"
#include "newswatch/text/html_to_text.hpp"
#include "newswatch/text/utf8.hpp"
#include "newswatch/url/resolve.hpp"

namespace newswatch::parse {
namespace {

using nlohmann::json;

/// A string member, or empty when absent or not a string.
std::string string_member(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) {
    return {};
  }
  return found->get<std::string>();
}

class JsonFeedReader {
 public:
  JsonFeedReader(const ParseHints& hints, ParsedFeed& feed) : hints_(hints), feed_(feed) {}

  void read(const json& document) {
    feed_.title = text::collapse_whitespace(string_member(document, "title"));
    feed_.link = url::resolve_link(hints_.url, string_member(document, "home_page_url"));
    feed_.self_url = url::resolve_link(hints_.url, string_member(document, "feed_url"));
    feed_.language = text::collapse_whitespace(string_member(document, "language"));
    if (const auto hubs = document.find("hubs"); hubs != document.end() && hubs->is_array()) {
      for (const json& hub : *hubs) {
        if (hub.is_object() && feed_.hub_url.empty()) {
          feed_.hub_url = string_member(hub, "url");
        }
      }
    }
    const std::string base = feed_.link.empty() ? hints_.url : feed_.link;
    const auto items = document.find("items");
    if (items == document.end() || !items->is_array()) {
      feed_.warnings.emplace_back("JSON Feed without an \"items\" array");
      return;
    }
    for (const json& entry : *items) {
      if (entry.is_object()) {
        feed_.items.push_back(read_item(entry, base));
      }
    }
  }

 private:
  std::optional<TimePoint> date(const json& entry, const char* key) {
    const std::string value = string_member(entry, key);
    if (value.empty()) {
      return std::nullopt;
    }
    auto parsed = parse_date(value);
    if (!parsed) {
      feed_.warnings.push_back("unparseable date \"" + value.substr(0, 80) + "\" in \"" + key + "\"");
    }
    return parsed;
  }

  static void read_authors(const json& entry, Item& item) {
    // JSON Feed 1.1 "authors"; 1.0's single "author" is deprecated but still common.
    const auto add = [&item](const json& author) {
      if (author.is_object()) {
        std::string name = text::collapse_whitespace(string_member(author, "name"));
        if (!name.empty()) {
          append_unique_author(item, std::move(name));
        }
      }
    };
    if (const auto authors = entry.find("authors"); authors != entry.end() && authors->is_array()) {
      for (const json& author : *authors) {
        add(author);
      }
    }
    if (const auto author = entry.find("author"); author != entry.end()) {
      add(*author);
    }
  }

  static void append_unique_author(Item& item, std::string name) {
    if (std::find(item.authors.begin(), item.authors.end(), name) == item.authors.end()) {
      item.authors.push_back(std::move(name));
    }
  }

  Item read_item(const json& entry, const std::string& base) {
    Item item;
    if (const auto id = entry.find("id"); id != entry.end()) {
      // Version 1.1: ids are strings, but 1.0 feeds often use numbers.
      item.id = id->is_string() ? id->get<std::string>() : id->is_number() ? id->dump() : std::string();
    }
    item.title = text::collapse_whitespace(string_member(entry, "title"));
    item.link = url::resolve_link(base, string_member(entry, "url"));
    if (item.link.empty()) {
      item.link = url::resolve_link(base, string_member(entry, "external_url"));
    }
    item.published = date(entry, "date_published");
    item.updated = date(entry, "date_modified");
    read_authors(entry, item);
    if (const auto tags = entry.find("tags"); tags != entry.end() && tags->is_array()) {
      for (const json& tag : *tags) {
        if (tag.is_string()) {
          std::string name = text::collapse_whitespace(tag.get<std::string>());
          if (!name.empty() &&
              std::find(item.categories.begin(), item.categories.end(), name) == item.categories.end()) {
            item.categories.push_back(std::move(name));
          }
        }
      }
    }
    item.summary = text::collapse_whitespace(string_member(entry, "summary"));
    item.content_html = string_member(entry, "content_html");
    item.content = item.content_html.empty() ? text::collapse_whitespace(string_member(entry, "content_text"))
                                             : text::html_to_text(item.content_html);
    if (const auto attachments = entry.find("attachments"); attachments != entry.end() && attachments->is_array()) {
      for (const json& attachment : *attachments) {
        if (!attachment.is_object() || string_member(attachment, "url").empty()) {
          continue;
        }
        Enclosure enclosure{url::resolve_link(base, string_member(attachment, "url")),
                            string_member(attachment, "mime_type"), std::nullopt};
        if (const auto size = attachment.find("size_in_bytes");
            size != attachment.end() && size->is_number_unsigned()) {
          enclosure.length = size->get<std::uint64_t>();
        }
        item.enclosures.push_back(std::move(enclosure));
      }
    }
    return item;
  }

  const ParseHints& hints_;
  ParsedFeed& feed_;
};

}  // namespace

Expected<ParsedFeed, ParseError> parse_json_feed(std::string_view utf8, const ParseHints& hints) {
  json document;
  try {
    document = json::parse(utf8.begin(), utf8.end());
  } catch (const json::parse_error& error) {
    // nlohmann reports the position as a 1-based byte count.
    return make_unexpected(
        ParseError{"invalid JSON at byte " + std::to_string(error.byte) + ": " + text::to_valid_utf8(error.what())});
  }
  if (!document.is_object()) {
    return make_unexpected(ParseError{"not a feed: JSON document is not an object"});
  }
  const std::string version = string_member(document, "version");
  ParsedFeed feed;
  if (version.starts_with("https://jsonfeed.org/version/1.1") ||
      version.starts_with("http://jsonfeed.org/version/1.1")) {
    feed.format = FeedFormat::jsonfeed11;
  } else if (version.starts_with("https://jsonfeed.org/version/1") ||
             version.starts_with("http://jsonfeed.org/version/1")) {
    feed.format = FeedFormat::jsonfeed10;
  } else if (document.contains("items")) {
    feed.format = FeedFormat::jsonfeed11;
    feed.warnings.push_back("JSON Feed without a known \"version\"; read as 1.1");
  } else {
    return make_unexpected(ParseError{"not a feed: JSON without a JSON Feed \"version\" or \"items\""});
  }
  JsonFeedReader(hints, feed).read(document);
  return feed;
}

}  // namespace newswatch::parse
