#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/rules/query.hpp"
#include "newswatch/rules/query_error.hpp"
#include "newswatch/rules/term_dictionary.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/text/tokenizer.hpp"

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
  /// The item's title, summary and content already tokenised (text::tokenize_into), when the caller
  /// has them; null: they are tokenised here.
  const text::FieldTokens* tokens = nullptr;
};

/// Counters from one match() call, for `match --stats`.
struct MatchStats {
  std::size_t candidates = 0;  ///< Rules evaluated after presearch (index term, then required terms).
  std::size_t indexed = 0;     ///< Index proposals before the required-terms check (per term for an OR).
  std::size_t matches = 0;
};

/// One span of a match: a byte range in one field (`index` numbers the entry of a list field).
struct MatchSpan {
  std::uint8_t field = 0;  ///< A FieldBit.
  std::uint32_t index = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// One matching rule in a MatchScratch: its number in the set and its spans there.
struct RuleMatch {
  std::uint32_t rule = 0;
  std::uint32_t first_span = 0;
  std::uint32_t span_count = 0;
};

/// Buffers match_into() reuses from item to item, so that matching allocates nothing once they
/// have grown; one per thread. Holds the matches of the last call.
class MatchScratch {
 public:
  MatchScratch();
  ~MatchScratch();
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
  MatchScratch(MatchScratch&&) noexcept;
  MatchScratch& operator=(MatchScratch&&) noexcept;

  /// Rules that matched the last item, in definition order.
  [[nodiscard]] std::span<const RuleMatch> matches() const noexcept { return matches_; }
  /// A match's spans, grouped by field in item order, sorted and not overlapping in each field.
  [[nodiscard]] std::span<const MatchSpan> spans(const RuleMatch& match) const noexcept {
    return std::span<const MatchSpan>(spans_).subspan(match.first_span, match.span_count);
  }

 private:
  friend class RuleSet;
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
  std::vector<RuleMatch> matches_;
  std::vector<MatchSpan> spans_;
};

/// A query node as matching reads it: QueryNode without its source column, in 16 bytes so that a
/// node never straddles two cache lines, and with its first operand inline, so that a word, a prefix
/// or the first child of an AND costs no read of the operand array (with 100,000 rules every read
/// of a candidate's nodes and operands is a cache miss).
struct ProgramNode {
  QueryNodeKind kind = QueryNodeKind::word;
  std::uint8_t fields = default_fields;
  bool ordered = false;
  std::uint16_t distance = 0;
  std::uint16_t count = 0;  ///< max_query_bytes bounds it.
  std::uint32_t first = 0;  ///< Operands: RuleSet::Program::operands[first, first + count).
  std::uint32_t lead = 0;   ///< operands[first], when count > 0.
};
static_assert(sizeof(ProgramNode) == 16);
static_assert(max_query_bytes <= UINT16_MAX, "a node's operand count must fit ProgramNode::count");

/// Compiled watch rules with a presearch index (in the spirit of Lucene Monitor): each rule is
/// indexed under the terms one of which must occur for it to match (a conjunction under its rarest
/// required term, a disjunction under all its branches); rules without such terms are always
/// evaluated. "Rarest" comes from observed document frequencies (TermFrequencies) when given,
/// blended with a length-based prior that decides alone for a new deployment. Immutable after
/// compile(), so one RuleSet may be shared by threads; reindexed() makes a new one that shares the
/// compiled rules and differs only in its index.
class RuleSet {
 public:
  /// An empty set that matches nothing.
  RuleSet();

  /// Parses and indexes every rule, weighting terms by `frequencies` (nullptr: by the prior alone);
  /// fails with one entry per rule that does not compile.
  static Expected<RuleSet, std::vector<RuleSetError>> compile(const std::vector<RuleDefinition>& definitions,
                                                              const TermFrequencies* frequencies = nullptr);

  class Unindexed;
  /// compile() without the index, for a caller that learns the term frequencies only after its
  /// rules compiled (`match` counts them in its input): indexed() then builds the one index it needs.
  static Expected<Unindexed, std::vector<RuleSetError>> compile_unindexed(
      const std::vector<RuleDefinition>& definitions);
  /// The rules of `rules` indexed under `frequencies` (nullptr: the prior alone).
  static RuleSet indexed(const Unindexed& rules, const TermFrequencies* frequencies);
  /// The same rules indexed under `frequencies`: no parsing, O(query nodes). The compiled rules are
  /// shared, not copied.
  [[nodiscard]] RuleSet reindexed(const TermFrequencies& frequencies) const;
  /// Expected candidates per item of this set's index if term document frequencies are
  /// `frequencies` (an upper bound: a rule under several terms counts once per term).
  [[nodiscard]] double expected_candidates(const TermFrequencies& frequencies) const;

  /// Rules matching the item, in definition order, each with the spans that satisfied it.
  [[nodiscard]] std::vector<Match> match(const MatchInput& input) const;
  /// As match(), also counting candidates into `stats`.
  std::vector<Match> match(const MatchInput& input, MatchStats& stats) const;
  /// Evaluates every rule without the presearch index: the reference for tests and benchmarks.
  [[nodiscard]] std::vector<Match> match_brute_force(const MatchInput& input) const;
  /// Matches into `scratch` (see MatchScratch::matches()) without allocating once its buffers
  /// have grown; counts into `stats` when given.
  void match_into(const MatchInput& input, MatchScratch& scratch, MatchStats* stats = nullptr) const;
  /// The name of rule number `rule` (RuleMatch::rule).
  [[nodiscard]] const std::string& rule_name(std::uint32_t rule) const { return core_->rules[rule].name; }

  /// Number of rules.
  [[nodiscard]] std::size_t size() const noexcept { return core_->rules.size(); }
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
    std::vector<ProgramNode> nodes;
    std::vector<std::uint32_t> operands;
    std::vector<std::shared_ptr<const re2::RE2>> regexes;
    /// Per node: [first, first + count) in `bigrams`, the term ids of a phrase's adjacent token
    /// pairs (presearch only; matching reads the tokens).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> node_bigrams;
    std::vector<std::uint32_t> bigrams;
  };

  /// Term text -> id.
  using TermMap = TermDictionary;

  /// Terms besides its index term a rule cannot match without (npos: no more), rarest first.
  struct RequiredTerms {
    std::array<std::uint32_t, 2> terms{TermDictionary::npos, TermDictionary::npos};
  };

  /// What weighting needs of a dictionary term: its frequency key and its prior.
  struct TermWeight {
    std::uint64_t key = 0;  ///< word_key() or prefix_key(); 0 for filters, which are not counted.
    double prior = 0.0;     ///< Guessed fraction of items containing it.
  };

 private:
  void run(const MatchInput& input, bool brute_force, MatchScratch& scratch, MatchStats* stats) const;
  [[nodiscard]] std::vector<Match> to_matches(const MatchScratch& scratch) const;
  void build_index(const TermFrequencies* frequencies);
  [[nodiscard]] std::vector<double> term_costs(const TermFrequencies* frequencies) const;

  // What match() reads per candidate: the root node itself, so that a rule of one word, prefix or
  // one-word phrase needs nothing else and an AND reads its children without waiting for its root,
  // and where its twins are. 32 bytes, half a cache line.
  struct alignas(32) RuleEntry {
    ProgramNode node;               ///< program.nodes[root].
    std::uint32_t root = 0;         ///< Root node in program.nodes.
    std::uint32_t twins_begin = 0;  ///< Its twins: Core::twins[twins_begin, twins_end).
    std::uint32_t twins_end = 0;
    bool feed_filter = false;  ///< Whether the rule is limited to some feeds.
    bool twin = false;         ///< A twin of an earlier rule (see Core::twins): not indexed.
    /// Whether the query is AND, OR and NOT over single tokens only (words, prefixes, one-word
    /// phrases): its spans are then those tokens' occurrences, merged straight from the item.
    bool token_tree = false;
  };

  // Everything but the index: compiled once, shared by reindexed() copies.
  struct Core {
    std::vector<CompiledRule> rules;
    std::vector<RuleEntry> entries;  ///< Parallel to rules.
    Program program;
    TermMap words;                              ///< Whole tokens and site/feed/lang keys.
    TermMap prefixes;                           ///< Prefix stems.
    TermMap bigrams;                            ///< Adjacent token pairs of phrases (bigram_text()).
    std::vector<std::uint32_t> prefix_lengths;  ///< Distinct stem lengths in bytes, ascending.
    PrefixHeads prefix_heads;                   ///< First bytes of the stems.
    bool site_filters = false;                  ///< Whether some rule has a site: filter.
    std::vector<TermWeight> weights;            ///< Term id -> weighting.
    /// Rules whose query is an earlier rule's, neither limited to some feeds: watch lists repeat a
    /// query for each desk or target that follows it. Only the first is indexed and evaluated; its
    /// match is theirs, spans and all. Grouped by first rule (RuleEntry::twins_begin), each
    /// group in definition order.
    std::vector<std::uint32_t> twins;
  };

  std::shared_ptr<const Core> core_;

 public:
  /// Compiled rules without an index: nothing matches with them until RuleSet::indexed().
  class Unindexed {
   public:
    /// Number of rules.
    [[nodiscard]] std::size_t size() const noexcept { return core_->rules.size(); }

   private:
    friend class RuleSet;
    std::shared_ptr<const Core> core_;
  };

 private:
  // A rule as the index proposes it, with the terms it requires besides: the presearch checks
  // them while reading the index row, without touching the rule.
  struct Posting {
    std::uint32_t rule = 0;
    RequiredTerms required;
  };

  std::vector<std::uint32_t> index_offsets_;  ///< Term id -> [offsets[t], offsets[t+1]) in index_postings_.
  std::vector<Posting> index_postings_;
  std::vector<Posting> always_;  ///< Rules the index cannot narrow down.
};

/// The re-indexed set when, under `frequencies`, its index would cut the expected candidates per
/// item by at least `margin` (a fraction, e.g. 0.2) compared with `current`; nullptr otherwise.
/// Pure and O(query nodes): run it off the loop thread.
std::shared_ptr<const RuleSet> reindex_if_better(const RuleSet& current, const TermFrequencies& frequencies,
                                                 double margin);

/// Key under which site/feed/tag/lang filters live in the term dictionary (never a token: tokens
/// have no control characters).
std::string filter_key(QueryNodeKind kind, std::string_view value);

}  // namespace newswatch::rules
