// A query and a text (split at the first NUL byte; the text fills title, summary and a category):
// when the query parses, indexed matching must agree with brute force, also with the set re-indexed
// under document frequencies observed from the text itself (so that the input decides which terms
// look rare), and every reported span must lie inside its field, after the one before it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/rules/rule_set.hpp"
#include "newswatch/rules/term_frequencies.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  if (split == std::string_view::npos) {
    return 0;
  }
  auto set = newswatch::rules::RuleSet::compile({{"fuzz", std::string(input.substr(0, split)), {}}});
  if (!set) {
    return 0;
  }
  const std::string_view text = input.substr(split + 1);
  newswatch::Item item;
  item.title = std::string(text.substr(0, text.size() / 2));
  item.summary = std::string(text.substr(text.size() / 2));
  item.content = std::string(text);
  item.categories = {std::string(text.substr(0, 16))};
  item.link = "https://www.example.com/a";
  const std::vector<std::string> tags = {"world"};
  const newswatch::rules::MatchInput match_input{item, "feed", tags, "en"};
  const auto indexed = set->match(match_input);
  const auto brute = set->match_brute_force(match_input);
  if (indexed != brute) {
    std::abort();
  }
  // Frequencies from the text's halves: the title's terms look common, the rest rare.
  newswatch::rules::TermFrequencies frequencies(newswatch::rules::TermFrequencySettings{1U << 10U, 3, 1U << 20U});
  newswatch::rules::DocumentTerms terms;
  newswatch::Item half;
  half.title = item.title;
  for (int i = 0; i < 64; ++i) {
    frequencies.observe(terms.extract(half));
  }
  frequencies.observe(terms.extract(item));
  if (set->reindexed(frequencies).match(match_input) != brute) {
    std::abort();
  }
  for (const auto& match : indexed) {
    for (const auto& field : match.why) {
      const std::string* source = newswatch::field_text(item, field.field);
      if (source == nullptr) {
        std::abort();
      }
      // Sorted, with overlapping and touching spans joined (whichever way the rule's spans were
      // gathered: merged from its tokens, or collected by the evaluator and sorted).
      for (std::size_t i = 0; i < field.spans.size(); ++i) {
        const auto [begin, end] = field.spans[i];
        if (begin >= end || end > source->size() || (i > 0 && begin <= field.spans[i - 1].second)) {
          std::abort();
        }
      }
    }
  }
  return 0;
}
