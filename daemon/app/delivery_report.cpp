#include "newswatch/app/delivery_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

namespace newswatch::app {

void DeliveryReport::add(const alert::DeliveryEvent& event) {
  auto& counts = targets_[event.target];
  counts.type = config::target_type_name(event.type);
  switch (event.state) {
    case DeliveryState::sent: counts.sent += event.alert_ids.size(); break;
    case DeliveryState::dead:
      counts.dead += event.alert_ids.size();
      counts.last_problem = event.detail;
      break;
    case DeliveryState::pending:
      counts.last_problem = event.next_attempt
                                ? fmt::format("{}; next attempt {}", event.detail, format_rfc3339(*event.next_attempt))
                                : event.detail;
      break;
  }
}

void DeliveryReport::set_waiting(const std::string& target, std::size_t count) {
  targets_[target].waiting = count;
}

std::string DeliveryReport::to_text() const {
  std::string text;
  for (const auto& [target, counts] : targets_) {
    if (counts.sent + counts.dead + counts.waiting == 0) {
      continue;
    }
    std::vector<std::string> parts;
    parts.push_back(fmt::format("{} sent", counts.sent));
    if (counts.dead > 0) {
      parts.push_back(fmt::format("{} dead", counts.dead));
    }
    if (counts.waiting > 0) {
      parts.push_back(fmt::format("{} still queued", counts.waiting));
    }
    text += fmt::format("  deliver: {}{}: {}", target, counts.type.empty() ? "" : " (" + counts.type + ")",
                        fmt::join(parts, ", "));
    if (!counts.last_problem.empty() && counts.dead + counts.waiting > 0) {
      text += fmt::format(" ({})", counts.last_problem);
    }
    text += '\n';
  }
  return text;
}

}  // namespace newswatch::app
