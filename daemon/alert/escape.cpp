#include "newswatch/alert/escape.hpp"

#include <nlohmann/json.hpp>

#include "newswatch/text/ascii.hpp"

namespace newswatch::alert {
namespace {

/// U+200B ZERO WIDTH SPACE: invisible, and no mention syntax survives it.
constexpr std::string_view zero_width_space = "\xE2\x80\x8B";

/// Longest link a message carries; browsers and every platform here handle 2,048.
constexpr std::size_t max_link_bytes = 2048;

bool breaks_mentions(Markup markup) noexcept {
  return markup == Markup::slack || markup == Markup::markdown || markup == Markup::telegram_html ||
         markup == Markup::html;
}

/// ASCII punctuation that CommonMark (§2.4) and Discord let a backslash escape, limited to what can
/// start formatting, a link, a list, a heading, a quote, a spoiler, a table or an entity.
bool is_markdown_special(char c) noexcept {
  switch (c) {
    case '\\':
    case '`':
    case '*':
    case '_':
    case '~':
    case '|':
    case '<':
    case '>':
    case '[':
    case ']':
    case '(':
    case ')':
    case '#':
    case '+':
    case '-':
    case '.':
    case '!':
    case '&':
    case '{':
    case '}':
    case '=': return true;
    default: return false;
  }
}

void append_html_escaped(std::string& out, char c) {
  switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    default: out.push_back(c);
  }
}

}  // namespace

std::string escape_text(Markup markup, std::string_view text) {
  if (markup == Markup::json) {
    // dump() of a JSON string, without its quotes.
    const std::string quoted =
        nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return quoted.substr(1, quoted.size() - 2);
  }
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (markup) {
      case Markup::plain:
      case Markup::json: out.push_back(c); break;
      case Markup::slack:
        // Slack: "you must escape &, < and >" (docs.slack.dev, Formatting text for app surfaces).
        // mrkdwn has no escape for * _ ~ `; a formatting character only opens or closes a span next
        // to white space or punctuation, so invisible spaces on both sides keep it literal.
        if (c == '&') {
          out += "&amp;";
        } else if (c == '<') {
          out += "&lt;";
        } else if (c == '>') {
          out += "&gt;";
        } else if (c == '*' || c == '_' || c == '~' || c == '`') {
          out += zero_width_space;
          out.push_back(c);
          out += zero_width_space;
        } else {
          out.push_back(c);
        }
        break;
      case Markup::markdown:
        if (is_markdown_special(c)) {
          out.push_back('\\');
        }
        out.push_back(c);
        break;
      case Markup::telegram_html:
      case Markup::html:
        // Telegram's HTML style names &lt; &gt; &amp; &quot; as the entities it understands.
        append_html_escaped(out, c);
        break;
    }
    if (c == '@' && breaks_mentions(markup)) {
      out += zero_width_space;
    }
  }
  return out;
}

std::string safe_link(std::string_view url) {
  const auto begin = url.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) {
    return {};
  }
  url = url.substr(begin, url.find_last_not_of(" \t\r\n") - begin + 1);
  const auto lowered = text::lower_ascii(url.substr(0, 8));
  if (!lowered.starts_with("http://") && !lowered.starts_with("https://")) {
    return {};
  }
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    const bool encode =
        byte <= 0x20 || byte >= 0x7F || std::string_view("\"'<>\\^`{|}()[]").find(c) != std::string_view::npos;
    if (encode) {
      out.push_back('%');
      out.push_back(hex[byte >> 4U]);
      out.push_back(hex[byte & 0x0FU]);
    } else {
      out.push_back(c);
    }
  }
  if (out.size() > max_link_bytes) {
    return {};
  }
  return out;
}

std::string escape_link(Markup markup, std::string_view link) {
  if (markup != Markup::slack && markup != Markup::html && markup != Markup::telegram_html) {
    return std::string(link);
  }
  std::string out;
  out.reserve(link.size());
  for (const char c : link) {
    if (c == '&') {
      out += "&amp;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string break_mentions(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    out.push_back(c);
    if (c == '@') {
      out += zero_width_space;
    }
  }
  return out;
}

}  // namespace newswatch::alert
