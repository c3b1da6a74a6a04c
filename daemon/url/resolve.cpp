#include "newswatch/url/resolve.hpp"

#include <utility>

#include "characters.hpp"
#include "parsed_uri.hpp"
#include "uri_members.hpp"

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

/// True for an http or https reference that resolves to itself: it has a scheme, so resolution
/// only removes dot segments (RFC 3986 §5.2.2), and it has none ("." or ".." segments need a '/'
/// before them or open the path right after the scheme).
bool is_final_http_reference(std::string_view reference) noexcept {
  const std::string_view scheme = scheme_of(reference);
  if (!detail::equals_ignoring_case(scheme, "http") && !detail::equals_ignoring_case(scheme, "https")) {
    return false;
  }
  const std::string_view rest = reference.substr(scheme.size() + 1);
  return !rest.starts_with('.') && rest.find("/.") == std::string_view::npos;
}

UrlError in(std::string_view what, UrlError error) {
  error.message = std::string(what) + ": " + error.message;
  return error;
}

}  // namespace

Expected<std::string, UrlError> resolve(std::string_view base, std::string_view reference, Syntax syntax) {
  detail::ParsedUri parsed_base;
  if (auto error = parsed_base.parse(base, syntax)) {
    return make_unexpected(in("base", std::move(*error)));
  }
  if (parsed_base.uri().scheme.first == nullptr) {
    return make_unexpected(UrlError{"base \"" + std::string(base) + "\" is not an absolute URL", 0});
  }
  detail::ParsedUri parsed_reference;
  if (auto error = parsed_reference.parse(reference, syntax)) {
    return make_unexpected(in("reference", std::move(*error)));
  }
  detail::UriMembers target;
  if (uriAddBaseUriExA(target.get(), &parsed_reference.uri(), &parsed_base.uri(), URI_RESOLVE_STRICTLY) !=
      URI_SUCCESS) {
    return make_unexpected(
        UrlError{"cannot resolve \"" + std::string(reference) + "\" against \"" + std::string(base) + "\"", 0});
  }
  target.adopt();
  return detail::recompose(*target, {&parsed_base, &parsed_reference});
}

std::string resolve_link(std::string_view base, std::string reference) {
  const std::string_view trimmed = trim(reference);
  base = trim(base);
  if (trimmed.empty() || is_final_http_reference(trimmed) || !has_scheme(base)) {
    // Most feed links are absolute and untrimmed: hand the caller's string back instead of copying it.
    return trimmed.size() == reference.size() ? std::move(reference) : std::string(trimmed);
  }
  auto resolved = resolve(base, trimmed, Syntax::lenient);
  if (!resolved) {
    return std::string(trimmed);
  }
  return std::move(*resolved);
}

}  // namespace newswatch::url
