#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "newswatch/alert/template_check.hpp"
#include "newswatch/app/command.hpp"
#include "newswatch/app/logging.hpp"
#include "newswatch/config/load.hpp"

namespace newswatch::app {

config::LoadOutcome load_checked_config(const std::string& path) {
  auto outcome = config::load_config_file(path);
  if (outcome.ok()) {
    // Templates render with a sample alert now, so a broken one is a config error, not a dead alert.
    auto template_errors = alert::check_target_templates(*outcome.config);
    if (!template_errors.empty()) {
      outcome.diagnostics.insert(outcome.diagnostics.end(), template_errors.begin(), template_errors.end());
      outcome.config.reset();
    }
  }
  return outcome;
}

std::optional<config::Config> load_config_for_command(const GlobalOptions& globals) {
  const auto path = resolve_config_path(globals);
  auto outcome = load_checked_config(path);
  for (const auto& diagnostic : outcome.diagnostics) {
    std::cerr << diagnostic.to_string() << '\n';
  }
  if (!outcome.ok()) {
    std::size_t errors = 0;
    for (const auto& diagnostic : outcome.diagnostics) {
      errors += diagnostic.severity == config::Severity::error ? 1 : 0;
    }
    std::cerr << fmt::format("{}: {} error(s); the configuration is not valid\n", path, errors);
    return std::nullopt;
  }
  const auto& daemon = outcome.config->daemon;
  configure_logging(globals.log_level.empty() ? daemon.log_level : globals.log_level,
                    daemon.log_format == config::LogFormat::json ? LogFormat::json : LogFormat::text);
  spdlog::debug("config: loaded file={} files={} feeds={} rules={} targets={}", path, outcome.config->files.size(),
                outcome.config->feeds.size(), outcome.config->rules.size(), outcome.config->targets.size());
  return std::move(outcome.config);
}

}  // namespace newswatch::app
