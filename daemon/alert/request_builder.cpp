#include "newswatch/alert/request_builder.hpp"

#include "platforms.hpp"

namespace newswatch::alert {

Expected<std::vector<OutgoingRequest>, std::string> build_requests(const config::Target& target, const Message& message,
                                                                   TimePoint now) {
  if (message.alerts.empty()) {
    return make_unexpected(std::string("a message needs at least one alert"));
  }
  switch (target.type) {
    case config::TargetType::webhook: return detail::build_webhook(target, message, now);
    case config::TargetType::slack: return detail::build_slack(target, message);
    case config::TargetType::discord: return detail::build_discord(target, message);
    case config::TargetType::teams: return detail::build_teams(target, message);
    case config::TargetType::mattermost: return detail::build_mattermost(target, message);
    case config::TargetType::googlechat: return detail::build_google_chat(target, message);
    case config::TargetType::telegram: return detail::build_telegram(target, message);
    case config::TargetType::ntfy: return detail::build_ntfy(target, message);
    case config::TargetType::matrix: return detail::build_matrix(target, message);
    case config::TargetType::console: return detail::build_console(target, message);
  }
  return make_unexpected(std::string("unknown target type"));
}

}  // namespace newswatch::alert
