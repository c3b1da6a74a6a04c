#pragma once

#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::url {

/// A host as written in a URL (a name, possibly percent-encoded or in Unicode, or an IP literal) in
/// the form DNS and HTTP use: ASCII in lower case, internationalised labels as IDNA2008 A-labels
/// ("xn--…", RFC 5891) after the UTS #46 non-transitional mapping. Fails for a name IDNA rejects.
Expected<std::string, UrlError> to_ascii_host(std::string_view host);

/// The host of `url` in to_ascii_host() form without a trailing dot (RFC 1034 §3.1: "example.org."
/// and "example.org" name one host); empty when the URL has none or IDNA rejects it.
std::string host_name(const Url& url);

}  // namespace newswatch::url
