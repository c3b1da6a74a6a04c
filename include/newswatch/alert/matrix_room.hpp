#pragma once

#include <string>
#include <string_view>

#include "newswatch/alert/outgoing_request.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/expected.hpp"

namespace newswatch::alert {

/// `text` with every byte but RFC 3986 unreserved characters percent-encoded, for one path
/// segment (room ids and aliases carry '!', '#' and ':').
std::string percent_encode_segment(std::string_view text);

/// True when the target's room is an alias ("#room:server") that must be resolved to a room id.
bool is_room_alias(std::string_view room);

/// GET /_matrix/client/v3/directory/room/{alias}: asks the homeserver which room an alias names
/// (spec.matrix.org, client-server API, "Room aliases"). Resolve once, then send to the id.
OutgoingRequest room_alias_request(const config::Target& target);

/// The room_id of a successful alias lookup; an error with the homeserver's errcode otherwise.
Expected<std::string, std::string> parse_room_alias_response(long status, std::string_view body);

}  // namespace newswatch::alert
