#include "newswatch/alert/template_check.hpp"

#include <fmt/format.h>

#include "newswatch/alert/template.hpp"

namespace newswatch::alert {

std::vector<config::Diagnostic> check_target_templates(const config::Config& config) {
  std::vector<config::Diagnostic> diagnostics;
  for (const auto& target : config.targets) {
    if (target.template_text.empty()) {
      continue;
    }
    const auto error = check_template(target.template_text, target.type);
    if (!error) {
      continue;
    }
    config::Diagnostic diagnostic;
    diagnostic.where = target.template_location;
    if (!target.template_file.empty() && error->line > 0) {
      diagnostic.where.line = error->line;
      diagnostic.where.column = error->column;
      diagnostic.message = fmt::format("template of [[target]] \"{}\": {}", target.name, error->message);
    } else {
      diagnostic.message = fmt::format("template of [[target]] \"{}\", {}", target.name, error->to_string());
    }
    diagnostic.hint = "templates are Mustache; README \"Templates\" lists the variables";
    diagnostics.push_back(std::move(diagnostic));
  }
  return diagnostics;
}

}  // namespace newswatch::alert
