#include "newswatch/parse/parse_feed.hpp"

#include <algorithm>
#include <cstring>
#include <pugixml.hpp>

#include "newswatch/parse/atom.hpp"
#include "newswatch/parse/json_feed.hpp"
#include "newswatch/parse/rss.hpp"
#include "newswatch/parse/xml_reader.hpp"
#include "newswatch/text/charset.hpp"
#include "newswatch/text/html_to_text.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::parse {
namespace {

/// The largest document parse_feed accepts.
constexpr std::size_t max_document_size = std::size_t{64} * 1024 * 1024;

/// pugixml flags: no entity decoding (parse_escapes off) so that HTML entities such as &nbsp; that
/// XML does not define survive for our own decoder, CDATA kept, text stored in the element itself.
constexpr unsigned int xml_parse_flags = pugi::parse_cdata | pugi::parse_embed_pcdata;

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t skip_space(std::string_view text, std::size_t pos) noexcept {
  while (pos < text.size() && is_space(text[pos])) {
    ++pos;
  }
  return pos;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    if (static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != prefix[i]) {
      return false;
    }
  }
  return true;
}

std::size_t find_ignoring_case(std::string_view text, std::string_view needle) noexcept {
  for (std::size_t pos = 0; pos + needle.size() <= text.size(); ++pos) {
    if (starts_with_ignoring_case(text.substr(pos), needle)) {
      return pos;
    }
  }
  return std::string_view::npos;
}

/// "not a feed: got an HTML page (title: ...)" when `text` (from its first '<') looks like HTML.
std::optional<std::string> html_page_error(std::string_view text) {
  std::size_t pos = 0;
  // Skip an XML declaration and comments, which XHTML pages may carry.
  while (true) {
    pos = skip_space(text, pos);
    if (text.substr(pos).starts_with("<?")) {
      pos = text.find("?>", pos);
    } else if (text.substr(pos).starts_with("<!--")) {
      pos = text.find("-->", pos);
    } else {
      break;
    }
    if (pos == std::string_view::npos) {
      return std::nullopt;
    }
    pos += 2;
  }
  const std::string_view rest = text.substr(pos);
  if (!starts_with_ignoring_case(rest, "<!doctype html") && !starts_with_ignoring_case(rest, "<html")) {
    return std::nullopt;
  }
  const std::string_view head = rest.substr(0, std::size_t{64} * 1024);
  std::string title;
  if (const std::size_t open = find_ignoring_case(head, "<title"); open != std::string_view::npos) {
    const std::size_t start = head.find('>', open);
    const std::size_t end = start == std::string_view::npos ? start : find_ignoring_case(head.substr(start), "</title");
    if (end != std::string_view::npos) {
      title = text::html_to_text(head.substr(start + 1, end - 1));
    }
  }
  return "not a feed: got an HTML page (title: " + (title.empty() ? std::string("none") : title.substr(0, 200)) + ")";
}

/// `body` as a string with room for one more byte: the terminator parse_xml_feed() appends, which
/// would otherwise copy a whole body again.
std::string copy_with_room(std::string_view body) {
  std::string copy;
  copy.reserve(body.size() + 1);
  copy.append(body);
  return copy;
}

/// The document as UTF-8 following RFC 7303's charset order; recoveries are recorded as warnings.
std::string decode_xml_bytes(std::string_view bytes, const ParseHints& hints, std::vector<std::string>& warnings) {
  const text::CharsetDecision decision = text::detect_xml_charset(bytes, hints.content_type);
  const std::string_view body = bytes.substr(decision.bom_length);
  const std::string& charset = decision.charset;
  if (charset == "UTF-8") {
    if (text::is_valid_utf8(body)) {
      return copy_with_room(body);
    }
    if (decision.source == text::CharsetSource::none) {
      // Undeclared and not UTF-8: what browsers assume for legacy Western pages.
      warnings.emplace_back("no charset declared and not valid UTF-8; read as windows-1252");
      if (auto decoded = text::decode_to_utf8(body, "WINDOWS-1252")) {
        return std::move(*decoded);
      }
    }
    warnings.emplace_back("invalid UTF-8 replaced with U+FFFD");
    return text::to_valid_utf8(body);
  }
  if (text::is_single_byte_charset(charset) && text::is_multibyte_utf8(body)) {
    warnings.push_back("declared charset " + charset + " but the document is UTF-8; read as UTF-8");
    return copy_with_room(body);
  }
  auto decoded = text::decode_to_utf8(body, charset);
  if (!decoded) {
    warnings.push_back(decoded.error() + "; read as UTF-8");
    return text::to_valid_utf8(body);
  }
  return std::move(*decoded);
}

/// Where the root element's local name and namespace put the document, or nullopt.
std::optional<FeedFormat> detect_xml_format(pugi::xml_node root) {
  const std::string_view name = root.name();
  const std::size_t colon = name.find(':');
  const std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
  if (local == "rss") {
    const std::string_view version = root.attribute("version").value();
    if (version.starts_with("0.9")) {
      return FeedFormat::rss09x;
    }
    return FeedFormat::rss20;  // "2.0", "2.00", and feeds that omit the version
  }
  if (local == "RDF" || local == "rdf") {
    const NamespaceMap namespaces(root, XmlNamespace::none);
    for (const pugi::xml_node child : root.children()) {
      if (child.type() == pugi::node_element) {
        const QualifiedName qualified = namespaces.resolve(child);
        if (qualified.local == "channel") {
          return qualified.space == XmlNamespace::rss090 ? FeedFormat::rss09x : FeedFormat::rss10;
        }
      }
    }
    return FeedFormat::rss10;
  }
  if (local == "feed") {
    const NamespaceMap namespaces(root, XmlNamespace::atom10);
    const XmlNamespace space = namespaces.resolve(root).space;
    if (space == XmlNamespace::atom03 || std::strcmp(root.attribute("version").value(), "0.3") == 0) {
      return FeedFormat::atom03;
    }
    return FeedFormat::atom10;
  }
  return std::nullopt;
}

/// Items whose end tag lies before `cut` in the unparsed `text` are complete; drops the last one if not.
void drop_unfinished_item(std::string_view text, std::size_t cut, ParsedFeed& feed, pugi::xml_node last_item) {
  if (!last_item || feed.items.empty()) {
    return;
  }
  const std::ptrdiff_t start = last_item.offset_debug();
  if (start < 0 || static_cast<std::size_t>(start) >= cut) {
    return;
  }
  const std::string closing = std::string("</") + last_item.name();
  const std::string_view read = text.substr(0, std::min(cut, text.size()));
  if (read.find(closing, static_cast<std::size_t>(start)) == std::string_view::npos) {
    feed.items.pop_back();
  }
}

/// The last item-like element (item/entry) directly under `parent` or its channel.
pugi::xml_node last_item_element(pugi::xml_node root) {
  pugi::xml_node last;
  for (const pugi::xml_node parent : {root, root.child("channel")}) {
    for (const pugi::xml_node child : parent.children()) {
      const std::string_view name = child.name();
      if (name == "item" || name == "entry" || name.ends_with(":item") || name.ends_with(":entry")) {
        if (!last || child.offset_debug() > last.offset_debug()) {
          last = child;
        }
      }
    }
  }
  return last;
}

Expected<ParsedFeed, ParseError> parse_xml_feed(std::string_view bytes, const ParseHints& hints) {
  std::vector<std::string> warnings;
  std::string document = decode_xml_bytes(bytes, hints, warnings);
  const std::size_t first_tag = document.find('<');
  if (first_tag == std::string::npos) {
    return make_unexpected(ParseError{"not a feed: no XML or JSON content"});
  }
  if (skip_space(document, 0) != first_tag) {
    warnings.emplace_back("skipped " + std::to_string(first_tag) + " bytes before the first tag");
  }
  const std::string_view markup = std::string_view(document).substr(first_tag);
  if (auto html_error = html_page_error(markup)) {
    return make_unexpected(ParseError{std::move(*html_error)});
  }
  // pugixml parses in place, overwriting `document`; a broken document is decoded again below.
  // It also overwrites the buffer's last byte with its terminator: a value the document breaks
  // off in would lose that byte, and with it half of a character. A terminator of our own is
  // what it overwrites instead.
  const std::size_t markup_bytes = document.size() - first_tag;
  document.push_back('\0');
  pugi::xml_document xml;
  const pugi::xml_parse_result result =
      xml.load_buffer_inplace(document.data() + first_tag, markup_bytes + 1, xml_parse_flags, pugi::encoding_utf8);
  const pugi::xml_node root = xml.document_element();
  if (!root) {
    return make_unexpected(ParseError{std::string("not XML: ") + result.description() + " at byte " +
                                      std::to_string(result.offset + first_tag)});
  }
  const std::optional<FeedFormat> format = detect_xml_format(root);
  if (!format) {
    std::string name = text::to_valid_utf8(root.name());
    if (starts_with_ignoring_case(name, "html")) {
      return make_unexpected(ParseError{"not a feed: got an HTML page (title: none)"});
    }
    return make_unexpected(ParseError{"not a feed: root element <" + name.substr(0, 100) + ">"});
  }
  ParsedFeed feed;
  feed.format = *format;
  feed.warnings = std::move(warnings);
  const bool atom = *format == FeedFormat::atom03 || *format == FeedFormat::atom10;
  XmlFeedReader reader(root, atom ? XmlNamespace::atom10 : XmlNamespace::none, hints, feed);
  if (atom) {
    read_atom(root, reader);
  } else {
    read_rss(root, reader);
  }
  if (!result) {
    std::vector<std::string> ignored;
    const std::string pristine = decode_xml_bytes(bytes, hints, ignored);
    drop_unfinished_item(std::string_view(pristine).substr(first_tag), static_cast<std::size_t>(result.offset), feed,
                         last_item_element(root));
    feed.warnings.push_back(std::string("XML error: ") + result.description() + " at byte " +
                            std::to_string(result.offset + first_tag) + "; kept the " +
                            std::to_string(feed.items.size()) + " items read before it");
  }
  return feed;
}

}  // namespace

std::string_view format_name(FeedFormat format) {
  switch (format) {
    case FeedFormat::rss09x: return "rss0.9x";
    case FeedFormat::rss10: return "rss1.0";
    case FeedFormat::rss20: return "rss2.0";
    case FeedFormat::atom03: return "atom0.3";
    case FeedFormat::atom10: return "atom1.0";
    case FeedFormat::jsonfeed10: return "jsonfeed1.0";
    case FeedFormat::jsonfeed11: return "jsonfeed1.1";
  }
  return "unknown";
}

Expected<ParsedFeed, ParseError> parse_feed(std::string_view bytes, const ParseHints& hints) {
  if (bytes.size() > max_document_size) {
    return make_unexpected(ParseError{"document too large: " + std::to_string(bytes.size()) + " bytes (limit 64 MiB)"});
  }
  std::size_t start = bytes.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  start = skip_space(bytes, start);
  if (start == bytes.size()) {
    return make_unexpected(ParseError{"empty document"});
  }
  // JSON Feed is UTF-8 (RFC 8259 §8.1); anything starting with '{' is read as JSON.
  if (bytes[start] == '{' || bytes[start] == '[') {
    return parse_json_feed(text::to_valid_utf8(bytes.substr(start)), hints);
  }
  return parse_xml_feed(bytes, hints);
}

}  // namespace newswatch::parse
