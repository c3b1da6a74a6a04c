#include "query_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "newswatch/rules/query.hpp"
#include "newswatch/rules/query_error.hpp"

namespace newswatch::config::detail {
namespace {

/// Maps a 1-based character column of the query to the file position of that character, for a
/// query written as a TOML string starting at `value_at`. Exact for strings without escapes; a
/// multi-line string's first newline (dropped by TOML) is accounted for.
Location query_location(std::string_view query, std::size_t column, const toml::source_region& value_at) {
  auto where = Diagnostics::location(value_at);
  const auto query_lines = static_cast<int>(std::count(query.begin(), query.end(), '\n'));
  const auto region_lines = static_cast<int>(value_at.end.line - value_at.begin.line);
  const bool multi_line = region_lines > 0;
  // A multi-line string whose text starts on the line after the opening quotes.
  const int skipped_lines = multi_line ? std::max(0, region_lines - query_lines) : 0;
  int line_offset = 0;
  std::size_t column_in_line = 0;  // characters before the error on its line
  std::size_t characters = 0;
  for (std::size_t i = 0; i < query.size() && characters + 1 < column; ++i) {
    const auto byte = static_cast<unsigned char>(query[i]);
    if ((byte & 0xC0U) == 0x80U) {
      continue;  // UTF-8 continuation byte: not a new character
    }
    ++characters;
    if (byte == '\n') {
      ++line_offset;
      column_in_line = 0;
    } else {
      ++column_in_line;
    }
  }
  const int quote_width = multi_line ? 3 : 1;
  if (line_offset == 0 && skipped_lines == 0) {
    where.column += quote_width + static_cast<int>(column_in_line);
  } else {
    where.line += skipped_lines + line_offset;
    where.column = 1 + static_cast<int>(column_in_line);
  }
  return where;
}

}  // namespace

void check_rule_query(std::string_view rule_name, std::string_view query, const toml::source_region& value_at,
                      Diagnostics& diagnostics) {
  if (query.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostics.error(Diagnostics::location(value_at), fmt::format("rule \"{}\": query is empty", rule_name),
                      "write what to watch for, e.g. query = '\"ISIS coalition\"'");
    return;
  }
  const auto compiled = rules::parse_query(query);
  if (compiled) {
    return;
  }
  auto error = compiled.error();
  auto hint = std::move(error.hint);
  error.hint.clear();
  diagnostics.error(query_location(query, error.column, value_at), rules::render_query_error(rule_name, query, error),
                    std::move(hint));
}

}  // namespace newswatch::config::detail
