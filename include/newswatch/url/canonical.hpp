#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace newswatch::url {

/// Options for canonical_identity().
struct CanonicalOptions {
  /// Query parameters to remove besides the built-in tracking ones ([daemon] strip_query_params):
  /// exact names, or a prefix when the name ends in '*'; compared without regard to ASCII case.
  std::vector<std::string> extra_strip_params;
};

/// The identity form of an absolute http(s) URL; the input unchanged (trimmed) when it is not one.
///
/// Two links with the same identity name the same article: https for http, host in lower case
/// without a leading "www." or "amp.", no default port, no fragment, percent-encodings and dot
/// segments normalised (RFC 3986 §6.2.2), no trailing '/', no tracking or AMP query parameters, the
/// other parameters sorted, and AMP cache and viewer links (cdn.ampproject.org, google.com/amp)
/// followed to the article. Only for comparing links: alerts carry the link as published.
std::string canonical_identity(std::string_view url, const CanonicalOptions& options = {});

}  // namespace newswatch::url
