// The url module: URLs as RFC 3986 defines them, for every other module that handles one.
//
// - Url (this file) splits a URI or IRI reference into its components and knows where each lies in
//   the text as written, so that callers can point into the original string (rules' site: spans).
// - resolve.hpp resolves a reference against a base (RFC 3986 §5.2); resolve_link() is the feed
//   parsers' forgiving variant, which hands an absolute link back without copying it.
// - normalize.hpp writes the RFC 3986 §6.2.2 normal form, with IRIs mapped to URIs (RFC 3987 §3.1).
// - host.hpp gives a URL's host in the ASCII form DNS uses (IDNA2008, UTS #46) and
//   registrable_domain.hpp its registrable domain from the Public Suffix List.
// - canonical.hpp reduces an article link to the form used to decide that two links name the same
//   article: no tracking parameters, no AMP variant, one scheme.
//
// liburiparser does the parsing and reference resolution, libidn2 the IDNA mapping and libpsl the
// Public Suffix List; their C structures stay inside daemon/url. Nothing here touches the network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"

namespace newswatch::url {

/// A byte range [begin, end) of a URL's text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;

  /// Bytes in the range.
  [[nodiscard]] std::size_t size() const noexcept { return end - begin; }
  /// True when the range holds no byte.
  [[nodiscard]] bool empty() const noexcept { return begin == end; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// Why a text is not a URL: what is wrong and at which byte offset.
struct UrlError {
  std::string message;
  std::size_t position = 0;
};

/// How strictly a text is read.
enum class Syntax : std::uint8_t {
  /// RFC 3986, with non-ASCII bytes taken as IRI characters (RFC 3987 §2.2) wherever RFC 3986
  /// allows unreserved ones: what configuration files must write.
  strict,
  /// Also accepts what browsers and feed readers accept in links: spaces, quotes, braces, '[' and
  /// ']' past the authority, a second '#', a '%' that starts no escape. Each counts as one opaque
  /// character of its component (normalize() and canonical_identity() percent-encode it).
  lenient,
};

/// What kind of host a URL names (RFC 3986 §3.2.2).
enum class HostKind : std::uint8_t { none, name, ipv4, ipv6, ip_future };

/// A URI reference (RFC 3986 §4.1) or IRI reference (RFC 3987 §2.2): its text and where each
/// component lies in it. Components are views of text(); an absent component is empty.
class Url {
 public:
  /// Parses all of `text` (no trimming): an absolute URL or a relative reference.
  static Expected<Url, UrlError> parse(std::string_view text, Syntax syntax = Syntax::strict);

  /// The text as given to parse().
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

  /// The scheme without ':', as written (RFC 3986 §3.1); empty for a relative reference.
  [[nodiscard]] std::string_view scheme() const noexcept { return view(scheme_); }
  /// The userinfo without '@' (RFC 3986 §3.2.1).
  [[nodiscard]] std::string_view userinfo() const noexcept { return view(userinfo_); }
  /// The host as written, IP literals with their brackets (RFC 3986 §3.2.2).
  [[nodiscard]] std::string_view host() const noexcept { return view(host_); }
  /// The port digits without ':' (RFC 3986 §3.2.3); empty when absent or written empty.
  [[nodiscard]] std::string_view port() const noexcept { return view(port_); }
  /// The path (RFC 3986 §3.3), with its leading '/' when it has one.
  [[nodiscard]] std::string_view path() const noexcept {
    return std::string_view(text_).substr(path_.begin, path_.size());
  }
  /// The query without '?' (RFC 3986 §3.4).
  [[nodiscard]] std::string_view query() const noexcept { return view(query_); }
  /// The fragment without '#' (RFC 3986 §3.5).
  [[nodiscard]] std::string_view fragment() const noexcept { return view(fragment_); }

  /// True when the reference has a scheme (RFC 3986 §4.3).
  [[nodiscard]] bool is_absolute() const noexcept { return scheme_.has_value(); }
  /// True when an authority ("//" and a host, possibly empty) is present.
  [[nodiscard]] bool has_authority() const noexcept { return host_.has_value(); }
  /// True when a port separator ':' is present, even with no digits after it.
  [[nodiscard]] bool has_port() const noexcept { return port_.has_value(); }
  /// True when a '?' is present, even with an empty query after it.
  [[nodiscard]] bool has_query() const noexcept { return query_.has_value(); }
  /// True when a '#' is present, even with an empty fragment after it.
  [[nodiscard]] bool has_fragment() const noexcept { return fragment_.has_value(); }

  /// Where host() lies in text(); an empty span when there is no authority.
  [[nodiscard]] Span host_span() const noexcept { return host_.value_or(Span{}); }
  /// What the host is; none when there is no host or it is empty.
  [[nodiscard]] HostKind host_kind() const noexcept { return host_kind_; }

 private:
  Url() = default;
  [[nodiscard]] std::string_view view(const std::optional<Span>& span) const noexcept {
    return span ? std::string_view(text_).substr(span->begin, span->size()) : std::string_view();
  }

  std::string text_;
  std::optional<Span> scheme_;
  std::optional<Span> userinfo_;
  std::optional<Span> host_;
  std::optional<Span> port_;
  Span path_;
  std::optional<Span> query_;
  std::optional<Span> fragment_;
  HostKind host_kind_ = HostKind::none;
};

/// The scheme that `text` starts with (RFC 3986 §3.1: a letter, then letters, digits, '+', '-' or
/// '.', then ':'), without the ':'; empty when it starts with none.
std::string_view scheme_of(std::string_view text) noexcept;

/// True when `text` starts with a scheme and ':'.
inline bool has_scheme(std::string_view text) noexcept {
  return !scheme_of(text).empty();
}

}  // namespace newswatch::url
