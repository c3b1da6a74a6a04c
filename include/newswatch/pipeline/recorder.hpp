#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
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

/// The stable id of a rule's alert on a story: whoever computes it from the stored story gets the
/// same one, and it is stored with the alert, so it serves as the idempotency key of every delivery.
std::string make_alert_id(std::string_view rule, std::uint64_t story);
/// A story id hashed from its first member and the time (63 bits: SQLite integers are signed); used
/// only should Recorder's ids, which grow with time, ever run out. The time makes a poll that failed
/// on an id taken already try another one the next time.
std::uint64_t make_story_id(std::string_view feed, std::string_view identity, TimePoint now);
/// The id a new story takes at `now` when ids below `next` are taken: the larger of `next` and
/// `now`'s Unix seconds << 31, so that ids grow with time and new stories go to the end of the
/// store's indexes instead of all over them. nullopt when that would not fit in 63 bits.
std::optional<std::uint64_t> sequential_story_id(std::uint64_t next, TimePoint now);

/// The fingerprints the store holds from `since` on, indexed; any thread, with a store of its own.
Expected<dedup::StoryIndex, store::StoreError> load_story_index(store::Store& store, TimePoint since);

/// The term-frequency sketch earlier runs saved; nullopt when none was, or when it cannot be read
/// (logged: the rules then keep the length-based prior).
Expected<std::optional<rules::TermFrequencies>, store::StoreError> load_term_frequencies(store::Store& store);

/// The loop-side half of a feed poll: gives each new item its story (the same canonical link in any
/// feed, or a near-duplicate inside the story window), decides which rules alert, and writes the
/// feed state, items, stories and alerts of each poll whole.
///
/// Group commit: stage() decides a poll and holds it; the polls staged since the last write are
/// written together in one transaction. Polls that finish together (a cycle's burst) so share one
/// commit instead of paying one each, and each is still all or nothing. A staged poll already
/// counts for the decisions of the polls staged after it (its links, stories and alerts), as it
/// will be written with them; so does a batch on its way to the store, until it is settled.
///
/// The write runs here (commit()) or, through take(), write() and settle(), on a thread with a
/// connection of its own while the loop stages the next polls.
///
/// A rule alerts once per story. An edit alerts only for rules the stored version did not match.
/// Nothing alerts during a feed's baseline poll, nor for an item first seen when already older than
/// max_item_age.
///
/// Threads: the loop thread only (but write()); it owns the story index.
class Recorder {
  struct Staged {
    RecordOutcome outcome;
    std::optional<std::size_t> record;  ///< Index in the batch's records; unset when deciding failed.
  };

 public:
  /// Polls taken for one write, and the links and alerts they hold pending until it is settled.
  class Batch {
   public:
    /// What to write: one record per poll that was decided.
    [[nodiscard]] const std::vector<store::PollRecord>& records() const noexcept { return records_; }

   private:
    friend class Recorder;
    std::vector<Staged> staged_;
    std::vector<store::PollRecord> records_;
    std::vector<std::string> urls_;
    std::vector<std::pair<std::string, std::uint64_t>> alerted_;
    /// Items (record, item) whose fingerprints joined the story index when staged.
    std::vector<std::pair<std::size_t, std::size_t>> indexed_;
  };
  /// Per record of a batch, why writing it failed; all unset when it was written.
  using WriteErrors = std::vector<std::optional<std::string>>;

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
  /// Whether stage() would consult the story index for `work`: only a fresh item does, so a poll
  /// without one can be staged before the index is in (adopt()).
  [[nodiscard]] static bool needs_story_index(const FeedWork& work);
  /// Decides one poll and holds it for the next write; `work` is empty unless the verdict is
  /// `fetched`. The outcome of the poll comes from that write's commit() or settle().
  void stage(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now);
  /// Writes every staged poll in one transaction and returns their outcomes in staging order. Should
  /// that transaction fail, each poll is written on its own, so one bad poll fails alone.
  std::vector<RecordOutcome> commit();
  /// Polls staged and not yet taken.
  [[nodiscard]] std::size_t staged() const noexcept { return current_.staged_.size(); }
  /// Stages and commits one poll.
  RecordOutcome record(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now);

  /// Takes every staged poll for one write elsewhere; settle() it before taking the next.
  Batch take();
  /// Writes `records` as commit() does, on any thread, through `store` (a connection that thread
  /// owns); never for a dry run's batch.
  [[nodiscard]] static WriteErrors write(store::Store& store, std::span<const store::PollRecord> records);
  /// Ends a taken batch once write() returned `errors` for its records (each record's error when no
  /// connection could write it): returns the outcomes of its polls in staging order.
  std::vector<RecordOutcome> settle(Batch batch, const WriteErrors& errors);
  /// Whether settle() is owed: a batch has been taken and not settled.
  [[nodiscard]] bool writing() const noexcept { return writing_; }

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

  /// For each item of `work`, in order, the story the store holds for its link when it is fresh and no
  /// pending item has that link; read in one transaction. A failed read sets `error`.
  std::vector<std::optional<std::uint64_t>> stored_stories_of_links(const FeedWork& work,
                                                                    std::optional<std::string>& error);
  bool alerted(const std::string& rule, std::uint64_t story, std::optional<std::string>& error);
  /// The id of a story that `identity` of `feed` starts now. The first call, and the first after a
  /// failed write, reads the largest id the store holds, as another process may have taken ids
  /// meanwhile; a failed read sets `error`.
  std::uint64_t start_story(std::string_view feed, std::string_view identity, TimePoint now,
                            std::optional<std::string>& error);
  /// Reloads the index from the store, plus the fingerprints of the polls staged since.
  void rebuild_index();

  store::Store& store_;
  RecorderSettings settings_;
  /// Fingerprints of stored and pending items (rebuilt from the store when a write fails).
  dedup::StoryIndex index_;
  bool index_stale_ = false;  ///< It holds fingerprints of a poll that was not written.
  bool writing_ = false;
  TimePoint last_staged_{};
  std::uint64_t next_story_ = 1;  ///< No story id below it is given again.
  bool story_ids_read_ = false;   ///< next_story_ is above every id the store held when last read.
  Batch current_;                 ///< Staged, not yet taken.
  // Of the staged polls and the batch being written, and across the whole run on a dry run (where
  // nothing reaches the store):
  /// Link -> story. Hashed: a cold cycle stages and settles tens of thousands of links, which share
  /// long prefixes (the outlet's host and path) that an ordered map compares again and again.
  std::unordered_map<std::string, std::uint64_t> pending_urls_;
  std::set<std::pair<std::string, std::uint64_t>> pending_alerted_;
  std::map<std::string, Alert, std::less<>> dry_alerts_;
  std::map<std::uint64_t, std::vector<DryMember>> dry_members_;
  rules::TermFrequencies* frequencies_ = nullptr;
  std::size_t terms_observed_ = 0;
};

}  // namespace newswatch::pipeline
