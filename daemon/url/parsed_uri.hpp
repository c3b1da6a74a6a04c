#pragma once

#include <uriparser/Uri.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/url/url.hpp"
#include "uri_members.hpp"

namespace newswatch::url::detail {

/// A text parsed by liburiparser as a URI reference (RFC 3986 §4.1). liburiparser knows only ASCII
/// URIs: a byte it would reject but `syntax` accepts (a non-ASCII IRI byte, or in lenient syntax a
/// space or the like) is handed to it as '~', an unreserved character allowed wherever those are,
/// in a copy of the same length. Every range therefore maps back to the same bytes of the text as
/// written, which original() returns.
class ParsedUri {
 public:
  ParsedUri() = default;
  ~ParsedUri() = default;
  // The parsed ranges point into stand_ins_ when it is used: the object stays where it parsed.
  ParsedUri(const ParsedUri&) = delete;
  ParsedUri& operator=(const ParsedUri&) = delete;
  ParsedUri(ParsedUri&&) = delete;
  ParsedUri& operator=(ParsedUri&&) = delete;

  /// Parses `text`, which must outlive this object; the error names the first offending byte.
  std::optional<UrlError> parse(std::string_view text, Syntax syntax);

  /// The parsed structure; ranges point into the text liburiparser read.
  [[nodiscard]] const UriUriA& uri() const noexcept { return *members_; }
  /// The text as written.
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  /// True when `range` lies in the text liburiparser read.
  [[nodiscard]] bool holds(const UriTextRangeA& range) const noexcept {
    // std::less orders pointers into unrelated objects too (liburiparser's constants).
    const std::less<const char*> before;
    const char* end = read_.data() + read_.size();
    return range.first != nullptr && !before(range.first, read_.data()) && !before(end, range.afterLast) &&
           (before(range.first, end) || range.first == range.afterLast);
  }
  /// Offset in the text of a pointer into the range that liburiparser read.
  [[nodiscard]] std::size_t offset_of(const char* pointer) const noexcept {
    return static_cast<std::size_t>(pointer - read_.data());
  }
  /// The bytes as written behind a range of this text; empty for an absent range. A range that
  /// liburiparser points elsewhere (its own constant for an empty host or a "." segment) is read
  /// where it points.
  [[nodiscard]] std::string_view original(const UriTextRangeA& range) const noexcept {
    if (range.first == nullptr) {
      return {};
    }
    const auto size = static_cast<std::size_t>(range.afterLast - range.first);
    return holds(range) ? text_.substr(offset_of(range.first), size) : std::string_view(range.first, size);
  }

 private:
  UriMembers members_;
  std::string_view text_;
  std::string stand_ins_;  ///< The copy with stand-in bytes, when one was needed.
  std::string_view read_;  ///< What liburiparser read: text_ or stand_ins_.
};

/// True for a host written as an IP literal in brackets (RFC 3986 §3.2.2): IPv6 or IPvFuture.
inline bool is_ip_literal(const UriUriA& uri) noexcept {
  return uri.hostData.ip6 != nullptr || uri.hostData.ipFuture.first != nullptr;
}

/// True when the path of `uri` is written with a leading '/' (RFC 3986 §3.3: path-abempty after an
/// authority, or path-absolute).
inline bool has_leading_slash(const UriUriA& uri) noexcept {
  return uri.absolutePath == URI_TRUE || (uri.hostText.first != nullptr && uri.pathHead != nullptr);
}

/// The reference that `uri` describes, recomposed as RFC 3986 §5.3 does, each range's bytes taken
/// as written from whichever of `sources` holds it (a resolved reference mixes base and reference).
std::string recompose(const UriUriA& uri, std::initializer_list<const ParsedUri*> sources);

}  // namespace newswatch::url::detail
