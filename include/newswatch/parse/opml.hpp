// OPML feed lists (OPML 2.0, http://opml.org/spec2.opml, and the 1.0 files readers still export):
// reading the subscriptions out of one, and writing the configured feeds as one. Pure: bytes in,
// values out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"

namespace newswatch::parse {

/// One subscription: an <outline> with an xmlUrl.
struct OpmlFeed {
  std::string title;    ///< The outline's text, else its title; whitespace collapsed, valid UTF-8.
  std::string xml_url;  ///< The feed URL, absolute http(s), trimmed.
  /// The category path: titles of the enclosing outlines, outermost first, then the components of
  /// the outline's own category attribute ("/News/World,/Tech" gives News, World, Tech).
  std::vector<std::string> categories;
  std::size_t line = 0;  ///< 1-based line of the outline element; 0 when unknown.
};

/// Something skipped while reading, and where.
struct OpmlWarning {
  std::size_t line = 0;  ///< 1-based; 0 when unknown.
  std::string message;
};

/// The subscriptions of an OPML document, in document order.
struct OpmlDocument {
  std::string title;  ///< head/title; "" when absent.
  std::vector<OpmlFeed> feeds;
  std::vector<OpmlWarning> warnings;  ///< Outlines skipped: relative, invalid or repeated URLs.
};

/// Why some bytes are not an OPML feed list.
struct OpmlError {
  std::string message;
  std::size_t line = 0;  ///< 1-based line of the problem; 0 when it has none.
};

/// Reads an OPML document (UTF-8, UTF-16 or a declared encoding pugixml knows; at most 16 MiB).
/// Outlines without an xmlUrl are categories; one whose xmlUrl is not an absolute http(s) URL, or
/// repeats an earlier one, is skipped with a warning. A document with no feed at all is an error.
/// Untrusted input: no entity expansion, no recursion on nesting depth.
Expected<OpmlDocument, OpmlError> read_opml(std::string_view bytes);

/// A feed to write into an OPML document.
struct OpmlOutline {
  std::string title;
  std::string xml_url;
  std::vector<std::string> categories;  ///< Written as the category attribute, "/a,/b".
};

/// An OPML 2.0 document listing `outlines` (type="rss"), with `title` in its head. Text that XML
/// cannot carry (control characters, invalid UTF-8) is dropped or replaced, the rest escaped.
std::string write_opml(std::string_view title, const std::vector<OpmlOutline>& outlines);

}  // namespace newswatch::parse
