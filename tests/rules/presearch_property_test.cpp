// Property: the presearch index never changes the answer. On a large seeded random set of rules
// and items, match() returns exactly what evaluating every rule (match_brute_force) returns.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "newswatch/rules/rule_set.hpp"

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
  std::vector<RuleDefinition> definitions;
  while (definitions.size() < 1000) {
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

}  // namespace
}  // namespace newswatch::rules
