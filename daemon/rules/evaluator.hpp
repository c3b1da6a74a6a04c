#pragma once

#include <cstdint>
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

/// Evaluates one compiled rule on one item's terms. Recursion follows the query tree, whose depth
/// the parser bounds (max_query_depth).
class Evaluator {
 public:
  /// Evaluates the rule whose root node is program.nodes[root].
  Evaluator(const RuleSet::Program& program, std::uint32_t root, ItemTerms& item)
      : program_(program), root_(root), item_(item) {}

  /// True when the rule's query holds for the item (feed filters are the caller's business).
  bool matches() { return eval(root_); }
  /// For a matching rule: every span that satisfied it (positive terms only).
  std::vector<SegmentSpan> spans();

 private:
  // A run of tokens one NEAR operand matched: positions [first, last] and bytes [begin, end).
  struct Hit {
    std::uint32_t segment;
    std::uint32_t first;
    std::uint32_t last;
    std::uint32_t begin;
    std::uint32_t end;
  };

  bool eval(std::uint32_t index);
  void collect(std::uint32_t index, std::vector<SegmentSpan>& out);
  bool term_hits(const QueryNode& node, std::vector<Hit>* hits);
  bool operand_hits(std::uint32_t index, std::vector<Hit>& hits);
  bool near(const QueryNode& node, std::vector<SegmentSpan>* out);
  bool regex(const QueryNode& node, std::vector<SegmentSpan>* out);
  [[nodiscard]] bool in_scope(const QueryNode& node, std::uint32_t segment) const {
    return (item_.segments()[segment].field & node.fields) != 0;
  }

  [[nodiscard]] const std::uint32_t* operands_of(const QueryNode& node) const noexcept {
    return program_.operands.data() + node.first;
  }

  const RuleSet::Program& program_;
  std::uint32_t root_;
  ItemTerms& item_;
};

}  // namespace newswatch::rules
