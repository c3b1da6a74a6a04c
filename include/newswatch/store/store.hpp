#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/store/poll_record.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// The daemon's durable memory (the truth, per DESIGN.md). Calls are synchronous and short; one
/// owner thread uses a Store at a time (the loop thread, between fetches), never a parse worker.
///
/// Method groups:
///  - feed HTTP state: URL after permanent redirects, validators, poll times, failures, 410;
///  - memory: seen items, stories and their fingerprints;
///  - alerts and their deliveries (the outbox);
///  - the rules' term-frequency sketch (opaque bytes), so a restart keeps its index weights.
/// A poll's feed state, items seen and alerts queued are written by one call, record_polls(), in one
/// transaction, so a crash either replays the items or finds their alerts queued. Several polls may
/// share that transaction (a group commit): each is still all or nothing.
///
/// No SQLite type appears here: another database can implement it.
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

  /// Writes these polls whole, in order and in one transaction: feed states, new and edited items,
  /// refreshed items, new stories, new alerts and their pending deliveries. All or nothing.
  virtual StoreStatus record_polls(std::span<const PollRecord> records) = 0;
  /// Writes one poll whole.
  StoreStatus record_poll(const PollRecord& record) { return record_polls(std::span<const PollRecord>(&record, 1)); }
  /// The items stored for `feed` (the per-poll snapshot dedup compares against).
  virtual Expected<std::vector<KnownItem>, StoreError> load_known_items(std::string_view feed) = 0;
  /// For each of these canonical URLs, in order, the story of an item with it in any feed, or
  /// nullopt (always for an empty URL). Read in one transaction.
  virtual Expected<std::vector<std::optional<std::uint64_t>>, StoreError> stories_of_urls(
      std::span<const std::string_view> canonical_urls) = 0;
  /// Rules that already alerted on `story`.
  virtual Expected<std::vector<std::string>, StoreError> rules_alerted(std::uint64_t story) = 0;
  /// The largest story id any stored story, item or alert refers to; 0 when there is none. A new
  /// story takes a larger one, so no id is ever given twice, even after pruning.
  virtual Expected<std::uint64_t, StoreError> largest_story_id() = 0;
  /// Fingerprints of items first seen at or after `since`, oldest first (rebuilds the story index).
  /// Each is passed to `visit` as it is read, so that no copy of them all is held.
  virtual StoreStatus scan_fingerprints(TimePoint since,
                                        const std::function<void(const FingerprintRecord&)>& visit) = 0;

  /// These alerts with `also` filled from their story's other members, in the order asked.
  virtual Expected<std::vector<Alert>, StoreError> load_alerts(const std::vector<std::string>& ids) = 0;
  /// Alerts, newest first, with their deliveries.
  virtual Expected<std::vector<AlertOverview>, StoreError> list_alerts(const AlertFilter& filter) = 0;
  /// Marks deliveries finished (sent or dead) or rescheduled (pending with next_attempt).
  virtual StoreStatus update_deliveries(const std::vector<Delivery>& deliveries) = 0;
  /// Pending deliveries with no next_attempt or one at or before `now`, at most `limit`, oldest
  /// alert first (so each target's share keeps the order its alerts were made in). Rows for which
  /// `skip` holds (ones the caller has already) are left out before their alerts are read and do
  /// not count towards `limit`.
  virtual Expected<std::vector<DueDelivery>, StoreError> load_due_deliveries(
      TimePoint now, std::size_t limit, const std::function<bool(const Delivery&)>& skip = {}) = 0;
  /// The earliest next_attempt of a pending delivery, nullopt when none waits for a time.
  virtual Expected<std::optional<TimePoint>, StoreError> next_delivery_time() = 0;
  /// Closes those of these alerts that have no pending delivery left (see close_alerts()).
  virtual StoreStatus close_finished_alerts(const std::vector<std::string>& ids, TimePoint now) = 0;
  /// update_deliveries() and close_finished_alerts() for the alerts of those that finished (sent or
  /// dead), in one transaction: all or nothing.
  virtual StoreStatus record_delivery_results(const std::vector<Delivery>& deliveries, TimePoint now) = 0;
  /// Freezes these alerts' `also` lists: members joining their story after `now` no longer appear.
  virtual StoreStatus close_alerts(const std::vector<std::string>& ids, TimePoint now) = 0;

  /// Every stored feed with its item count, in name order.
  virtual Expected<std::vector<FeedOverview>, StoreError> list_feeds() = 0;
  /// Pending and dead deliveries per target (targets with neither are left out), in name order.
  virtual Expected<std::vector<DeliveryCounts>, StoreError> delivery_counts() = 0;
  /// The newest `limit` items of a feed (by first_seen).
  virtual Expected<std::vector<SeenItem>, StoreError> list_items(std::string_view feed, std::size_t limit) = 0;
  /// Stories that gained a member at or after `since`, newest first, with their members.
  virtual Expected<std::vector<StoryOverview>, StoreError> list_stories(TimePoint since, std::size_t limit) = 0;
  /// Drops a feed's state and items, so its next poll baselines again. False when nothing was stored.
  virtual Expected<bool, StoreError> forget_feed(std::string_view feed) = 0;
  /// Forgets items not seen in their feed since `items_before`, stories left without members, and
  /// finished alerts created before `alerts_before`: at most `limit` rows of each, in one short
  /// transaction. PruneResult::more says that rows were left for another call.
  virtual Expected<PruneResult, StoreError> prune(TimePoint items_before, TimePoint alerts_before,
                                                  std::size_t limit) = 0;

  /// The saved term-frequency sketch (rules::TermFrequencies::serialize()), nullopt when none was.
  virtual Expected<std::optional<std::string>, StoreError> load_term_frequencies() = 0;
  /// Replaces the saved term-frequency sketch.
  virtual StoreStatus save_term_frequencies(std::string_view sketch, TimePoint now) = 0;
};

/// Rows prune() takes per transaction where the loop thread waits for it. Each row leaves five
/// B-trees of a large, mostly cold file: a slice costs tens of milliseconds on a year-old store.
inline constexpr std::size_t prune_slice = 250;

/// Calls store.prune() slice after slice until nothing is left; the counts are the totals.
Expected<PruneResult, StoreError> prune_all(Store& store, TimePoint items_before, TimePoint alerts_before,
                                            std::size_t slice = prune_slice);

}  // namespace newswatch::store
