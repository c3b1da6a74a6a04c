#pragma once

#include <string>
#include <string_view>

namespace newswatch::url::detail {

/// Appends one component of a URL in RFC 3986 §6.2.2 normal form: percent-encodings of unreserved
/// characters decoded (§2.3, §6.2.2.2), the others written in upper case (§6.2.2.1), and every byte
/// that may not stand unencoded encoded: non-ASCII bytes of an IRI (RFC 3987 §3.1) and what
/// lenient parsing let through (a space, a quote, a '%' that starts no escape).
void append_normalized(std::string& out, std::string_view component);

/// Appends `byte` as "%XX", upper case (RFC 3986 §2.1, §6.2.2.1).
void append_percent_encoded(std::string& out, unsigned char byte);

/// `text` with every percent-encoding decoded (RFC 3986 §2.1); other bytes as they are.
std::string percent_decode(std::string_view text);

}  // namespace newswatch::url::detail
