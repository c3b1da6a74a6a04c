// Rule matching throughput: generated rule sets of 1,000 / 10,000 / 100,000 rules against ~2 KB
// news-like items, with the presearch index and, as the baseline in the same run, brute-force
// evaluation of every rule. Also compile time and resident memory growth for each set.
//
//   build-release/tests/bench/bench_rules [--items N] [--rules N] [--indexed-only]
//
// --indexed-only skips the brute-force baseline, for profiling the indexed path alone.
//
// Goals (issue 4): >= 50,000 items/s at 10k rules, >= 25,000 at 100k, compile 100k in <= 2 s and
// <= 200 MB, on one core. Times are the thread's CPU time.
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/rules/rule_set.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace {

// CPU time of this thread: the figures are per core and do not move when other processes
// compete for the machine.
struct Clock {
  using time_point = double;
  static time_point now() {
    timespec spec{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec);
    return static_cast<double>(spec.tv_sec) + static_cast<double>(spec.tv_nsec) * 1e-9;
  }
};
using newswatch::Item;
using newswatch::rules::MatchInput;
using newswatch::rules::RuleDefinition;
using newswatch::rules::RuleSet;

double seconds_since(Clock::time_point start) {
  return Clock::now() - start;
}

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t total = 0;
  std::size_t resident = 0;
  statm >> total >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

// A 200,000-word vocabulary with a Zipf frequency (rank r drawn with weight 1 / (r + 1)), as in
// news text; short words get the low ranks, like function words.
class Vocabulary {
 public:
  Vocabulary(std::size_t size, std::mt19937& random) {
    static constexpr std::string_view syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",  "ze",
                                                     "an",  "bel", "cor", "dan", "est", "far", "gol", "har", "ist",
                                                     "jun", "kel", "lam", "mor", "nat", "ost", "pra", "qui"};
    std::uniform_int_distribution<std::size_t> syllable(0, std::size(syllables) - 1);
    // Rank r gets 1 + r / 600 syllables (common words are short) and its rank as a suffix once
    // syllables alone would repeat, so every word is distinct.
    for (std::size_t rank = 0; rank < size; ++rank) {
      std::string word;
      for (std::size_t i = 0; i < 1 + std::min<std::size_t>(rank / 600, 2); ++i) {
        word += syllables[syllable(random)];
      }
      words_.push_back(word + (rank < std::size(syllables) ? std::string() : std::to_string(rank)));
    }
    double sum = 0;
    for (std::size_t r = 0; r < size; ++r) {
      sum += 1.0 / static_cast<double>(r + 1);
      cumulative_.push_back(sum);
    }
  }

  const std::string& zipf(std::mt19937& random) const {
    const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(random);
    return words_[static_cast<std::size_t>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) -
                                           cumulative_.begin())];
  }
  // Rules watch for topical words and names: anything but the 1,000 most common words.
  const std::string& topical(std::mt19937& random) const {
    return words_[std::uniform_int_distribution<std::size_t>(1000, words_.size() - 1)(random)];
  }

 private:
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

std::string sentence(const Vocabulary& vocabulary, std::mt19937& random, std::size_t words) {
  std::string out;
  for (std::size_t i = 0; i < words; ++i) {
    std::string word = vocabulary.zipf(random);
    if (i == 0 || random() % 9 == 0) {
      word[0] = static_cast<char>(word[0] - 'a' + 'A');
    }
    out += word;
    out += (i + 1 == words) ? ". " : (random() % 12 == 0 ? ", " : " ");
  }
  return out;
}

Item make_item(const Vocabulary& vocabulary, std::mt19937& random) {
  Item item;
  item.title = sentence(vocabulary, random, 10);
  item.summary = sentence(vocabulary, random, 35);
  while (item.content.size() < 1700) {
    item.content += sentence(vocabulary, random, 8 + random() % 15);
  }
  item.categories = {vocabulary.topical(random), vocabulary.topical(random)};
  item.link = "https://www.site" + std::to_string(random() % 50) + ".example/news/" + std::to_string(random());
  return item;
}

// The rule mix: single words, 2-3 word phrases, AND of 2-3 terms, OR groups, NEAR/5, NOT,
// prefixes and some field scopes.
std::string make_query(const Vocabulary& vocabulary, std::mt19937& random) {
  const auto word = [&] { return vocabulary.topical(random); };
  switch (random() % 20) {
    case 0:
    case 1:
    case 2:
    case 3: return word();
    case 4:
    case 5:
    case 6: {
      std::string phrase = fmt::format("\"{} {}", word(), word());
      if (random() % 2 == 0) {
        phrase += fmt::format(" {}", word());
      }
      return phrase + "\"";
    }
    case 7:
    case 8:
    case 9: {
      std::string conjunction = fmt::format("{} AND {}", word(), word());
      if (random() % 2 == 0) {
        conjunction += fmt::format(" AND {}", word());
      }
      return conjunction;
    }
    case 10:
    case 11: return fmt::format("({} OR {} OR {}) {}", word(), word(), word(), word());
    case 12: return fmt::format("{} OR {}", word(), word());
    case 13:
    case 14: return fmt::format("{} NEAR/5 {}", word(), word());
    case 15: return fmt::format("{} {} NOT {}", word(), word(), word());
    case 16: return fmt::format("{}* {}", word().substr(0, 5), word());
    case 17: return fmt::format("title:{}", word());
    case 18: return fmt::format("title:\"{} {}\" OR summary:{}", word(), word(), word());
    default: return fmt::format("site:site{}.example {}", random() % 50, word());
  }
}

struct Throughput {
  double items_per_second = 0;
  double candidates_per_item = 0;
  double matches_per_item = 0;
};

template <typename Run>
Throughput measure(const std::vector<Item>& items, std::size_t limit, double min_seconds, Run&& run) {
  static const std::vector<std::string> tags = {"world"};
  std::size_t done = 0;
  std::size_t matches = 0;
  newswatch::rules::MatchStats stats;
  const auto start = Clock::now();
  do {
    for (std::size_t i = 0; i < std::min(limit, items.size()); ++i) {
      matches += run(MatchInput{items[i], "wire", tags, "en"}, stats);
      ++done;
    }
  } while (seconds_since(start) < min_seconds);
  const double elapsed = seconds_since(start);
  return Throughput{static_cast<double>(done) / elapsed,
                    static_cast<double>(stats.candidates) / static_cast<double>(done),
                    static_cast<double>(matches) / static_cast<double>(done)};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t item_count = 2000;
  std::vector<std::size_t> sizes = {1000, 10000, 100000};
  bool brute_force = true;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--indexed-only") {
      brute_force = false;
    } else if (i + 1 == argc) {
      break;
    } else if (std::string_view(argv[i]) == "--items") {
      item_count = static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    } else if (std::string_view(argv[i]) == "--rules") {
      sizes = {static_cast<std::size_t>(std::strtoul(argv[i + 1], nullptr, 10))};
    }
  }
  std::mt19937 random(42);
  const Vocabulary vocabulary(200000, random);
  std::vector<Item> items;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < item_count; ++i) {
    items.push_back(make_item(vocabulary, random));
    bytes += items.back().title.size() + items.back().summary.size() + items.back().content.size();
  }
  std::printf("items: %zu, average %zu bytes of title+summary+content; one core, CPU time\n", items.size(),
              bytes / items.size());
  std::fflush(stdout);

  {
    newswatch::text::TokenList tokens;
    std::size_t count = 0;
    const auto start = Clock::now();
    for (const Item& item : items) {
      for (const std::string* field : {&item.title, &item.summary, &item.content}) {
        newswatch::text::tokenize_into(*field, tokens);
        count += tokens.tokens.size();
      }
    }
    const double elapsed = seconds_since(start);
    std::printf("normalise+tokenize only: %.0f items/s (%.0f tokens/item)\n\n",
                static_cast<double>(items.size()) / elapsed,
                static_cast<double>(count) / static_cast<double>(items.size()));
  }

  std::printf("%8s %11s %9s %14s %14s %12s %10s %8s\n", "rules", "compile_s", "rss_MB", "items/s", "brute_items/s",
              "speedup", "cand/item", "match/it");
  for (const std::size_t size : sizes) {
    std::vector<RuleDefinition> definitions;
    definitions.reserve(size);
    for (std::size_t r = 0; r < size; ++r) {
      definitions.push_back(RuleDefinition{"rule-" + std::to_string(r), make_query(vocabulary, random), {}});
    }
    const std::size_t rss_before = resident_bytes();
    const auto compile_start = Clock::now();
    auto set = RuleSet::compile(definitions);
    const double compile_seconds = seconds_since(compile_start);
    const double rss_mb = static_cast<double>(resident_bytes() - rss_before) / (1024.0 * 1024.0);
    if (!set) {
      std::fprintf(stderr, "compile failed: %s\n", set.error().front().error.message.c_str());
      return 1;
    }
    const Throughput indexed = measure(items, items.size(), 1.0, [&](const MatchInput& input, auto& stats) {
      return set->match(input, stats).size();
    });
    // Brute force costs O(rules) per item: fewer items keep the run short.
    const std::size_t brute_items = std::max<std::size_t>(20, 2'000'000 / size);
    const Throughput brute =
        brute_force ? measure(items, brute_items, 0.5,
                              [&](const MatchInput& input, auto&) { return set->match_brute_force(input).size(); })
                    : Throughput{};
    std::printf("%8zu %11.3f %9.1f %14.0f %14.0f %11.1fx %10.1f %8.2f\n", size, compile_seconds, rss_mb,
                indexed.items_per_second, brute.items_per_second, indexed.items_per_second / brute.items_per_second,
                indexed.candidates_per_item, indexed.matches_per_item);
    std::fflush(stdout);
    if (size == 10000) {
      std::printf("  goal at 10k rules: >= 50000 items/s: %s\n", indexed.items_per_second >= 50000 ? "met" : "MISSED");
    } else if (size == 100000) {
      std::printf("  goals at 100k rules: >= 25000 items/s: %s; compile <= 2 s and <= 200 MB: %s\n",
                  indexed.items_per_second >= 25000 ? "met" : "MISSED",
                  compile_seconds <= 2.0 && rss_mb <= 200.0 ? "met" : "MISSED");
    }
  }
  return 0;
}
