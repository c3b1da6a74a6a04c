#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "newswatch/alert/message.hpp"

namespace newswatch::alert {

/// True for a rule whose alerts go out as a digest (rule `digest = "15m"`).
using IsDigestRule = std::function<bool(const std::string& rule)>;

/// The messages one target's due alerts (oldest first) go out as, at most `budget` of them: a
/// digest per digest rule, one message per story for the rest (several rules on one story make
/// one message), in the order of each message's oldest alert. When there are more than `budget`,
/// the first budget - 1 go as they are and everything after them is folded into one digest, so
/// nothing waits and nothing is dropped. A `budget` of 0 plans nothing.
std::vector<Message> plan_messages(std::span<const Alert> alerts, const IsDigestRule& is_digest_rule,
                                   std::size_t budget);

}  // namespace newswatch::alert
