#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/input_file.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/parse/parse_feed.hpp"
#include "newswatch/rules/rule_set.hpp"

namespace newswatch::app {
namespace {

struct MatchOptions {
  std::string query;
  std::string feed;
  bool explain = false;
  bool stats = false;
  std::vector<std::string> files;
};

// Fields shown whole by --explain up to this size; longer ones as snippets around each span.
constexpr std::size_t whole_field_limit = 240;
constexpr std::size_t snippet_context = 60;

// Moves an offset back to the start of a UTF-8 sequence, so snippets never split a character.
std::size_t character_start(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0U) == 0x80U) {
    --offset;
  }
  return offset;
}

// The field with every span in [brackets]; long fields as snippets around the spans.
std::string highlight(const std::string& text, const FieldSpans& field) {
  std::string out;
  std::size_t shown_until = 0;
  const bool whole = text.size() <= whole_field_limit;
  for (const auto& [begin, end] : field.spans) {
    const std::size_t from =
        whole ? shown_until : character_start(text, std::max<std::size_t>(begin, snippet_context) - snippet_context);
    if (from > shown_until || (!whole && shown_until == 0 && from > 0)) {
      out += "…";
    }
    const std::size_t start = std::max(from, shown_until);
    out += text.substr(start, begin - std::min<std::size_t>(begin, start));
    out += "[" + text.substr(begin, end - begin) + "]";
    shown_until = end;
    if (!whole) {
      const std::size_t tail = character_start(text, end + snippet_context);
      out += text.substr(end, tail - end);
      shown_until = tail;
    }
  }
  if (whole) {
    out += text.substr(shown_until);
  } else if (shown_until < text.size()) {
    out += "…";
  }
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return out;
}

std::string explain(const Match& match, const Item& item, const std::string& path) {
  std::string out = fmt::format("{}  {}  {}\n", match.rule, path, item.title);
  const bool link_highlighted =
      std::any_of(match.why.begin(), match.why.end(), [](const FieldSpans& field) { return field.field == "link"; });
  if (!item.link.empty() && !link_highlighted) {
    out += "  link: " + item.link + "\n";
  }
  for (const FieldSpans& field : match.why) {
    if (const std::string* text = field_text(item, field.field)) {
      out += fmt::format("  {}: {}\n", field.field, highlight(*text, field));
    }
  }
  if (match.why.empty()) {
    out += "  (matched on feed: or lang: filters only)\n";
  }
  return out;
}

nlohmann::json to_json(const Match& match, const Item& item, const std::string& path) {
  nlohmann::json why = nlohmann::json::array();
  for (const FieldSpans& field : match.why) {
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& [begin, end] : field.spans) {
      spans.push_back({begin, end});
    }
    why.push_back({{"field", field.field}, {"spans", std::move(spans)}});
  }
  return {{"rule", match.rule},  {"file", path},      {"item_id", item.id},
          {"title", item.title}, {"link", item.link}, {"why", std::move(why)}};
}

// The rules to run: --query alone, else every enabled rule of the config. Without --feed, rules'
// feed lists are ignored, since the files belong to no configured feed.
std::optional<std::vector<rules::RuleDefinition>> rule_definitions(const MatchOptions& options,
                                                                   const GlobalOptions& globals,
                                                                   std::vector<std::string>& feed_tags) {
  if (!options.query.empty()) {
    return std::vector<rules::RuleDefinition>{{"query", options.query, {}}};
  }
  const auto config = load_config_for_command(globals);
  if (!config) {
    return std::nullopt;
  }
  if (!options.feed.empty()) {
    const auto feed = std::find_if(config->feeds.begin(), config->feeds.end(),
                                   [&options](const Feed& candidate) { return candidate.name == options.feed; });
    if (feed == config->feeds.end()) {
      std::cerr << fmt::format("match: no feed named \"{}\" in the configuration\n", options.feed);
      return std::nullopt;
    }
    feed_tags = feed->tags;
  }
  std::vector<rules::RuleDefinition> definitions;
  for (const config::Rule& rule : config->rules) {
    if (rule.enabled) {
      definitions.push_back({rule.name, rule.query, options.feed.empty() ? std::vector<std::string>{} : rule.feeds});
    }
  }
  return definitions;
}

int run_match(const MatchOptions& options, const GlobalOptions& globals) {
  std::vector<std::string> feed_tags;
  const auto definitions = rule_definitions(options, globals, feed_tags);
  if (!definitions) {
    return exit_bad_input;
  }
  const auto rule_set = rules::RuleSet::compile(*definitions);
  if (!rule_set) {
    for (const rules::RuleSetError& error : rule_set.error()) {
      const auto definition = std::find_if(definitions->begin(), definitions->end(),
                                           [&error](const auto& candidate) { return candidate.name == error.rule; });
      std::cerr << rules::render_query_error(error.rule, definition->query, error.error) << '\n';
    }
    return exit_bad_input;
  }

  int exit_code = exit_ok;
  rules::MatchStats stats;
  std::size_t items = 0;
  std::chrono::steady_clock::duration matching{};
  for (const std::string& path : options.files) {
    const auto bytes = read_input_file(path);
    if (!bytes) {
      std::cerr << "match: " << bytes.error() << '\n';
      exit_code = exit_bad_input;
      continue;
    }
    const auto feed = parse::parse_feed(*bytes, parse::ParseHints{});
    if (!feed) {
      std::cerr << fmt::format("match: {}: {}\n", path, feed.error().message);
      exit_code = exit_bad_input;
      continue;
    }
    const std::string feed_name = options.feed.empty() ? std::filesystem::path(path).stem().string() : options.feed;
    for (const Item& item : feed->items) {
      const auto started = std::chrono::steady_clock::now();
      const auto matches = rule_set->match(rules::MatchInput{item, feed_name, feed_tags, feed->language}, stats);
      matching += std::chrono::steady_clock::now() - started;
      ++items;
      for (const Match& match : matches) {
        if (options.explain) {
          std::cout << explain(match, item, path) << '\n';
        } else {
          std::cout << to_json(match, item, path).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                    << '\n';
        }
      }
    }
  }
  if (options.stats) {
    const double seconds = std::chrono::duration<double>(matching).count();
    std::cerr << fmt::format(
        "match: {} items, {} rules ({} always checked), {} matches, {:.1f} candidates/item, {:.0f} items/s\n", items,
        rule_set->size(), rule_set->always_checked(), stats.matches,
        items > 0 ? static_cast<double>(stats.candidates) / static_cast<double>(items) : 0.0,
        seconds > 0 ? static_cast<double>(items) / seconds : 0.0);
  }
  return exit_code;
}

}  // namespace

void register_match_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto options = std::make_shared<MatchOptions>();
  auto* command = root.add_subcommand(
      "match",
      "Match feed files against a query (--query) or against every enabled rule of the configuration\n"
      "(--config, $NEWSWATCH_CONFIG or the default). Prints one JSON line per match:\n"
      "{\"rule\",\"file\",\"item_id\",\"title\",\"link\",\"why\":[{\"field\",\"spans\":[[begin,end],...]}]}\n"
      "with byte offsets into the item's plain-text field. Exit 0 when everything was read, 1 on a bad\n"
      "query, config or file.");
  command->add_option("-q,--query", options->query, "A query in the watch-rule language (README \"Watch rules\")");
  command->add_option("--feed", options->feed,
                      "Treat the files as this configured feed (its name and tags count for feed: filters and "
                      "rule feed lists); without it, rule feed lists are ignored");
  command->add_flag("--explain", options->explain, "Print each match readably, with the matching text in [brackets]");
  command->add_flag("--stats", options->stats, "Print items, rules, candidates per item and items/s to stderr");
  command->add_option("files", options->files, "Feed files (RSS, Atom, JSON Feed)")->required();
  command->callback([options, &globals, &exit_code] { exit_code = run_match(*options, globals); });
}

}  // namespace newswatch::app
