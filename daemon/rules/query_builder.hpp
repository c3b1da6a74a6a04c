#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "newswatch/rules/query.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {

/// Appends nodes to a Query under construction; the parser's only way to build one.
class QueryBuilder {
 public:
  /// Adds a term node (word, prefix, phrase) over the tokens of `tokens`.
  std::uint32_t add_terms(QueryNodeKind kind, std::uint8_t fields, std::uint32_t column,
                          const text::TokenList& tokens) {
    const std::uint32_t node =
        push(QueryNode{kind, fields, false, 0, column, static_cast<std::uint32_t>(query_.operands_.size()),
                       static_cast<std::uint32_t>(tokens.tokens.size())});
    for (std::size_t i = 0; i < tokens.tokens.size(); ++i) {
      query_.operands_.push_back(static_cast<std::uint32_t>(query_.terms_.size()));
      query_.terms_.emplace_back(tokens.token_text(i));
    }
    return node;
  }
  /// Adds a filter node (site, feed, feed_tag, lang) over one value.
  std::uint32_t add_filter(QueryNodeKind kind, std::uint8_t fields, std::uint32_t column, std::string value) {
    const std::uint32_t node =
        push(QueryNode{kind, fields, false, 0, column, static_cast<std::uint32_t>(query_.operands_.size()), 1});
    query_.operands_.push_back(static_cast<std::uint32_t>(query_.terms_.size()));
    query_.terms_.push_back(std::move(value));
    return node;
  }
  /// Adds a regex node.
  std::uint32_t add_regex(std::uint8_t fields, std::uint32_t column, std::shared_ptr<const re2::RE2> regex) {
    QueryNode node{
        QueryNodeKind::regex, fields, false, 0, column, static_cast<std::uint32_t>(query_.operands_.size()), 1};
    query_.operands_.push_back(static_cast<std::uint32_t>(query_.regexes_.size()));
    query_.regexes_.push_back(std::move(regex));
    return push(node);
  }
  /// Adds an operator node over existing nodes.
  std::uint32_t add_operator(QueryNodeKind kind, std::uint32_t column, std::span<const std::uint32_t> children,
                             bool ordered = false, std::uint16_t distance = 0) {
    QueryNode node{kind,
                   default_fields,
                   ordered,
                   distance,
                   column,
                   static_cast<std::uint32_t>(query_.operands_.size()),
                   static_cast<std::uint32_t>(children.size())};
    query_.operands_.insert(query_.operands_.end(), children.begin(), children.end());
    return push(node);
  }
  /// Makes room for a query of about `lexemes` lexemes, so that building it does not regrow.
  void reserve(std::size_t lexemes) {
    query_.nodes_.reserve(lexemes);
    query_.operands_.reserve(2 * lexemes);
    query_.terms_.reserve(lexemes);
  }
  /// A node added earlier.
  [[nodiscard]] const QueryNode& node(std::uint32_t index) const { return query_.nodes_[index]; }
  /// Operands of a node added earlier.
  [[nodiscard]] const std::uint32_t* operands_of(const QueryNode& node) const {
    return query_.operands_.data() + node.first;
  }
  /// Finishes the query with its root.
  Query finish(std::uint32_t root) && {
    query_.root_ = root;
    query_.nodes_.shrink_to_fit();
    query_.operands_.shrink_to_fit();
    query_.terms_.shrink_to_fit();
    return std::move(query_);
  }

 private:
  std::uint32_t push(const QueryNode& node) {
    query_.nodes_.push_back(node);
    return static_cast<std::uint32_t>(query_.nodes_.size() - 1);
  }

  Query query_;
};

}  // namespace newswatch::rules
