#pragma once

#include <memory>

#include "newswatch/config/config.hpp"
#include "newswatch/net/http_client.hpp"
#include "newswatch/pipeline/feed_work.hpp"
#include "newswatch/pipeline/poll_cycle.hpp"
#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/rules/live_rule_set.hpp"
#include "newswatch/rules/rule_set.hpp"

namespace newswatch::pipeline {

/// fetch::conditional GET through `client` (kept by reference: it must outlive the function).
FetchFunction make_fetch_function(net::HttpClient& client, const config::DaemonSettings& daemon);
/// parse::parse_feed, with the feed's polling hints converted for the schedule.
ParseFunction make_parse_function();
/// The canonical link (url::canonical_identity with [daemon] strip_query_params) and
/// dedup::identify_key; work_on_body() completes the identity of items it does not find unchanged.
IdentifyFunction make_identify_function(const config::DaemonSettings& daemon);
/// RuleSet::match, with each match's evidence quoted from the item (thread-safe: the RuleSet is const
/// and kept by reference: it must outlive the function).
MatchFunction make_match_function(const rules::RuleSet& rules);
/// As make_match_function(), with whichever set `rules` holds when the item is matched, so that a
/// re-indexed set swapped in by the loop takes effect at the next item (kept by reference).
MatchFunction make_match_function(const rules::LiveRuleSet& rules);
/// The item's distinct term keys (rules::DocumentTerms, one per worker thread).
TermFunction make_term_function();
/// The worker stages, as make_parse_function(), make_identify_function(), make_match_function() and
/// make_term_function().
WorkerStages make_worker_stages(const config::DaemonSettings& daemon, const rules::RuleSet& rules);
/// The same, with stages that share ownership of `rules` (for a daemon that swaps rule sets).
WorkerStages make_worker_stages(const config::DaemonSettings& daemon, std::shared_ptr<const rules::RuleSet> rules);
/// The poll-cycle settings a [daemon] table asks for.
PollCycleSettings poll_cycle_settings(const config::DaemonSettings& daemon);
/// The enabled rules of a config, for RuleSet::compile().
std::vector<rules::RuleDefinition> rule_definitions(const config::Config& config);
/// The Recorder policy a config asks for: ages, the story window, each enabled rule's targets.
RecorderSettings recorder_settings(const config::Config& config);

}  // namespace newswatch::pipeline
