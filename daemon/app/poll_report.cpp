#include "newswatch/app/poll_report.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "newswatch/config/units.hpp"

namespace newswatch::app {

namespace {

nlohmann::ordered_json why_to_json(const std::vector<MatchEvidence>& why) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& evidence : why) {
    nlohmann::ordered_json spans = nlohmann::ordered_json::array();
    for (const auto& [begin, end] : evidence.spans) {
      spans.push_back({begin, end});
    }
    array.push_back({{"field", evidence.field}, {"spans", std::move(spans)}, {"text", evidence.text}});
  }
  return array;
}

}  // namespace

nlohmann::ordered_json also_to_json(const std::vector<StoryMember>& also) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& member : also) {
    array.push_back({{"feed", member.feed}, {"title", member.title}, {"link", member.link}});
  }
  return array;
}

std::string alert_to_json_line(const Alert& alert) {
  nlohmann::ordered_json line{
      {"alert_id", alert.id},
      {"rule", alert.rule},
      {"feed", alert.feed},
      {"item_id", alert.item_id},
      {"title", alert.title},
      {"link", alert.link},
      {"published",
       alert.published ? nlohmann::ordered_json(format_rfc3339(*alert.published)) : nlohmann::ordered_json(nullptr)},
      {"story", alert.story},
      {"why", why_to_json(alert.why)},
      {"also", also_to_json(alert.also)},
  };
  if (alert.updated) {
    line["updated"] = true;
  }
  // Feeds carry broken UTF-8 now and then; replace it rather than lose the line.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string alert_to_text(const Alert& alert) {
  std::string text = fmt::format("[{}] {}: {}{}", alert.rule, alert.feed, alert.updated ? "(updated) " : "",
                                 alert.title.empty() ? "(untitled)" : alert.title);
  if (alert.published) {
    text += fmt::format(" ({})", format_rfc3339(*alert.published));
  }
  if (!alert.link.empty()) {
    text += "\n    " + alert.link;
  }
  std::vector<std::string> reasons;
  for (const auto& evidence : alert.why) {
    std::vector<std::string> quoted;
    for (const auto& excerpt : evidence.text) {
      quoted.push_back(fmt::format("\"{}\"", excerpt));
    }
    reasons.push_back(fmt::format("{} {}", evidence.field, fmt::join(quoted, ", ")));
  }
  if (!reasons.empty()) {
    text += fmt::format("\n    matched {}", fmt::join(reasons, "; "));
  }
  if (!alert.also.empty()) {
    std::vector<std::string> outlets;
    for (const auto& member : alert.also) {
      outlets.push_back(member.link.empty() ? member.feed : fmt::format("{} ({})", member.feed, member.link));
    }
    text += fmt::format("\n    also reported by: {}", fmt::join(outlets, ", "));
  }
  return text;
}

std::string summary_to_text(const pipeline::PollSummary& summary) {
  using pipeline::PollVerdict;
  std::string text = fmt::format(
      "once: {} feeds: {} ok, {} not modified, {} failed, {} gone, {} skipped; items: {} seen, {} new, {} updated, "
      "{} duplicates folded; {} alerts in {:.2f} s\n",
      summary.feeds.size(), summary.count(PollVerdict::fetched), summary.count(PollVerdict::not_modified),
      summary.count(PollVerdict::failed), summary.count(PollVerdict::gone), summary.count(PollVerdict::skipped),
      summary.items.seen, summary.items.fresh, summary.items.updated, summary.items.folded, summary.items.alerts,
      static_cast<double>(summary.elapsed.count()) / 1000.0);
  std::size_t baselined = 0;
  for (const auto& feed : summary.feeds) {
    baselined += feed.baselined ? 1 : 0;
  }
  if (baselined > 0) {
    text += fmt::format("  baseline: {} feed(s) polled for the first time; their items are recorded, not alerted\n",
                        baselined);
  }
  for (const auto& feed : summary.feeds) {
    const char* label = nullptr;
    switch (feed.verdict) {
      case PollVerdict::failed: label = "failed"; break;
      case PollVerdict::gone: label = "gone"; break;
      case PollVerdict::skipped: label = "skipped"; break;
      case PollVerdict::fetched:
      case PollVerdict::not_modified: break;
    }
    if (label != nullptr) {
      text += fmt::format("  {:<8}{} ({}): {}\n", label, feed.feed, feed.url, feed.detail);
    }
  }
  if (summary.store_error) {
    text += fmt::format("  store: {}\n", *summary.store_error);
  }
  return text;
}

void log_pruned(const store::PruneResult& pruned, std::chrono::seconds retention) {
  if (pruned.items + pruned.alerts > 0) {
    spdlog::info("store: forgot {} item(s), {} stor(ies) and {} alert(s) older than retention {}", pruned.items,
                 pruned.stories, pruned.alerts, config::format_duration(retention));
  }
}

}  // namespace newswatch::app
