#include "parsed_uri.hpp"

#include <string>

#include "characters.hpp"

namespace newswatch::url::detail {
namespace {

/// Unreserved (RFC 3986 §2.3), so allowed in every component that may hold text, and neither a
/// scheme character nor a digit, so never mistaken for part of a scheme or a port.
constexpr char stand_in = '~';

/// Where the authority of `text` ends (RFC 3986 Appendix B: "//" and up to the next '/', '?' or
/// '#'); 0 when it has none.
std::size_t authority_end(std::string_view text) noexcept {
  const std::string_view scheme = scheme_of(text);
  const std::size_t start = scheme.empty() ? 0 : scheme.size() + 1;
  if (text.substr(start, 2) != "//") {
    return 0;
  }
  return std::min(text.find_first_of("/?#", start + 2), text.size());
}

/// `text` with every byte that `syntax` accepts but liburiparser would not replaced by stand_in;
/// empty when there is none.
std::string with_stand_ins(std::string_view text, Syntax syntax) {
  std::string copy;
  const auto replace = [&](std::size_t position) {
    if (copy.empty()) {
      copy.assign(text);
    }
    copy[position] = stand_in;
  };
  if (syntax == Syntax::strict) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!is_ascii(text[i])) {
        replace(i);
      }
    }
    return copy;
  }
  // The scheme and authority get no more leeway than in strict syntax: a space in a host name is no
  // host that anything could reach.
  const std::size_t authority = authority_end(text);
  bool in_fragment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_literal(c)) {
      continue;
    }
    // Past the authority, '[' and ']' are stand-ins too: only an IP literal may hold them (RFC 3986
    // §3.2.2).
    bool allowed = false;
    if (i < authority) {
      allowed = is_ascii(c);
    } else if (c == '%') {
      allowed = i + 2 < text.size() && is_hex_digit(text[i + 1]) && is_hex_digit(text[i + 2]);
    } else if (c == '#') {
      allowed = !in_fragment;
      in_fragment = true;
    }
    if (!allowed) {
      replace(i);
    }
  }
  return copy;
}

/// "'x'" for a printable byte, "byte 0x0A" for another.
std::string describe(char c) {
  if (c >= ' ' && c < '\x7f') {
    return std::string("'") + c + "'";
  }
  static constexpr char hex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(c);
  return std::string("byte 0x") + hex[byte >> 4U] + hex[byte & 0xFU];
}

UrlError syntax_error(std::string_view text, std::size_t position) {
  // liburiparser stops after a '%' that two hex digits do not follow: name the '%'.
  for (std::size_t back = 1; back <= 2 && back <= position; ++back) {
    if (text[position - back] == '%') {
      return UrlError{"'%' at byte " + std::to_string(position - back + 1) + " starts no percent-encoding",
                      position - back};
    }
  }
  if (position >= text.size()) {
    return UrlError{"ends where more was expected", text.size()};
  }
  return UrlError{describe(text[position]) + " at byte " + std::to_string(position + 1) + " is not allowed there",
                  position};
}

void append_range(std::string& out, const UriTextRangeA& range, std::initializer_list<const ParsedUri*> sources) {
  if (range.first == nullptr) {
    return;
  }
  for (const ParsedUri* source : sources) {
    if (source->holds(range)) {
      out.append(source->original(range));
      return;
    }
  }
  // Not from any source (liburiparser's own copy): its bytes are the ones to write.
  out.append(range.first, range.afterLast);
}

}  // namespace

std::optional<UrlError> ParsedUri::parse(std::string_view text, Syntax syntax) {
  text_ = text;
  stand_ins_ = with_stand_ins(text, syntax);
  read_ = stand_ins_.empty() ? text : std::string_view(stand_ins_);
  const char* error_at = nullptr;
  if (uriParseSingleUriExA(members_.get(), read_.data(), read_.data() + read_.size(), &error_at) != URI_SUCCESS) {
    return syntax_error(text, error_at == nullptr ? 0 : offset_of(error_at));
  }
  members_.adopt();
  return std::nullopt;
}

std::string recompose(const UriUriA& uri, std::initializer_list<const ParsedUri*> sources) {
  std::string out;
  if (uri.scheme.first != nullptr) {
    append_range(out, uri.scheme, sources);
    out.push_back(':');
  }
  if (uri.hostText.first != nullptr) {
    out.append("//");
    if (uri.userInfo.first != nullptr) {
      append_range(out, uri.userInfo, sources);
      out.push_back('@');
    }
    const bool literal = is_ip_literal(uri);
    if (literal) {
      out.push_back('[');
    }
    append_range(out, uri.hostText, sources);
    if (literal) {
      out.push_back(']');
    }
    if (uri.portText.first != nullptr) {
      out.push_back(':');
      append_range(out, uri.portText, sources);
    }
  }
  if (has_leading_slash(uri)) {
    out.push_back('/');
  }
  for (const UriPathSegmentA* segment = uri.pathHead; segment != nullptr; segment = segment->next) {
    append_range(out, segment->text, sources);
    if (segment->next != nullptr) {
      out.push_back('/');
    }
  }
  if (uri.query.first != nullptr) {
    out.push_back('?');
    append_range(out, uri.query, sources);
  }
  if (uri.fragment.first != nullptr) {
    out.push_back('#');
    append_range(out, uri.fragment, sources);
  }
  return out;
}

}  // namespace newswatch::url::detail
