#include "evaluator.hpp"

#include <algorithm>
#include <tuple>

namespace newswatch::rules {
namespace {

// Regex hits reported per segment, so a pattern matching everywhere cannot flood an alert.
constexpr int max_regex_spans = 64;

// Drops the occurrences before (segment, position) from the front of `occurrences` (sorted by
// segment, then position) and tells whether the next one is there, pointing `found` at it. A phrase
// asks each of its tokens for ever later positions, so it walks each token's occurrences once: a
// few steps forward, and a binary search only when the target is far ahead.
bool advance_to(std::span<const Occurrence>& occurrences, std::uint32_t segment, std::uint32_t position,
                const Occurrence** found) {
  const auto before = [segment, position](const Occurrence& occurrence) {
    return std::tie(occurrence.segment, occurrence.position) < std::tie(segment, position);
  };
  constexpr std::size_t linear_steps = 8;
  std::size_t skip = 0;
  while (skip < occurrences.size() && skip < linear_steps && before(occurrences[skip])) {
    ++skip;
  }
  if (skip == linear_steps) {
    skip = static_cast<std::size_t>(
        std::partition_point(occurrences.begin() + static_cast<std::ptrdiff_t>(skip), occurrences.end(), before) -
        occurrences.begin());
  }
  occurrences = occurrences.subspan(skip);
  if (occurrences.empty() || occurrences.front().segment != segment || occurrences.front().position != position) {
    return false;
  }
  *found = occurrences.data();
  return true;
}

}  // namespace

bool Evaluator::eval(std::uint32_t index) {
  const ProgramNode& node = program_.nodes[index];
  switch (node.kind) {
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::phrase: return term_hits(node, nullptr);
    case QueryNodeKind::regex: return regex(node, nullptr);
    case QueryNodeKind::site:
    case QueryNodeKind::feed:
    case QueryNodeKind::feed_tag:
    case QueryNodeKind::lang: return !item_.find(node.lead).empty();
    case QueryNodeKind::all_of:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (!eval(child(node, i))) {
          return false;
        }
      }
      return true;
    case QueryNodeKind::any_of:
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (eval(child(node, i))) {
          return true;
        }
      }
      return false;
    case QueryNodeKind::none_of: return !eval(node.lead);
    case QueryNodeKind::near: return near(node, nullptr);
  }
  return false;
}

template <typename Output, typename Operand>
bool Evaluator::gather(const ProgramNode& node, std::vector<Output>& out, Operand operand) {
  if (node.kind == QueryNodeKind::all_of) {
    const std::size_t mark = out.size();
    for (std::uint32_t i = 0; i < node.count; ++i) {
      if (!operand(program_.nodes[child(node, i)], out)) {
        out.resize(mark);
        return false;
      }
    }
    return true;
  }
  // Every true branch of an OR contributes, not only the first.
  bool any = false;
  for (std::uint32_t i = 0; i < node.count; ++i) {
    any = operand(program_.nodes[child(node, i)], out) || any;
  }
  return any;
}

bool Evaluator::eval_spans(const ProgramNode& node, std::vector<SegmentSpan>& out) {
  switch (node.kind) {
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::phrase: return term_spans(node, out);
    case QueryNodeKind::regex: return regex(node, &out);
    case QueryNodeKind::site: {
      // The matched domain in the link (feed: and lang: describe the source, not the item).
      const std::span<const Occurrence> found = item_.find(node.lead);
      for (const Occurrence& occurrence : found) {
        out.push_back(SegmentSpan{occurrence.segment, occurrence.begin, occurrence.end});
      }
      return !found.empty();
    }
    case QueryNodeKind::feed:
    case QueryNodeKind::feed_tag:
    case QueryNodeKind::lang: return !item_.find(node.lead).empty();
    case QueryNodeKind::all_of:
    case QueryNodeKind::any_of:
      return gather(node, out, [this](const ProgramNode& operand, std::vector<SegmentSpan>& spans) {
        return eval_spans(operand, spans);
      });
    case QueryNodeKind::none_of: return !eval(node.lead);  // a negation points at no text
    case QueryNodeKind::near: return near(node, &out);
  }
  return false;
}

bool Evaluator::token_matches(const ProgramNode& node, std::vector<ScopedOccurrences>& out) {
  switch (node.kind) {
    case QueryNodeKind::word:
    case QueryNodeKind::prefix:
    case QueryNodeKind::phrase: {
      const std::span<const Occurrence> found = item_.find(node.lead);
      const auto first = std::find_if(found.begin(), found.end(),
                                      [this, &node](const Occurrence& at) { return in_scope(node, at.segment); });
      if (first == found.end()) {
        return false;
      }
      out.push_back(ScopedOccurrences{found.subspan(static_cast<std::size_t>(first - found.begin())), node.fields});
      return true;
    }
    case QueryNodeKind::all_of:
    case QueryNodeKind::any_of:
      return gather(node, out, [this](const ProgramNode& operand, std::vector<ScopedOccurrences>& terms) {
        return token_matches(operand, terms);
      });
    case QueryNodeKind::none_of: return !eval(node.lead);
    default: return false;  // not a token tree
  }
}

bool Evaluator::term_spans(const ProgramNode& node, std::vector<SegmentSpan>& out) {
  if (node.count == 1) {  // a word or a prefix: its occurrences are the spans
    const std::size_t mark = out.size();
    for (const Occurrence& at : item_.find(node.lead)) {
      if (in_scope(node, at.segment)) {
        out.push_back(SegmentSpan{at.segment, at.begin, at.end});
      }
    }
    return out.size() > mark;
  }
  std::vector<TermHit>& hits = buffers_.left;
  hits.clear();
  if (!term_hits(node, &hits)) {
    return false;
  }
  for (const TermHit& hit : hits) {
    out.push_back(SegmentSpan{hit.segment, hit.begin, hit.end});
  }
  return true;
}

bool Evaluator::term_hits(const ProgramNode& node, std::vector<TermHit>* hits) {
  const std::uint32_t* operands = operands_of(node);
  if (node.count == 1) {  // a word or a prefix
    bool any = false;
    for (const Occurrence& at : item_.find(node.lead)) {
      if (!in_scope(node, at.segment)) {
        continue;
      }
      if (hits == nullptr) {
        return true;
      }
      any = true;
      hits->push_back(TermHit{at.segment, at.position, at.position, at.begin, at.end});
    }
    return any;
  }
  // A phrase is looked for around each occurrence of its rarest token: "of the president"
  // starts from the two "president"s, not from the fifty "of"s.
  std::vector<std::span<const Occurrence>>& tokens = buffers_.phrase_tokens;
  tokens.clear();
  std::uint32_t anchor = 0;
  for (std::uint32_t k = 0; k < node.count; ++k) {
    tokens.push_back(item_.find(operands[k]));
    if (tokens[k].empty()) {
      return false;
    }
    if (tokens[k].size() < tokens[anchor].size()) {
      anchor = k;
    }
  }
  bool any = false;
  for (const Occurrence& at : tokens[anchor]) {
    if (at.position < anchor || !in_scope(node, at.segment)) {
      continue;
    }
    const std::uint32_t start = at.position - anchor;
    const Occurrence* head = &at;
    const Occurrence* tail = &at;
    bool complete = true;
    for (std::uint32_t k = 0; k < node.count && complete; ++k) {
      const Occurrence* found = nullptr;
      if (k == anchor) {
        continue;
      }
      complete = advance_to(tokens[k], at.segment, start + k, &found);
      head = k == 0 ? found : head;
      tail = k + 1 == node.count ? found : tail;
    }
    if (!complete) {
      continue;
    }
    if (hits == nullptr) {
      return true;
    }
    any = true;
    hits->push_back(TermHit{at.segment, start, tail->position, head->begin, tail->end});
  }
  return any;
}

bool Evaluator::operand_hits(std::uint32_t index, std::vector<TermHit>& hits) {
  const ProgramNode& node = program_.nodes[index];
  if (node.kind != QueryNodeKind::any_of) {
    return term_hits(node, &hits);
  }
  for (std::uint32_t i = 0; i < node.count; ++i) {
    term_hits(program_.nodes[child(node, i)], &hits);
  }
  return !hits.empty();
}

bool Evaluator::near(const ProgramNode& node, std::vector<SegmentSpan>* out) {
  std::vector<TermHit>& left = buffers_.left;
  std::vector<TermHit>& right = buffers_.right;
  left.clear();
  right.clear();
  if (!operand_hits(child(node, 0), left) || !operand_hits(child(node, 1), right)) {
    return false;
  }
  std::sort(right.begin(), right.end(), [](const TermHit& a, const TermHit& b) {
    return std::tie(a.segment, a.first) < std::tie(b.segment, b.first);
  });
  std::uint32_t longest = 0;
  for (const TermHit& hit : right) {
    longest = std::max(longest, hit.last - hit.first);
  }
  const std::uint32_t distance = node.distance;
  bool any = false;
  for (const TermHit& a : left) {
    // Only right hits starting in [a.first - distance - longest, a.last + distance] can qualify.
    const std::uint32_t reach = distance + longest;
    const std::uint32_t low = a.first > reach ? a.first - reach : 0;
    auto it = std::lower_bound(right.begin(), right.end(), std::make_pair(a.segment, low),
                               [](const TermHit& hit, const std::pair<std::uint32_t, std::uint32_t>& key) {
                                 return std::tie(hit.segment, hit.first) < std::tie(key.first, key.second);
                               });
    for (; it != right.end() && it->segment == a.segment && it->first <= a.last + distance; ++it) {
      const bool after = it->first > a.last && it->first - a.last <= distance;
      const bool before = !node.ordered && it->last < a.first && a.first - it->last <= distance;
      if (!after && !before) {
        continue;
      }
      if (out == nullptr) {
        return true;
      }
      any = true;
      out->push_back(SegmentSpan{a.segment, a.begin, a.end});
      out->push_back(SegmentSpan{it->segment, it->begin, it->end});
    }
  }
  return any;
}

bool Evaluator::regex(const ProgramNode& node, std::vector<SegmentSpan>* out) {
  const re2::RE2& pattern = *program_.regexes[node.lead];
  bool any = false;
  const auto segment_count = static_cast<std::uint32_t>(item_.segments().size());
  for (std::uint32_t segment = 0; segment < segment_count; ++segment) {
    if (!in_scope(node, segment)) {
      continue;
    }
    const NormalizedSegment& normalized = item_.normalized(segment);
    const re2::StringPiece text(normalized.text);
    if (out == nullptr) {
      if (re2::RE2::PartialMatch(text, pattern)) {
        return true;
      }
      continue;
    }
    std::size_t from = 0;
    re2::StringPiece found;
    for (int count = 0; count < max_regex_spans && from <= text.size(); ++count) {
      if (!pattern.Match(text, from, text.size(), re2::RE2::UNANCHORED, &found, 1)) {
        break;
      }
      const auto begin = static_cast<std::size_t>(found.data() - text.data());
      const std::size_t end = begin + found.size();
      if (end > begin) {
        any = true;
        out->push_back(SegmentSpan{segment, normalized.origin_begin[begin], normalized.origin_end[end - 1]});
      }
      from = end > begin ? end : end + 1;
    }
  }
  return any;
}

}  // namespace newswatch::rules
