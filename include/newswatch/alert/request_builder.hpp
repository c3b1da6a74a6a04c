#pragma once

#include <string>
#include <vector>

#include "newswatch/alert/message.hpp"
#include "newswatch/alert/outgoing_request.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/expected.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::alert {

/// The request(s) that deliver `message` to `target`, inside the platform's limits: one for a
/// story, one per page for a digest too long for one message. `now` stamps signed webhooks.
/// A Matrix target's room must be a room id ("!…"); resolve an alias first (matrix_room.hpp).
/// An error (a template that fails, a missing token) means the message cannot be sent as configured.
Expected<std::vector<OutgoingRequest>, std::string> build_requests(const config::Target& target, const Message& message,
                                                                   TimePoint now);

}  // namespace newswatch::alert
