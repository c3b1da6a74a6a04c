#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/input_file.hpp"
#include "newswatch/app/opml_drop_in.hpp"
#include "newswatch/config/names.hpp"
#include "newswatch/parse/opml.hpp"

namespace newswatch::app {
namespace {

struct ImportOptions {
  std::string file;
  std::vector<std::string> tags;
};

/// "FILE:LINE" when the line is known, else "FILE".
std::string where(const std::string& file, std::size_t line) {
  return line == 0 ? file : fmt::format("{}:{}", file, line);
}

int run_import(const ImportOptions& options) {
  for (const std::string& tag : options.tags) {
    if (!config::is_valid_name(tag)) {
      std::cerr << fmt::format(
          "newswatch import-opml: tag \"{}\" has characters other than letters, digits, "
          "'-', '_' and '.'\n",
          tag);
      return exit_bad_input;
    }
  }
  const auto input = read_input_file(options.file);
  if (!input) {
    std::cerr << fmt::format("{}: error: {}\n", options.file, input.error());
    return exit_bad_input;
  }
  const auto document = parse::read_opml(*input);
  if (!document) {
    std::cerr << fmt::format("{}: error: {}\n", where(options.file, document.error().line), document.error().message);
    return exit_bad_input;
  }
  for (const parse::OpmlWarning& warning : document->warnings) {
    std::cerr << fmt::format("{}: warning: {}\n", where(options.file, warning.line), warning.message);
  }
  const auto feeds = imported_feeds(*document, options.tags);
  std::cout << feeds_drop_in(feeds, options.file == "-" ? "standard input" : options.file);
  std::cerr << fmt::format("import-opml: {} feed(s) from {}\n", feeds.size(), options.file);
  return exit_ok;
}

int run_export(const GlobalOptions& globals, const std::string& output_path) {
  const auto loaded = load_config_for_command(globals);
  if (!loaded) {
    return exit_bad_input;
  }
  std::vector<std::string> skipped;
  const auto outlines = opml_outlines(*loaded, skipped);
  for (const std::string& name : skipped) {
    std::cerr << fmt::format("export-opml: feed \"{}\" is a local file; left out\n", name);
  }
  const std::string document = parse::write_opml("newswatch feeds", outlines);
  if (output_path.empty() || output_path == "-") {
    std::cout << document;
    return exit_ok;
  }
  std::ofstream out(output_path, std::ios::binary | std::ios::trunc);
  out << document;
  out.close();
  if (!out) {
    std::cerr << fmt::format("export-opml: cannot write {}\n", output_path);
    return exit_runtime_failure;
  }
  std::cerr << fmt::format("export-opml: {} feed(s) written to {}\n", outlines.size(), output_path);
  return exit_ok;
}

}  // namespace

void register_import_opml_command(CLI::App& root, const GlobalOptions& /*globals*/, int& exit_code) {
  auto options = std::make_shared<ImportOptions>();
  auto* command = root.add_subcommand(
      "import-opml",
      "Read an OPML feed list (from a feed reader's export) and print one [[feed]] table per subscription,\n"
      "for a conf.d drop-in: name made from the title (unique, letters, digits, '-', '_', '.'), the title\n"
      "as a comment, tags from the enclosing categories plus --tag. Outlines whose xmlUrl is not an\n"
      "absolute http(s) URL, or repeats one, are skipped with a warning. Reads no configuration.\n"
      "Exit 0 with at least one feed, 1 when the file is not OPML or lists none.");
  command->add_option("file", options->file, "OPML file; - reads stdin")->required();
  command->add_option("-t,--tag", options->tags, "Add this tag to every feed (repeatable)");
  command->callback([options, &exit_code] { exit_code = run_import(*options); });
}

void register_export_opml_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto output = std::make_shared<std::string>();
  auto* command = root.add_subcommand(
      "export-opml",
      "Write the configured http(s) feeds as an OPML 2.0 feed list for other readers: one outline each,\n"
      "titled with the feed's name, its tags as categories. Exit 0 when written, 1 for a bad config.");
  command->add_option("-o,--output", *output, "Write to this file instead of stdout");
  command->callback([&globals, &exit_code, output] { exit_code = run_export(globals, *output); });
}

}  // namespace newswatch::app
