#include "newswatch/parse/atom.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <utility>

#include "newswatch/text/html_to_text.hpp"
#include "newswatch/url/resolve.hpp"

namespace newswatch::parse {
namespace {

bool is_atom_space(XmlNamespace space) noexcept {
  return space == XmlNamespace::atom10 || space == XmlNamespace::atom03;
}

/// `text` escaped so that it reads the same as HTML.
std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

/// Which forms of a text construct a field needs.
enum class TextForms : bool { plain, plain_and_html };

/// An Atom text construct as plain text and as HTML (empty unless asked for).
struct AtomText {
  std::string plain;
  std::string html;
};

class AtomReader {
 public:
  AtomReader(pugi::xml_node root, XmlFeedReader& reader) : root_(root), reader_(reader), feed_(reader.feed()) {}

  void read() {
    const std::string base = reader_.with_xml_base(reader_.fetch_url(), root_);
    feed_.language = attribute_text(root_, "xml:lang");
    std::string entry_base = base;
    for (const pugi::xml_node child : root_.children()) {
      if (child.type() != pugi::node_element) {
        continue;
      }
      const QualifiedName qualified = reader_.name(child);
      if (!is_atom_space(qualified.space)) {
        continue;
      }
      const std::string_view local = qualified.local;
      if (local == "title") {
        feed_.title = text_construct(child, TextForms::plain).plain;
      } else if (local == "link") {
        const std::string_view rel = attribute_keyword(child, "rel");
        const std::string href = url::resolve_link(reader_.with_xml_base(base, child), attribute_text(child, "href"));
        if ((rel.empty() || rel == "alternate") && feed_.link.empty()) {
          feed_.link = href;
        } else if (rel == "self" && feed_.self_url.empty()) {
          feed_.self_url = href;
        } else if (rel == "hub" && feed_.hub_url.empty()) {
          feed_.hub_url = href;
        }
      } else if (local == "updated" || local == "modified") {
        feed_.updated = reader_.date(child);
      }
    }
    for (const pugi::xml_node child : root_.children()) {
      const QualifiedName qualified = reader_.name(child);
      if (child.type() == pugi::node_element && qualified.local == "entry" && is_atom_space(qualified.space)) {
        feed_.items.push_back(read_entry(child, base));
      }
    }
  }

 private:
  /// RFC 4287 §3.1 text constructs (type text/html/xhtml) and Atom 0.3 content modes (escaped/xml/base64).
  /// The HTML form is built only for TextForms::plain_and_html: titles need just the text.
  AtomText text_construct(pugi::xml_node element, TextForms forms) {
    const std::string type = attribute_text(element, "type");
    const std::string mode = attribute_text(element, "mode");
    if (mode == "base64") {
      reader_.warn("skipped base64 content in <" + std::string(element.name()) + ">");
      return {};
    }
    const bool keep_html = forms == TextForms::plain_and_html;
    const bool xhtml = type == "xhtml" || type == "application/xhtml+xml" || mode == "xml";
    if (xhtml) {
      std::string html = inner_xml(element);
      std::string plain = text::html_to_text(html);
      return {std::move(plain), keep_html ? std::move(html) : std::string()};
    }
    // Atom 0.3 mode="escaped" content is markup escaped once more, whatever its type says.
    if (type == "html" || type == "text/html" || mode == "escaped") {
      if (!keep_html) {
        return {text::html_to_text(reader_.text(element)), {}};
      }
      std::string html = xml_text(element);
      std::string plain = text::html_to_text(html);
      return {std::move(plain), std::move(html)};
    }
    std::string plain = text::collapse_whitespace(reader_.text(element));
    std::string html = keep_html ? escape_html(plain) : std::string();
    return {std::move(plain), std::move(html)};
  }

  Item read_entry(pugi::xml_node entry, const std::string& feed_base) {
    Item item;
    const std::string base = reader_.with_xml_base(feed_base, entry);
    for (const pugi::xml_node child : entry.children()) {
      if (child.type() != pugi::node_element) {
        continue;
      }
      const QualifiedName qualified = reader_.name(child);
      const std::string_view local = qualified.local;
      if (is_atom_space(qualified.space)) {
        if (local == "id") {
          item.id = text::collapse_whitespace(reader_.text(child));
        } else if (local == "title") {
          item.title = text_construct(child, TextForms::plain).plain;
        } else if (local == "link") {
          read_link(child, base, item);
        } else if (local == "published" || local == "issued") {
          item.published = reader_.date(child);
        } else if (local == "updated" || local == "modified") {
          item.updated = reader_.date(child);
        } else if (local == "author") {
          read_person(child, item);
        } else if (local == "category") {
          std::string term = attribute_text(child, "term");
          append_unique(item.categories, term.empty() ? attribute_text(child, "label") : std::move(term));
        } else if (local == "summary") {
          AtomText summary = text_construct(child, TextForms::plain_and_html);
          item.summary = std::move(summary.plain);
          item.summary_html = std::move(summary.html);
        } else if (local == "content") {
          if (child.attribute("src")) {
            continue;  // RFC 4287 §4.1.3.2: out-of-line content has no text here
          }
          AtomText content = text_construct(child, TextForms::plain_and_html);
          item.content = std::move(content.plain);
          item.content_html = std::move(content.html);
        }
      } else if (qualified.space == XmlNamespace::dublin_core) {
        if (local == "creator") {
          append_unique(item.authors, text::collapse_text(reader_.text(child)));
        } else if (local == "subject") {
          append_unique(item.categories, text::collapse_text(reader_.text(child)));
        } else if (local == "date" && !item.published) {
          item.published = reader_.date(child);
        }
      } else {
        reader_.read_media(child, qualified, base, item);
      }
    }
    return item;
  }

  void read_link(pugi::xml_node link, const std::string& base, Item& item) {
    const std::string_view rel = attribute_keyword(link, "rel");
    std::string href = url::resolve_link(reader_.with_xml_base(base, link), attribute_text(link, "href"));
    if (href.empty()) {
      return;
    }
    if (rel.empty() || rel == "alternate") {
      if (item.link.empty()) {
        item.link = std::move(href);
      }
    } else if (rel == "enclosure") {
      Enclosure enclosure{std::move(href), attribute_text(link, "type"), std::nullopt};
      const std::string length = attribute_text(link, "length");
      std::uint64_t value = 0;
      const auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), value);
      if (error == std::errc{} && end == length.data() + length.size() && !length.empty()) {
        enclosure.length = value;
      }
      item.enclosures.push_back(std::move(enclosure));
    } else if (rel == "replies" && item.comments.empty()) {
      item.comments = std::move(href);
    }
  }

  void read_person(pugi::xml_node person, Item& item) {
    std::string name;
    std::string email;
    for (const pugi::xml_node child : person.children()) {
      const std::string_view local = reader_.name(child).local;
      if (local == "name") {
        name = text::collapse_whitespace(reader_.text(child));
      } else if (local == "email") {
        email = text::collapse_whitespace(reader_.text(child));
      }
    }
    append_unique(item.authors, name.empty() ? std::move(email) : std::move(name));
  }

  pugi::xml_node root_;
  XmlFeedReader& reader_;
  ParsedFeed& feed_;
};

}  // namespace

void read_atom(pugi::xml_node root, XmlFeedReader& reader) {
  AtomReader(root, reader).read();
}

}  // namespace newswatch::parse
