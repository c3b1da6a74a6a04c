#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/dedup/story_index.hpp"
#include "newswatch/model/alert.hpp"
#include "newswatch/model/feed.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/pipeline/feed_state_update.hpp"
#include "newswatch/pipeline/feed_work.hpp"
#include "newswatch/pipeline/poll_summary.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::pipeline {

/// Policy of the loop-side half of a feed poll, from the config.
struct RecorderSettings {
  std::chrono::seconds max_item_age = std::chrono::days{7};  ///< Per-feed max_item_age overrides it.
  std::chrono::seconds story_window = std::chrono::hours{48};
  std::map<std::string, std::vector<std::string>, std::less<>> rule_targets;  ///< Rule name -> target names.
  bool dry_run = false;                                                       ///< Decide everything, write nothing.
  bool no_baseline = false;  ///< Alert from a feed's first poll even when it asks for a baseline.
};

/// What recording one poll produced.
struct RecordOutcome {
  ItemCounts counts;
  std::vector<std::string> alert_ids;
  bool baselined = false;  ///< This poll was the feed's baseline.
  std::optional<std::string> store_error;
  std::optional<FeedState> state;  ///< The feed state as written (or as a dry run would); unset on a store error.
};

/// The stable id of a rule's alert on a story: a retry, a replay after a crash, or another process
/// all compute the same one, so it serves as the idempotency key of every delivery.
std::string make_alert_id(std::string_view rule, std::uint64_t story);
/// The id of a story its first member starts (63 bits: SQLite integers are signed).
std::uint64_t make_story_id(std::string_view feed, std::string_view identity);

/// The fingerprints the store holds from `since` on, indexed; any thread, with a store of its own.
Expected<dedup::StoryIndex, store::StoreError> load_story_index(store::Store& store, TimePoint since);

/// The loop-side half of a feed poll: gives each new item its story (the same canonical link in any
/// feed, or a near-duplicate inside the story window), decides which rules alert, and writes the
/// feed state, items, stories and alerts of each poll whole.
///
/// Group commit: stage() decides a poll and holds it; commit() writes every poll staged since the
/// last commit in one transaction. Polls that finish together (a cycle's burst) so share one commit
/// instead of paying one each, and each is still all or nothing. A staged poll already counts for
/// the decisions of the polls staged after it (its links, stories and alerts), as it will be written
/// with them.
///
/// A rule alerts once per story. An edit alerts only for rules the stored version did not match.
/// Nothing alerts during a feed's baseline poll, nor for an item first seen when already older than
/// max_item_age.
///
/// Threads: the loop thread only; it owns the story index.
class Recorder {
 public:
  Recorder(store::Store& store, RecorderSettings settings);

  /// New policy (after a config reload) for polls recorded from now on.
  void reconfigure(RecorderSettings settings) { settings_ = std::move(settings); }
  /// Loads the fingerprints of the story window from the store.
  store::StoreStatus load(TimePoint now);
  /// Where the story window of a load at `now` starts.
  [[nodiscard]] TimePoint window_start(TimePoint now) const { return now - settings_.story_window; }
  /// Takes an index loaded elsewhere (load_story_index() from window_start()) instead of load().
  void adopt(dedup::StoryIndex index) { index_ = std::move(index); }
  /// Forgets fingerprints whose story window has closed.
  void expire(TimePoint now);
  /// The store's items of a feed, for the worker to compare against.
  Expected<std::vector<store::KnownItem>, store::StoreError> known_items(const Feed& feed);
  /// Decides one poll and holds it for the next commit(); `work` is empty unless the verdict is
  /// `fetched`. The outcome of the poll comes from that commit().
  void stage(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now);
  /// Writes every staged poll in one transaction and returns their outcomes in staging order. Should
  /// that transaction fail, each poll is written on its own, so one bad poll fails alone.
  std::vector<RecordOutcome> commit();
  /// Polls staged and not yet committed.
  [[nodiscard]] std::size_t staged() const noexcept { return staged_.size(); }
  /// Stages and commits one poll.
  RecordOutcome record(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now);
  /// The alerts with these ids, `also` filled in (from the store, or from memory on a dry run).
  Expected<std::vector<Alert>, store::StoreError> alerts(const std::vector<std::string>& ids);

  /// Counts the term keys of every fresh and edited item recorded from now on into `frequencies`
  /// (nullptr: stop). The sketch stays the caller's; the loop thread is its only user.
  void observe_terms(rules::TermFrequencies* frequencies) noexcept { frequencies_ = frequencies; }
  /// Items counted into the sketch so far.
  [[nodiscard]] std::size_t terms_observed() const noexcept { return terms_observed_; }

  /// Fingerprints held in memory.
  [[nodiscard]] std::size_t fingerprints() const { return index_.size(); }

 private:
  struct DryMember {
    std::string feed;
    std::string identity;
    StoryMember member;
  };

  struct Staged {
    RecordOutcome outcome;
    std::optional<std::size_t> record;  ///< Index in records_; unset when deciding failed.
  };

  /// For each item of `work`, in order, the story the store holds for its link when it is fresh and no
  /// staged item has that link; read in one transaction. A failed read sets `error`.
  std::vector<std::optional<std::uint64_t>> stored_stories_of_links(const FeedWork& work,
                                                                    std::optional<std::string>& error);
  bool alerted(const std::string& rule, std::uint64_t story, std::optional<std::string>& error);
  /// Writes the staged records; false when any of them failed (their outcomes carry the error).
  bool write_staged();

  store::Store& store_;
  RecorderSettings settings_;
  /// Fingerprints of stored and staged items (rebuilt from the store when a commit fails).
  dedup::StoryIndex index_;
  bool index_stale_ = false;  ///< It holds fingerprints of a poll that was not written.
  TimePoint last_staged_{};
  std::vector<Staged> staged_;
  std::vector<store::PollRecord> records_;
  // Of the staged polls, and across the whole run on a dry run (where nothing reaches the store):
  std::map<std::string, std::uint64_t, std::less<>> pending_urls_;
  std::set<std::pair<std::string, std::uint64_t>> pending_alerted_;
  std::map<std::string, Alert, std::less<>> dry_alerts_;
  std::map<std::uint64_t, std::vector<DryMember>> dry_members_;
  rules::TermFrequencies* frequencies_ = nullptr;
  std::size_t terms_observed_ = 0;
};

}  // namespace newswatch::pipeline
