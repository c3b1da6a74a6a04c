#include "newswatch/rules/rule_set.hpp"

#include <algorithm>
#include <bit>
#include <iterator>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "evaluator.hpp"
#include "item_terms.hpp"
#include "newswatch/text/ascii.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {
namespace {

// Presearch: the terms under which a node is indexed, and the expected fraction of items in which
// one of them occurs (the node's "cost"). A term's cost is its observed document frequency blended
// with a prior: without frequencies, longer tokens are taken to be rarer (Luwak's default term
// weighting does the same) and prefixes fire more often than words; the prior counts as
// `prior_documents` items, so it decides for a new deployment and fades as items are observed.
constexpr double prior_documents = 50.0;

struct Keys {
  std::vector<std::uint32_t> terms;
  double cost = 0.0;
};

double word_prior(std::string_view token) {
  const double length = static_cast<double>(std::max<std::size_t>(text::count_code_points(token), 1));
  return 1.0 / (length * length);
}

// Bounded by the query depth, like every walk over a query. Operands of term nodes are term ids.
std::optional<Keys> presearch_keys(const RuleSet::Program& program, const std::vector<double>& costs,
                                   std::uint32_t index) {
  const QueryNode& node = program.nodes[index];
  const std::uint32_t* operands = program.operands.data() + node.first;
  switch (node.kind) {
    case QueryNodeKind::regex:
    case QueryNodeKind::none_of: return std::nullopt;
    case QueryNodeKind::phrase: {
      // A phrase needs all its tokens and all its adjacent pairs; the rarest is enough to find it.
      std::uint32_t best = operands[0];
      for (std::uint32_t i = 1; i < node.count; ++i) {
        if (costs[operands[i]] < costs[best]) {
          best = operands[i];
        }
      }
      const auto [first, count] = program.node_bigrams[index];
      for (std::uint32_t i = first; i < first + count; ++i) {
        if (costs[program.bigrams[i]] < costs[best]) {
          best = program.bigrams[i];
        }
      }
      return Keys{{best}, costs[best]};
    }
    case QueryNodeKind::all_of:
    case QueryNodeKind::near: {
      // Every operand is required: the cheapest indexable one will do.
      std::optional<Keys> best;
      for (std::uint32_t i = 0; i < node.count; ++i) {
        std::optional<Keys> keys = presearch_keys(program, costs, operands[i]);
        if (keys && (!best || keys->cost < best->cost)) {
          best = std::move(keys);
        }
      }
      return best;
    }
    case QueryNodeKind::any_of: {
      // Any branch may fire: all of them are needed.
      Keys all;
      for (std::uint32_t i = 0; i < node.count; ++i) {
        std::optional<Keys> keys = presearch_keys(program, costs, operands[i]);
        if (!keys) {
          return std::nullopt;
        }
        all.terms.insert(all.terms.end(), keys->terms.begin(), keys->terms.end());
        all.cost += keys->cost;
      }
      return all;
    }
    default: return Keys{{operands[0]}, costs[operands[0]]};
  }
}

// Terms every match of the node contains somewhere in the item: a necessary condition. Scopes and
// positions are left to the evaluation.
void required_terms(const RuleSet::Program& program, std::uint32_t index, std::vector<std::uint32_t>& out) {
  const QueryNode& node = program.nodes[index];
  const std::uint32_t* operands = program.operands.data() + node.first;
  switch (node.kind) {
    case QueryNodeKind::phrase: {
      const auto [first, count] = program.node_bigrams[index];
      out.insert(out.end(), program.bigrams.begin() + first, program.bigrams.begin() + first + count);
      out.insert(out.end(), operands, operands + node.count);
      return;
    }
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::site:
    case QueryNodeKind::feed:
    case QueryNodeKind::feed_tag:
    case QueryNodeKind::lang: out.insert(out.end(), operands, operands + node.count); return;
    case QueryNodeKind::all_of:
    case QueryNodeKind::near:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        required_terms(program, operands[i], out);
      }
      return;
    default: return;  // a branch of OR, a NOT, a regex: nothing in particular
  }
}

std::uint32_t intern(TermDictionary& dictionary, std::string_view key, std::uint32_t& next_id) {
  const std::uint32_t id = dictionary.insert(key, next_id);
  if (id == next_id) {
    ++next_id;
  }
  return id;
}

std::string field_label(const MatchSpan& span) {
  switch (span.field) {
    case field_title: return "title";
    case field_summary: return "summary";
    case field_content: return "content";
    case field_author: return "author[" + std::to_string(span.index) + "]";
    case field_category: return "category[" + std::to_string(span.index) + "]";
    case field_link: return "link";
    default: return "";
  }
}

// Appends a match's spans to `out` grouped by segment in item order, sorted, overlaps merged;
// `merged` is a buffer.
void append_spans(std::vector<SegmentSpan>& spans, std::vector<SegmentSpan>& merged, const ItemTerms& item,
                  std::vector<MatchSpan>& out) {
  const auto in_item_order = [](const SegmentSpan& a, const SegmentSpan& b) {
    return std::tie(a.segment, a.begin, a.end) < std::tie(b.segment, b.begin, b.end);
  };
  // Each term finds its spans in item order: a word or a phrase needs no sorting, and `name AND
  // word` only a merge of two runs.
  const auto second_run = std::is_sorted_until(spans.begin(), spans.end(), in_item_order);
  if (second_run != spans.end()) {
    if (std::is_sorted(second_run, spans.end(), in_item_order)) {
      merged.resize(spans.size());
      std::merge(spans.begin(), second_run, second_run, spans.end(), merged.begin(), in_item_order);
      spans.swap(merged);
    } else {
      std::sort(spans.begin(), spans.end(), in_item_order);
    }
  }
  std::uint32_t current = UINT32_MAX;
  for (const SegmentSpan& span : spans) {
    if (span.segment == current && span.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, span.end);
      continue;
    }
    current = span.segment;
    const Segment& segment = item.segments()[span.segment];
    out.push_back(MatchSpan{segment.field, segment.index, span.begin, span.end});
  }
}

bool is_token_node(QueryNodeKind kind) {
  return kind == QueryNodeKind::word || kind == QueryNodeKind::prefix || kind == QueryNodeKind::phrase;
}

// As Evaluator::matches() then append_spans() for a node of one token: the term's occurrences in
// the node's fields, touching ones joined. Appends nothing and returns false when there are none.
bool append_term_spans(const QueryNode& node, std::uint32_t term, const ItemTerms& item, std::vector<MatchSpan>& out) {
  const std::size_t mark = out.size();
  std::uint32_t current = UINT32_MAX;
  for (const Occurrence& at : item.find(term)) {
    const Segment& segment = item.segments()[at.segment];
    if ((segment.field & node.fields) == 0) {
      continue;
    }
    if (at.segment == current && at.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, at.end);
      continue;
    }
    current = at.segment;
    out.push_back(MatchSpan{segment.field, segment.index, at.begin, at.end});
  }
  return out.size() > mark;
}

bool has_required_terms(const RuleSet::RequiredTerms& check, const ItemTerms& item) {
  for (const std::uint32_t term : check.terms) {
    if (term == TermDictionary::npos) {
      return true;
    }
    if (item.find(term).empty()) {
      return false;
    }
  }
  return true;
}

bool feed_allowed(const RuleSet::CompiledRule& rule, const ItemTerms& item) {
  if (rule.feed_names.empty() && rule.feed_tags.empty()) {
    return true;
  }
  if (std::find(rule.feed_names.begin(), rule.feed_names.end(), item.feed_name()) != rule.feed_names.end()) {
    return true;
  }
  return std::any_of(rule.feed_tags.begin(), rule.feed_tags.end(), [&item](const std::string& tag) {
    return std::find(item.feed_tags().begin(), item.feed_tags().end(), tag) != item.feed_tags().end();
  });
}

}  // namespace

std::string filter_key(QueryNodeKind kind, std::string_view value) {
  std::string key = "\x1f";
  switch (kind) {
    case QueryNodeKind::site: key += 's'; break;
    case QueryNodeKind::feed: key += 'f'; break;
    case QueryNodeKind::feed_tag: key += 't'; break;
    default: key += 'l'; break;
  }
  key += value;
  return key;
}

namespace {

// Nodes whose operands are terms (as opposed to child nodes or a regex).
bool is_term_node(QueryNodeKind kind) {
  switch (kind) {
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::phrase:
    case QueryNodeKind::site:
    case QueryNodeKind::feed:
    case QueryNodeKind::feed_tag:
    case QueryNodeKind::lang: return true;
    default: return false;
  }
}

// Dictionary ids of a query's terms (parallel to query.terms()), interning new ones.
std::vector<std::uint32_t> intern_terms(const Query& query, TermDictionary& words, TermDictionary& prefixes,
                                        std::uint32_t& next_id) {
  std::vector<std::uint32_t> term_ids(query.terms().size(), TermDictionary::npos);
  for (const QueryNode& node : query.nodes()) {
    const std::uint32_t* operands = query.operands_of(node);
    for (std::uint32_t i = 0; is_term_node(node.kind) && i < node.count; ++i) {
      const std::string& term = query.terms()[operands[i]];
      switch (node.kind) {
        case QueryNodeKind::word:
        case QueryNodeKind::phrase: term_ids[operands[i]] = intern(words, term, next_id); break;
        case QueryNodeKind::prefix: term_ids[operands[i]] = intern(prefixes, term, next_id); break;
        default: term_ids[operands[i]] = intern(words, filter_key(node.kind, term), next_id); break;
      }
    }
  }
  return term_ids;
}

// Appends a query to the program, with operands rebased to the program's arrays and terms
// replaced by their ids; returns the root's index in program.nodes.
std::uint32_t append_program(const Query& query, const std::vector<std::uint32_t>& term_ids,
                             RuleSet::Program& program) {
  const auto node_base = static_cast<std::uint32_t>(program.nodes.size());
  const auto regex_base = static_cast<std::uint32_t>(program.regexes.size());
  for (QueryNode node : query.nodes()) {
    const std::uint32_t* operands = query.operands_of(node);
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (node.kind == QueryNodeKind::regex) {
        program.operands.push_back(regex_base + operands[i]);
      } else if (is_term_node(node.kind)) {
        program.operands.push_back(term_ids[operands[i]]);
      } else {
        program.operands.push_back(node_base + operands[i]);
      }
    }
    node.first = static_cast<std::uint32_t>(program.operands.size()) - node.count;
    program.nodes.push_back(node);
  }
  program.regexes.insert(program.regexes.end(), query.regexes().begin(), query.regexes().end());
  return node_base + query.root();
}

// What makes two compiled queries the same rule: every node's kind, scope and operands, with node
// operands relative to the query's first node and regexes by pattern. Source columns differ
// between equal queries and are left out.
void program_key(const RuleSet::Program& program, std::uint32_t node_base, std::uint32_t node_end, std::uint32_t root,
                 std::string& key) {
  key.clear();
  const auto append = [&key](std::uint32_t value) { key.append(reinterpret_cast<const char*>(&value), sizeof value); };
  append(root - node_base);
  for (std::uint32_t n = node_base; n < node_end; ++n) {
    const QueryNode& node = program.nodes[n];
    append(static_cast<std::uint32_t>(node.kind));
    append(node.fields);
    append(node.ordered ? 1U : 0U);
    append(node.distance);
    append(node.count);
    for (std::uint32_t i = 0; i < node.count; ++i) {
      const std::uint32_t operand = program.operands[node.first + i];
      if (node.kind == QueryNodeKind::regex) {
        const std::string& pattern = program.regexes[operand]->pattern();
        append(static_cast<std::uint32_t>(pattern.size()));
        key += pattern;
      } else {
        append(is_term_node(node.kind) ? operand : operand - node_base);
      }
    }
  }
}

// Parses every definition's query into the rule of the same number (names and feed lists are the
// caller's), on every core when they are many: parsing is most of what compiling 100,000 rules
// costs, and each query's parse is independent of the others. Returns the failures in definition
// order.
std::vector<RuleSetError> parse_all(const std::vector<RuleDefinition>& definitions,
                                    std::vector<RuleSet::CompiledRule>& rules) {
  constexpr std::size_t min_rules_per_thread = 2000;
  const std::size_t shares = std::clamp<std::size_t>(definitions.size() / min_rules_per_thread, 1,
                                                     std::max(1U, std::thread::hardware_concurrency()));
  std::vector<std::vector<RuleSetError>> failures(shares);
  const auto parse_share = [&](std::size_t share) {
    const std::size_t end = (share + 1) * definitions.size() / shares;
    for (std::size_t i = share * definitions.size() / shares; i < end; ++i) {
      auto query = parse_query(definitions[i].query);
      if (query) {
        rules[i].query = std::move(*query);
      } else {
        failures[share].push_back(RuleSetError{definitions[i].name, std::move(query.error())});
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t share = 1; share < shares; ++share) {
      helpers.emplace_back(parse_share, share);
    }
    parse_share(0);
  }
  std::vector<RuleSetError> errors;
  for (std::vector<RuleSetError>& share : failures) {
    errors.insert(errors.end(), std::make_move_iterator(share.begin()), std::make_move_iterator(share.end()));
  }
  return errors;
}

}  // namespace

struct MatchScratch::Buffers {
  ItemTerms item;
  EvaluatorBuffers evaluator;
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint64_t> rule_bits;  ///< All clear between items.
  std::vector<SegmentSpan> segment_spans;
  std::vector<SegmentSpan> merged_spans;  ///< append_spans()' buffer.
  std::vector<RuleMatch> twin_matches;    ///< Matches of twins (Core::twins), merged in last.
  std::vector<RuleMatch> merged_matches;  ///< The merge's buffer, swapped with the matches.
};

MatchScratch::MatchScratch() : buffers_(std::make_unique<Buffers>()) {}
MatchScratch::~MatchScratch() = default;
MatchScratch::MatchScratch(MatchScratch&&) noexcept = default;
MatchScratch& MatchScratch::operator=(MatchScratch&&) noexcept = default;

RuleSet::RuleSet() : core_(std::make_shared<const Core>()) {}

Expected<RuleSet, std::vector<RuleSetError>> RuleSet::compile(const std::vector<RuleDefinition>& definitions,
                                                              const TermFrequencies* frequencies) {
  auto rules = compile_unindexed(definitions);
  if (!rules) {
    return make_unexpected(std::move(rules).error());
  }
  return indexed(*rules, frequencies);
}

RuleSet RuleSet::indexed(const Unindexed& rules, const TermFrequencies* frequencies) {
  RuleSet set;
  set.core_ = rules.core_;
  set.build_index(frequencies);
  return set;
}

Expected<RuleSet::Unindexed, std::vector<RuleSetError>> RuleSet::compile_unindexed(
    const std::vector<RuleDefinition>& definitions) {
  auto core = std::make_shared<Core>();
  std::uint32_t next_id = 0;
  core->rules.resize(definitions.size());
  core->entries.reserve(definitions.size());
  // program_key()'s hash -> the first rule with it; a colliding different query stays a rule of its own.
  std::unordered_map<std::size_t, std::uint32_t> first_of_query;
  first_of_query.reserve(definitions.size());
  std::string key;
  std::string first_key;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> twin_pairs;  // (first rule, twin), twins ascending
  if (std::vector<RuleSetError> errors = parse_all(definitions, core->rules); !errors.empty()) {
    return make_unexpected(std::move(errors));
  }
  for (std::size_t d = 0; d < definitions.size(); ++d) {
    const RuleDefinition& definition = definitions[d];
    CompiledRule& rule = core->rules[d];
    rule.name = definition.name;
    const std::vector<std::uint32_t> term_ids = intern_terms(rule.query, core->words, core->prefixes, next_id);
    // Weighting facts of the new terms, by id.
    core->weights.resize(next_id);
    for (const QueryNode& node : rule.query.nodes()) {
      const std::uint32_t* operands = rule.query.operands_of(node);
      for (std::uint32_t i = 0; is_term_node(node.kind) && i < node.count; ++i) {
        const std::string& term = rule.query.terms()[operands[i]];
        TermWeight& weight = core->weights[term_ids[operands[i]]];
        switch (node.kind) {
          case QueryNodeKind::word:
          case QueryNodeKind::phrase: weight = TermWeight{word_key(term), word_prior(term)}; break;
          case QueryNodeKind::prefix: weight = TermWeight{prefix_key(term), 8.0 * word_prior(term)}; break;
          case QueryNodeKind::lang: weight = TermWeight{0, 0.5}; break;
          default: weight = TermWeight{0, 0.05}; break;  // site:, feed:, feed:tag:
        }
      }
    }
    const auto node_base = static_cast<std::uint32_t>(core->program.nodes.size());
    core->entries.push_back(
        RuleEntry{append_program(rule.query, term_ids, core->program), !definition.feeds.empty(), false, false});
    if (definition.feeds.empty()) {
      const std::uint32_t root = core->entries.back().root;
      const auto node_end = static_cast<std::uint32_t>(core->program.nodes.size());
      program_key(core->program, node_base, node_end, root, key);
      const auto [first, inserted] =
          first_of_query.try_emplace(std::hash<std::string_view>{}(key), static_cast<std::uint32_t>(d));
      if (!inserted) {
        const std::uint32_t f = first->second;
        const std::uint32_t first_root = core->entries[f].root;
        const std::uint32_t first_base = first_root - core->rules[f].query.root();
        program_key(core->program, first_base,
                    first_base + static_cast<std::uint32_t>(core->rules[f].query.nodes().size()), first_root,
                    first_key);
        if (first_key == key) {
          core->entries.back().twin = true;
          twin_pairs.emplace_back(f, static_cast<std::uint32_t>(d));
        }
      }
    }
    core->program.node_bigrams.resize(core->program.nodes.size());
    for (std::uint32_t n = 0; n < rule.query.nodes().size(); ++n) {
      const QueryNode& node = rule.query.nodes()[n];
      if (node.kind != QueryNodeKind::phrase || node.count < 2) {
        continue;
      }
      const std::uint32_t* operands = rule.query.operands_of(node);
      const auto first = static_cast<std::uint32_t>(core->program.bigrams.size());
      std::array<char, 16> buffer{};
      for (std::uint32_t k = 0; k + 1 < node.count; ++k) {
        const std::string& left = rule.query.terms()[operands[k]];
        const std::string& right = rule.query.terms()[operands[k + 1]];
        const std::uint64_t left_hash = TermDictionary::hash(left);
        const std::uint64_t right_hash = TermDictionary::hash(right);
        const std::uint32_t id = intern(core->bigrams, bigram_text(left_hash, right_hash, buffer), next_id);
        core->weights.resize(next_id);
        core->weights[id] =
            TermWeight{bigram_key(left_hash, right_hash), std::min(word_prior(left), word_prior(right)) / 2};
        core->program.bigrams.push_back(id);
      }
      core->program.node_bigrams[node_base + n] = {first,
                                                   static_cast<std::uint32_t>(core->program.bigrams.size()) - first};
    }
    for (const std::string& feed : definition.feeds) {
      if (feed.starts_with("tag:")) {
        rule.feed_tags.push_back(text::lower_ascii(std::string_view(feed).substr(4)));
      } else {
        rule.feed_names.push_back(text::lower_ascii(feed));
      }
    }
  }
  core->prefix_lengths = core->prefixes.lengths();
  core->prefix_heads = PrefixHeads(core->prefixes.terms());
  if (!twin_pairs.empty()) {
    // Grouped by first rule, each group's twins in definition order.
    std::stable_sort(twin_pairs.begin(), twin_pairs.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    core->twin_offsets.assign(definitions.size() + 1, 0);
    for (const auto& pair : twin_pairs) {
      ++core->twin_offsets[pair.first + 1];
      core->entries[pair.first].has_twins = true;
    }
    std::partial_sum(core->twin_offsets.begin(), core->twin_offsets.end(), core->twin_offsets.begin());
    core->twins.reserve(twin_pairs.size());
    for (const auto& pair : twin_pairs) {
      core->twins.push_back(pair.second);
    }
  }
  Unindexed rules;
  rules.core_ = std::move(core);
  return rules;
}

std::vector<double> RuleSet::term_costs(const TermFrequencies* frequencies) const {
  std::vector<double> costs(core_->weights.size());
  const double documents = frequencies != nullptr ? static_cast<double>(frequencies->documents()) : 0.0;
  for (std::size_t t = 0; t < costs.size(); ++t) {
    const TermWeight& weight = core_->weights[t];
    if (frequencies == nullptr || weight.key == 0) {
      costs[t] = weight.prior;
      continue;
    }
    // The sketch may count a term in more documents than it holds after a decay rounds down.
    const double count = std::min(static_cast<double>(frequencies->count(weight.key)), documents);
    costs[t] = (count + prior_documents * weight.prior) / (documents + prior_documents);
  }
  return costs;
}

void RuleSet::build_index(const TermFrequencies* frequencies) {
  const std::vector<double> costs = term_costs(frequencies);
  std::vector<std::pair<std::uint32_t, Posting>> postings;  // (term id, posting)
  postings.reserve(core_->rules.size() * 2);
  always_.clear();
  std::vector<std::uint32_t> required;
  for (std::uint32_t r = 0; r < core_->entries.size(); ++r) {
    if (core_->entries[r].twin) {
      continue;  // matched through its first
    }
    std::optional<Keys> keys = presearch_keys(core_->program, costs, core_->entries[r].root);
    // Besides its index term, a candidate must contain the rarest other terms it requires: a
    // probe of the item's term table each, far cheaper than evaluating `name AND common-word`
    // for every item that names the name.
    required.clear();
    required_terms(core_->program, core_->entries[r].root, required);
    std::sort(required.begin(), required.end(), [&costs](std::uint32_t a, std::uint32_t b) {
      return costs[a] != costs[b] ? costs[a] < costs[b] : a < b;
    });
    required.erase(std::unique(required.begin(), required.end()), required.end());
    Posting posting{r, {}};
    std::size_t filled = 0;
    for (const std::uint32_t term : required) {
      if (filled < posting.required.terms.size() && !(keys && keys->terms.size() == 1 && keys->terms[0] == term)) {
        posting.required.terms[filled++] = term;
      }
    }
    if (!keys) {
      always_.push_back(posting);
      continue;
    }
    std::sort(keys->terms.begin(), keys->terms.end());
    keys->terms.erase(std::unique(keys->terms.begin(), keys->terms.end()), keys->terms.end());
    for (const std::uint32_t term : keys->terms) {
      postings.emplace_back(term, posting);
    }
  }
  // Inverted index, in compressed rows: term id -> rules indexed under it, in rule order.
  std::stable_sort(postings.begin(), postings.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  index_offsets_.assign(core_->weights.size() + 1, 0);
  for (const auto& posting : postings) {
    ++index_offsets_[posting.first + 1];
  }
  std::partial_sum(index_offsets_.begin(), index_offsets_.end(), index_offsets_.begin());
  index_postings_.clear();
  index_postings_.reserve(postings.size());
  for (const auto& posting : postings) {
    index_postings_.push_back(posting.second);
  }
}

RuleSet RuleSet::reindexed(const TermFrequencies& frequencies) const {
  Unindexed rules;
  rules.core_ = core_;
  return indexed(rules, &frequencies);
}

double RuleSet::expected_candidates(const TermFrequencies& frequencies) const {
  const std::vector<double> costs = term_costs(&frequencies);
  double total = static_cast<double>(always_.size());
  for (std::size_t t = 0; t + 1 < index_offsets_.size(); ++t) {
    total += costs[t] * static_cast<double>(index_offsets_[t + 1] - index_offsets_[t]);
  }
  return total;
}

std::shared_ptr<const RuleSet> reindex_if_better(const RuleSet& current, const TermFrequencies& frequencies,
                                                 double margin) {
  auto next = std::make_shared<const RuleSet>(current.reindexed(frequencies));
  if (next->expected_candidates(frequencies) <= (1.0 - margin) * current.expected_candidates(frequencies)) {
    return next;
  }
  return nullptr;
}

std::vector<Match> RuleSet::to_matches(const MatchScratch& scratch) const {
  std::vector<Match> matches;
  matches.reserve(scratch.matches().size());
  for (const RuleMatch& found : scratch.matches()) {
    Match match{core_->rules[found.rule].name, {}};
    const MatchSpan* previous = nullptr;
    for (const MatchSpan& span : scratch.spans(found)) {
      if (previous == nullptr || span.field != previous->field || span.index != previous->index) {
        match.why.push_back(FieldSpans{field_label(span), {}});
      }
      match.why.back().spans.emplace_back(span.begin, span.end);
      previous = &span;
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<Match> RuleSet::match(const MatchInput& input) const {
  thread_local MatchScratch scratch;
  run(input, false, scratch, nullptr);
  return to_matches(scratch);
}

std::vector<Match> RuleSet::match(const MatchInput& input, MatchStats& stats) const {
  thread_local MatchScratch scratch;
  run(input, false, scratch, &stats);
  return to_matches(scratch);
}

std::vector<Match> RuleSet::match_brute_force(const MatchInput& input) const {
  MatchScratch scratch;
  run(input, true, scratch, nullptr);
  return to_matches(scratch);
}

void RuleSet::match_into(const MatchInput& input, MatchScratch& scratch, MatchStats* stats) const {
  run(input, false, scratch, stats);
}

void RuleSet::run(const MatchInput& input, bool brute_force, MatchScratch& scratch, MatchStats* stats) const {
  const Core& core = *core_;
  MatchScratch::Buffers& buffers = *scratch.buffers_;
  ItemTerms& item = buffers.item;
  item.reset(input, core.words, core.prefixes, core.bigrams, core.prefix_lengths, core.prefix_heads);
  std::vector<std::uint32_t>& candidates = buffers.candidates;
  candidates.clear();
  if (brute_force) {
    candidates.resize(core.rules.size());
    std::iota(candidates.begin(), candidates.end(), 0U);
  } else {
    // Each pass prefetches what the next one reads: with a large rule set the index rows, rule
    // entries, nodes and operands are all cache misses, and this way a batch of them overlaps.
    for (const std::uint32_t term : item.terms()) {
      __builtin_prefetch(&index_offsets_[term]);
    }
    for (const std::uint32_t term : item.terms()) {
      __builtin_prefetch(index_postings_.data() + index_offsets_[term]);
    }
    // A proposal becomes a candidate when the item holds the terms the rule requires besides.
    std::size_t proposed = always_.size();
    for (const Posting& posting : always_) {
      if (has_required_terms(posting.required, item)) {
        candidates.push_back(posting.rule);
      }
    }
    for (const std::uint32_t term : item.terms()) {
      const std::uint32_t first = index_offsets_[term];
      const std::uint32_t last = index_offsets_[term + 1];
      proposed += last - first;
      for (std::uint32_t p = first; p < last; ++p) {
        if (has_required_terms(index_postings_[p].required, item)) {
          candidates.push_back(index_postings_[p].rule);
        }
      }
    }
    if (stats != nullptr) {
      stats->indexed += proposed;
    }
    // Definition order without duplicates. When the candidates are many for the set's size, a
    // bitmap of the rules read back word by word beats sorting them (one bit a rule: 12.5 KB
    // for 100,000 rules, left all clear for the next item).
    const std::size_t words = (core.rules.size() + 63) / 64;
    if (words <= 8 * candidates.size()) {
      std::vector<std::uint64_t>& bits = buffers.rule_bits;
      bits.resize(words);
      for (const std::uint32_t r : candidates) {
        bits[r >> 6U] |= std::uint64_t{1} << (r & 63U);
      }
      candidates.clear();
      for (std::size_t w = 0; w < words; ++w) {
        for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
          candidates.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word))));
        }
        bits[w] = 0;
      }
    } else {
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(&core.entries[r]);
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(&core.program.nodes[core.entries[r].root]);
      if (core.entries[r].has_twins) {
        __builtin_prefetch(&core.twin_offsets[r]);
      }
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(core.program.operands.data() + core.program.nodes[core.entries[r].root].first);
      if (core.entries[r].has_twins) {
        __builtin_prefetch(&core.twins[core.twin_offsets[r]]);
      }
    }
    // The children of an AND, OR, NOT or NEAR root sit together, just before it.
    for (const std::uint32_t r : candidates) {
      const QueryNode& root = core.program.nodes[core.entries[r].root];
      if (!is_term_node(root.kind) && root.kind != QueryNodeKind::regex) {
        __builtin_prefetch(&core.program.nodes[core.program.operands[root.first]]);
      }
    }
  }
  scratch.matches_.clear();
  scratch.spans_.clear();
  Evaluator evaluator(core.program, item, buffers.evaluator);
  std::vector<SegmentSpan>& segment_spans = buffers.segment_spans;
  std::vector<RuleMatch>& twin_matches = buffers.twin_matches;
  twin_matches.clear();
  const bool twins = !brute_force && !core.twins.empty();
  for (const std::uint32_t r : candidates) {
    if (core.entries[r].feed_filter && !feed_allowed(core.rules[r], item)) {
      continue;
    }
    const auto first = static_cast<std::uint32_t>(scratch.spans_.size());
    const QueryNode& root = core.program.nodes[core.entries[r].root];
    bool matched = false;
    if (root.count == 1 && is_token_node(root.kind)) {
      // A lone word, prefix or one-word phrase (a name, a broad common word): its occurrences
      // in scope are its spans, already in item order.
      matched = append_term_spans(root, core.program.operands[root.first], item, scratch.spans_);
    } else {
      segment_spans.clear();
      // One evaluation gives both the verdict and the spans.
      if (evaluator.matches(core.entries[r].root, segment_spans)) {
        append_spans(segment_spans, buffers.merged_spans, item, scratch.spans_);
        matched = true;
      }
    }
    if (matched) {
      const RuleMatch found{r, first, static_cast<std::uint32_t>(scratch.spans_.size()) - first};
      scratch.matches_.push_back(found);
      if (twins && core.entries[r].has_twins) {
        for (std::uint32_t t = core.twin_offsets[r]; t < core.twin_offsets[r + 1]; ++t) {
          twin_matches.push_back(RuleMatch{core.twins[t], found.first_span, found.span_count});
        }
      }
    }
  }
  if (!twin_matches.empty()) {
    // Twins share their first's spans and join the matches in definition order.
    std::sort(twin_matches.begin(), twin_matches.end(),
              [](const RuleMatch& a, const RuleMatch& b) { return a.rule < b.rule; });
    std::vector<RuleMatch>& merged = buffers.merged_matches;
    merged.resize(scratch.matches_.size() + twin_matches.size());
    std::merge(scratch.matches_.begin(), scratch.matches_.end(), twin_matches.begin(), twin_matches.end(),
               merged.begin(), [](const RuleMatch& a, const RuleMatch& b) { return a.rule < b.rule; });
    std::swap(scratch.matches_, merged);
  }
  if (stats != nullptr) {
    stats->candidates += candidates.size();
    stats->matches += scratch.matches_.size();
  }
}

}  // namespace newswatch::rules
