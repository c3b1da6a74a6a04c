#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "newswatch/config/config.hpp"
#include "newswatch/config/load.hpp"

namespace newswatch::app {

/// Options every subcommand shares, filled in by CLI11 before a subcommand callback runs.
struct GlobalOptions {
  std::string config_path;  ///< --config; empty: NEWSWATCH_CONFIG, then the default path.
  std::string log_level;    ///< --log-level; empty: the config's, else "info".
};

/// The default main config file.
inline constexpr const char* default_config_path = "/etc/newswatch/newswatch.toml";

/// --config, else $NEWSWATCH_CONFIG, else /etc/newswatch/newswatch.toml.
std::string resolve_config_path(const GlobalOptions& globals);

/// Loads a config file (and its conf.d) and checks its target templates; the diagnostics are values.
config::LoadOutcome load_checked_config(const std::string& path);

/// Loads the config named by the global options, prints its diagnostics to stderr and applies its
/// log_level/log_format (--log-level wins); nullopt, after the errors are printed, when invalid.
std::optional<config::Config> load_config_for_command(const GlobalOptions& globals);

/// Each subcommand registers itself on the root app; its callback stores the exit code.
void register_check_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);
/// `newswatch fetch URL`: one verbose fetch (status, redirects, cache headers, timing, feed summary).
void register_fetch_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch parse`: feed files to JSON (README "newswatch parse" documents the output).
void register_parse_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);
/// `newswatch import-opml FILE [--tag T]...`: an OPML feed list as [[feed]] tables for conf.d.
void register_import_opml_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);
/// `newswatch export-opml [--output FILE]`: the configured feeds as an OPML 2.0 feed list.
void register_export_opml_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch once`: one poll cycle over every enabled feed, matches on stdout.
void register_once_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch send-test TARGET [--rule R]`: one sample (or stored) alert to one target.
void register_send_test_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch state`: feeds, items, stories and alerts from the store; `forget` re-baselines a feed.
void register_state_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch run`: the daemon (systemd Type=notify, SIGHUP reloads, SIGTERM drains and exits).
void register_run_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

/// `newswatch match`: a query or the configured rules against feed files, JSON lines or --explain.
void register_match_command(CLI::App& root, const GlobalOptions& globals, int& exit_code);

}  // namespace newswatch::app
