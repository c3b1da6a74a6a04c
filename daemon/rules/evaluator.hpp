#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "item_terms.hpp"
#include "newswatch/rules/rule_set.hpp"

namespace newswatch::rules {

/// A byte range in one segment of an item.
struct SegmentSpan {
  std::uint32_t segment = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// A run of tokens one NEAR operand matched: positions [first, last] and bytes [begin, end).
struct TermHit {
  std::uint32_t segment;
  std::uint32_t first;
  std::uint32_t last;
  std::uint32_t begin;
  std::uint32_t end;
};

/// A token node's occurrences and the fields it looks in.
struct ScopedOccurrences {
  std::span<const Occurrence> occurrences;
  std::uint8_t fields = 0;
};

/// Buffers an Evaluator fills and clears, kept across items (NEAR never nests inside NEAR, so one
/// pair is enough).
struct EvaluatorBuffers {
  std::vector<TermHit> left;
  std::vector<TermHit> right;
  std::vector<std::span<const Occurrence>> phrase_tokens;  ///< Occurrences of each token of a phrase.
};

/// Evaluates compiled rules on one item's terms. Recursion follows the query tree, whose depth the
/// parser bounds (max_query_depth).
class Evaluator {
 public:
  /// Evaluates rules of `program` on `item`.
  Evaluator(const RuleSet::Program& program, ItemTerms& item, EvaluatorBuffers& buffers)
      : program_(program), item_(item), buffers_(buffers) {}

  /// True when the rule rooted at program.nodes[root] holds (feed filters are the caller's business).
  bool matches(std::uint32_t root) { return eval(root); }
  /// As matches() for the rule rooted at `root` (a node of program.nodes or a copy of one); when
  /// true, appends every span that satisfied the rule (positive terms only) to `out`, in one
  /// evaluation; when false, leaves `out` as it was.
  bool matches(const ProgramNode& root, std::vector<SegmentSpan>& out) { return eval_spans(root, out); }
  /// As matches(root, out) for a rule whose tree is a RuleEntry::token_tree, appending instead the
  /// tokens whose occurrences in scope are its spans (those under a true AND or OR branch).
  bool token_matches(const ProgramNode& root, std::vector<ScopedOccurrences>& out);

 private:
  bool eval(std::uint32_t index);
  bool eval_spans(const ProgramNode& node, std::vector<SegmentSpan>& out);
  // An AND or OR node evaluated by `operand(child, out)` for each child, which appends its output
  // (spans or tokens) to `out`: an AND keeps its children's output only when all of them hold, an
  // OR keeps that of every child that holds.
  template <typename Output, typename Operand>
  bool gather(const ProgramNode& node, std::vector<Output>& out, Operand operand);
  bool term_hits(const ProgramNode& node, std::vector<TermHit>* hits);
  bool term_spans(const ProgramNode& node, std::vector<SegmentSpan>& out);
  bool operand_hits(std::uint32_t index, std::vector<TermHit>& hits);
  bool near(const ProgramNode& node, std::vector<SegmentSpan>* out);
  bool regex(const ProgramNode& node, std::vector<SegmentSpan>* out);
  [[nodiscard]] bool in_scope(const ProgramNode& node, std::uint32_t segment) const {
    return (item_.segments()[segment].field & node.fields) != 0;
  }

  [[nodiscard]] const std::uint32_t* operands_of(const ProgramNode& node) const noexcept {
    return program_.operands.data() + node.first;
  }
  /// Operand i of an AND, OR, NOT or NEAR: the first is inline, so it costs no read of the array.
  [[nodiscard]] std::uint32_t child(const ProgramNode& node, std::uint32_t i) const noexcept {
    return i == 0 ? node.lead : operands_of(node)[i];
  }

  const RuleSet::Program& program_;
  ItemTerms& item_;
  EvaluatorBuffers& buffers_;
};

}  // namespace newswatch::rules
