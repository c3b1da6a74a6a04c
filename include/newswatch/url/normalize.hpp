#pragma once

#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::url {

/// The syntax-based normal form of a URL (RFC 3986 §6.2.2): scheme and host in lower case,
/// percent-encodings of unreserved characters decoded and the others in upper case, dot segments
/// removed. An IRI becomes its URI (RFC 3987 §3.1): the host in IDNA A-labels (see to_ascii_host()),
/// other non-ASCII bytes percent-encoded. Ports, empty paths and everything else scheme-specific
/// (§6.2.3) stay as written.
Expected<std::string, UrlError> normalize(std::string_view url, Syntax syntax = Syntax::strict);

}  // namespace newswatch::url
