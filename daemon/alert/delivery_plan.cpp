#include "newswatch/alert/delivery_plan.hpp"

#include <algorithm>
#include <map>

namespace newswatch::alert {

std::vector<Message> plan_messages(std::span<const Alert> alerts, const IsDigestRule& is_digest_rule,
                                   std::size_t budget) {
  if (budget == 0 || alerts.empty()) {
    return {};
  }
  // Each message remembers where its oldest alert stood, to interleave digests and stories in order.
  std::vector<std::pair<std::size_t, Message>> ordered;
  std::map<std::string, std::size_t> digest_of_rule;
  std::vector<Alert> single;
  std::vector<std::size_t> single_position;
  for (std::size_t position = 0; position < alerts.size(); ++position) {
    const auto& alert = alerts[position];
    if (is_digest_rule && is_digest_rule(alert.rule)) {
      const auto [found, inserted] = digest_of_rule.emplace(alert.rule, ordered.size());
      if (inserted) {
        ordered.emplace_back(position, Message{MessageKind::digest, {}});
      }
      ordered[found->second].second.alerts.push_back(alert);
      continue;
    }
    single.push_back(alert);
    single_position.push_back(position);
  }
  for (auto& message : group_by_story(single)) {
    const auto first = std::find_if(single.begin(), single.end(),
                                    [&message](const Alert& alert) { return alert.id == message.alerts.front().id; });
    ordered.emplace_back(single_position[static_cast<std::size_t>(first - single.begin())], std::move(message));
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& left, const auto& right) { return left.first < right.first; });

  std::vector<Message> messages;
  messages.reserve(std::min(ordered.size(), budget));
  for (auto& [position, message] : ordered) {
    if (messages.size() + 1 < budget || ordered.size() <= budget) {
      messages.push_back(std::move(message));
      continue;
    }
    if (messages.size() + 1 == budget) {
      messages.push_back(Message{MessageKind::digest, {}});
    }
    auto& folded = messages.back().alerts;
    folded.insert(folded.end(), message.alerts.begin(), message.alerts.end());
  }
  return messages;
}

}  // namespace newswatch::alert
