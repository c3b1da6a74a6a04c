#include "newswatch/parse/rss.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

#include "newswatch/text/html_to_text.hpp"
#include "newswatch/url/resolve.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::parse {
namespace {

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

/// True for the element names RSS 0.9x/2.0 and RSS 1.0 share (no namespace, or the RSS 1.0/0.90 one).
bool is_rss_space(XmlNamespace space) noexcept {
  return space == XmlNamespace::none || space == XmlNamespace::rss10 || space == XmlNamespace::rss090;
}

/// RSS Syndication Module: updatePeriod names and their length.
std::optional<std::chrono::seconds> period_length(std::string_view name) {
  constexpr std::array<std::pair<std::string_view, std::chrono::seconds::rep>, 5> periods{
      {{"hourly", 3600}, {"daily", 86400}, {"weekly", 604800}, {"monthly", 2592000}, {"yearly", 31536000}}};
  for (const auto& [period, seconds] : periods) {
    if (period == name) {
      return std::chrono::seconds(seconds);
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::weekday> weekday_named(std::string_view name) {
  constexpr std::array<std::string_view, 7> names{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                  "Thursday", "Friday", "Saturday"};
  for (unsigned day = 0; day < names.size(); ++day) {
    if (names[day] == name) {
      return std::chrono::weekday(day);
    }
  }
  return std::nullopt;
}

class RssReader {
 public:
  RssReader(pugi::xml_node root, XmlFeedReader& reader) : root_(root), reader_(reader), feed_(reader.feed()) {}

  void read() {
    const std::string root_base = reader_.with_xml_base(reader_.fetch_url(), root_);
    pugi::xml_node channel;
    for (const pugi::xml_node child : root_.children()) {
      if (child.type() == pugi::node_element && reader_.name(child).local == "channel") {
        channel = child;
        break;
      }
    }
    const std::string channel_base = channel ? reader_.with_xml_base(root_base, channel) : root_base;
    if (channel) {
      read_channel(channel, channel_base);
    }
    // Items are resolved against xml:base when the feed sets one, else against the site link.
    std::string item_base = channel_base;
    if (!channel.attribute("xml:base") && !root_.attribute("xml:base") && url::has_scheme(feed_.link)) {
      item_base = feed_.link;
    }
    // RSS 2.0 puts items in <channel>; RSS 0.90/1.0 (and some broken 2.0 feeds) beside it.
    for (const pugi::xml_node parent : {channel, root_}) {
      if (!parent) {
        continue;
      }
      for (const pugi::xml_node child : parent.children()) {
        const QualifiedName qualified = reader_.name(child);
        if (child.type() == pugi::node_element && qualified.local == "item" && is_rss_space(qualified.space)) {
          feed_.items.push_back(read_item(child, item_base));
        }
      }
    }
  }

 private:
  void read_channel(pugi::xml_node channel, const std::string& base) {
    std::optional<TimePoint> last_build;
    std::optional<TimePoint> published;
    std::optional<TimePoint> dc_date;
    std::string alternate;
    std::optional<std::chrono::seconds> period;
    std::optional<std::uint64_t> frequency;
    for (const pugi::xml_node child : channel.children()) {
      if (child.type() != pugi::node_element) {
        continue;
      }
      const QualifiedName qualified = reader_.name(child);
      const std::string_view local = qualified.local;
      if (is_rss_space(qualified.space)) {
        if (local == "title" && feed_.title.empty()) {
          feed_.title = reader_.html_text(child);
        } else if (local == "link" && feed_.link.empty()) {
          feed_.link = url::resolve_link(base, text::collapse_text(reader_.text(child)));
        } else if (local == "language" && feed_.language.empty()) {
          feed_.language = text::collapse_text(reader_.text(child));
        } else if (local == "lastBuildDate") {
          last_build = reader_.date(child);
        } else if (local == "pubDate") {
          published = reader_.date(child);
        } else if (local == "ttl") {
          if (const auto minutes = parse_unsigned(text::collapse_text(reader_.text(child)));
              minutes && *minutes < 1000000) {
            feed_.ttl = std::chrono::minutes(*minutes);
          }
        } else if (local == "skipHours") {
          read_skip_hours(child);
        } else if (local == "skipDays") {
          read_skip_days(child);
        }
      } else if (qualified.space == XmlNamespace::atom10 && local == "link") {
        const std::string_view rel = attribute_keyword(child, "rel");
        const std::string href = url::resolve_link(base, attribute_text(child, "href"));
        if (rel == "self" && feed_.self_url.empty()) {
          feed_.self_url = href;
        } else if (rel == "hub" && feed_.hub_url.empty()) {
          feed_.hub_url = href;
        } else if ((rel.empty() || rel == "alternate") && alternate.empty()) {
          alternate = href;
        }
      } else if (qualified.space == XmlNamespace::dublin_core) {
        if (local == "title" && feed_.title.empty()) {
          feed_.title = reader_.html_text(child);
        } else if (local == "date") {
          dc_date = reader_.date(child);
        } else if (local == "language" && feed_.language.empty()) {
          feed_.language = text::collapse_text(reader_.text(child));
        }
      } else if (qualified.space == XmlNamespace::syndication) {
        const std::string value = text::collapse_text(reader_.text(child));
        if (local == "updatePeriod") {
          period = period_length(value);
        } else if (local == "updateFrequency") {
          frequency = parse_unsigned(value);
        }
      }
    }
    if (feed_.link.empty()) {
      feed_.link = alternate;
    }
    feed_.updated = last_build ? last_build : published ? published : dc_date;
    // RSS Syndication Module: the period is divided into `frequency` updates; daily and 1 by default.
    if (period || frequency) {
      const std::chrono::seconds length = period.value_or(std::chrono::seconds(86400));
      const std::uint64_t count = frequency.value_or(1);
      if (count > 0 && count <= 86400) {
        feed_.update_period = length / static_cast<std::int64_t>(count);
      }
    }
  }

  void read_skip_hours(pugi::xml_node element) {
    for (const pugi::xml_node hour : element.children()) {
      if (reader_.name(hour).local != "hour") {
        continue;
      }
      // RSS 2.0 says 0..23, yet many feeds count 1..24; 24 means midnight.
      if (const auto value = parse_unsigned(text::collapse_text(reader_.text(hour))); value && *value <= 24) {
        const int normalized = static_cast<int>(*value % 24);
        if (std::find(feed_.skip_hours.begin(), feed_.skip_hours.end(), normalized) == feed_.skip_hours.end()) {
          feed_.skip_hours.push_back(normalized);
        }
      }
    }
  }

  void read_skip_days(pugi::xml_node element) {
    for (const pugi::xml_node day : element.children()) {
      if (reader_.name(day).local != "day") {
        continue;
      }
      if (const auto weekday = weekday_named(text::collapse_text(reader_.text(day)))) {
        feed_.skip_days.push_back(*weekday);
      }
    }
  }

  Item read_item(pugi::xml_node node, const std::string& feed_base) {
    Item item;
    const std::string base = reader_.with_xml_base(feed_base, node);
    std::string guid;
    bool guid_is_permalink = true;
    std::optional<TimePoint> published;
    std::optional<TimePoint> dc_date;
    std::optional<TimePoint> atom_published;
    std::string atom_alternate;
    std::string dc_title;
    std::string dc_description;
    for (const pugi::xml_node child : node.children()) {
      if (child.type() != pugi::node_element) {
        continue;
      }
      const QualifiedName qualified = reader_.name(child);
      const std::string_view local = qualified.local;
      if (is_rss_space(qualified.space)) {
        if (local == "title") {
          if (item.title.empty()) {
            item.title = reader_.html_text(child);
          }
        } else if (local == "link") {
          if (item.link.empty()) {
            item.link = url::resolve_link(base, text::collapse_text(reader_.text(child)));
          }
        } else if (local == "guid") {
          guid = text::collapse_whitespace(reader_.text(child));
          guid_is_permalink = attribute_text(child, "isPermaLink") != "false";
        } else if (local == "description") {
          item.summary_html = xml_text(child);
        } else if (local == "pubDate") {
          published = reader_.date(child);
        } else if (local == "author") {
          append_unique(item.authors, text::collapse_text(reader_.text(child)));
        } else if (local == "category") {
          append_unique(item.categories, text::collapse_text(reader_.text(child)));
        } else if (local == "comments") {
          item.comments = url::resolve_link(base, text::collapse_text(reader_.text(child)));
        } else if (local == "enclosure") {
          read_enclosure(child, base, item);
        }
      } else if (qualified.space == XmlNamespace::content) {
        if (local == "encoded") {
          item.content_html = xml_text(child);
        }
      } else if (qualified.space == XmlNamespace::dublin_core) {
        if (local == "title") {
          dc_title = reader_.html_text(child);
        } else if (local == "description") {
          dc_description = xml_text(child);
        } else if (local == "creator" || local == "contributor") {
          append_unique(item.authors, text::collapse_text(reader_.text(child)));
        } else if (local == "date") {
          dc_date = reader_.date(child);
        } else if (local == "subject") {
          append_unique(item.categories, text::collapse_text(reader_.text(child)));
        } else if (local == "modified") {
          item.updated = reader_.date(child);
        }
      } else if (qualified.space == XmlNamespace::atom10) {
        if (local == "link") {
          const std::string_view rel = attribute_keyword(child, "rel");
          if ((rel.empty() || rel == "alternate") && atom_alternate.empty()) {
            atom_alternate = url::resolve_link(base, attribute_text(child, "href"));
          }
        } else if (local == "updated") {
          item.updated = reader_.date(child);
        } else if (local == "published") {
          atom_published = reader_.date(child);
        }
      } else {
        reader_.read_media(child, qualified, base, item);
      }
    }
    item.id = guid.empty() ? text::collapse_whitespace(node.attribute("rdf:about").value()) : guid;
    if (item.link.empty()) {
      item.link = atom_alternate;
    }
    // RSS 2.0: a guid is a permalink unless isPermaLink="false".
    if (item.link.empty() && guid_is_permalink && (guid.starts_with("http://") || guid.starts_with("https://"))) {
      item.link = guid;
    }
    // Dublin Core stands in for the RSS elements a feed left out.
    if (item.title.empty()) {
      item.title = std::move(dc_title);
    }
    if (item.summary_html.empty()) {
      item.summary_html = std::move(dc_description);
    }
    item.published = published ? published : dc_date ? dc_date : atom_published;
    item.summary = text::html_to_text(item.summary_html);
    item.content = text::html_to_text(item.content_html);
    return item;
  }

  static void read_enclosure(pugi::xml_node element, const std::string& base, Item& item) {
    std::string address = attribute_text(element, "url");
    if (address.empty()) {
      return;
    }
    Enclosure enclosure{url::resolve_link(base, std::move(address)), attribute_text(element, "type"), std::nullopt};
    enclosure.length = parse_unsigned(attribute_text(element, "length"));
    item.enclosures.push_back(std::move(enclosure));
  }

  pugi::xml_node root_;
  XmlFeedReader& reader_;
  ParsedFeed& feed_;
};

}  // namespace

void read_rss(pugi::xml_node root, XmlFeedReader& reader) {
  RssReader(root, reader).read();
}

}  // namespace newswatch::parse
