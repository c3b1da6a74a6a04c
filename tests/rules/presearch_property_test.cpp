// Property: the presearch index never changes the answer. On a large seeded random set of rules
// and items, match() returns exactly what evaluating every rule (match_brute_force) returns.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "newswatch/rules/rule_set.hpp"
#include "newswatch/rules/term_frequencies.hpp"

namespace newswatch::rules {
namespace {

// A small vocabulary so that rules and items overlap often and every construct fires sometimes.
const std::vector<std::string> vocabulary = {
    "isis",     "coalition", "assad",  "syria",  "regime", "sanctions", "iran",   "oil",    "talks",
    "nato",     "strike",    "border", "police", "vote",   "election",  "market", "energy", "gas",
    "İstanbul", "Straße",    "élysée", "東京",   "مدرسة",  "un",        "eu",     "us",     "army"};

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : random_(seed) {}

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }
  const std::string& word() { return vocabulary[pick(vocabulary.size())]; }

  std::string term() {
    switch (pick(10)) {
      case 0: return "\"" + word() + " " + word() + "\"";
      case 1: {
        const std::string& stem = vocabulary[pick(9)];  // ASCII words of 3+ letters
        return stem.substr(0, 3 + pick(stem.size() - 2)) + "*";
      }
      case 2: return std::string(pick(2) == 0 ? "title:" : "content:") + word();
      case 3: return "(" + word() + " OR " + word() + ")";
      default: return word();
    }
  }

  std::string clause() {
    switch (pick(12)) {
      case 0: return term() + (pick(2) == 0 ? " NEAR/" : " ONEAR/") + std::to_string(1 + pick(5)) + " " + term();
      case 1: return "-" + word();
      case 2: return "site:" + std::string(pick(2) == 0 ? "example.com" : "news.example.org");
      case 3: return pick(2) == 0 ? "feed:tag:world" : "lang:en";
      case 4: return "/" + word().substr(0, 2) + "[a-z]+/";
      case 5: return "(" + term() + " OR " + term() + ")";
      default: return term();
    }
  }

  std::string query() {
    std::string out = clause();
    const std::size_t extra = pick(3);
    for (std::size_t i = 0; i < extra; ++i) {
      out += pick(3) == 0 ? " OR " : " ";
      out += clause();
    }
    return out;
  }

  std::string text(std::size_t words) {
    std::string out;
    for (std::size_t i = 0; i < words; ++i) {
      out += (i > 0 ? (pick(6) == 0 ? ", " : " ") : "") + word();
    }
    return out;
  }

  Item item() {
    Item item;
    item.title = text(3 + pick(6));
    item.summary = text(pick(15));
    item.content = text(pick(40));
    if (pick(2) == 0) {
      item.categories = {text(1 + pick(2))};
    }
    item.link = pick(2) == 0 ? "https://www.example.com/a" : "https://news.example.org/b";
    return item;
  }

 private:
  std::mt19937 random_;
};

TEST(PresearchProperty, IndexedMatchingEqualsBruteForce) {
  Generator generator(20261128);
  std::mt19937 repeats(7);
  std::vector<RuleDefinition> definitions;
  while (definitions.size() < 1000) {
    if (definitions.size() % 10 == 9) {
      // One rule in ten repeats an earlier query (matched through the first: RuleSet's twins).
      std::string query = definitions[repeats() % definitions.size()].query;
      definitions.push_back(RuleDefinition{"r" + std::to_string(definitions.size()), std::move(query), {}});
      continue;
    }
    std::string query = generator.query();
    if (parse_query(query).has_value()) {  // skips the generated pure negations
      definitions.push_back(RuleDefinition{"r" + std::to_string(definitions.size()), std::move(query), {}});
    }
  }
  auto set = RuleSet::compile(definitions);
  ASSERT_TRUE(set.has_value());
  ASSERT_LT(set->always_checked(), set->size() / 2);  // the index must narrow most rules down

  const std::vector<std::string> tags = {"world"};
  const std::vector<std::string> no_tags;
  std::size_t total_matches = 0;
  for (int i = 0; i < 150; ++i) {
    const Item item = generator.item();
    const MatchInput input{item, "feed", i % 2 == 0 ? tags : no_tags, i % 3 == 0 ? "en-US" : "de"};
    const auto indexed = set->match(input);
    const auto brute = set->match_brute_force(input);
    ASSERT_EQ(indexed, brute) << "item " << i << ": " << item.title;
    total_matches += indexed.size();
  }
  // The property is only meaningful if rules actually fire, and not all of them.
  EXPECT_GT(total_matches, 150U);
  EXPECT_LT(total_matches, 150U * set->size() / 2);
}

std::vector<RuleDefinition> generated_rules(Generator& generator, std::size_t count) {
  std::vector<RuleDefinition> definitions;
  while (definitions.size() < count) {
    std::string query = generator.query();
    if (parse_query(query).has_value()) {
      definitions.push_back(RuleDefinition{"r" + std::to_string(definitions.size()), std::move(query), {}});
    }
  }
  return definitions;
}

// Frequencies that disagree with the prior in every way: each vocabulary word gets a random
// document frequency, from never seen to in every item, and prefixes follow their words.
TermFrequencies skewed_frequencies(std::uint32_t seed) {
  std::mt19937 random(seed);
  TermFrequencies frequencies(TermFrequencySettings{1U << 12U, 4, 1U << 20U});
  DocumentTerms terms;
  std::vector<double> share;
  for (std::size_t w = 0; w < vocabulary.size(); ++w) {
    share.push_back(std::uniform_real_distribution<double>(0, 1)(random) < 0.3
                        ? 0.0
                        : std::pow(std::uniform_real_distribution<double>(0, 1)(random), 3));
  }
  for (int document = 0; document < 400; ++document) {
    Item item;
    for (std::size_t w = 0; w < vocabulary.size(); ++w) {
      if (std::uniform_real_distribution<double>(0, 1)(random) < share[w]) {
        item.title += vocabulary[w] + " ";
      }
    }
    frequencies.observe(terms.extract(item));
  }
  return frequencies;
}

TEST(PresearchProperty, RebuiltSetsUnderSkewedFrequenciesEqualBruteForce) {
  Generator generator(20261130);
  const std::vector<RuleDefinition> definitions = generated_rules(generator, 600);
  auto prior = RuleSet::compile(definitions);
  ASSERT_TRUE(prior.has_value());
  std::vector<Item> items;
  for (int i = 0; i < 80; ++i) {
    items.push_back(generator.item());
  }
  const std::vector<std::string> tags = {"world"};
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    const TermFrequencies frequencies = skewed_frequencies(seed);
    auto compiled = RuleSet::compile(definitions, &frequencies);
    ASSERT_TRUE(compiled.has_value());
    // A set compiled under the frequencies, and the prior set rebuilt under them, twice over (a
    // rebuild of a rebuild shares the compiled rules of the first).
    const RuleSet rebuilt = prior->reindexed(frequencies).reindexed(skewed_frequencies(seed + 10));
    // Compiled without an index, then indexed once under the frequencies (what `match` does).
    auto unindexed = RuleSet::compile_unindexed(definitions);
    ASSERT_TRUE(unindexed.has_value());
    ASSERT_EQ(unindexed->size(), definitions.size());
    const RuleSet late = RuleSet::indexed(*unindexed, &frequencies);
    std::size_t matches = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const MatchInput input{items[i], "feed", tags, "en"};
      const auto brute = prior->match_brute_force(input);
      ASSERT_EQ(compiled->match(input), brute) << "seed " << seed << ", item " << i;
      ASSERT_EQ(rebuilt.match(input), brute) << "seed " << seed << ", item " << i;
      ASSERT_EQ(late.match(input), brute) << "seed " << seed << ", item " << i;
      matches += brute.size();
    }
    EXPECT_GT(matches, items.size());
  }
}

}  // namespace
}  // namespace newswatch::rules
