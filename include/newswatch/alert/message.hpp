#pragma once

#include <span>
#include <string>
#include <vector>

#include "newswatch/model/alert.hpp"

namespace newswatch::alert {

/// What a message is about.
enum class MessageKind {
  story,   ///< One story: the alerts of every rule that matched it, named together.
  digest,  ///< Many alerts folded into one list of titles and links.
};

/// One or more alerts that go to one target as one message (or, for a digest longer than the
/// platform allows, as a few).
struct Message {
  MessageKind kind = MessageKind::story;
  std::vector<Alert> alerts;  ///< Story: the same story, one alert per rule. Digest: any, in order.
};

/// One story message per story among `alerts`, in the order each story first appears; the alerts
/// of one story keep their order. Every alert lands in exactly one message, so marking a message
/// sent accounts for each of them.
std::vector<Message> group_by_story(std::span<const Alert> alerts);

/// A digest message of `alerts`, in their order.
Message make_digest(std::span<const Alert> alerts);

/// The message's idempotency key: the alert id for one alert, else "msg_" and 32 hex digits of
/// SHA-256 over the sorted alert ids, so a retry of the same message always carries the same key.
std::string message_id(const Message& message);

}  // namespace newswatch::alert
