#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/input_file.hpp"
#include "newswatch/parse/feed_json.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::app {
namespace {

struct ParseOptions {
  std::string content_type;
  std::string url;
  bool stats = false;
  bool pretty = false;
  std::vector<std::string> files;
};

std::string to_line(const nlohmann::json& object, bool pretty) {
  return object.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int run_parse(const ParseOptions& options) {
  const parse::ParseHints hints{options.content_type, options.url};
  int exit_code = exit_ok;
  std::size_t total_bytes = 0;
  std::size_t total_items = 0;
  std::chrono::steady_clock::duration total_time{};
  for (const std::string& path : options.files) {
    nlohmann::json output{{"file", path}};
    const auto input = read_input_file(path);
    if (!input) {
      output["error"] = input.error();
      std::cout << to_line(output, options.pretty) << '\n';
      exit_code = exit_bad_input;
      continue;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto parsed = parse::parse_feed(*input, hints);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (!parsed) {
      output["error"] = parsed.error().message;
      exit_code = exit_bad_input;
    } else {
      output.update(parse::feed_to_json(*parsed));
      total_items += parsed->items.size();
    }
    total_bytes += input->size();
    total_time += elapsed;
    std::cout << to_line(output, options.pretty) << '\n';
    if (options.stats) {
      const double seconds = std::chrono::duration<double>(elapsed).count();
      std::cerr << fmt::format("parse: {}: {} bytes, {} items, {:.1f} MB/s\n", path, input->size(),
                               parsed ? parsed->items.size() : 0, seconds > 0 ? input->size() / seconds / 1e6 : 0.0);
    }
  }
  if (options.stats && options.files.size() > 1) {
    const double seconds = std::chrono::duration<double>(total_time).count();
    std::cerr << fmt::format("parse: total: {} bytes, {} items, {:.1f} MB/s\n", total_bytes, total_items,
                             seconds > 0 ? total_bytes / seconds / 1e6 : 0.0);
  }
  return exit_code;
}

}  // namespace

void register_parse_command(CLI::App& root, const GlobalOptions& /*globals*/, int& exit_code) {
  auto options = std::make_shared<ParseOptions>();
  auto* command = root.add_subcommand(
      "parse",
      "Parse feed files (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) and print one JSON object per input:\n"
      "{\"file\",\"format\",\"title\",\"link\",\"language\",\"updated\",\"items\":[...],\"warnings\"} or "
      "{\"file\",\"error\"}.\n"
      "Exit 0 when every input parsed, 1 when any did not.");
  command->add_option("--content-type", options->content_type,
                      "HTTP Content-Type the bytes came with (its charset parameter counts, RFC 7303)");
  command->add_option("--url", options->url, "URL the bytes came from; the base for relative links");
  command->add_flag("--stats", options->stats, "Print bytes, items and MB/s per input to stderr");
  command->add_flag("--pretty", options->pretty, "Indent the JSON output");
  command->add_option("files", options->files, "Feed files; - reads stdin")->required();
  command->callback([options, &exit_code] { exit_code = run_parse(*options); });
}

}  // namespace newswatch::app
