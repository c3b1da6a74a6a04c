#pragma once

#include <string>
#include <string_view>

#include "newswatch/config/config.hpp"
#include "newswatch/model/expected.hpp"

namespace newswatch::config {

/// What an Apprise-style target URL (github.com/caronc/apprise/wiki) stands for.
struct TargetShorthand {
  TargetType type = TargetType::webhook;
  std::string url;  ///< The real endpoint; empty for Telegram's default API server.
  std::string token;
  std::string chat_id;
  std::string room;
};

/// True when `url` starts with a shorthand scheme: discord://, tgram://, ntfy://, ntfys://,
/// json://, jsons://, slack://, mmost://, mmosts://, matrix://, matrixs://.
bool is_target_shorthand(std::string_view url);

/// Expands a shorthand URL, for example
///   discord://ID/TOKEN         → https://discord.com/api/webhooks/ID/TOKEN
///   tgram://BOTTOKEN/CHAT_ID   → Telegram, token and chat_id
///   ntfys://host/topic         → https://host/topic (ntfy://topic → https://ntfy.sh/topic)
///   json://host/path           → http://host/path (jsons:// → https)
///   slack://TA/TB/TC           → https://hooks.slack.com/services/TA/TB/TC
///   mmosts://host/TOKEN        → https://host/hooks/TOKEN
///   matrixs://TOKEN@host/#room → homeserver https://host, room #room:host
/// An error says what is wrong with it (user:password logins are not supported: use a token).
Expected<TargetShorthand, std::string> parse_target_shorthand(std::string_view url);

}  // namespace newswatch::config
