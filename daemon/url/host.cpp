#include "newswatch/url/host.hpp"

#include <idn2.h>

#include <algorithm>
#include <memory>

#include "characters.hpp"
#include "percent_encoding.hpp"

namespace newswatch::url {
namespace {

/// Frees a string that libidn2 allocated.
struct IdnStringDeleter {
  void operator()(char* text) const noexcept { idn2_free(text); }
};
using IdnString = std::unique_ptr<char, IdnStringDeleter>;

/// `host` lower-cased outside its percent-encodings, whose hex digits stay upper case (RFC 3986
/// §6.2.2.1).
std::string lower_outside_escapes(std::string_view host) {
  std::string out;
  out.reserve(host.size());
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host[i] == '%' && i + 2 < host.size()) {
      out.append(host.substr(i, 3));
      i += 2;
    } else {
      out.push_back(detail::lower(host[i]));
    }
  }
  return out;
}

}  // namespace

Expected<std::string, UrlError> to_ascii_host(std::string_view host) {
  const bool plain = std::all_of(host.begin(), host.end(), [](char c) { return detail::is_ascii(c) && c != '%'; });
  if (plain) {
    std::string out;
    out.reserve(host.size());
    detail::append_lower(out, host);
    return out;
  }
  // RFC 3986 §3.2.2: a reg-name may carry UTF-8 percent-encoded; IDNA wants the characters.
  const std::string decoded = detail::percent_decode(host);
  if (std::all_of(decoded.begin(), decoded.end(), detail::is_ascii)) {
    std::string normal;
    detail::append_normalized(normal, host);
    return lower_outside_escapes(normal);
  }
  // A trailing dot (the root label) is not a label IDNA knows; keep it outside.
  const bool rooted = decoded.ends_with('.');
  const std::string name = rooted ? decoded.substr(0, decoded.size() - 1) : decoded;
  char* converted = nullptr;
  const int status = idn2_to_ascii_8z(name.c_str(), &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  const IdnString owned(converted);
  if (status != IDN2_OK || owned == nullptr) {
    return make_unexpected(UrlError{"host \"" + std::string(host) +
                                        "\" is not a valid internationalised domain name (" + idn2_strerror(status) +
                                        ")",
                                    0});
  }
  // IDNA passes through ASCII it has no rule for (without STD3 rules, which real hosts break):
  // whatever a reg-name may not hold unencoded goes back to percent-encoding (RFC 3986 §3.2.2).
  std::string out;
  for (const char c : std::string_view(owned.get())) {
    if (detail::is_unreserved(c) || detail::is_sub_delim(c)) {
      out.push_back(detail::lower(c));
    } else {
      detail::append_percent_encoded(out, static_cast<unsigned char>(c));
    }
  }
  if (rooted) {
    out.push_back('.');
  }
  return out;
}

std::string host_name(const Url& url) {
  if (url.host_kind() == HostKind::none) {
    return {};
  }
  auto ascii = to_ascii_host(url.host());
  if (!ascii) {
    return {};
  }
  std::string name = std::move(*ascii);
  while (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  return name;
}

}  // namespace newswatch::url
