#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/model/alert.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/pipeline/poll_summary.hpp"
#include "newswatch/store/poll_record.hpp"

namespace newswatch::app {

/// The `also` list as JSON: [{"feed","title","link"}].
nlohmann::ordered_json also_to_json(const std::vector<StoryMember>& also);
/// One JSON object on one line: {"alert_id","rule","feed","item_id","title","link","published","story",
/// "why","also"}, plus "updated": true for an edit.
std::string alert_to_json_line(const Alert& alert);
/// Human-readable lines: rule, feed, title, link, what matched, and who else reported it.
std::string alert_to_text(const Alert& alert);
/// The stderr summary: feed counts, item counts (seen, new, updated, folded), alerts, elapsed, then
/// one line per feed that failed or was skipped.
std::string summary_to_text(const pipeline::PollSummary& summary);
/// Logs what retention forgot, when it forgot anything.
void log_pruned(const store::PruneResult& pruned, std::chrono::seconds retention);

}  // namespace newswatch::app
