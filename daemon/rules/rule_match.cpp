#include "newswatch/rules/rule_set.hpp"

#include <algorithm>
#include <bit>
#include <numeric>
#include <string>
#include <tuple>
#include <vector>

#include "evaluator.hpp"
#include "item_terms.hpp"
#include "query_nodes.hpp"

// Matching an item: candidates from the index, each evaluated once with its spans.

namespace newswatch::rules {
namespace {

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

// The spans of a token tree's match (RuleEntry::token_tree): the occurrences in scope of `terms`
// merged in item order, touching and overlapping ones joined, which is what append_spans() gives
// for the same rule after an evaluation, without collecting and sorting them first. Advances the
// spans in `terms`.
void append_token_spans(std::span<ScopedOccurrences> terms, const ItemTerms& item, std::vector<MatchSpan>& out) {
  const std::vector<Segment>& segments = item.segments();
  std::uint32_t current = UINT32_MAX;
  const auto take = [&segments, &current, &out](const Occurrence& at) {
    if (at.segment == current && at.begin <= out.back().end) {
      out.back().end = std::max(out.back().end, at.end);
      return;
    }
    current = at.segment;
    const Segment& segment = segments[at.segment];
    out.push_back(MatchSpan{segment.field, segment.index, at.begin, at.end});
  };
  if (terms.size() == 1) {  // a lone token, the most common rule: its occurrences are in order
    for (const Occurrence& at : terms[0].occurrences) {
      if ((segments[at.segment].field & terms[0].fields) != 0) {
        take(at);
      }
    }
    return;
  }
  // Each term's first occurrence is kept in scope, so choosing the next one only compares them.
  const auto skip_out_of_scope = [&segments](ScopedOccurrences& term) {
    std::span<const Occurrence>& left = term.occurrences;
    while (!left.empty() && (segments[left.front().segment].field & term.fields) == 0) {
      left = left.subspan(1);
    }
  };
  for (ScopedOccurrences& term : terms) {
    skip_out_of_scope(term);
  }
  for (;;) {
    ScopedOccurrences* next = nullptr;
    for (ScopedOccurrences& term : terms) {
      const std::span<const Occurrence>& left = term.occurrences;
      if (!left.empty() &&
          (next == nullptr || std::tie(left.front().segment, left.front().begin) <
                                  std::tie(next->occurrences.front().segment, next->occurrences.front().begin))) {
        next = &term;
      }
    }
    if (next == nullptr) {
      return;
    }
    take(next->occurrences.front());
    next->occurrences = next->occurrences.subspan(1);
    skip_out_of_scope(*next);
  }
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

struct MatchScratch::Buffers {
  ItemTerms item;
  EvaluatorBuffers evaluator;
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint64_t> rule_bits;   ///< All clear between items.
  std::vector<std::uint64_t> used_words;  ///< Which words of rule_bits have a bit set; all clear between items.
  std::vector<SegmentSpan> segment_spans;
  std::vector<SegmentSpan> merged_spans;  ///< append_spans()' buffer.
  std::vector<ScopedOccurrences> token_terms;
  std::vector<RuleMatch> twin_matches;    ///< Matches of twins (Core::twins), merged in last.
  std::vector<RuleMatch> merged_matches;  ///< The merge's buffer, swapped with the matches.
};

MatchScratch::MatchScratch() : buffers_(std::make_unique<Buffers>()) {}
MatchScratch::~MatchScratch() = default;
MatchScratch::MatchScratch(MatchScratch&&) noexcept = default;
MatchScratch& MatchScratch::operator=(MatchScratch&&) noexcept = default;

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
  item.reset(input, TermSources{core.words, core.prefixes, core.bigrams, core.prefix_lengths, core.prefix_heads,
                                core.site_filters});
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
    // Definition order without duplicates. Unless the candidates are very few for the set's size,
    // a bitmap of the rules read back word by word beats sorting them (one bit a rule: 12.5 KB
    // for 100,000 rules, left all clear for the next item). A second bitmap, of the words in
    // use, lets the read-back skip the empty ones, so that it reads about one word of it per
    // 64 words of the first plus one per candidate: from 25 candidates on at 100,000 rules.
    const std::size_t words = (core.rules.size() + 63) / 64;
    if (words <= 64 * candidates.size()) {
      std::vector<std::uint64_t>& bits = buffers.rule_bits;
      std::vector<std::uint64_t>& used = buffers.used_words;
      bits.resize(words);
      used.resize((words + 63) / 64);
      for (const std::uint32_t r : candidates) {
        bits[r >> 6U] |= std::uint64_t{1} << (r & 63U);
        used[r >> 12U] |= std::uint64_t{1} << ((r >> 6U) & 63U);
      }
      candidates.clear();
      for (std::size_t u = 0; u < used.size(); ++u) {
        for (std::uint64_t in_use = used[u]; in_use != 0; in_use &= in_use - 1) {
          const std::size_t w = u * 64 + static_cast<std::size_t>(std::countr_zero(in_use));
          for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
            candidates.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(word))));
          }
          bits[w] = 0;
        }
        used[u] = 0;
      }
    } else {
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    }
    for (const std::uint32_t r : candidates) {
      __builtin_prefetch(&core.entries[r]);
    }
    for (const std::uint32_t r : candidates) {
      const RuleEntry& entry = core.entries[r];
      const ProgramNode& root = entry.node;
      // The children of an AND, OR, NOT or NEAR root sit together, just before it; its first
      // child is inline, the others in the operands.
      if (root.count > 1) {
        __builtin_prefetch(core.program.operands.data() + root.first + 1);
      }
      if (!is_term_node(root.kind) && root.kind != QueryNodeKind::regex) {
        __builtin_prefetch(&core.program.nodes[root.lead]);
      }
      if (entry.twins_end > entry.twins_begin) {
        __builtin_prefetch(&core.twins[entry.twins_begin]);
      }
    }
  }
  scratch.matches_.clear();
  scratch.spans_.clear();
  Evaluator evaluator(core.program, item, buffers.evaluator);
  std::vector<SegmentSpan>& segment_spans = buffers.segment_spans;
  std::vector<ScopedOccurrences>& token_terms = buffers.token_terms;
  std::vector<RuleMatch>& twin_matches = buffers.twin_matches;
  twin_matches.clear();
  const bool twins = !brute_force && !core.twins.empty();
  for (const std::uint32_t r : candidates) {
    const RuleEntry& entry = core.entries[r];
    if (entry.feed_filter && !feed_allowed(core.rules[r], item)) {
      continue;
    }
    const auto first = static_cast<std::uint32_t>(scratch.spans_.size());
    bool matched = false;
    const ProgramNode& root = entry.node;
    if (entry.token_tree) {
      // A lone word (a name, a broad common word), `name AND word`, an OR of names and the like:
      // the evaluation names the tokens, and their occurrences are the spans.
      token_terms.clear();
      if (evaluator.token_matches(root, token_terms)) {
        append_token_spans(token_terms, item, scratch.spans_);
        matched = true;
      }
    } else {
      segment_spans.clear();
      // One evaluation gives both the verdict and the spans.
      if (evaluator.matches(root, segment_spans)) {
        append_spans(segment_spans, buffers.merged_spans, item, scratch.spans_);
        matched = true;
      }
    }
    if (matched) {
      const RuleMatch found{r, first, static_cast<std::uint32_t>(scratch.spans_.size()) - first};
      scratch.matches_.push_back(found);
      if (twins) {
        for (std::uint32_t t = entry.twins_begin; t < entry.twins_end; ++t) {
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
