#include "newswatch/rules/rule_set.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "item_terms.hpp"
#include "newswatch/text/ascii.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "query_nodes.hpp"

// Compiling: queries parsed, their terms interned and their nodes laid out in one program; twins
// found. The index is rule_index.cpp's, matching rule_match.cpp's.

namespace newswatch::rules {
namespace {

// See RuleEntry::token_tree. A NOT qualifies whatever it negates: it contributes no spans, only
// its verdict.
bool is_token_tree(const RuleSet::Program& program, std::uint32_t index) {
  const ProgramNode& node = program.nodes[index];
  switch (node.kind) {
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::phrase: return node.count == 1;
    case QueryNodeKind::none_of: return true;
    case QueryNodeKind::all_of:
    case QueryNodeKind::any_of:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (!is_token_tree(program, program.operands[node.first + i])) {
          return false;
        }
      }
      return true;
    default: return false;
  }
}

// The prior weight of a term, without observed frequencies: longer tokens are taken to be rarer
// (Luwak's default term weighting does the same); see rule_index.cpp.
double word_prior(std::string_view token) {
  const double length = static_cast<double>(std::max<std::size_t>(text::count_code_points(token), 1));
  return 1.0 / (length * length);
}

std::uint32_t intern(TermDictionary& dictionary, std::string_view key, std::uint32_t& next_id) {
  const std::uint32_t id = dictionary.insert(key, next_id);
  if (id == next_id) {
    ++next_id;
  }
  return id;
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
  for (const QueryNode& node : query.nodes()) {
    const std::uint32_t* operands = query.operands_of(node);
    const auto first = static_cast<std::uint32_t>(program.operands.size());
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (node.kind == QueryNodeKind::regex) {
        program.operands.push_back(regex_base + operands[i]);
      } else if (is_term_node(node.kind)) {
        program.operands.push_back(term_ids[operands[i]]);
      } else {
        program.operands.push_back(node_base + operands[i]);
      }
    }
    program.nodes.push_back(ProgramNode{node.kind, node.fields, node.ordered, node.distance,
                                        static_cast<std::uint16_t>(node.count), first,
                                        node.count > 0 ? program.operands[first] : 0});
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
    const ProgramNode& node = program.nodes[n];
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
        core->site_filters = core->site_filters || node.kind == QueryNodeKind::site;
      }
    }
    const auto node_base = static_cast<std::uint32_t>(core->program.nodes.size());
    const std::uint32_t root = append_program(rule.query, term_ids, core->program);
    core->entries.push_back(RuleEntry{core->program.nodes[root], root, 0, 0, !definition.feeds.empty(), false,
                                      is_token_tree(core->program, root)});
    if (definition.feeds.empty()) {
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
    core->twins.reserve(twin_pairs.size());
    for (const auto& pair : twin_pairs) {
      RuleEntry& first = core->entries[pair.first];
      if (first.twins_begin == first.twins_end) {
        first.twins_begin = static_cast<std::uint32_t>(core->twins.size());
      }
      core->twins.push_back(pair.second);
      first.twins_end = static_cast<std::uint32_t>(core->twins.size());
    }
  }
  Unindexed rules;
  rules.core_ = std::move(core);
  return rules;
}

RuleSet RuleSet::reindexed(const TermFrequencies& frequencies) const {
  Unindexed rules;
  rules.core_ = core_;
  return indexed(rules, &frequencies);
}

}  // namespace newswatch::rules
