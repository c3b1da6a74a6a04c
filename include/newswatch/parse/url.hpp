#pragma once

#include <string>
#include <string_view>

namespace newswatch::parse {

/// Resolves `reference` against `base` as RFC 3986 §5.2 does (dot segments removed). An absolute
/// reference, or an empty or relative base, leaves `reference` unchanged apart from trimming; an empty
/// reference stays empty (in a feed it means "no link", not "the base document"). `reference` is taken
/// by value so that the common absolute link is returned without a copy.
std::string resolve_url(std::string_view base, std::string reference);

/// True when `text` starts with an RFC 3986 §3.1 scheme followed by ':'.
bool has_url_scheme(std::string_view text) noexcept;

}  // namespace newswatch::parse
