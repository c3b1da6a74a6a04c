#include <fmt/compile.h>
#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/config/print.hpp"
#include "newswatch/config/units.hpp"

namespace newswatch::app {
namespace {

void append_joined(std::string& text, std::string_view prefix, const std::vector<std::string>& values) {
  if (values.empty()) {
    return;
  }
  text += prefix;
  for (std::size_t i = 0; i < values.size(); ++i) {
    text += i == 0 ? "" : ", ";
    text += values[i];
  }
}

// Built in one string with compiled formats: a config may have 100,000 rules.
void print_summary(const config::Config& config, std::ostream& out) {
  std::string text = fmt::format("config ok: {} feeds, {} rules, {} targets from {} file(s)\n", config.feeds.size(),
                                 config.rules.size(), config.targets.size(), config.files.size());
  auto to = std::back_inserter(text);
  for (const auto& file : config.files) {
    fmt::format_to(to, FMT_COMPILE("  file   {}\n"), file.string());
  }
  for (const auto& feed : config.feeds) {
    fmt::format_to(to, FMT_COMPILE("  feed   {:<20} every {:<6} {}"), feed.name,
                   config::format_duration(feed.interval.value_or(config.daemon.default_interval)), feed.url);
    append_joined(text, "  tags: ", feed.tags);
    text += feed.enabled ? "\n" : "  (disabled)\n";
  }
  for (const auto& rule : config.rules) {
    fmt::format_to(to, FMT_COMPILE("  rule   {:<20} {}"), rule.name, rule.query);
    append_joined(text, "  -> ", rule.targets);
    text += rule.enabled ? "\n" : "  (disabled)\n";
  }
  for (const auto& target : config.targets) {
    fmt::format_to(to, FMT_COMPILE("  target {:<20} {}\n"), target.name, config::target_type_name(target.type));
  }
  out << text;
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
