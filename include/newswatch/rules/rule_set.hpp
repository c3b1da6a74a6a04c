#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/rules/query.hpp"
#include "newswatch/rules/query_error.hpp"
#include "newswatch/rules/term_dictionary.hpp"

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

  /// A compiled rule: its name, the parsed query and its feed filter.
  struct CompiledRule {
    std::string name;
    Query query;
    std::vector<std::string> feed_names;  ///< Lower case.
    std::vector<std::string> feed_tags;   ///< Lower case.
  };

  /// Every rule's query nodes in shared flat arrays, which is what matching walks: a candidate's
  /// nodes and operands sit together instead of behind a Query's own allocations. Node operands
  /// (QueryNode::first) index `operands`; those hold node indices for AND/OR/NOT/NEAR, dictionary
  /// term ids for words, prefixes, phrases and filters, and `regexes` indices for regexes.
  struct Program {
    std::vector<QueryNode> nodes;
    std::vector<std::uint32_t> operands;
    std::vector<std::shared_ptr<const re2::RE2>> regexes;
  };

  /// Term text -> id.
  using TermMap = TermDictionary;

 private:
  std::vector<Match> run(const MatchInput& input, const std::vector<std::uint32_t>* all_rules, MatchStats* stats) const;

  // What match() reads per candidate, 8 bytes a rule.
  struct RuleEntry {
    std::uint32_t root = 0;    ///< Root node in program_.nodes.
    bool feed_filter = false;  ///< Whether the rule is limited to some feeds.
  };

  std::vector<CompiledRule> rules_;
  std::vector<RuleEntry> entries_;  ///< Parallel to rules_.
  Program program_;
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
