#pragma once

#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/model/item.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::parse {

/// The XML namespaces whose elements carry feed data; everything else is `other`.
enum class XmlNamespace : std::uint8_t {
  none,         ///< No namespace (RSS 0.9x/2.0 elements).
  atom10,       ///< http://www.w3.org/2005/Atom (RFC 4287).
  atom03,       ///< http://purl.org/atom/ns#
  rss10,        ///< http://purl.org/rss/1.0/
  rss090,       ///< http://my.netscape.com/rdf/simple/0.9/
  rdf,          ///< http://www.w3.org/1999/02/22-rdf-syntax-ns#
  dublin_core,  ///< http://purl.org/dc/elements/1.1/
  content,      ///< http://purl.org/rss/1.0/modules/content/
  media,        ///< http://search.yahoo.com/mrss/
  syndication,  ///< http://purl.org/rss/1.0/modules/syndication/
  itunes,       ///< http://www.itunes.com/dtds/podcast-1.0.dtd
  other,
};

/// The namespace a URI names (trailing '/' and '#' variations tolerated).
XmlNamespace namespace_from_uri(std::string_view uri) noexcept;

/// An element name split into namespace and local part.
struct QualifiedName {
  XmlNamespace space = XmlNamespace::none;
  std::string_view local;
};

/// Resolves element prefixes. pugixml is not namespace-aware, so declarations are read from the
/// root element (where feeds put them) and from the element itself; undeclared prefixes fall back to
/// their conventional meaning (dc, content, media, sy, atom, itunes, rdf).
class NamespaceMap {
 public:
  /// Reads the root's declarations; `default_space` is what unprefixed names mean without xmlns.
  NamespaceMap(pugi::xml_node root, XmlNamespace default_space);

  /// The namespace and local name of `element`.
  [[nodiscard]] QualifiedName resolve(pugi::xml_node element) const;

 private:
  std::vector<std::pair<std::string_view, XmlNamespace>> prefixes_;
  XmlNamespace default_space_;
};

/// The character data of `element` with references decoded (all HTML5 names, for feeds that use
/// &nbsp; without a DTD), CDATA kept verbatim, and child elements kept as markup (unescaped HTML).
std::string xml_text(pugi::xml_node element);

/// Appends the character data of `element` to `out` (see xml_text).
void append_xml_text(std::string& out, pugi::xml_node element);

/// `element`'s children serialized as XML, as they were (Atom type="xhtml").
std::string inner_xml(pugi::xml_node element);

/// The decoded value of attribute `name`, or empty.
std::string attribute_text(pugi::xml_node element, const char* name);

/// The raw value of attribute `name` without surrounding whitespace, for keywords such as rel="self".
std::string_view attribute_keyword(pugi::xml_node element, const char* name);

/// State shared while reading one XML feed: the output, hints, namespaces and base URLs.
class XmlFeedReader {
 public:
  XmlFeedReader(pugi::xml_node root, XmlNamespace default_space, const ParseHints& hints, ParsedFeed& feed);

  /// Namespace and local name of `element`.
  [[nodiscard]] QualifiedName name(pugi::xml_node element) const { return namespaces_.resolve(element); }
  /// The feed being filled.
  ParsedFeed& feed() noexcept { return feed_; }
  /// The fetch URL from the hints.
  [[nodiscard]] const std::string& fetch_url() const noexcept { return hints_.url; }

  /// Records a recoverable problem.
  void warn(std::string message) { feed_.warnings.push_back(std::move(message)); }
  /// The character data of `element` as xml_text has it, without copying when nothing needs
  /// decoding; valid until the next call.
  std::string_view text(pugi::xml_node element);
  /// The date in `element`'s text; a warning and nullopt when it cannot be read.
  std::optional<TimePoint> date(pugi::xml_node element);
  /// `base` combined with `element`'s xml:base attribute, if any (XML Base §4.2).
  [[nodiscard]] std::string with_xml_base(const std::string& base, pugi::xml_node element) const;
  /// Plain text of `element` read as HTML (entities, tags, whitespace), the way readers show RSS text.
  std::string html_text(pugi::xml_node element);
  /// Adds the media RSS and enclosure-like children of an item; true when `element` was one.
  bool read_media(pugi::xml_node element, QualifiedName qualified, const std::string& base, Item& item);

 private:
  NamespaceMap namespaces_;
  const ParseHints& hints_;
  ParsedFeed& feed_;
  std::string scratch_;  ///< Reused by text() so that short fields cost no allocation.
};

/// Appends `value` to `list` unless empty or already present.
void append_unique(std::vector<std::string>& list, std::string value);

}  // namespace newswatch::parse
