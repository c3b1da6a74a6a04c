#include "newswatch/rules/query_error.hpp"

namespace newswatch::rules {

std::string render_query_error(std::string_view rule_name, std::string_view query, const QueryError& error) {
  std::string out;
  if (!rule_name.empty()) {
    out += "rule \"" + std::string(rule_name) + "\": ";
  }
  out += "query:1:" + std::to_string(error.column) + ": " + error.message + "\n  ";
  // One line, so the caret lines up: control characters (a newline in a TOML multi-line string)
  // become spaces.
  for (const char c : query) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  }
  out += "\n  " + std::string(error.column > 0 ? error.column - 1 : 0, ' ') + "^";
  if (!error.hint.empty()) {
    out += "\n  hint: " + error.hint;
  }
  return out;
}

}  // namespace newswatch::rules
