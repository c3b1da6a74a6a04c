#include "newswatch/url/registrable_domain.hpp"

#include <libpsl.h>

#include <algorithm>

#include "characters.hpp"
#include "newswatch/url/host.hpp"

namespace newswatch::url {

std::string registrable_domain(std::string_view host) {
  // IP literals and dotted IPv4 addresses (RFC 3986 §3.2.2) are not names: they have no suffix.
  if (host.empty() || host.front() == '[' ||
      std::all_of(host.begin(), host.end(), [](char c) { return detail::is_digit(c) || c == '.'; })) {
    return {};
  }
  auto ascii = to_ascii_host(host);
  if (!ascii) {
    return {};
  }
  std::string name = std::move(*ascii);
  while (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  // The list compiled into libpsl (Debian builds it from the publicsuffix package): immutable and
  // owned by the library, so nothing to free.
  const psl_ctx_t* list = psl_builtin();
  if (list == nullptr || name.empty()) {
    return {};
  }
  const char* domain = psl_registrable_domain(list, name.c_str());
  return domain == nullptr ? std::string() : std::string(domain);
}

}  // namespace newswatch::url
