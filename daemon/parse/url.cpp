#include "newswatch/parse/url.hpp"

#include <utility>

namespace newswatch::parse {
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

/// RFC 3986 §5.2.4 remove_dot_segments.
std::string remove_dot_segments(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  while (!path.empty()) {
    if (path.starts_with("../")) {
      path.remove_prefix(3);
    } else if (path.starts_with("./")) {
      path.remove_prefix(2);
    } else if (path.starts_with("/./")) {
      path.remove_prefix(2);
    } else if (path == "/.") {
      path = "/";
    } else if (path.starts_with("/../") || path == "/..") {
      path = path.size() == 3 ? std::string_view("/") : path.substr(3);
      const std::size_t last = out.rfind('/');
      out.resize(last == std::string::npos ? 0 : last);
    } else if (path == "." || path == "..") {
      path = {};
    } else {
      const std::size_t next = path.find('/', 1);
      const std::size_t length = next == std::string_view::npos ? path.size() : next;
      out.append(path.substr(0, length));
      path.remove_prefix(length);
    }
  }
  return out;
}

/// A URL split per RFC 3986 §3; empty views for missing parts.
struct UrlParts {
  std::string_view scheme;     ///< Without ':'.
  std::string_view authority;  ///< With the leading "//", or empty.
  std::string_view path;
  std::string_view query;  ///< With '?', or empty.
};

UrlParts split(std::string_view url) {
  UrlParts parts;
  const std::size_t fragment = url.find('#');
  if (fragment != std::string_view::npos) {
    url = url.substr(0, fragment);
  }
  const std::size_t colon = url.find(':');
  parts.scheme = url.substr(0, colon);
  url.remove_prefix(colon + 1);
  if (url.starts_with("//")) {
    const std::size_t end = url.find_first_of("/?", 2);
    parts.authority = url.substr(0, end);
    url.remove_prefix(parts.authority.size());
  }
  const std::size_t query = url.find('?');
  parts.path = url.substr(0, query);
  parts.query = query == std::string_view::npos ? std::string_view() : url.substr(query);
  return parts;
}

/// Splits a reference's path from its query and fragment so dot segments only touch the path.
std::pair<std::string_view, std::string_view> path_and_rest(std::string_view reference) {
  const std::size_t end = reference.find_first_of("?#");
  if (end == std::string_view::npos) {
    return {reference, {}};
  }
  return {reference.substr(0, end), reference.substr(end)};
}

}  // namespace

bool has_url_scheme(std::string_view text) noexcept {
  if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) {
    return false;
  }
  for (std::size_t pos = 1; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == ':') {
      return true;
    }
    const bool scheme_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!scheme_char) {
      return false;
    }
  }
  return false;
}

std::string resolve_url(std::string_view base, std::string reference) {
  const std::string_view trimmed = trim(reference);
  base = trim(base);
  if (trimmed.empty() || has_url_scheme(trimmed) || !has_url_scheme(base)) {
    // Most feed links are absolute and untrimmed: hand the caller's string back instead of copying it.
    return trimmed.size() == reference.size() ? std::move(reference) : std::string(trimmed);
  }
  const UrlParts parts = split(base);
  std::string out(parts.scheme);
  out.push_back(':');
  if (trimmed.starts_with("//")) {
    out.append(trimmed);
    return out;
  }
  out.append(parts.authority);
  if (trimmed.front() == '#') {
    out.append(parts.path);
    out.append(parts.query);
    out.append(trimmed);
    return out;
  }
  if (trimmed.front() == '?') {
    out.append(parts.path);
    out.append(trimmed);
    return out;
  }
  const auto [path, rest] = path_and_rest(trimmed);
  if (path.starts_with('/')) {
    out.append(remove_dot_segments(path));
  } else {
    // RFC 3986 §5.2.3 merge: the base path up to its last '/', or "/" when the base has only an authority.
    std::string merged;
    if (!parts.authority.empty() && parts.path.empty()) {
      merged = "/";
    } else {
      const std::size_t last = parts.path.rfind('/');
      merged = last == std::string_view::npos ? std::string() : std::string(parts.path.substr(0, last + 1));
    }
    merged.append(path);
    out.append(remove_dot_segments(merged));
  }
  out.append(rest);
  return out;
}

}  // namespace newswatch::parse
