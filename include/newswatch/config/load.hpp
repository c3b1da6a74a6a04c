#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/config/config.hpp"
#include "newswatch/config/diagnostic.hpp"
#include "newswatch/config/environment.hpp"

namespace newswatch::config {

/// One config file's name and text.
struct SourceFile {
  std::string path;
  std::string text;
};

/// A config, when valid, and everything found on the way (errors and warnings).
struct LoadOutcome {
  std::optional<Config> config;  ///< Set only when there is no error.
  std::vector<Diagnostic> diagnostics;

  /// True when a config was produced.
  [[nodiscard]] bool ok() const noexcept { return config.has_value(); }
};

/// Validates and merges `files` (main file first, then drop-ins in order). Pure: the only outside
/// inputs come through `environment`. Reports every error found, not only the first.
LoadOutcome load_config(const std::vector<SourceFile>& files, const Environment& environment);

/// Reads `main_file` and every `conf.d/*.toml` beside it in lexical order, then load_config() with
/// the process environment. A missing or unreadable file is an error diagnostic.
LoadOutcome load_config_file(const std::filesystem::path& main_file);

}  // namespace newswatch::config
