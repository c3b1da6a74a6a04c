#include "newswatch/rules/rule_set.hpp"

#include <algorithm>
#include <numeric>
#include <optional>
#include <utility>

#include "evaluator.hpp"
#include "item_terms.hpp"
#include "newswatch/text/ascii.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {
namespace {

// Presearch: the terms under which a node is indexed, and a guess at how often the node's
// candidates fire. Without document frequencies, longer tokens are taken to be rarer (Luwak's
// default term weighting does the same); prefixes and filters fire more often than words.
struct Keys {
  std::vector<std::uint32_t> terms;
  double cost = 0.0;
};

double word_cost(std::string_view token) {
  const double length = static_cast<double>(std::max<std::size_t>(text::count_code_points(token), 1));
  return 1.0 / (length * length);
}

double term_cost(const Query& query, const QueryNode& node, std::uint32_t term_index) {
  const std::string& term = query.terms()[term_index];
  switch (node.kind) {
    case QueryNodeKind::prefix: return 8.0 * word_cost(term);
    case QueryNodeKind::site:
    case QueryNodeKind::feed:
    case QueryNodeKind::feed_tag: return 0.05;
    case QueryNodeKind::lang: return 0.5;
    default: return word_cost(term);
  }
}

// Bounded by the query depth, like every walk over a query. `term_ids` maps query.terms() to the
// set's dictionary ids.
std::optional<Keys> presearch_keys(const Query& query, const std::vector<std::uint32_t>& term_ids,
                                   std::uint32_t index) {
  const QueryNode& node = query.nodes()[index];
  const std::uint32_t* operands = query.operands_of(node);
  switch (node.kind) {
    case QueryNodeKind::regex:
    case QueryNodeKind::none_of: return std::nullopt;
    case QueryNodeKind::phrase: {
      // A phrase needs all its tokens; its rarest one is enough to find it.
      std::uint32_t best = operands[0];
      for (std::uint32_t i = 1; i < node.count; ++i) {
        if (term_cost(query, node, operands[i]) < term_cost(query, node, best)) {
          best = operands[i];
        }
      }
      return Keys{{term_ids[best]}, term_cost(query, node, best)};
    }
    case QueryNodeKind::all_of:
    case QueryNodeKind::near: {
      // Every operand is required: the cheapest indexable one will do.
      std::optional<Keys> best;
      for (std::uint32_t i = 0; i < node.count; ++i) {
        std::optional<Keys> keys = presearch_keys(query, term_ids, operands[i]);
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
        std::optional<Keys> keys = presearch_keys(query, term_ids, operands[i]);
        if (!keys) {
          return std::nullopt;
        }
        all.terms.insert(all.terms.end(), keys->terms.begin(), keys->terms.end());
        all.cost += keys->cost;
      }
      return all;
    }
    default: return Keys{{term_ids[operands[0]]}, term_cost(query, node, operands[0])};
  }
}

std::uint32_t intern(TermDictionary& dictionary, std::string_view key, std::uint32_t& next_id) {
  const std::uint32_t id = dictionary.insert(key, next_id);
  if (id == next_id) {
    ++next_id;
  }
  return id;
}

std::string field_label(const Segment& segment) {
  switch (segment.field) {
    case field_title: return "title";
    case field_summary: return "summary";
    case field_content: return "content";
    case field_author: return "author[" + std::to_string(segment.index) + "]";
    case field_category: return "category[" + std::to_string(segment.index) + "]";
    case field_link: return "link";
    default: return "";
  }
}

// Groups spans by segment in item order, sorted and with overlaps merged.
std::vector<FieldSpans> explain(std::vector<SegmentSpan> spans, const ItemTerms& item) {
  std::sort(spans.begin(), spans.end(), [](const SegmentSpan& a, const SegmentSpan& b) {
    return std::tie(a.segment, a.begin, a.end) < std::tie(b.segment, b.begin, b.end);
  });
  std::vector<FieldSpans> why;
  std::uint32_t current = UINT32_MAX;
  for (const SegmentSpan& span : spans) {
    if (span.segment != current) {
      why.push_back(FieldSpans{field_label(item.segments()[span.segment]), {}});
      current = span.segment;
    }
    auto& list = why.back().spans;
    if (!list.empty() && span.begin <= list.back().second) {
      list.back().second = std::max(list.back().second, span.end);
    } else {
      list.emplace_back(span.begin, span.end);
    }
  }
  return why;
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

}  // namespace

Expected<RuleSet, std::vector<RuleSetError>> RuleSet::compile(const std::vector<RuleDefinition>& definitions) {
  RuleSet set;
  std::vector<RuleSetError> errors;
  std::uint32_t next_id = 0;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> postings;  // (term id, rule)
  set.rules_.reserve(definitions.size());
  set.entries_.reserve(definitions.size());
  for (const RuleDefinition& definition : definitions) {
    auto query = parse_query(definition.query);
    if (!query) {
      errors.push_back(RuleSetError{definition.name, std::move(query.error())});
      continue;
    }
    CompiledRule rule{definition.name, std::move(*query), {}, {}};
    const std::vector<std::uint32_t> term_ids = intern_terms(rule.query, set.words_, set.prefixes_, next_id);
    std::optional<Keys> keys = presearch_keys(rule.query, term_ids, rule.query.root());
    const auto r = static_cast<std::uint32_t>(set.rules_.size());
    if (keys) {
      std::sort(keys->terms.begin(), keys->terms.end());
      keys->terms.erase(std::unique(keys->terms.begin(), keys->terms.end()), keys->terms.end());
      for (const std::uint32_t term : keys->terms) {
        postings.emplace_back(term, r);
      }
    } else {
      set.always_.push_back(r);
    }
    set.entries_.push_back(RuleEntry{append_program(rule.query, term_ids, set.program_), !definition.feeds.empty()});
    for (const std::string& feed : definition.feeds) {
      if (feed.starts_with("tag:")) {
        rule.feed_tags.push_back(text::lower_ascii(std::string_view(feed).substr(4)));
      } else {
        rule.feed_names.push_back(text::lower_ascii(feed));
      }
    }
    set.rules_.push_back(std::move(rule));
  }
  if (!errors.empty()) {
    return make_unexpected(std::move(errors));
  }

  // Inverted index, in compressed rows: term id -> rules indexed under it.
  std::sort(postings.begin(), postings.end());
  set.index_offsets_.assign(next_id + 1, 0);
  for (const auto& posting : postings) {
    ++set.index_offsets_[posting.first + 1];
  }
  std::partial_sum(set.index_offsets_.begin(), set.index_offsets_.end(), set.index_offsets_.begin());
  set.index_rules_.reserve(postings.size());
  for (const auto& posting : postings) {
    set.index_rules_.push_back(posting.second);
  }

  set.prefix_lengths_ = set.prefixes_.lengths();
  set.all_rules_.resize(set.rules_.size());
  std::iota(set.all_rules_.begin(), set.all_rules_.end(), 0U);
  return set;
}

std::vector<Match> RuleSet::match(const MatchInput& input) const {
  return run(input, nullptr, nullptr);
}

std::vector<Match> RuleSet::match(const MatchInput& input, MatchStats& stats) const {
  return run(input, nullptr, &stats);
}

std::vector<Match> RuleSet::match_brute_force(const MatchInput& input) const {
  return run(input, &all_rules_, nullptr);
}

std::vector<Match> RuleSet::run(const MatchInput& input, const std::vector<std::uint32_t>* all_rules,
                                MatchStats* stats) const {
  ItemTerms item(input, words_, prefixes_, prefix_lengths_);
  std::vector<std::uint32_t> candidates;
  if (all_rules != nullptr) {
    candidates = *all_rules;
  } else {
    // Each pass prefetches what the next one reads: with a large rule set the index rows, rule
    // entries, nodes and operands are all cache misses, and this way a batch of them overlaps.
    for (const std::uint32_t term : item.terms()) {
      __builtin_prefetch(&index_offsets_[term]);
    }
    for (const std::uint32_t term : item.terms()) {
      __builtin_prefetch(index_rules_.data() + index_offsets_[term]);
    }
    candidates = always_;
    for (const std::uint32_t term : item.terms()) {
      candidates.insert(candidates.end(), index_rules_.begin() + index_offsets_[term],
                        index_rules_.begin() + index_offsets_[term + 1]);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(&entries_[r]);
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(&program_.nodes[entries_[r].root]);
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(program_.operands.data() + program_.nodes[entries_[r].root].first);
    }
  }
  std::vector<std::uint32_t> matched;
  for (const std::uint32_t r : candidates) {
    if (entries_[r].feed_filter && !feed_allowed(rules_[r], item)) {
      continue;
    }
    if (Evaluator(program_, entries_[r].root, item).matches()) {
      matched.push_back(r);
      // The name lives with the rest of the rule, another cache miss: start it now, while the
      // remaining candidates are evaluated.
      __builtin_prefetch(&rules_[r].name);
    }
  }
  std::vector<Match> matches;
  matches.reserve(matched.size());
  for (const std::uint32_t r : matched) {
    matches.push_back(Match{rules_[r].name, explain(Evaluator(program_, entries_[r].root, item).spans(), item)});
  }
  if (stats != nullptr) {
    stats->candidates += candidates.size();
    stats->matches += matches.size();
  }
  return matches;
}

}  // namespace newswatch::rules
