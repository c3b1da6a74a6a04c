// Links come from any feed on the internet: the url module must survive arbitrary bytes. The input
// is one URL, or a base and a reference separated by the first newline.
//
// Checked besides crashes and sanitizer reports: a parsed Url's components lie in its text; a
// parse error points into the input; normalize() output is a strict URL that normalises to itself;
// a resolved link is absolute; canonical_identity() gives https or the trimmed input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "newswatch/url/canonical.hpp"
#include "newswatch/url/host.hpp"
#include "newswatch/url/normalize.hpp"
#include "newswatch/url/registrable_domain.hpp"
#include "newswatch/url/resolve.hpp"
#include "newswatch/url/url.hpp"

namespace {

using namespace newswatch::url;

void check_parse(std::string_view text, Syntax syntax) {
  const auto url = Url::parse(text, syntax);
  if (!url) {
    if (url.error().position > text.size() || url.error().message.empty()) {
      __builtin_trap();
    }
    return;
  }
  const std::string& whole = url->text();
  if (whole != text) {
    __builtin_trap();
  }
  const auto inside = [&whole](std::string_view part) {
    return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
  };
  if (!inside(url->scheme()) || !inside(url->userinfo()) || !inside(url->host()) || !inside(url->port()) ||
      !inside(url->path()) || !inside(url->query()) || !inside(url->fragment())) {
    __builtin_trap();
  }
  const Span host = url->host_span();
  if (host.begin > host.end || host.end > whole.size() || whole.substr(host.begin, host.size()) != url->host()) {
    __builtin_trap();
  }
  const std::string name = host_name(*url);
  static_cast<void>(registrable_domain(name));
}

void check_normalize(std::string_view text) {
  const auto normal = normalize(text, Syntax::lenient);
  if (!normal) {
    return;
  }
  const auto again = normalize(*normal, Syntax::strict);
  if (!again || *again != *normal) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_parse(input, Syntax::strict);
  check_parse(input, Syntax::lenient);
  check_normalize(input);

  const std::string identity = canonical_identity(input, CanonicalOptions{{"id*", "page"}});
  if (!identity.starts_with("https://") && input.find(identity) == std::string_view::npos) {
    __builtin_trap();
  }

  const std::size_t newline = input.find('\n');
  if (newline != std::string_view::npos) {
    const std::string_view base = input.substr(0, newline);
    const std::string_view reference = input.substr(newline + 1);
    const auto resolved = resolve(base, reference, Syntax::lenient);
    if (resolved && !has_scheme(*resolved)) {
      __builtin_trap();
    }
    static_cast<void>(resolve_link(base, std::string(reference)));
  }
  return 0;
}
