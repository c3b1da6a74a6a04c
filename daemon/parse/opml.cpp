#include "newswatch/parse/opml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <pugixml.hpp>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "newswatch/text/ascii.hpp"
#include "newswatch/text/utf8.hpp"
#include "newswatch/url/host.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::parse {
namespace {

/// The largest document read_opml accepts: feed lists of tens of thousands of feeds stay far below.
constexpr std::size_t max_opml_bytes = std::size_t{16} * 1024 * 1024;
/// Category levels kept per feed; deeper nesting adds nothing useful as tags.
constexpr std::size_t max_categories = 16;

/// Line numbers from byte offsets, for documents whose parsed offsets are the input's (UTF-8).
class LineIndex {
 public:
  explicit LineIndex(std::string_view bytes) {
    for (std::size_t at = bytes.find('\n'); at != std::string_view::npos; at = bytes.find('\n', at + 1)) {
      newlines_.push_back(at);
    }
  }

  [[nodiscard]] std::size_t line_at(std::ptrdiff_t offset) const {
    if (offset < 0) {
      return 0;
    }
    const auto before = std::lower_bound(newlines_.begin(), newlines_.end(), static_cast<std::size_t>(offset));
    return static_cast<std::size_t>(before - newlines_.begin()) + 1;
  }

 private:
  std::vector<std::size_t> newlines_;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Text that XML 1.0 can carry (§2.2): valid UTF-8, no C0 controls but tab, LF and CR, no
/// U+FFFE/U+FFFF.
std::string xml_safe(std::string_view raw) {
  const std::string valid = text::to_valid_utf8(raw);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto byte = static_cast<unsigned char>(valid[i]);
    if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
      out += ' ';
      continue;
    }
    if (byte == 0xef && i + 2 < valid.size() && static_cast<unsigned char>(valid[i + 1]) == 0xbf &&
        (static_cast<unsigned char>(valid[i + 2]) == 0xbe || static_cast<unsigned char>(valid[i + 2]) == 0xbf)) {
      out += "\xef\xbf\xbd";  // U+FFFD
      i += 2;
      continue;
    }
    out += valid[i];
  }
  return out;
}

/// Text XML can carry (so that writing it back changes nothing), control characters turned into
/// spaces, runs of whitespace collapsed, trimmed.
std::string clean_text(std::string_view raw) {
  const std::string valid = xml_safe(raw);
  std::string out;
  out.reserve(valid.size());
  bool pending_space = false;
  for (const char c : valid) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_space(c) || byte < 0x20 || byte == 0x7f) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

/// The attribute named `name` in any case: OPML files in the wild write xmlurl and XMLURL too.
pugi::xml_attribute attribute(pugi::xml_node element, std::string_view name) {
  for (pugi::xml_attribute candidate : element.attributes()) {
    if (text::lower_ascii(candidate.name()) == text::lower_ascii(name)) {
      return candidate;
    }
  }
  return {};
}

/// text="" is required by OPML 2.0; title="" is what some 1.0 exporters fill instead.
std::string outline_title(pugi::xml_node outline) {
  std::string title = clean_text(attribute(outline, "text").value());
  return title.empty() ? clean_text(attribute(outline, "title").value()) : title;
}

/// Why `url` cannot be a configured feed URL, or "" when it can. Mirrors what the config accepts
/// for http(s) feeds, so that an imported list passes `newswatch check`.
std::string url_problem(std::string_view url) {
  if (url.empty()) {
    return "is empty";
  }
  if (!text::is_valid_utf8(url) || xml_safe(url) != url) {
    return "has bytes that are not text";
  }
  const std::string scheme = text::lower_ascii(url::scheme_of(url));
  if (scheme.empty()) {
    return "is not an absolute URL";
  }
  if (!url::is_http_scheme(scheme)) {
    return fmt::format("has scheme \"{}\"; only http and https are imported", scheme);
  }
  const auto parsed = url::Url::parse(url);
  if (!parsed) {
    return "is not a valid URL: " + parsed.error().message;
  }
  if (parsed->host_kind() == url::HostKind::none ||
      (parsed->host_kind() == url::HostKind::name && url::host_name(*parsed).empty())) {
    return "has no valid host";
  }
  return "";
}

/// "/News/World,/Tech" -> News, World, Tech (OPML 2.0 "category": comma-separated, slash-delimited).
void append_category_attribute(std::string_view value, std::vector<std::string>& categories) {
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t end = std::min(value.find_first_of(",/", start), value.size());
    std::string part = clean_text(value.substr(start, end - start));
    if (!part.empty() && categories.size() < max_categories &&
        std::find(categories.begin(), categories.end(), part) == categories.end()) {
      categories.push_back(std::move(part));
    }
    start = end + 1;
  }
}

}  // namespace

Expected<OpmlDocument, OpmlError> read_opml(std::string_view bytes) {
  if (bytes.size() > max_opml_bytes) {
    return make_unexpected(OpmlError{fmt::format("document too large (over {} MiB)", max_opml_bytes >> 20), 0});
  }
  if (trim(bytes).empty()) {
    return make_unexpected(OpmlError{"empty document", 0});
  }
  pugi::xml_document xml;
  // parse_default decodes the five predefined and numeric references only: no DTD, no entity
  // expansion, nothing fetched.
  const pugi::xml_parse_result result =
      xml.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_auto);
  const bool offsets_are_bytes = result.encoding == pugi::encoding_utf8;
  const LineIndex lines(offsets_are_bytes ? bytes : std::string_view());
  const auto line_of = [&](std::ptrdiff_t offset) -> std::size_t {
    return offsets_are_bytes ? lines.line_at(offset) : 0;
  };
  if (!result) {
    return make_unexpected(OpmlError{fmt::format("not XML: {}", result.description()), line_of(result.offset)});
  }
  const pugi::xml_node root = xml.document_element();
  if (std::string_view(root.name()) != "opml") {
    return make_unexpected(OpmlError{fmt::format("not OPML: the root element is <{}>, not <opml>", root.name()),
                                     line_of(root.offset_debug())});
  }

  OpmlDocument document;
  document.title = clean_text(root.child("head").child_value("title"));
  const pugi::xml_node body = root.child("body");
  std::unordered_set<std::string> seen_urls;
  std::size_t outlines = 0;

  // Depth-first over the outlines without recursion: nesting depth is the input's to choose.
  // `path` holds one entry per outline being descended into (its title, or "" for a feed).
  std::vector<std::string> path;
  pugi::xml_node node = body ? body.first_child() : pugi::xml_node();
  while (node) {
    const bool is_outline = node.type() == pugi::node_element && std::string_view(node.name()) == "outline";
    bool is_feed = false;
    if (is_outline) {
      ++outlines;
      const pugi::xml_attribute xml_url = attribute(node, "xmlUrl");
      is_feed = static_cast<bool>(xml_url);
      if (is_feed) {
        OpmlFeed feed;
        feed.title = outline_title(node);
        feed.xml_url = std::string(trim(xml_url.value()));
        feed.line = line_of(node.offset_debug());
        const std::string shown = feed.title.empty() ? feed.xml_url : feed.title;
        if (const std::string problem = url_problem(feed.xml_url); !problem.empty()) {
          document.warnings.push_back({feed.line, fmt::format("outline \"{}\": xmlUrl \"{}\" {}; skipped", shown,
                                                              clean_text(feed.xml_url), problem)});
        } else if (!seen_urls.insert(feed.xml_url).second) {
          document.warnings.push_back(
              {feed.line, fmt::format("outline \"{}\": xmlUrl {} is listed already; skipped", shown, feed.xml_url)});
        } else {
          for (const std::string& category : path) {
            if (!category.empty() && feed.categories.size() < max_categories &&
                std::find(feed.categories.begin(), feed.categories.end(), category) == feed.categories.end()) {
              feed.categories.push_back(category);
            }
          }
          append_category_attribute(attribute(node, "category").value(), feed.categories);
          document.feeds.push_back(std::move(feed));
        }
      }
    }
    if (is_outline && node.first_child()) {
      path.push_back(is_feed ? std::string() : outline_title(node));
      node = node.first_child();
      continue;
    }
    while (node && !node.next_sibling()) {
      node = node.parent();
      if (node == body) {
        node = pugi::xml_node();
        break;
      }
      path.pop_back();
    }
    if (node) {
      node = node.next_sibling();
    }
  }

  if (document.feeds.empty()) {
    const std::string why = outlines == 0 ? "no <outline> in <body>"
                                          : fmt::format("none of its {} outline(s) has a usable xmlUrl", outlines);
    return make_unexpected(OpmlError{"no feeds: " + why, 0});
  }
  return document;
}

std::string write_opml(std::string_view title, const std::vector<OpmlOutline>& outlines) {
  pugi::xml_document xml;
  pugi::xml_node declaration = xml.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node opml = xml.append_child("opml");
  opml.append_attribute("version") = "2.0";
  opml.append_child("head").append_child("title").text().set(xml_safe(title).c_str());
  pugi::xml_node body = opml.append_child("body");
  for (const OpmlOutline& outline : outlines) {
    const std::string safe_title = xml_safe(outline.title);
    pugi::xml_node element = body.append_child("outline");
    element.append_attribute("type") = "rss";
    element.append_attribute("text") = safe_title.c_str();
    element.append_attribute("title") = safe_title.c_str();
    element.append_attribute("xmlUrl") = xml_safe(outline.xml_url).c_str();
    if (!outline.categories.empty()) {
      std::string categories;
      for (const std::string& category : outline.categories) {
        // '/' and ',' delimit the attribute's paths, so they cannot appear inside a category.
        std::string part = xml_safe(category);
        std::replace(part.begin(), part.end(), '/', '-');
        std::replace(part.begin(), part.end(), ',', ' ');
        categories += (categories.empty() ? "/" : ",/") + part;
      }
      element.append_attribute("category") = categories.c_str();
    }
  }
  std::ostringstream out;
  // pugixml escapes &, <, > and " in attributes and &, < in text.
  xml.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace newswatch::parse
