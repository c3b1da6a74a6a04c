#pragma once

// The labelled story pairs in tests/data/dedup/pairs.tsv (its header says what they are), read for
// the dedup tests and bench_dedup. Header-only, so the benchmark programs can use it without
// GoogleTest.

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/item.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::testing {

/// Two items and whether they are one story.
struct LabelledPair {
  std::string first_name;  ///< Fixture id or corpus reference.
  std::string second_name;
  Item first;
  Item second;
  bool same = false;
  bool from_corpus = false;  ///< Either item comes from ../shared/corpus.
  std::string why;
};

/// The pairs that could be read, and what could not.
struct LabelledPairs {
  std::vector<LabelledPair> pairs;
  std::size_t corpus_pairs_skipped = 0;  ///< Corpus pairs without a corpus folder.
  std::vector<std::string> errors;       ///< Unknown ids, unreadable feeds, malformed lines.
};

/// tests/data/dedup/pairs.tsv in the source tree.
inline std::filesystem::path labelled_pairs_file(const std::filesystem::path& source_dir) {
  return source_dir / "tests" / "data" / "dedup" / "pairs.tsv";
}

/// ../shared/corpus beside the source tree, when it is there.
inline std::optional<std::filesystem::path> corpus_dir(const std::filesystem::path& source_dir) {
  const std::filesystem::path path = source_dir / ".." / "shared" / "corpus";
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    return std::nullopt;
  }
  return std::filesystem::canonical(path, error);
}

namespace detail {

inline std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    const std::size_t tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) {
      return fields;
    }
    line.remove_prefix(tab + 1);
  }
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// Resolves corpus:<path>#<item id or index> against parsed feeds, parsing each file once.
class CorpusItems {
 public:
  explicit CorpusItems(std::optional<std::filesystem::path> root) : root_(std::move(root)) {}

  [[nodiscard]] bool available() const { return root_.has_value(); }

  std::optional<Item> find(std::string_view reference, std::vector<std::string>& errors) {
    const std::size_t hash = reference.find('#');
    if (hash == std::string_view::npos) {
      errors.push_back("no #item in " + std::string(reference));
      return std::nullopt;
    }
    const std::string path(reference.substr(0, hash));
    const std::string_view wanted = reference.substr(hash + 1);
    auto feed = feeds_.find(path);
    if (feed == feeds_.end()) {
      auto parsed = parse::parse_feed(read_bytes(*root_ / path), parse::ParseHints{});
      if (!parsed) {
        errors.push_back(path + ": " + parsed.error().message);
        return std::nullopt;
      }
      feed = feeds_.emplace(path, std::move(parsed->items)).first;
    }
    const std::vector<Item>& items = feed->second;
    for (const Item& item : items) {
      if (!item.id.empty() && item.id == wanted) {
        return item;
      }
    }
    if (!wanted.empty() && wanted.find_first_not_of("0123456789") == std::string_view::npos) {
      const std::size_t index = std::stoul(std::string(wanted));
      if (index < items.size()) {
        return items[index];
      }
    }
    errors.push_back("no item " + std::string(wanted) + " in " + path);
    return std::nullopt;
  }

 private:
  std::optional<std::filesystem::path> root_;
  std::map<std::string, std::vector<Item>> feeds_;
};

}  // namespace detail

/// Reads the labelled pairs from `file`, resolving corpus references under `corpus` (skipped when
/// it is nullopt).
inline LabelledPairs read_labelled_pairs(const std::filesystem::path& file,
                                         const std::optional<std::filesystem::path>& corpus) {
  static constexpr std::string_view corpus_prefix = "corpus:";
  LabelledPairs out;
  std::map<std::string, Item, std::less<>> fixtures;
  detail::CorpusItems corpus_items(corpus);
  std::ifstream input(file);
  if (!input) {
    out.errors.push_back("cannot read " + file.string());
    return out;
  }
  const auto resolve = [&](std::string_view name) -> std::optional<Item> {
    if (name.starts_with(corpus_prefix)) {
      return corpus_items.find(name.substr(corpus_prefix.size()), out.errors);
    }
    const auto fixture = fixtures.find(name);
    if (fixture == fixtures.end()) {
      out.errors.push_back("unknown item " + std::string(name));
      return std::nullopt;
    }
    return fixture->second;
  };
  std::string line;
  std::size_t line_number = 0;
  while (std::getline(input, line)) {
    ++line_number;
    if (line.empty() || line.starts_with('#')) {
      continue;
    }
    const std::vector<std::string_view> fields = detail::split_tabs(line);
    if (fields[0] == "item" && (fields.size() == 5 || fields.size() == 6)) {
      Item item;
      item.id = std::string(fields[1]);
      item.title = std::string(fields[3]);
      item.summary = std::string(fields[4]);
      item.content = fields.size() == 6 ? std::string(fields[5]) : std::string();
      fixtures.emplace(std::string(fields[1]), std::move(item));
    } else if (fields[0] == "pair" && fields.size() == 5 && (fields[3] == "same" || fields[3] == "different")) {
      const bool from_corpus = fields[1].starts_with(corpus_prefix) || fields[2].starts_with(corpus_prefix);
      if (from_corpus && !corpus_items.available()) {
        ++out.corpus_pairs_skipped;
        continue;
      }
      std::optional<Item> first = resolve(fields[1]);
      std::optional<Item> second = resolve(fields[2]);
      if (first && second) {
        out.pairs.push_back(LabelledPair{std::string(fields[1]), std::string(fields[2]), std::move(*first),
                                         std::move(*second), fields[3] == "same", from_corpus, std::string(fields[4])});
      }
    } else {
      out.errors.push_back(file.filename().string() + ":" + std::to_string(line_number) + ": malformed record");
    }
  }
  return out;
}

/// Precision and recall of a prediction over pairs.
struct PairScore {
  std::size_t true_positives = 0;
  std::size_t false_positives = 0;
  std::size_t false_negatives = 0;
  std::size_t true_negatives = 0;

  void count(bool predicted, bool actual) {
    if (predicted) {
      (actual ? true_positives : false_positives) += 1;
    } else {
      (actual ? false_negatives : true_negatives) += 1;
    }
  }
  [[nodiscard]] double precision() const {
    const std::size_t predicted = true_positives + false_positives;
    return predicted == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(predicted);
  }
  [[nodiscard]] double recall() const {
    const std::size_t actual = true_positives + false_negatives;
    return actual == 0 ? 1.0 : static_cast<double>(true_positives) / static_cast<double>(actual);
  }
};

}  // namespace newswatch::testing
