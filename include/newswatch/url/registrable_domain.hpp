#pragma once

#include <string>
#include <string_view>

namespace newswatch::url {

/// The registrable domain of a host name: its public suffix from the Public Suffix List plus one
/// label ("bbc.co.uk" for "www.bbc.co.uk", "example.blogspot.com" for "a.example.blogspot.com").
/// The host may be Unicode or in any case; the result is in to_ascii_host() form. Empty for an IP
/// address, for a public suffix itself, and for what IDNA rejects.
std::string registrable_domain(std::string_view host);

}  // namespace newswatch::url
