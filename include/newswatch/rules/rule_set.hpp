#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/rules/query.hpp"
#include "newswatch/rules/query_error.hpp"

namespace newswatch::rules {

/// One watch rule as configured.
struct RuleDefinition {
  std::string name;
  std::string query;
  std::vector<std::string> feeds;  ///< Feed names or "tag:NAME"; empty: every feed.
};

/// Why one rule did not compile.
struct RuleSetError {
  std::string rule;
  QueryError error;
};

/// What a rule set matches against: an item and where it came from.
struct MatchInput {
  const Item& item;
  std::string_view feed_name;
  const std::vector<std::string>& feed_tags;
  std::string_view language;  ///< BCP 47 tag from the feed or item; may be empty.
};

/// Counters from one match() call, for `match --stats`.
struct MatchStats {
  std::size_t candidates = 0;  ///< Rules evaluated after presearch.
  std::size_t matches = 0;
};

/// Compiled watch rules with a presearch index (in the spirit of Lucene Monitor): each rule is
/// indexed under the terms one of which must occur for it to match (a conjunction under its rarest
/// required term, a disjunction under all its branches); rules without such terms are always
/// evaluated. Immutable after compile(), so one RuleSet may be shared by threads.
class RuleSet {
 public:
  /// An empty set that matches nothing.
  RuleSet() = default;

  /// Parses and indexes every rule; fails with one entry per rule that does not compile.
  static Expected<RuleSet, std::vector<RuleSetError>> compile(const std::vector<RuleDefinition>& definitions);

  /// Rules matching the item, in definition order, each with the spans that satisfied it.
  [[nodiscard]] std::vector<Match> match(const MatchInput& input) const;
  /// As match(), also counting candidates into `stats`.
  std::vector<Match> match(const MatchInput& input, MatchStats& stats) const;
  /// Evaluates every rule without the presearch index: the reference for tests and benchmarks.
  [[nodiscard]] std::vector<Match> match_brute_force(const MatchInput& input) const;

  /// Number of rules.
  [[nodiscard]] std::size_t size() const noexcept { return rules_.size(); }
  /// Number of rules the index cannot narrow down (evaluated for every item).
  [[nodiscard]] std::size_t always_checked() const noexcept { return always_.size(); }

  /// A compiled rule: the query, its term ids in the set's dictionary and its feed filter.
  struct CompiledRule {
    std::string name;
    Query query;
    std::vector<std::uint32_t> term_ids;  ///< Parallel to query.terms().
    std::vector<std::string> feed_names;  ///< Lower case.
    std::vector<std::string> feed_tags;   ///< Lower case.
  };

  /// Hash for heterogeneous string lookup.
  struct TermHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
  };
  /// Term text -> id.
  using TermMap = std::unordered_map<std::string, std::uint32_t, TermHash, std::equal_to<>>;

 private:
  std::vector<Match> run(const MatchInput& input, const std::vector<std::uint32_t>* all_rules, MatchStats* stats) const;

  std::vector<CompiledRule> rules_;
  TermMap words_;                              ///< Whole tokens and site/feed/lang keys.
  TermMap prefixes_;                           ///< Prefix stems.
  std::vector<std::uint32_t> prefix_lengths_;  ///< Distinct stem lengths in bytes, ascending.
  std::vector<std::uint32_t> index_offsets_;   ///< Term id -> [offsets[t], offsets[t+1]) in index_rules_.
  std::vector<std::uint32_t> index_rules_;
  std::vector<std::uint32_t> always_;
  std::vector<std::uint32_t> all_rules_;  ///< 0..size()-1, for match_brute_force.
};

/// Key under which site/feed/tag/lang filters live in the term dictionary (never a token: tokens
/// have no control characters).
std::string filter_key(QueryNodeKind kind, std::string_view value);

}  // namespace newswatch::rules
