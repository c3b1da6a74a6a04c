#include <fmt/format.h>

#include <iostream>
#include <string>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/config/print.hpp"
#include "newswatch/config/units.hpp"

namespace newswatch::app {
namespace {

std::string join(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) {
    text += text.empty() ? "" : ", ";
    text += value;
  }
  return text;
}

void print_summary(const config::Config& config, std::ostream& out) {
  out << fmt::format("config ok: {} feeds, {} rules, {} targets from {} file(s)\n", config.feeds.size(),
                     config.rules.size(), config.targets.size(), config.files.size());
  for (const auto& file : config.files) {
    out << "  file   " << file.string() << '\n';
  }
  for (const auto& feed : config.feeds) {
    out << fmt::format("  feed   {:<20} every {:<6} {}{}{}\n", feed.name,
                       config::format_duration(feed.interval.value_or(config.daemon.default_interval)), feed.url,
                       feed.tags.empty() ? "" : "  tags: " + join(feed.tags), feed.enabled ? "" : "  (disabled)");
  }
  for (const auto& rule : config.rules) {
    out << fmt::format("  rule   {:<20} {}{}{}\n", rule.name, rule.query,
                       rule.targets.empty() ? "" : "  -> " + join(rule.targets), rule.enabled ? "" : "  (disabled)");
  }
  for (const auto& target : config.targets) {
    out << fmt::format("  target {:<20} {}\n", target.name, config::target_type_name(target.type));
  }
}

}  // namespace

void register_check_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "check",
      "Validate the configuration (main file plus conf.d/*.toml) and report every error as file:line:col.\n"
      "Exit 0 when valid (warnings allowed), 1 when not.");
  auto print = std::make_shared<bool>(false);
  command->add_flag("--print", *print, "Print the effective merged configuration as TOML, secrets redacted");
  command->callback([&globals, &exit_code, print] {
    const auto loaded = load_config_for_command(globals);
    if (!loaded) {
      exit_code = exit_bad_input;
      return;
    }
    if (*print) {
      std::cout << config::to_toml(*loaded);
    } else {
      print_summary(*loaded, std::cout);
    }
    exit_code = exit_ok;
  });
}

}  // namespace newswatch::app
