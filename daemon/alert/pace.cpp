#include "newswatch/alert/pace.hpp"

namespace newswatch::alert {

using std::chrono::seconds;

Pace default_pace(const config::Target& target) {
  switch (target.type) {
    case config::TargetType::slack:
      return {1, seconds{1}, 1, "Slack: one message per second per channel (docs.slack.dev, Rate limits)"};
    case config::TargetType::discord:
      // Webhook buckets are announced in X-RateLimit-* headers, which the dispatcher follows; this
      // keeps under the commonly observed 30 messages a minute per channel until they arrive.
      return {30, seconds{60}, 5, "Discord: per-webhook buckets (X-RateLimit-*), about 30 a minute"};
    case config::TargetType::telegram:
      // A group or channel id is negative or an @username; a private chat id is positive.
      if (target.chat_id.starts_with('-') || target.chat_id.starts_with('@')) {
        return {20, seconds{60}, 1, "Telegram: at most 20 messages a minute to one group (core.telegram.org/bots/faq)"};
      }
      return {1, seconds{1}, 1, "Telegram: about one message a second to one chat (core.telegram.org/bots/faq)"};
    case config::TargetType::teams:
      return {1, seconds{1}, 4, "Teams: webhook posts are throttled; one a second stays clear"};
    case config::TargetType::mattermost:
      return {10, seconds{1}, 10, "Mattermost: default API rate limit, 10 requests a second"};
    case config::TargetType::googlechat:
      return {1, seconds{1}, 1, "Google Chat: one message a second per space (Chat API usage limits)"};
    case config::TargetType::ntfy:
      return {12, seconds{60}, 60, "ntfy.sh: a burst of 60, then one request every 5 seconds"};
    case config::TargetType::matrix:
      return {1, seconds{5}, 10, "Matrix: Synapse's default rc_message (0.2 a second, burst 10)"};
    case config::TargetType::webhook:
    case config::TargetType::console: return {0, seconds{1}, 0, "no platform limit"};
  }
  return {};
}

}  // namespace newswatch::alert
