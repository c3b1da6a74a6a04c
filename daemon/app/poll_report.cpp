#include "newswatch/app/poll_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace newswatch::app {

std::size_t PollSummary::count(PollVerdict verdict) const {
  return static_cast<std::size_t>(
      std::count_if(feeds.begin(), feeds.end(), [verdict](const FeedReport& feed) { return feed.verdict == verdict; }));
}

std::string match_to_json_line(const MatchRecord& match) {
  nlohmann::ordered_json why = nlohmann::ordered_json::array();
  for (const auto& evidence : match.why) {
    nlohmann::ordered_json spans = nlohmann::ordered_json::array();
    for (const auto& [begin, end] : evidence.spans) {
      spans.push_back({begin, end});
    }
    why.push_back({{"field", evidence.field}, {"spans", std::move(spans)}, {"text", evidence.text}});
  }
  const nlohmann::ordered_json line{
      {"rule", match.rule},
      {"feed", match.feed},
      {"item_id", match.item_id},
      {"title", match.title},
      {"link", match.link},
      {"published",
       match.published ? nlohmann::ordered_json(format_rfc3339(*match.published)) : nlohmann::ordered_json(nullptr)},
      {"why", std::move(why)},
  };
  // Feeds carry broken UTF-8 now and then; replace it rather than lose the line.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string match_to_text(const MatchRecord& match) {
  std::string text =
      fmt::format("[{}] {}: {}", match.rule, match.feed, match.title.empty() ? "(untitled)" : match.title);
  if (match.published) {
    text += fmt::format(" ({})", format_rfc3339(*match.published));
  }
  if (!match.link.empty()) {
    text += "\n    " + match.link;
  }
  std::vector<std::string> reasons;
  for (const auto& evidence : match.why) {
    std::vector<std::string> quoted;
    for (const auto& excerpt : evidence.text) {
      quoted.push_back(fmt::format("\"{}\"", excerpt));
    }
    reasons.push_back(fmt::format("{} {}", evidence.field, fmt::join(quoted, ", ")));
  }
  if (!reasons.empty()) {
    text += fmt::format("\n    matched {}", fmt::join(reasons, "; "));
  }
  return text;
}

std::string format_duration(std::chrono::seconds duration) {
  using namespace std::chrono;
  if (duration < 1min) {
    return fmt::format("{}s", duration.count());
  }
  const auto whole_days = duration_cast<days>(duration);
  const auto whole_hours = duration_cast<hours>(duration - whole_days);
  const auto whole_minutes = duration_cast<minutes>(duration - whole_days - whole_hours);
  if (whole_days.count() > 0) {
    return whole_hours.count() > 0 ? fmt::format("{}d{}h", whole_days.count(), whole_hours.count())
                                   : fmt::format("{}d", whole_days.count());
  }
  if (whole_hours.count() > 0) {
    return whole_minutes.count() > 0 ? fmt::format("{}h{}m", whole_hours.count(), whole_minutes.count())
                                     : fmt::format("{}h", whole_hours.count());
  }
  return fmt::format("{}m", whole_minutes.count());
}

std::string summary_to_text(const PollSummary& summary) {
  std::string text = fmt::format(
      "once: {} feeds: {} ok, {} not modified, {} failed, {} gone, {} skipped; {} items, {} matches in {:.2f} s\n",
      summary.feeds.size(), summary.count(PollVerdict::fetched), summary.count(PollVerdict::not_modified),
      summary.count(PollVerdict::failed), summary.count(PollVerdict::gone), summary.count(PollVerdict::skipped),
      summary.items, summary.matches, static_cast<double>(summary.elapsed.count()) / 1000.0);
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

}  // namespace newswatch::app
