#pragma once

// Private to the config module: readers for [daemon], [[feed]], [[rule]] and [[target]], and the
// checks that span sections (unique names, references between rules, feeds and targets).

#include <toml++/toml.h>
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "newswatch/config/config.hpp"
#include "table_reader.hpp"

namespace newswatch::config::detail {

/// A value read from a table, with where its table and each of its values are.
template <typename T>
struct Located {
  T value;
  Location table;
  /// Where each key's value is, in the table's file: a handful of keys, so a list.
  std::vector<std::pair<std::string, toml::source_position>> keys;

  /// Where `key`'s value is, else where the table starts.
  [[nodiscard]] Location at(std::string_view key) const {
    const auto found = std::find_if(keys.begin(), keys.end(), [key](const auto& entry) { return entry.first == key; });
    if (found == keys.end()) {
      return table;
    }
    return Location{table.file, static_cast<int>(found->second.line), static_cast<int>(found->second.column)};
  }
};

/// Records where a table and each of its values are.
template <typename T>
Located<T> locate(const toml::table& table) {
  Located<T> located;
  located.table = Diagnostics::location(table.source());
  located.keys.reserve(table.size());
  for (const auto& [key, value] : table) {
    located.keys.emplace_back(key.str(), value.source().begin);
  }
  return located;
}

/// The table's "name" when it is a string, for messages; empty otherwise.
std::string peek_name(const toml::table& table);

/// Reads [daemon] tables from several files into one DaemonSettings; a key set twice is an error
/// naming both places.
class DaemonSectionReader {
 public:
  DaemonSectionReader(DaemonSettings& settings, Diagnostics& diagnostics)
      : settings_(settings), diagnostics_(diagnostics) {}

  void read(const toml::table& table);
  /// Checks that need every file read (min_interval <= default_interval <= max_interval).
  void finish();

 private:
  DaemonSettings& settings_;
  Diagnostics& diagnostics_;
  std::map<std::string, Location, std::less<>> first_set_;
};

Located<Feed> read_feed(const toml::table& table, Diagnostics& diagnostics);
Located<Rule> read_rule(const toml::table& table, Diagnostics& diagnostics);
Located<Target> read_target(const toml::table& table, Diagnostics& diagnostics);

template <typename T>
void check_unique_names(const std::vector<Located<T>>& values, std::string_view kind, Diagnostics& diagnostics) {
  std::unordered_map<std::string_view, const Located<T>*> seen;
  seen.reserve(values.size());
  for (const auto& value : values) {
    if (value.value.name.empty()) {
      continue;
    }
    const auto [first, inserted] = seen.emplace(value.value.name, &value);
    if (!inserted) {
      const auto other = first->second->at("name");
      diagnostics.error(value.at("name"), std::string(kind) + " name \"" + value.value.name + "\" is used twice",
                        "first used at " + other.file + ":" + std::to_string(other.line) + ":" +
                            std::to_string(other.column) + "; names must be unique");
    }
  }
}

/// Every feed, tag and target a rule names must exist.
void check_rule_references(const std::vector<Located<Rule>>& rules, const std::vector<Located<Feed>>& feeds,
                           const std::vector<Located<Target>>& targets, Diagnostics& diagnostics);

}  // namespace newswatch::config::detail
