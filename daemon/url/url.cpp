#include "newswatch/url/url.hpp"

#include "characters.hpp"
#include "parsed_uri.hpp"

namespace newswatch::url {

Expected<Url, UrlError> Url::parse(std::string_view text, Syntax syntax) {
  detail::ParsedUri parsed;
  if (auto error = parsed.parse(text, syntax)) {
    return make_unexpected(std::move(*error));
  }
  const UriUriA& uri = parsed.uri();
  const auto span_of = [&parsed](const UriTextRangeA& range) -> std::optional<Span> {
    if (range.first == nullptr) {
      return std::nullopt;
    }
    return Span{parsed.offset_of(range.first), parsed.offset_of(range.afterLast)};
  };

  Url url;
  url.text_.assign(text);
  url.scheme_ = span_of(uri.scheme);
  url.userinfo_ = span_of(uri.userInfo);
  if (uri.hostText.first != nullptr && !parsed.holds(uri.hostText)) {
    // An empty host is a range of liburiparser's own: it sits after "//" and any userinfo.
    const std::size_t after_slashes = (url.scheme_ ? url.scheme_->end + 1 : 0) + 2;
    const std::size_t begin = url.userinfo_ ? url.userinfo_->end + 1 : after_slashes;
    url.host_ = Span{begin, begin};
  } else {
    url.host_ = span_of(uri.hostText);
  }
  url.port_ = span_of(uri.portText);
  url.query_ = span_of(uri.query);
  url.fragment_ = span_of(uri.fragment);

  // The path runs from the end of the authority (or of the scheme) to the '?' or '#' that ends it.
  std::size_t path_begin = url.scheme_ ? url.scheme_->end + 1 : 0;
  if (url.host_) {
    if (detail::is_ip_literal(uri)) {
      // liburiparser's host range leaves out the brackets of an IP literal; the host includes them.
      --url.host_->begin;
      ++url.host_->end;
    }
    path_begin = url.port_ ? url.port_->end : url.host_->end;
  }
  std::size_t path_end = text.size();
  if (url.query_) {
    path_end = url.query_->begin - 1;
  } else if (url.fragment_) {
    path_end = url.fragment_->begin - 1;
  }
  url.path_ = Span{path_begin, path_end};

  if (uri.hostData.ip4 != nullptr) {
    url.host_kind_ = HostKind::ipv4;
  } else if (uri.hostData.ip6 != nullptr) {
    url.host_kind_ = HostKind::ipv6;
  } else if (uri.hostData.ipFuture.first != nullptr) {
    url.host_kind_ = HostKind::ip_future;
  } else if (url.host_ && !url.host_->empty()) {
    url.host_kind_ = HostKind::name;
  }
  return url;
}

std::string_view scheme_of(std::string_view text) noexcept {
  if (text.empty() || !detail::is_alpha(text.front())) {
    return {};
  }
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ':') {
      return text.substr(0, i);
    }
    if (!detail::is_alpha(c) && !detail::is_digit(c) && c != '+' && c != '-' && c != '.') {
      return {};
    }
  }
  return {};
}

bool is_http_scheme(std::string_view scheme) noexcept {
  return !default_port(scheme).empty();
}

std::string_view default_port(std::string_view scheme) noexcept {
  if (detail::equals_ignoring_case(scheme, "http")) {
    return "80";
  }
  if (detail::equals_ignoring_case(scheme, "https")) {
    return "443";
  }
  return {};
}

}  // namespace newswatch::url
