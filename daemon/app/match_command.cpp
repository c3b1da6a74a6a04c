#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
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
#include "newswatch/app/json_lines.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/parse/parse_feed.hpp"
#include "newswatch/rules/rule_set.hpp"
#include "newswatch/rules/term_frequencies.hpp"

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

// The JSON lines of --query/config matches, written without a JSON DOM: one item's fields are
// escaped once for all its matches, each rule's name once for the whole run. Keys in the order
// nlohmann::json (a std::map) printed them before, so the output is unchanged.
class JsonLineWriter {
 public:
  explicit JsonLineWriter(const rules::RuleSet& rules) : rules_(rules), names_(rules.size()) {}
  JsonLineWriter(const JsonLineWriter&) = delete;
  JsonLineWriter& operator=(const JsonLineWriter&) = delete;
  JsonLineWriter(JsonLineWriter&&) = delete;
  JsonLineWriter& operator=(JsonLineWriter&&) = delete;
  ~JsonLineWriter() { flush(); }

  void write(const rules::MatchScratch& scratch, const Item& item, const std::string& path) {
    if (scratch.matches().empty()) {
      return;
    }
    head_ = "{\"file\":";
    append_json_string(head_, path);
    head_ += ",\"item_id\":";
    append_json_string(head_, item.id);
    head_ += ",\"link\":";
    append_json_string(head_, item.link);
    head_ += ",\"rule\":";
    middle_ = ",\"title\":";
    append_json_string(middle_, item.title);
    middle_ += ",\"why\":[";
    for (const rules::RuleMatch& match : scratch.matches()) {
      out_ += head_;
      std::string& name = names_[match.rule];
      if (name.empty()) {
        append_json_string(name, rules_.rule_name(match.rule));
      }
      out_ += name;
      out_ += middle_;
      const rules::MatchSpan* previous = nullptr;
      for (const rules::MatchSpan& span : scratch.spans(match)) {
        if (previous == nullptr || span.field != previous->field || span.index != previous->index) {
          out_ += previous == nullptr ? "{\"field\":\"" : "]]},{\"field\":\"";
          append_field(span);
          out_ += "\",\"spans\":[[";
        } else {
          out_ += "],[";
        }
        append_number(span.begin);
        out_ += ',';
        append_number(span.end);
        previous = &span;
      }
      out_ += previous == nullptr ? "]}\n" : "]]}]}\n";
    }
    if (out_.size() >= flush_bytes) {
      flush();
    }
  }

  void flush() {
    std::fwrite(out_.data(), 1, out_.size(), stdout);
    std::fflush(stdout);
    out_.clear();
  }

 private:
  static constexpr std::size_t flush_bytes = 1U << 16U;

  void append_number(std::uint32_t value) {
    char digits[16];
    const auto result = std::to_chars(digits, digits + sizeof digits, value);
    out_.append(digits, result.ptr);
  }

  void append_field(const rules::MatchSpan& span) {
    switch (span.field) {
      case rules::field_title: out_ += "title"; return;
      case rules::field_summary: out_ += "summary"; return;
      case rules::field_content: out_ += "content"; return;
      case rules::field_link: out_ += "link"; return;
      case rules::field_author: out_ += "author["; break;
      case rules::field_category: out_ += "category["; break;
      default: return;
    }
    append_number(span.index);
    out_ += ']';
  }

  const rules::RuleSet& rules_;
  std::vector<std::string> names_;  ///< Escaped rule names, filled on first use.
  std::string head_;
  std::string middle_;
  std::string out_;
};

// The rules to run: --query alone, else every enabled rule of the config. Without --feed, rules'
// feed lists are ignored, since the files belong to no configured feed.
std::optional<std::vector<rules::RuleDefinition>> rule_definitions(const MatchOptions& options,
                                                                   const GlobalOptions& globals,
                                                                   std::vector<std::string>& feed_tags) {
  if (!options.query.empty()) {
    return std::vector<rules::RuleDefinition>{{"query", options.query, {}}};
  }
  auto config = load_config_for_command(globals);
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
  // The config goes when this returns: its rules' strings move into the definitions.
  std::vector<rules::RuleDefinition> definitions;
  definitions.reserve(config->rules.size());
  for (config::Rule& rule : config->rules) {
    if (rule.enabled) {
      definitions.push_back({std::move(rule.name), std::move(rule.query),
                             options.feed.empty() ? std::vector<std::string>{} : std::move(rule.feeds)});
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
  // Indexed once, after the frequency pass below.
  const auto compiled = rules::RuleSet::compile_unindexed(*definitions);
  if (!compiled) {
    for (const rules::RuleSetError& error : compiled.error()) {
      const auto definition = std::find_if(definitions->begin(), definitions->end(),
                                           [&error](const auto& candidate) { return candidate.name == error.rule; });
      std::cerr << rules::render_query_error(error.rule, definition->query, error.error) << '\n';
    }
    return exit_bad_input;
  }

  // Two passes: the first reads every file and counts the document frequencies of the items'
  // terms, so that the index puts each rule under the term that is rarest in this input; the
  // second matches. A rule's answer does not depend on the index, only the work does.
  struct InputFeed {
    std::string path;
    std::string feed_name;
    parse::ParsedFeed feed;
  };
  int exit_code = exit_ok;
  std::vector<InputFeed> inputs;
  rules::TermFrequencies frequencies;
  rules::DocumentTerms document_terms;
  for (const std::string& path : options.files) {
    const auto bytes = read_input_file(path);
    if (!bytes) {
      std::cerr << "match: " << bytes.error() << '\n';
      exit_code = exit_bad_input;
      continue;
    }
    auto feed = parse::parse_feed(*bytes, parse::ParseHints{});
    if (!feed) {
      std::cerr << fmt::format("match: {}: {}\n", path, feed.error().message);
      exit_code = exit_bad_input;
      continue;
    }
    for (const Item& item : feed->items) {
      frequencies.observe(document_terms.extract(item));
    }
    std::string feed_name = options.feed.empty() ? std::filesystem::path(path).stem().string() : options.feed;
    inputs.push_back(InputFeed{path, std::move(feed_name), std::move(*feed)});
  }
  const rules::RuleSet weighted = rules::RuleSet::indexed(*compiled, &frequencies);

  rules::MatchStats stats;
  std::size_t items = 0;
  std::chrono::steady_clock::duration matching{};
  rules::MatchScratch scratch;
  JsonLineWriter writer(weighted);
  std::chrono::steady_clock::duration writing{};
  for (const InputFeed& input : inputs) {
    for (const Item& item : input.feed.items) {
      const rules::MatchInput match_input{item, input.feed_name, feed_tags, input.feed.language};
      ++items;
      if (options.explain) {
        const auto started = std::chrono::steady_clock::now();
        const auto matches = weighted.match(match_input, stats);
        matching += std::chrono::steady_clock::now() - started;
        for (const Match& match : matches) {
          std::cout << explain(match, item, input.path) << '\n';
        }
        continue;
      }
      const auto started = std::chrono::steady_clock::now();
      weighted.match_into(match_input, scratch, &stats);
      const auto matched = std::chrono::steady_clock::now();
      matching += matched - started;
      writer.write(scratch, item, input.path);
      writing += std::chrono::steady_clock::now() - matched;
    }
  }
  writer.flush();
  if (options.stats) {
    const double seconds = std::chrono::duration<double>(matching).count();
    std::cerr << fmt::format(
        "match: {} items, {} rules ({} always checked), {} matches, {:.1f} candidates/item, {:.0f} items/s\n", items,
        weighted.size(), weighted.always_checked(), stats.matches,
        items > 0 ? static_cast<double>(stats.candidates) / static_cast<double>(items) : 0.0,
        seconds > 0 ? static_cast<double>(items) / seconds : 0.0);
    if (!options.explain) {
      const double write_seconds = std::chrono::duration<double>(writing).count();
      std::cerr << fmt::format("match: wrote {} JSON lines in {:.3f} s ({:.0f} lines/s)\n", stats.matches,
                               write_seconds,
                               write_seconds > 0 ? static_cast<double>(stats.matches) / write_seconds : 0.0);
    }
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
