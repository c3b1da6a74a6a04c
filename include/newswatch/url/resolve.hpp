#pragma once

#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::url {

/// The target of `reference` resolved against the absolute URL `base` (RFC 3986 §5.2, strict:
/// a reference with a scheme is taken as it is, dot segments removed). Components keep the bytes
/// they were written with; nothing is normalised beyond the path's dot segments.
Expected<std::string, UrlError> resolve(std::string_view base, std::string_view reference,
                                        Syntax syntax = Syntax::strict);

/// resolve() for links found in feeds, which never fails: both are trimmed and read in lenient
/// syntax; an empty reference stays empty (in a feed it means "no link", not "the base document");
/// a relative or unreadable base, or an unreadable reference, leaves the reference as it is. An
/// absolute http(s) reference with no dot segment, the usual feed link, is returned without a copy.
std::string resolve_link(std::string_view base, std::string reference);

}  // namespace newswatch::url
