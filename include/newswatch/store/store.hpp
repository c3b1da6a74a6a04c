#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// The daemon's durable memory (the truth, per DESIGN.md). Calls are synchronous and short; one
/// owner thread uses a Store at a time (the loop thread, between fetches), never a parse worker.
///
/// Method groups:
///  - feed HTTP state (below): URL after permanent redirects, validators, poll times, failures, 410;
///  - seen items and story fingerprints (dedup) and the alert outbox join next, each as its own
///    group; a poll's "items seen" and "alerts queued" will be written by one call in one
///    transaction, so a crash either replays the items or finds their alerts queued.
class Store {
 public:
  Store() = default;
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  Store(Store&&) = delete;
  Store& operator=(Store&&) = delete;

  /// Every stored feed state, in feed-name order.
  virtual Expected<std::vector<FeedState>, StoreError> load_feed_states() = 0;
  /// The stored state of one feed, or nullopt when it was never saved.
  virtual Expected<std::optional<FeedState>, StoreError> load_feed_state(std::string_view feed_name) = 0;
  /// Inserts or replaces these states (keyed by feed_name) in one transaction: all or none.
  virtual StoreStatus save_feed_states(const std::vector<FeedState>& states) = 0;
  /// Inserts or replaces one state.
  StoreStatus save_feed_state(const FeedState& state) { return save_feed_states({state}); }
};

}  // namespace newswatch::store
