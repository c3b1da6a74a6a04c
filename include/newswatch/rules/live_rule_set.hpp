#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include "newswatch/rules/rule_set.hpp"

namespace newswatch::rules {

/// The rule set matching uses now, swapped whole when a re-indexed one is ready and never changed
/// in place: a worker takes the current set for an item or a feed with load() and keeps it alive
/// for as long as it holds it, while the loop thread store()s the next one. Neither waits for a
/// rebuild; both only copy a pointer.
///
/// The daemon's use, with `frequencies` owned by the loop thread:
///  1. at start, TermFrequencies::deserialize(Store::load_term_frequencies()) or a fresh sketch,
///     RuleSet::compile(definitions, &frequencies), and a LiveRuleSet holding it;
///  2. workers match with load() and return each item's DocumentTerms keys
///     (pipeline::make_term_function()); the loop observes them (Recorder::observe_terms());
///  3. every few thousand items the loop posts a copy of `frequencies` and load() to the worker
///     pool, which runs reindex_if_better(); a non-null result is posted back and store()d;
///  4. now and then, and at shutdown, Store::save_term_frequencies(frequencies.serialize(), now).
class LiveRuleSet {
 public:
  /// Holds `initial` (never null).
  explicit LiveRuleSet(std::shared_ptr<const RuleSet> initial) : current_(std::move(initial)) {}

  /// The set in force; stays valid while the caller holds it, whatever store() does.
  [[nodiscard]] std::shared_ptr<const RuleSet> load() const { return current_.load(std::memory_order_acquire); }
  /// Puts `next` in force for every later load().
  void store(std::shared_ptr<const RuleSet> next) { current_.store(std::move(next), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const RuleSet>> current_;
};

}  // namespace newswatch::rules
