#include "newswatch/parse/xml_reader.hpp"

#include <algorithm>
#include <array>

#include "newswatch/parse/date.hpp"
#include "newswatch/text/entities.hpp"
#include "newswatch/text/html_to_text.hpp"
#include "newswatch/url/resolve.hpp"

namespace newswatch::parse {
namespace {

struct KnownNamespace {
  std::string_view uri;  ///< Without scheme and trailing '/' or '#'.
  XmlNamespace space;
};
constexpr std::array<KnownNamespace, 10> known_namespaces{{
    {"www.w3.org/2005/Atom", XmlNamespace::atom10},
    {"purl.org/atom/ns", XmlNamespace::atom03},
    {"purl.org/rss/1.0", XmlNamespace::rss10},
    {"my.netscape.com/rdf/simple/0.9", XmlNamespace::rss090},
    {"www.w3.org/1999/02/22-rdf-syntax-ns", XmlNamespace::rdf},
    {"purl.org/dc/elements/1.1", XmlNamespace::dublin_core},
    {"purl.org/rss/1.0/modules/content", XmlNamespace::content},
    {"search.yahoo.com/mrss", XmlNamespace::media},
    {"purl.org/rss/1.0/modules/syndication", XmlNamespace::syndication},
    {"www.itunes.com/dtds/podcast-1.0.dtd", XmlNamespace::itunes},
}};

/// Prefixes feeds use without declaring them.
constexpr std::array<std::pair<std::string_view, XmlNamespace>, 8> conventional_prefixes{{
    {"dc", XmlNamespace::dublin_core},
    {"content", XmlNamespace::content},
    {"media", XmlNamespace::media},
    {"sy", XmlNamespace::syndication},
    {"atom", XmlNamespace::atom10},
    {"itunes", XmlNamespace::itunes},
    {"rdf", XmlNamespace::rdf},
    {"dcterms", XmlNamespace::dublin_core},
}};

/// Appends everything pugixml serializes to a string.
class StringWriter : public pugi::xml_writer {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  void write(const void* data, size_t size) override { out_.append(static_cast<const char*>(data), size); }

 private:
  std::string& out_;
};

void append_node_text(std::string& out, pugi::xml_node node) {
  switch (node.type()) {
    case pugi::node_pcdata: text::append_decoded_entities(out, node.value()); break;
    case pugi::node_cdata: out.append(node.value()); break;
    case pugi::node_element: {
      StringWriter writer(out);
      node.print(writer, "", pugi::format_raw | pugi::format_no_escapes, pugi::encoding_utf8);
      break;
    }
    default: break;
  }
}

}  // namespace

XmlNamespace namespace_from_uri(std::string_view uri) noexcept {
  while (!uri.empty() && (uri.front() == ' ' || uri.front() == '\t' || uri.front() == '\n' || uri.front() == '\r')) {
    uri.remove_prefix(1);
  }
  while (!uri.empty() && (uri.back() == ' ' || uri.back() == '\t' || uri.back() == '\n' || uri.back() == '\r' ||
                          uri.back() == '/' || uri.back() == '#')) {
    uri.remove_suffix(1);
  }
  if (uri.starts_with("http://")) {
    uri.remove_prefix(7);
  } else if (uri.starts_with("https://")) {
    uri.remove_prefix(8);
  }
  for (const KnownNamespace& known : known_namespaces) {
    if (known.uri == uri) {
      return known.space;
    }
  }
  return XmlNamespace::other;
}

NamespaceMap::NamespaceMap(pugi::xml_node root, XmlNamespace default_space) : default_space_(default_space) {
  for (const pugi::xml_attribute attribute : root.attributes()) {
    const std::string_view name = attribute.name();
    if (name == "xmlns") {
      // The root's own vocabulary: an unknown default namespace on <rss> (userland.com/rss2 and the
      // like) still means the format's elements.
      if (const XmlNamespace declared = namespace_from_uri(attribute.value()); declared != XmlNamespace::other) {
        default_space_ = declared;
      }
    } else if (name.starts_with("xmlns:")) {
      prefixes_.emplace_back(name.substr(6), namespace_from_uri(attribute.value()));
    }
  }
  for (const auto& conventional : conventional_prefixes) {
    prefixes_.push_back(conventional);
  }
}

QualifiedName NamespaceMap::resolve(pugi::xml_node element) const {
  const std::string_view name = element.name();
  const std::size_t colon = name.find(':');
  if (colon == std::string_view::npos) {
    // A default namespace declared on the element itself (atom:link written as <link xmlns="...Atom">).
    if (const pugi::xml_attribute declared = element.attribute("xmlns")) {
      return {namespace_from_uri(declared.value()), name};
    }
    return {default_space_, name};
  }
  const std::string_view prefix = name.substr(0, colon);
  const std::string_view local = name.substr(colon + 1);
  for (const auto& [known_prefix, space] : prefixes_) {
    if (known_prefix == prefix) {
      return {space, local};
    }
  }
  return {XmlNamespace::other, local};
}

void append_xml_text(std::string& out, pugi::xml_node element) {
  const std::string_view value = element.value();  // pugi::parse_embed_pcdata puts the first text here
  // Decoding references only shortens text in practice: one allocation instead of regrowing per reference.
  out.reserve(out.size() + value.size());
  text::append_decoded_entities(out, value);
  for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
    append_node_text(out, child);
  }
}

std::string xml_text(pugi::xml_node element) {
  std::string out;
  append_xml_text(out, element);
  return out;
}

std::string inner_xml(pugi::xml_node element) {
  std::string out(element.value());
  StringWriter writer(out);
  for (const pugi::xml_node child : element.children()) {
    child.print(writer, "", pugi::format_raw | pugi::format_no_escapes, pugi::encoding_utf8);
  }
  return out;
}

std::string attribute_text(pugi::xml_node element, const char* name) {
  const pugi::xml_attribute attribute = element.attribute(name);
  if (!attribute) {
    return {};
  }
  const std::string_view value = attribute.value();
  // Most values (URLs, MIME types, rel names) have no references and no whitespace to collapse.
  const bool clean = std::none_of(value.begin(), value.end(),
                                  [](char c) { return c == '&' || static_cast<unsigned char>(c) <= 0x20; });
  return clean ? std::string(value) : text::collapse_text(value);
}

std::string_view attribute_keyword(pugi::xml_node element, const char* name) {
  std::string_view value = element.attribute(name).value();
  while (!value.empty() && static_cast<unsigned char>(value.front()) <= 0x20) {
    value.remove_prefix(1);
  }
  while (!value.empty() && static_cast<unsigned char>(value.back()) <= 0x20) {
    value.remove_suffix(1);
  }
  return value;
}

XmlFeedReader::XmlFeedReader(pugi::xml_node root, XmlNamespace default_space, const ParseHints& hints, ParsedFeed& feed)
    : namespaces_(root, default_space), hints_(hints), feed_(feed) {}

std::string_view XmlFeedReader::text(pugi::xml_node element) {
  if (!element.first_child()) {
    const std::string_view value = element.value();
    if (value.find('&') == std::string_view::npos) {
      return value;
    }
  }
  scratch_.clear();
  append_xml_text(scratch_, element);
  return scratch_;
}

std::optional<TimePoint> XmlFeedReader::date(pugi::xml_node element) {
  const std::string_view value = text(element);
  if (value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<TimePoint> parsed = parse_date(value);
  if (!parsed) {
    warn("unparseable date \"" + text::collapse_text(value).substr(0, 80) + "\" in <" + element.name() + ">");
  }
  return parsed;
}

std::string XmlFeedReader::with_xml_base(const std::string& base, pugi::xml_node element) const {
  const pugi::xml_attribute attribute = element.attribute("xml:base");
  if (!attribute) {
    return base;
  }
  return url::resolve_link(base, text::collapse_text(attribute.value()));
}

std::string XmlFeedReader::html_text(pugi::xml_node element) {
  return text::html_to_text(text(element));
}

bool XmlFeedReader::read_media(pugi::xml_node element, QualifiedName qualified, const std::string& base, Item& item) {
  if (qualified.space != XmlNamespace::media) {
    return false;
  }
  if (qualified.local == "group") {
    for (const pugi::xml_node child : element.children()) {
      read_media(child, name(child), base, item);
    }
    return true;
  }
  if (qualified.local != "content" && qualified.local != "thumbnail") {
    return qualified.local == "category" || qualified.local == "title" || qualified.local == "description";
  }
  std::string address = attribute_text(element, "url");
  if (address.empty()) {
    return true;
  }
  address = url::resolve_link(base, std::move(address));
  const bool known = std::any_of(item.enclosures.begin(), item.enclosures.end(),
                                 [&address](const Enclosure& enclosure) { return enclosure.url == address; });
  if (known) {
    return true;
  }
  Enclosure enclosure{std::move(address), attribute_text(element, "type"), std::nullopt};
  const std::string size = attribute_text(element, "fileSize");
  if (!size.empty() && std::all_of(size.begin(), size.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      size.size() < 20) {
    enclosure.length = std::stoull(size);
  }
  item.enclosures.push_back(std::move(enclosure));
  return true;
}

void append_unique(std::vector<std::string>& list, std::string value) {
  if (value.empty() || std::find(list.begin(), list.end(), value) != list.end()) {
    return;
  }
  list.push_back(std::move(value));
}

}  // namespace newswatch::parse
