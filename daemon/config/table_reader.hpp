#pragma once

// Private to the config module: reads one TOML table key by key, collecting every problem as a
// diagnostic instead of stopping at the first.

#include <toml++/toml.h>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/config/diagnostic.hpp"
#include "newswatch/config/environment.hpp"
#include "newswatch/model/secret.hpp"

namespace newswatch::config::detail {

/// Collects diagnostics for one load and turns toml++ source regions into Locations.
class Diagnostics {
 public:
  explicit Diagnostics(const Environment& environment) : environment_(environment) {}

  static Location location(const toml::source_region& region);
  void error(const Location& where, std::string message, std::string hint = {});
  void warning(const Location& where, std::string message, std::string hint = {});

  [[nodiscard]] const Environment& environment() const noexcept { return environment_; }
  [[nodiscard]] std::vector<Diagnostic>& list() noexcept { return list_; }

 private:
  const Environment& environment_;
  std::vector<Diagnostic> list_;
};

/// Resolves "env:NAME", "file:/path" and "credential:NAME" (anything else is the value itself).
std::optional<Secret> resolve_secret(const std::string& reference, const Location& where, Diagnostics& diagnostics);

/// Reads the keys of one table. Unknown keys are reported on construction, with a suggestion.
class TableReader {
 public:
  /// `context` names the table in messages, e.g. `[[feed]] "bbc"`.
  TableReader(const toml::table& table, std::string context, std::span<const std::string_view> allowed_keys,
              Diagnostics& diagnostics);

  /// Where the table starts.
  [[nodiscard]] Location where() const { return Diagnostics::location(table_.source()); }
  /// Where a key's value is, else where the table starts.
  [[nodiscard]] Location where(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return table_.contains(key); }
  [[nodiscard]] const std::string& context() const noexcept { return context_; }

  std::optional<std::string> string(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<std::chrono::seconds> duration(std::string_view key);
  std::optional<std::uint64_t> size(std::string_view key);
  std::optional<std::vector<std::string>> string_array(std::string_view key);
  std::optional<Secret> secret(std::string_view key, bool required = false);
  std::vector<std::pair<std::string, Secret>> secret_table(std::string_view key);
  /// A string that must be one of `choices`.
  std::optional<std::string> choice(std::string_view key, std::span<const std::string_view> choices);

 private:
  void wrong_type(std::string_view key, const toml::node& node, std::string_view expected);

  const toml::table& table_;
  std::string context_;
  Diagnostics& diagnostics_;
};

/// "string", "integer", "table"... for messages.
std::string_view type_name(const toml::node& node);

}  // namespace newswatch::config::detail
