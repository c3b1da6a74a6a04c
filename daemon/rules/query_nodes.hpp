#pragma once

#include <cstdint>

#include "newswatch/rules/query.hpp"

namespace newswatch::rules {

// Nodes whose operands are terms (as opposed to child nodes or a regex).
inline bool is_term_node(QueryNodeKind kind) {
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

// Nodes that match a token sequence: a word, a prefix or a phrase.
inline bool is_token_node(QueryNodeKind kind) {
  return kind == QueryNodeKind::word || kind == QueryNodeKind::prefix || kind == QueryNodeKind::phrase;
}

}  // namespace newswatch::rules
