#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newswatch::rules {

/// A query that does not compile: where (1-based column, in characters), what, and how to fix it.
struct QueryError {
  std::size_t column = 1;
  std::string message;
  std::string hint;  ///< May be empty.
};

/// Renders `rule "x": query:1:14: unbalanced ")"`, then the query and a caret under the column,
/// then the hint when there is one. Without a rule name the `rule "x": ` prefix is left out.
std::string render_query_error(std::string_view rule_name, std::string_view query, const QueryError& error);

}  // namespace newswatch::rules
