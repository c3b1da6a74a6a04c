#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/rules/query.hpp"
#include "newswatch/rules/query_error.hpp"

namespace newswatch::rules {

/// What a Lexeme is.
enum class LexemeKind : std::uint8_t {
  end,
  word,    ///< Bare word, maybe ending in `*`.
  phrase,  ///< "quoted": text is what is between the quotes.
  regex,   ///< /pattern/: text is the pattern with `\/` unescaped.
  open,
  close,
  and_op,
  or_op,
  not_op,   ///< NOT or a leading `-`.
  near_op,  ///< NEAR/n or ONEAR/n.
  scope,    ///< title: summary: content: author: category:
  filter,   ///< site:x feed:x feed:tag:x lang:x
};

/// One lexical unit of a query.
struct Lexeme {
  LexemeKind kind = LexemeKind::end;
  std::size_t offset = 0;  ///< Byte offset in the query.
  std::string text;
  std::uint8_t fields = 0;                     ///< scope
  QueryNodeKind filter = QueryNodeKind::site;  ///< filter
  std::uint16_t distance = 0;                  ///< near_op
  bool ordered = false;                        ///< near_op: ONEAR
};

/// 1-based character column of a byte offset.
std::size_t column_of(std::string_view query, std::size_t offset);

/// Splits a query into lexemes, ending with one of kind `end` at the query's length.
Expected<std::vector<Lexeme>, QueryError> lex_query(std::string_view query);

}  // namespace newswatch::rules
