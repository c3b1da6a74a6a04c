#include "newswatch/config/diagnostic.hpp"

#include <algorithm>

namespace newswatch::config {

std::string Diagnostic::to_string() const {
  std::string text = where.file.empty() ? std::string("newswatch") : where.file;
  if (where.line > 0) {
    text += ':' + std::to_string(where.line);
    if (where.column > 0) {
      text += ':' + std::to_string(where.column);
    }
  }
  text += severity == Severity::error ? ": error: " : ": warning: ";
  text += message;
  if (!hint.empty()) {
    text += "\n  hint: " + hint;
  }
  return text;
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& diagnostic) { return diagnostic.severity == Severity::error; });
}

}  // namespace newswatch::config
