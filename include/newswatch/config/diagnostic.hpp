#pragma once

#include <string>
#include <vector>

namespace newswatch::config {

/// A place in a config file; line and column are 1-based, 0 when unknown.
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// How bad a diagnostic is: errors make the config invalid, warnings do not.
enum class Severity { error, warning };

/// One problem found in the configuration.
struct Diagnostic {
  Severity severity = Severity::error;
  Location where;
  std::string message;
  std::string hint;  ///< How to fix it; may be empty.

  /// "file:line:col: error: message" plus an indented "hint: …" line when there is a hint.
  [[nodiscard]] std::string to_string() const;
};

/// True when any diagnostic is an error.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace newswatch::config
