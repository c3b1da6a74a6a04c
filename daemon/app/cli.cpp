#include "newswatch/app/cli.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/logging.hpp"
#include "newswatch/version.hpp"

namespace newswatch::app {

std::string resolve_config_path(const GlobalOptions& globals) {
  if (!globals.config_path.empty()) {
    return globals.config_path;
  }
  if (const char* from_env = std::getenv("NEWSWATCH_CONFIG"); from_env != nullptr && *from_env != '\0') {
    return from_env;
  }
  return default_config_path;
}

int run_cli(int argc, char** argv) {
  CLI::App root{
      "newswatch watches news feeds (RSS, Atom, JSON Feed), matches new items against watch rules and "
      "sends alerts to chat tools.\n"
      "Configuration: --config PATH, else $NEWSWATCH_CONFIG, else /etc/newswatch/newswatch.toml, plus every\n"
      "conf.d/*.toml beside it in lexical order.\n"
      "Exit codes: 0 ok, 1 bad input or config, 2 runtime failure.",
      "newswatch"};
  root.set_version_flag("-V,--version", std::string("newswatch ") + version);
  root.require_subcommand(1);
  root.fallthrough();

  GlobalOptions globals;
  root.add_option("-c,--config", globals.config_path,
                  "Main config file (default: $NEWSWATCH_CONFIG or " + std::string(default_config_path) + ")");
  root.add_option("--log-level", globals.log_level, "trace, debug, info, warn, error, critical or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  int exit_code = exit_ok;
  register_check_command(root, globals, exit_code);
  register_fetch_command(root, globals, exit_code);
  register_parse_command(root, globals, exit_code);
  register_import_opml_command(root, globals, exit_code);
  register_export_opml_command(root, globals, exit_code);
  register_match_command(root, globals, exit_code);
  register_once_command(root, globals, exit_code);
  register_run_command(root, globals, exit_code);
  register_send_test_command(root, globals, exit_code);
  register_state_command(root, globals, exit_code);

  root.parse_complete_callback(
      [&globals] { configure_logging(globals.log_level.empty() ? "info" : globals.log_level, LogFormat::text); });

  try {
    root.parse(argc, argv);
  } catch (const CLI::Success& success) {
    return root.exit(success);
  } catch (const CLI::ParseError& error) {
    root.exit(error);
    return exit_bad_input;
  } catch (const std::exception& error) {
    std::cerr << "newswatch: " << error.what() << '\n';
    return exit_runtime_failure;
  }
  return exit_code;
}

}  // namespace newswatch::app
