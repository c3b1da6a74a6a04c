#include "newswatch/server/listen_address.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace newswatch::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Expected<tcp::endpoint, std::string> parse_listen_address(std::string_view text) {
  const auto fail = [text](std::string_view why) {
    return make_unexpected(fmt::format("listen address \"{}\": {}", text, why));
  };
  std::string_view host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    // RFC 3986 §3.2.2: an IPv6 literal is bracketed so that its colons are not the port's.
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return fail("expected [IPv6]:PORT");
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return fail("expected HOST:PORT");
    }
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return fail("an IPv6 address needs brackets, e.g. [::1]:9180");
    }
  }
  if (host.empty()) {
    return fail("the host is missing (use 0.0.0.0 or [::] for every interface)");
  }
  unsigned port = 0;
  const auto* port_end = port_text.data() + port_text.size();
  const auto [end, error] = std::from_chars(port_text.data(), port_end, port);
  const bool digits_only = std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (port_text.empty() || !digits_only || error != std::errc{} || end != port_end || port > 65535) {
    return fail("the port must be a number from 0 to 65535");
  }
  if (host == "localhost") {
    return tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port));
  }
  boost::system::error_code parse_error;
  const auto address = asio::ip::make_address(std::string(host), parse_error);
  if (parse_error) {
    return fail("the host must be a numeric IPv4 or IPv6 address (names are not resolved)");
  }
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  if (endpoint.address().is_v6()) {
    return fmt::format("[{}]:{}", endpoint.address().to_string(), endpoint.port());
  }
  return fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

}  // namespace newswatch::server
