#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

#include "newswatch/model/expected.hpp"

namespace newswatch::server {

/// Parses `[daemon] http_listen`: "127.0.0.1:9180", "[::1]:9180", "0.0.0.0:9180" or
/// "localhost:9180" (taken as 127.0.0.1). Hosts must be numeric otherwise: the listener never
/// resolves names, so what it binds is exactly what the config says. Port 0 picks a free port.
/// The error names the text and what is wrong with it.
Expected<boost::asio::ip::tcp::endpoint, std::string> parse_listen_address(std::string_view text);

/// "127.0.0.1:9180" or "[::1]:9180": the form parse_listen_address() reads and errors show.
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace newswatch::server
