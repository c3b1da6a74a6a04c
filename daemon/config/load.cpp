#include "newswatch/config/load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

#include "newswatch/model/huge_pages.hpp"
#include "newswatch/text/suggest.hpp"
#include "sections.hpp"
#include "table_reader.hpp"

namespace newswatch::config {
namespace {

using detail::Diagnostics;

/// From this size on, a config's load reserves huge pages for its heap (reserve_huge_heap()): a
/// config of 100,000 rules is 8 MB, one of hundreds is tens of KB.
constexpr std::size_t large_config_bytes = std::size_t{1} << 20U;
constexpr std::size_t max_heap_reserve = std::size_t{1} << 30U;

constexpr std::array<std::string_view, 4> top_level_keys{"daemon", "feed", "rule", "target"};

/// Calls `read` on each table of the array-of-tables `key` ([[feed]], [[rule]], [[target]]).
template <typename Read>
void for_each_table(const toml::table& document, std::string_view key, Diagnostics& diagnostics, Read read) {
  const auto* node = document.get(key);
  if (node == nullptr) {
    return;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    diagnostics.error(
        Diagnostics::location(node->source()),
        fmt::format("\"{}\" must be written as [[{}]] tables, not {}", key, key, detail::type_name(*node)),
        fmt::format("start each one with a line [[{}]]", key));
    return;
  }
  for (const auto& element : *array) {
    if (const auto* table = element.as_table()) {
      read(*table);
    } else {
      diagnostics.error(Diagnostics::location(element.source()),
                        fmt::format("each [[{}]] must be a table, not {}", key, detail::type_name(element)));
    }
  }
}

/// The rest of a stream in one string: sized once when the stream can tell its size (a file), so
/// a config of 100,000 rules is not copied through a growing buffer.
std::string read_all(std::ifstream& in) {
  std::string text;
  in.seekg(0, std::ios::end);
  if (const auto size = static_cast<std::streamoff>(in.tellg()); size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.seekg(0, std::ios::beg);
    in.read(text.data(), size);
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
  }
  in.clear();  // not seekable (a pipe): read what comes
  std::ostringstream rest;
  rest << in.rdbuf();
  return rest.str();
}

/// Reads [[rule]] `tables` into `rules`, on every core when they are many: a newsroom's config may
/// hold 100,000 rules, and reading one (its query parsed and checked) needs nothing but its table.
/// The diagnostics come out in table order, as from one thread.
void read_rules(const std::vector<const toml::table*>& tables, std::vector<detail::Located<Rule>>& rules,
                Diagnostics& diagnostics) {
  constexpr std::size_t min_rules_per_thread = 2000;
  const std::size_t first = rules.size();
  rules.resize(first + tables.size());
  const std::size_t shares = std::clamp<std::size_t>(tables.size() / min_rules_per_thread, 1,
                                                     std::max(1U, std::thread::hardware_concurrency()));
  std::vector<Diagnostics> found(shares, Diagnostics(diagnostics.environment()));
  const auto read_share = [&](std::size_t share) {
    if (share > 0) {
      advise_thread_heap();
    }
    const std::size_t end = (share + 1) * tables.size() / shares;
    for (std::size_t i = share * tables.size() / shares; i < end; ++i) {
      rules[first + i] = detail::read_rule(*tables[i], found[share]);
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t share = 1; share < shares; ++share) {
      helpers.emplace_back(read_share, share);
    }
    read_share(0);
  }
  for (Diagnostics& share : found) {
    diagnostics.list().insert(diagnostics.list().end(), std::make_move_iterator(share.list().begin()),
                              std::make_move_iterator(share.list().end()));
  }
}

/// Whether every line of `text` that starts a table (its first non-blank character is '[') is
/// exactly "[[rule]]". Conservative: a '[' opening a line of a multi-line string or array counts.
bool only_rule_headers(std::string_view text) {
  std::size_t line = 0;
  while (line < text.size()) {
    std::size_t end = text.find('\n', line);
    end = end == std::string_view::npos ? text.size() : end;
    const std::size_t first = text.find_first_not_of(" \t", line);
    if (first < end && text[first] == '[' && text.substr(first, end - first) != "[[rule]]") {
      return false;
    }
    line = end + 1;
  }
  return true;
}

/// Parses one file. A large one (a newsroom's 100,000 rules) is cut before [[rule]] headers into
/// pieces parsed on every core, when the pieces cannot mean anything but the whole does: the
/// later ones hold only [[rule]] tables, and the first defines `rule` only by [[rule]] headers, if
/// at all. A later piece starts with as many blank lines as come before it, so positions are the
/// file's. When any piece fails, the whole file is parsed again, for the same error as without
/// pieces. Throws toml::parse_error.
toml::table parse_document(const SourceFile& file) {
  constexpr std::size_t min_bytes_per_thread = std::size_t{1} << 20U;
  constexpr std::string_view rule_header = "\n[[rule]]\n";
  const std::string_view text = file.text;
  const std::size_t shares =
      std::clamp<std::size_t>(text.size() / min_bytes_per_thread, 1, std::max(1U, std::thread::hardware_concurrency()));
  std::vector<std::size_t> cuts{0};
  for (std::size_t share = 1; share < shares; ++share) {
    const std::size_t at = text.find(rule_header, std::max(cuts.back(), share * text.size() / shares));
    if (at == std::string_view::npos) {
      break;
    }
    cuts.push_back(at + 1);
  }
  cuts.push_back(text.size());
  const std::size_t pieces = cuts.size() - 1;
  if (pieces == 1 || !only_rule_headers(text.substr(cuts[1]))) {
    return toml::parse(text, file.path);
  }
  std::vector<std::optional<toml::table>> parsed(pieces);
  const auto parse_piece = [&](std::size_t piece) {
    try {
      if (piece == 0) {
        parsed[0] = toml::parse(text.substr(0, cuts[1]), file.path);
        return;
      }
      advise_thread_heap();
      std::string padded(static_cast<std::size_t>(std::count(text.begin(), text.begin() + cuts[piece], '\n')), '\n');
      padded.append(text.substr(cuts[piece], cuts[piece + 1] - cuts[piece]));
      parsed[piece] = toml::parse(padded, file.path);
    } catch (const toml::parse_error&) {
      parsed[piece].reset();
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (std::size_t piece = 1; piece < pieces; ++piece) {
      helpers.emplace_back(parse_piece, piece);
    }
    parse_piece(0);
  }
  const bool all_parsed =
      std::all_of(parsed.begin(), parsed.end(), [](const auto& piece) { return piece.has_value(); });
  if (!all_parsed) {
    return toml::parse(text, file.path);
  }
  toml::table& document = *parsed[0];
  if (const toml::node* rules = document.get("rule")) {
    const toml::array* array = rules->as_array();
    const bool by_headers =
        array != nullptr && !array->empty() && std::all_of(array->begin(), array->end(), [](const toml::node& element) {
          return element.is_table() && !element.as_table()->is_inline();
        });
    if (!by_headers) {
      return toml::parse(text, file.path);
    }
  } else {
    document.insert("rule", toml::array{});
  }
  toml::array& all_rules = *document.get("rule")->as_array();
  for (std::size_t piece = 1; piece < pieces; ++piece) {
    toml::array& rules = *parsed[piece]->get("rule")->as_array();
    for (toml::node& rule : rules) {
      all_rules.push_back(std::move(*rule.as_table()));
    }
  }
  return std::move(document);
}

}  // namespace

LoadOutcome load_config(const std::vector<SourceFile>& files, const Environment& environment) {
  Diagnostics diagnostics(environment);
  Config config;
  detail::DaemonSectionReader daemon_reader(config.daemon, diagnostics);
  std::vector<detail::Located<Rule>> rules;
  std::vector<detail::Located<Feed>> feeds;
  std::vector<detail::Located<Target>> targets;
  // The parsed documents, kept until everything has been read from them: a config of 100,000
  // rules is a tree of a million nodes, which another thread frees while this one checks.
  std::vector<toml::table> documents;
  documents.reserve(files.size());

  for (const auto& file : files) {
    config.files.emplace_back(file.path);
    toml::table& document = documents.emplace_back();
    try {
      document = parse_document(file);
    } catch (const toml::parse_error& error) {
      auto where = Diagnostics::location(error.source());
      where.file = file.path;
      diagnostics.error(where, fmt::format("invalid TOML: {}", error.description()),
                        "see https://toml.io for the syntax");
      continue;
    }
    for (const auto& [key, value] : document) {
      if (std::find(top_level_keys.begin(), top_level_keys.end(), key.str()) == top_level_keys.end()) {
        const auto suggestion = text::closest_match(key.str(), top_level_keys);
        diagnostics.error(Diagnostics::location(key.source()), fmt::format("unknown section \"{}\"", key.str()),
                          suggestion ? fmt::format("did you mean \"{}\"?", *suggestion)
                                     : std::string("sections are [daemon], [[feed]], [[rule]] and [[target]]"));
      }
    }
    if (const auto* daemon = document.get("daemon")) {
      if (const auto* table = daemon->as_table()) {
        daemon_reader.read(*table);
      } else {
        diagnostics.error(Diagnostics::location(daemon->source()), "\"daemon\" must be a table", "write [daemon]");
      }
    }
    for_each_table(document, "feed", diagnostics,
                   [&](const toml::table& table) { feeds.push_back(detail::read_feed(table, diagnostics)); });
    std::vector<const toml::table*> rule_tables;
    for_each_table(document, "rule", diagnostics, [&](const toml::table& table) { rule_tables.push_back(&table); });
    read_rules(rule_tables, rules, diagnostics);
    for_each_table(document, "target", diagnostics,
                   [&](const toml::table& table) { targets.push_back(detail::read_target(table, diagnostics)); });
  }
  daemon_reader.finish();
  // Nothing read refers to the documents (values and source positions are copies); joined when
  // this function returns.
  const std::jthread release_documents([doomed = std::move(documents)]() mutable { doomed.clear(); });

  detail::check_unique_names(feeds, "feed", diagnostics);
  detail::check_unique_names(rules, "rule", diagnostics);
  detail::check_unique_names(targets, "target", diagnostics);
  detail::check_rule_references(rules, feeds, targets, diagnostics);

  LoadOutcome outcome;
  outcome.diagnostics = std::move(diagnostics.list());
  // Report in reading order: by file (main first, then drop-ins), then line and column.
  const auto file_rank = [&files](const std::string& path) {
    const auto found =
        std::find_if(files.begin(), files.end(), [&path](const SourceFile& file) { return file.path == path; });
    return static_cast<std::size_t>(found - files.begin());
  };
  std::stable_sort(outcome.diagnostics.begin(), outcome.diagnostics.end(),
                   [&file_rank](const Diagnostic& left, const Diagnostic& right) {
                     return std::tuple(file_rank(left.where.file), left.where.line, left.where.column) <
                            std::tuple(file_rank(right.where.file), right.where.line, right.where.column);
                   });
  if (has_errors(outcome.diagnostics)) {
    return outcome;
  }
  config.feeds.reserve(feeds.size());
  config.rules.reserve(rules.size());
  config.targets.reserve(targets.size());
  for (auto& feed : feeds) {
    config.feeds.push_back(std::move(feed.value));
  }
  for (auto& rule : rules) {
    config.rules.push_back(std::move(rule.value));
  }
  for (auto& target : targets) {
    config.targets.push_back(std::move(target.value));
  }
  outcome.config = std::move(config);
  return outcome;
}

LoadOutcome load_config_file(const std::filesystem::path& main_file) {
  std::vector<std::filesystem::path> paths{main_file};
  std::error_code error;
  const auto drop_in_dir = main_file.parent_path() / "conf.d";
  if (std::filesystem::is_directory(drop_in_dir, error)) {
    std::vector<std::filesystem::path> drop_ins;
    for (const auto& entry : std::filesystem::directory_iterator(drop_in_dir, error)) {
      if (entry.path().extension() == ".toml" && !entry.is_directory()) {
        drop_ins.push_back(entry.path());
      }
    }
    std::sort(drop_ins.begin(), drop_ins.end());
    paths.insert(paths.end(), drop_ins.begin(), drop_ins.end());
  }

  LoadOutcome failed;
  std::vector<SourceFile> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      failed.diagnostics.push_back({Severity::error, Location{path.string(), 0, 0},
                                    fmt::format("cannot read config file: {}", std::strerror(errno)),
                                    path == main_file ? "pass --config PATH or set NEWSWATCH_CONFIG" : ""});
      continue;
    }
    files.push_back({path.string(), read_all(in)});
  }
  if (!failed.diagnostics.empty()) {
    return failed;
  }
  // A large config (tens of thousands of rules) grows a tree of about 16 bytes of heap for each of
  // its bytes, in huge pages.
  std::size_t total_bytes = 0;
  for (const SourceFile& file : files) {
    total_bytes += file.text.size();
  }
  if (total_bytes >= large_config_bytes) {
    reserve_huge_heap(std::min(total_bytes * 16, max_heap_reserve));
  }
  return load_config(files, Environment::from_process());
}

}  // namespace newswatch::config
