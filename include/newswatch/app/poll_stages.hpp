#pragma once

#include "newswatch/app/poll_cycle.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/net/http_client.hpp"
#include "newswatch/rules/rule_set.hpp"

namespace newswatch::app {

/// The production stages of a PollCycle: fetch::conditional GET through `client`, parse::parse_feed
/// and a compiled RuleSet. The functions keep references to `client` and `rules`, which must
/// outlive them.
PollCycle::FetchFunction make_fetch_function(net::HttpClient& client, const config::DaemonSettings& daemon);
/// parse::parse_feed, with the feed's polling hints converted for the schedule.
PollCycle::ParseFunction make_parse_function();
/// RuleSet::match, with each match's evidence quoted from the item (thread-safe: the RuleSet is const).
PollCycle::MatchFunction make_match_function(const rules::RuleSet& rules);
/// The poll-cycle settings a [daemon] table asks for.
PollCycleSettings poll_cycle_settings(const config::DaemonSettings& daemon);

}  // namespace newswatch::app
