#include "newswatch/rules/rule_set.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

// The presearch index: which terms each rule is indexed under, weighted by observed document
// frequencies, and what a candidate must contain besides.

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

// Bounded by the query depth, like every walk over a query. Operands of term nodes are term ids.
std::optional<Keys> presearch_keys(const RuleSet::Program& program, const std::vector<double>& costs,
                                   std::uint32_t index) {
  const ProgramNode& node = program.nodes[index];
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
  const ProgramNode& node = program.nodes[index];
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

}  // namespace

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
}  // namespace newswatch::rules
