#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/pipeline/feed_poller.hpp"
#include "newswatch/server/daemon_metrics.hpp"
#include "newswatch/server/status_page.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::app {

/// One scheduled feed as the daemon holds it.
struct FeedView {
  std::string name;
  FeedState state;
  bool polling = false;
};

/// What the daemon knows beyond the store, for the status page.
struct StatusInputs {
  std::string version;
  TimePoint started{};
  std::string config_path;
  std::optional<TimePoint> last_reload;
  std::optional<std::string> last_reload_error;
  const config::Config& config;
  std::vector<FeedView> feeds;
  const std::map<std::string, std::string, std::less<>>& target_errors;  ///< Last error per target.
};

/// How the status page and newswatch_feeds{state} see a feed.
server::FeedHealth feed_health(const FeedState& state, bool polling);

/// The `result` label of newswatch_feed_polls_total for one poll.
server::PollResult poll_result(const pipeline::FeedPollResult& result);

/// The status page's snapshot: the daemon's view of its feeds and targets, with item counts, rule
/// matches of the last 24 hours, queue and dead counts and the recent alerts read from the store.
server::StatusSnapshot make_status_snapshot(store::Store& store, const StatusInputs& inputs, TimePoint now);

}  // namespace newswatch::app
