#include "newswatch/app/opml_drop_in.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "newswatch/config/names.hpp"
#include "newswatch/text/utf8.hpp"
#include "newswatch/url/host.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::app {
namespace {

/// `text` fit for a TOML comment, which may hold no control character but tab (TOML 1.0).
std::string comment_text(std::string_view text) {
  std::string out = text::to_valid_utf8(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      c = ' ';
    }
  }
  return out;
}

/// A name for a feed whose title gives none: its host ("feeds.bbci.co.uk" is a valid name).
std::string name_from_url(std::string_view feed_url) {
  const auto parsed = url::Url::parse(feed_url);
  if (!parsed || parsed->host_kind() != url::HostKind::name) {
    return "";
  }
  return config::name_from_text(url::host_name(*parsed));
}

void add_unique(std::vector<std::string>& values, std::string value) {
  if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
    values.push_back(std::move(value));
  }
}

}  // namespace

std::vector<ImportedFeed> imported_feeds(const parse::OpmlDocument& document,
                                         const std::vector<std::string>& extra_tags) {
  std::vector<ImportedFeed> feeds;
  std::set<std::string> taken;
  for (const parse::OpmlFeed& outline : document.feeds) {
    ImportedFeed feed;
    feed.title = outline.title;
    feed.url = outline.xml_url;
    std::string base = config::name_from_text(outline.title);
    if (base.empty()) {
      base = name_from_url(outline.xml_url);
    }
    if (base.empty()) {
      base = "feed";
    }
    feed.name = base;
    for (int suffix = 2; !taken.insert(feed.name).second; ++suffix) {
      feed.name = fmt::format("{}-{}", base, suffix);
    }
    for (const std::string& category : outline.categories) {
      add_unique(feed.tags, config::name_from_text(category));
    }
    for (const std::string& tag : extra_tags) {
      add_unique(feed.tags, tag);
    }
    feeds.push_back(std::move(feed));
  }
  return feeds;
}

std::string toml_string(std::string_view text) {
  const std::string valid = text::to_valid_utf8(text);
  std::string out = "\"";
  for (const char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\u{:04X}", byte);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string feeds_drop_in(const std::vector<ImportedFeed>& feeds, std::string_view source) {
  std::string out = fmt::format(
      "# Feeds imported from {} by newswatch import-opml.\n"
      "# Save as /etc/newswatch/conf.d/NN-NAME.toml, then run: newswatch check\n",
      comment_text(source));
  for (const ImportedFeed& feed : feeds) {
    out += '\n';
    if (!feed.title.empty()) {
      out += "# " + comment_text(feed.title) + '\n';
    }
    out += "[[feed]]\n";
    out += "name = " + toml_string(feed.name) + '\n';
    out += "url = " + toml_string(feed.url) + '\n';
    if (!feed.tags.empty()) {
      std::string tags;
      for (const std::string& tag : feed.tags) {
        tags += (tags.empty() ? "" : ", ") + toml_string(tag);
      }
      out += "tags = [" + tags + "]\n";
    }
  }
  return out;
}

std::vector<parse::OpmlOutline> opml_outlines(const config::Config& config, std::vector<std::string>& skipped) {
  std::vector<parse::OpmlOutline> outlines;
  for (const Feed& feed : config.feeds) {
    if (!url::is_http_scheme(url::scheme_of(feed.url))) {
      skipped.push_back(feed.name);
      continue;
    }
    outlines.push_back({feed.name, feed.url, feed.tags});
  }
  return outlines;
}

}  // namespace newswatch::app
