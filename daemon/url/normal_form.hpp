#pragma once

#include <string>

#include "parsed_uri.hpp"

namespace newswatch::url::detail {

/// Appends the path of `parsed` in RFC 3986 §6.2.2 normal form: every segment percent-normalised
/// and, in a path that starts with '/', dot segments removed (§5.2.4, §6.2.2.3). Relative paths
/// keep theirs, which only resolution against a base gives a meaning.
void append_normalized_path(std::string& out, const ParsedUri& parsed);

}  // namespace newswatch::url::detail
