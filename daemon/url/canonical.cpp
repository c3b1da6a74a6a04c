#include "newswatch/url/canonical.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "characters.hpp"
#include "newswatch/url/host.hpp"
#include "newswatch/url/url.hpp"
#include "normal_form.hpp"
#include "parsed_uri.hpp"
#include "percent_encoding.hpp"
#include "tracking_parameters.hpp"

namespace newswatch::url {
namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && detail::equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) noexcept {
  return text.size() >= suffix.size() && detail::equals_ignoring_case(text.substr(text.size() - suffix.size()), suffix);
}

/// `host` without a leading `label` + '.' when what remains is still a domain with a dot: the
/// "www." and "amp." variants of a site serve its articles under the same paths.
std::string_view without_label(std::string_view host, std::string_view label) noexcept {
  if (host.size() > label.size() + 1 && starts_with_ignoring_case(host, label) && host[label.size()] == '.' &&
      host.find('.', label.size() + 1) != std::string_view::npos) {
    host.remove_prefix(label.size() + 1);
  }
  return host;
}

/// The article behind an AMP cache or AMP viewer link, as an absolute URL:
///   https://www-example-com.cdn.ampproject.org/c/s/www.example.com/path  (and /v/s/, /c/ for http)
///   https://www.google.com/amp/s/www.example.com/path
/// The path after the prefix is the article's host and path; "s/" marks https.
std::optional<std::string> amp_target(const detail::ParsedUri& parsed, std::string_view host) {
  const UriUriA& uri = parsed.uri();
  const UriPathSegmentA* first = uri.pathHead;
  if (first == nullptr || first->next == nullptr) {
    return std::nullopt;
  }
  const std::string_view prefix = parsed.original(first->text);
  const bool cache = ends_with_ignoring_case(host, ".cdn.ampproject.org") && (prefix == "c" || prefix == "v");
  const bool viewer =
      (detail::equals_ignoring_case(host, "www.google.com") || detail::equals_ignoring_case(host, "google.com")) &&
      prefix == "amp";
  if (!cache && !viewer) {
    return std::nullopt;
  }
  const UriPathSegmentA* target = first->next;
  const bool secure = parsed.original(target->text) == "s";
  if (secure) {
    target = target->next;
  }
  if (target == nullptr || target->text.first == target->text.afterLast || !parsed.holds(target->text)) {
    return std::nullopt;
  }
  const std::string_view text = parsed.text();
  const std::size_t begin = parsed.offset_of(target->text.first);
  const std::size_t end = uri.fragment.first != nullptr && parsed.holds(uri.fragment)
                              ? parsed.offset_of(uri.fragment.first) - 1
                              : text.size();
  std::string article(secure ? "https://" : "http://");
  article.append(text.substr(begin, end - begin));
  return article;
}

/// True when `name` matches one of the configured names: exact, or a prefix ending in '*'.
bool is_configured(std::string_view name, const std::vector<std::string>& configured) noexcept {
  return std::any_of(configured.begin(), configured.end(), [name](const std::string& entry) {
    if (entry.ends_with('*')) {
      return starts_with_ignoring_case(name, std::string_view(entry).substr(0, entry.size() - 1));
    }
    return detail::equals_ignoring_case(name, entry);
  });
}

/// True for the query forms of an AMP page (?amp, ?amp=1, ?outputType=amp) and for the parameters
/// the AMP viewer adds to a cached page (amp_js_v, amp_gsa, usqp).
bool is_amp_marker(std::string_view name, std::string_view value) noexcept {
  if (detail::equals_ignoring_case(name, "amp")) {
    return value.empty() || value == "1";
  }
  if (detail::equals_ignoring_case(name, "outputType")) {
    return detail::equals_ignoring_case(value, "amp");
  }
  return detail::equals_ignoring_case(name, "amp_js_v") || detail::equals_ignoring_case(name, "amp_gsa") ||
         detail::equals_ignoring_case(name, "usqp");
}

struct Parameter {
  std::string_view name;
  std::string_view value;

  friend bool operator<(const Parameter& a, const Parameter& b) noexcept {
    return a.name != b.name ? a.name < b.name : a.value < b.value;
  }
};

/// True when append_normalized() would copy `text` unchanged.
bool is_normal(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(), detail::is_literal);
}

/// Appends "?" and the query's parameters that identify the resource, normalised and sorted.
void append_identity_query(std::string& out, std::string_view query, const CanonicalOptions& options) {
  // A parameter already in normal form is used where it is written. The others are normalised into
  // one buffer, sized so that it never moves and the views into it stay valid: normalising at most
  // triples a byte.
  std::string normal;
  std::vector<Parameter> kept;
  while (!query.empty()) {
    const std::size_t end = std::min(query.find('&'), query.size());
    const std::string_view pair = query.substr(0, end);
    query.remove_prefix(std::min(end + 1, query.size()));
    if (pair.empty()) {
      continue;
    }
    const std::size_t equals = std::min(pair.find('='), pair.size());
    std::string_view name = pair.substr(0, equals);
    std::string_view value = pair.substr(std::min(equals + 1, pair.size()));
    const std::size_t start = normal.size();
    if (!is_normal(pair)) {
      normal.reserve(query.size() * 3 + pair.size() * 3);
      detail::append_normalized(normal, name);
      const std::size_t name_end = normal.size();
      detail::append_normalized(normal, value);
      const std::string_view written(normal);
      name = written.substr(start, name_end - start);
      value = written.substr(name_end);
    }
    if (name.empty() || detail::is_tracking_parameter(name) || is_configured(name, options.extra_strip_params) ||
        is_amp_marker(name, value)) {
      normal.resize(start);
      continue;
    }
    kept.push_back(Parameter{name, value});
  }
  if (kept.empty()) {
    return;
  }
  std::sort(kept.begin(), kept.end());
  char separator = '?';
  for (const Parameter& parameter : kept) {
    out.push_back(separator);
    separator = '&';
    out.append(parameter.name);
    if (!parameter.value.empty()) {
      out.push_back('=');
      out.append(parameter.value);
    }
  }
}

/// Removes the trailing '/' of a path that has more than the root: "/a/" and "/a" are one article.
void drop_trailing_slashes(std::string& out, std::size_t path_start) {
  while (out.size() > path_start + 1 && out.back() == '/') {
    out.pop_back();
  }
}

/// Writes the path of the identity from `path_start` on: "/a/" and "/a" are one article, an AMP
/// page often lives at the article's path plus "/amp", and an empty path is "/".
void finish_path(std::string& out, std::size_t path_start) {
  drop_trailing_slashes(out, path_start);
  if (std::string_view(out).substr(path_start).ends_with("/amp")) {
    out.resize(out.size() - 4);
    drop_trailing_slashes(out, path_start);
  }
  if (out.size() == path_start) {
    out.push_back('/');  // RFC 3986 §6.2.3: an empty path is "/".
  }
}

bool is_host_byte(char c) noexcept {
  return detail::is_alpha(c) || detail::is_digit(c) || c == '.' || c == '-';
}

/// True when the query has nothing that liburiparser would need a stand-in for: literal bytes and
/// complete percent-encodings.
bool is_plain_query(std::string_view query) noexcept {
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (query[i] == '%') {
      if (i + 2 >= query.size() || !detail::is_hex_digit(query[i + 1]) || !detail::is_hex_digit(query[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!detail::is_literal(query[i])) {
      return false;
    }
  }
  return true;
}

/// The identity of a link most feeds publish, found without liburiparser: "http://" or
/// "https://", a host of ASCII letters, digits, '.' and '-' (no user, no port, no AMP cache or
/// viewer), a path of literal bytes without percent-encodings or dot segments, which the full
/// parse would copy as written, an optional plain query and no fragment. Nullopt for any other
/// link, which takes the full parse; both give the same identity.
std::optional<std::string> simple_identity(std::string_view link, const CanonicalOptions& options) {
  std::string_view rest;
  if (link.starts_with("https://")) {
    rest = link.substr(8);
  } else if (link.starts_with("http://")) {
    rest = link.substr(7);
  } else {
    return std::nullopt;
  }
  const std::size_t host_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view written_host = rest.substr(0, host_end);
  if (written_host.empty() || written_host.front() == '.' || written_host.front() == '-' ||
      !std::all_of(written_host.begin(), written_host.end(), is_host_byte) ||
      ends_with_ignoring_case(written_host, ".cdn.ampproject.org") ||
      detail::equals_ignoring_case(written_host, "www.google.com") ||
      detail::equals_ignoring_case(written_host, "google.com")) {
    return std::nullopt;
  }
  rest.remove_prefix(host_end);
  const std::size_t path_end = std::min(rest.find_first_of("?#"), rest.size());
  const std::string_view path = rest.substr(0, path_end);
  // Literal bytes only: no percent-encoding to normalise, nothing to encode.
  if (!std::all_of(path.begin(), path.end(), [](char c) { return detail::is_literal(c) && c != '%'; })) {
    return std::nullopt;
  }
  for (std::size_t segment = 0; segment < path.size();) {
    const std::size_t end = std::min(path.find('/', segment + 1), path.size());
    const std::string_view name = path.substr(segment + 1, end - segment - 1);
    if (name == "." || name == "..") {
      return std::nullopt;
    }
    segment = end;
  }
  rest.remove_prefix(path_end);
  std::optional<std::string_view> query;
  if (rest.starts_with('?')) {
    query = rest.substr(1);
    if (query->find('#') != std::string_view::npos || !is_plain_query(*query)) {
      return std::nullopt;
    }
  } else if (!rest.empty()) {
    return std::nullopt;  // a fragment
  }

  std::string out;
  out.reserve(link.size() + 8);
  out.append("https://");
  std::string_view host = written_host;
  while (host.ends_with('.')) {
    host.remove_suffix(1);
  }
  detail::append_lower(out, without_label(without_label(host, "www"), "amp"));
  const std::size_t path_start = out.size();
  out.append(path);
  finish_path(out, path_start);
  if (query) {
    append_identity_query(out, *query, options);
  }
  return out;
}

}  // namespace

std::string canonical_identity(std::string_view url, const CanonicalOptions& options) {
  const std::string_view link = trim(url);
  if (auto identity = simple_identity(link, options)) {
    return std::move(*identity);
  }
  detail::ParsedUri parsed;
  if (parsed.parse(link, Syntax::lenient)) {
    return std::string(link);
  }
  const UriUriA& uri = parsed.uri();
  const std::string_view scheme = parsed.original(uri.scheme);
  const std::string_view written_host = parsed.original(uri.hostText);
  if (!is_http_scheme(scheme) || written_host.empty()) {
    return std::string(link);
  }
  if (auto article = amp_target(parsed, written_host)) {
    // An article that is no http(s) URL of its own leaves the AMP link as it was written.
    auto identity = canonical_identity(*article, options);
    if (identity.starts_with("https://")) {
      return identity;
    }
    return std::string(link);
  }

  std::string out;
  out.reserve(link.size() + 8);
  // One scheme for both: sites serve the same article over http and https.
  out.append("https://");
  if (uri.userInfo.first != nullptr) {
    detail::append_normalized(out, parsed.original(uri.userInfo));
    out.push_back('@');
  }
  if (detail::is_ip_literal(uri)) {
    out.push_back('[');
    detail::append_lower(out, written_host);
    out.push_back(']');
  } else {
    // Hosts are mostly plain ASCII: lower-cased on the way out, with no string of their own.
    const bool plain =
        std::all_of(written_host.begin(), written_host.end(), [](char c) { return detail::is_ascii(c) && c != '%'; });
    std::optional<std::string> converted;
    if (!plain) {
      auto ascii = to_ascii_host(written_host);
      if (!ascii) {
        return std::string(link);
      }
      converted = std::move(*ascii);
    }
    std::string_view host = converted ? std::string_view(*converted) : written_host;
    while (host.ends_with('.')) {
      host.remove_suffix(1);
    }
    detail::append_lower(out, without_label(without_label(host, "www"), "amp"));
  }
  // RFC 3986 §6.2.3: an empty port or the scheme's default one is the same as none.
  const std::string_view port = parsed.original(uri.portText);
  if (!port.empty() && port != default_port(scheme)) {
    out.push_back(':');
    out.append(port);
  }

  const std::size_t path_start = out.size();
  detail::append_normalized_path(out, parsed);
  finish_path(out, path_start);
  if (uri.query.first != nullptr) {
    append_identity_query(out, parsed.original(uri.query), options);
  }
  return out;
}

}  // namespace newswatch::url
