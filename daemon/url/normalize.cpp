#include "newswatch/url/normalize.hpp"

#include "characters.hpp"
#include "newswatch/url/host.hpp"
#include "normal_form.hpp"
#include "parsed_uri.hpp"
#include "percent_encoding.hpp"

namespace newswatch::url {

Expected<std::string, UrlError> normalize(std::string_view url, Syntax syntax) {
  detail::ParsedUri parsed;
  if (auto error = parsed.parse(url, syntax)) {
    return make_unexpected(std::move(*error));
  }
  const UriUriA& uri = parsed.uri();
  std::string out;
  out.reserve(url.size() + 8);
  if (uri.scheme.first != nullptr) {
    detail::append_lower(out, parsed.original(uri.scheme));
    out.push_back(':');
  }
  if (uri.hostText.first != nullptr) {
    out.append("//");
    if (uri.userInfo.first != nullptr) {
      detail::append_normalized(out, parsed.original(uri.userInfo));
      out.push_back('@');
    }
    const bool literal = detail::is_ip_literal(uri);
    auto host = to_ascii_host(parsed.original(uri.hostText));
    if (!host) {
      UrlError error = std::move(host.error());
      error.position = parsed.holds(uri.hostText) ? parsed.offset_of(uri.hostText.first) : 0;
      return make_unexpected(std::move(error));
    }
    out.append(literal ? "[" : "").append(*host).append(literal ? "]" : "");
    if (uri.portText.first != nullptr) {
      out.push_back(':');
      out.append(parsed.original(uri.portText));
    }
  }
  detail::append_normalized_path(out, parsed);
  if (uri.query.first != nullptr) {
    out.push_back('?');
    detail::append_normalized(out, parsed.original(uri.query));
  }
  if (uri.fragment.first != nullptr) {
    out.push_back('#');
    detail::append_normalized(out, parsed.original(uri.fragment));
  }
  return out;
}

}  // namespace newswatch::url
