#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/rules/query_error.hpp"

namespace newswatch::rules {

/// Item fields a term may search, as bits.
enum FieldBit : std::uint8_t {
  field_title = 1U << 0U,
  field_summary = 1U << 1U,
  field_content = 1U << 2U,
  field_category = 1U << 3U,
  field_author = 1U << 4U,
  field_link = 1U << 5U,  ///< The item link: only site: looks at it, and no query scope names it.
};
/// Where an unscoped term searches: title, summary, content and categories.
inline constexpr std::uint8_t default_fields = field_title | field_summary | field_content | field_category;

/// What a QueryNode is.
enum class QueryNodeKind : std::uint8_t {
  word,      ///< One normalised token, whole-word equality.
  prefix,    ///< Tokens starting with a stem (`sanction*`).
  phrase,    ///< Consecutive tokens.
  regex,     ///< RE2 over the normalised field text.
  site,      ///< Item link host or a parent domain.
  feed,      ///< Feed name.
  feed_tag,  ///< One of the feed's tags.
  lang,      ///< Item language or its primary subtag.
  all_of,    ///< AND.
  any_of,    ///< OR.
  none_of,   ///< NOT (one child).
  near,      ///< Two children within `distance` tokens; `ordered` for ONEAR.
};

/// One node of a compiled query. Its operands are Query::operands()[first, first + count): node
/// indices for all_of/any_of/none_of/near, term indices for the other kinds (regex: regex index).
struct QueryNode {
  QueryNodeKind kind = QueryNodeKind::word;
  std::uint8_t fields = default_fields;
  bool ordered = false;
  std::uint16_t distance = 0;
  std::uint32_t column = 1;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

/// A parsed and validated query: an AST in flat arrays (no pointer chasing, one allocation each).
class Query {
 public:
  /// The nodes; the root is root().
  [[nodiscard]] const std::vector<QueryNode>& nodes() const noexcept { return nodes_; }
  /// Operand lists referenced by the nodes.
  [[nodiscard]] const std::vector<std::uint32_t>& operands() const noexcept { return operands_; }
  /// Normalised tokens and site/feed/lang values.
  [[nodiscard]] const std::vector<std::string>& terms() const noexcept { return terms_; }
  /// Compiled regular expressions.
  [[nodiscard]] const std::vector<std::shared_ptr<const re2::RE2>>& regexes() const noexcept { return regexes_; }
  /// Index of the root node.
  [[nodiscard]] std::uint32_t root() const noexcept { return root_; }
  /// Operands of one node.
  [[nodiscard]] const std::uint32_t* operands_of(const QueryNode& node) const noexcept {
    return operands_.data() + node.first;
  }
  /// Canonical, fully parenthesised form, e.g. `(isis AND (NOT title:assad))`: shows precedence.
  [[nodiscard]] std::string to_string() const;

 private:
  friend class QueryBuilder;
  std::vector<QueryNode> nodes_;
  std::vector<std::uint32_t> operands_;
  std::vector<std::string> terms_;
  std::vector<std::shared_ptr<const re2::RE2>> regexes_;
  std::uint32_t root_ = 0;
};

/// Longest accepted query, in bytes.
inline constexpr std::size_t max_query_bytes = 4096;
/// Most terms (words, prefixes, phrases, regexes, filters) in one query.
inline constexpr std::size_t max_query_terms = 256;
/// Deepest nesting of parentheses and NOTs.
inline constexpr std::size_t max_query_depth = 64;
/// Largest NEAR/n distance.
inline constexpr std::size_t max_near_distance = 1000;
/// Shortest prefix stem, in characters.
inline constexpr std::size_t min_prefix_stem = 3;

/// Parses the watch-rule query language (README "Watch rules") into a Query.
Expected<Query, QueryError> parse_query(std::string_view query);

}  // namespace newswatch::rules
