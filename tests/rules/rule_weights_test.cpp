// Index selection from observed document frequencies: which term a rule is indexed under, when a
// rebuild pays, and that the allocation-free match_into() answers as match() does.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/rules/live_rule_set.hpp"
#include "newswatch/rules/rule_set.hpp"
#include "newswatch/rules/term_frequencies.hpp"

namespace newswatch::rules {
namespace {

Item item_with(std::string title, std::string content = {}) {
  Item item;
  item.title = std::move(title);
  item.content = std::move(content);
  item.link = "https://news.example.org/a";
  return item;
}

// 300 items about the government, 3 that name Kobani.
TermFrequencies government_news() {
  TermFrequencies frequencies;
  DocumentTerms terms;
  for (int i = 0; i < 300; ++i) {
    frequencies.observe(terms.extract(item_with("The government announced a plan " + std::to_string(i))));
  }
  for (int i = 0; i < 3; ++i) {
    frequencies.observe(terms.extract(item_with("Fighting near Kobani")));
  }
  return frequencies;
}

// Rules the index proposes for the item (before the required-terms check, which would hide which
// term a rule is indexed under).
std::size_t candidates_for(const RuleSet& set, const Item& item) {
  const std::vector<std::string> tags;
  MatchStats stats;
  (void)set.match(MatchInput{item, "wire", tags, "en"}, stats);
  return stats.indexed;
}

TEST(RuleWeights, ConjunctionGoesUnderItsRarestObservedTerm) {
  const std::vector<RuleDefinition> definitions = {{"kobani", "Kobani AND government", {}}};
  const Item government_only = item_with("The government met today");
  // Without frequencies the longer token counts as rarer: the rule waits under "government".
  auto prior = RuleSet::compile(definitions);
  ASSERT_TRUE(prior);
  EXPECT_EQ(candidates_for(*prior, government_only), 1U);

  const TermFrequencies frequencies = government_news();
  auto weighted = RuleSet::compile(definitions, &frequencies);
  ASSERT_TRUE(weighted);
  EXPECT_EQ(candidates_for(*weighted, government_only), 0U);
  EXPECT_EQ(candidates_for(prior->reindexed(frequencies), government_only), 0U);

  const Item both = item_with("Kobani: the government sends aid");
  const std::vector<std::string> tags;
  EXPECT_EQ(weighted->match(MatchInput{both, "wire", tags, "en"}).size(), 1U);
  // The required-terms check stops the prior's candidate short of evaluation.
  MatchStats stats;
  (void)prior->match(MatchInput{government_only, "wire", tags, "en"}, stats);
  EXPECT_EQ(stats.indexed, 1U);
  EXPECT_EQ(stats.candidates, 0U);
}

TEST(RuleWeights, PrefixesAndPhrasesAreWeightedByObservation) {
  const std::vector<RuleDefinition> definitions = {{"stem", "kobani* AND government", {}},
                                                   {"phrase", "\"government kobani\"", {}}};
  const Item government_only = item_with("Government officials");
  auto prior = RuleSet::compile(definitions);
  ASSERT_TRUE(prior);
  // The prior puts the stem rule under "government" (kobani* looks broad); the phrase waits under
  // its token pair, rarer than either token even by the prior.
  EXPECT_EQ(candidates_for(*prior, government_only), 1U);
  const TermFrequencies frequencies = government_news();
  auto set = RuleSet::compile(definitions, &frequencies);
  ASSERT_TRUE(set);
  EXPECT_EQ(candidates_for(*set, government_only), 0U);
  EXPECT_EQ(candidates_for(*set, item_with("Government kobani")), 2U);
}

TEST(RuleWeights, NewDeploymentConvergesFromThePrior) {
  // A handful of observations do not outvote the prior; many do.
  const std::vector<RuleDefinition> definitions = {{"kobani", "Kobani AND government", {}}};
  const Item government_only = item_with("The government met today");
  TermFrequencies few;
  DocumentTerms terms;
  few.observe(terms.extract(item_with("Kobani government")));
  auto early = RuleSet::compile(definitions, &few);
  ASSERT_TRUE(early);
  EXPECT_EQ(candidates_for(*early, government_only), 1U);
  const TermFrequencies many = government_news();
  EXPECT_EQ(candidates_for(early->reindexed(many), government_only), 0U);
}

TEST(RuleWeights, ReindexesOnlyWhenTheGainPassesTheMargin) {
  std::vector<RuleDefinition> definitions;
  for (int i = 0; i < 50; ++i) {
    definitions.push_back({"r" + std::to_string(i), "kobani" + std::to_string(i) + " AND government", {}});
  }
  auto prior = RuleSet::compile(definitions);
  ASSERT_TRUE(prior);
  const TermFrequencies frequencies = government_news();
  EXPECT_LT(prior->reindexed(frequencies).expected_candidates(frequencies),
            prior->expected_candidates(frequencies) / 2);
  const auto better = reindex_if_better(*prior, frequencies, 0.2);
  ASSERT_NE(better, nullptr);
  EXPECT_EQ(better->size(), prior->size());
  EXPECT_EQ(reindex_if_better(*better, frequencies, 0.2), nullptr) << "nothing left to gain";
}

TEST(RuleWeights, MatchIntoAnswersAsMatchDoes) {
  auto set = RuleSet::compile({{"a", "coalition OR author:doe", {}},
                               {"b", "\"anti isis\" AND category:syria", {}},
                               {"c", "assad NEAR/3 government", {}},
                               {"d", "site:trtworld.com regime", {}},
                               {"e", "nothing-here", {}}});
  ASSERT_TRUE(set);
  Item item;
  item.title = "Little hope for Syrian regime to join anti-ISIS coalition";
  item.summary = "Assad's government says it is ready to cooperate.";
  item.authors = {"Jane Doe"};
  item.categories = {"Middle East", "Syria"};
  item.link = "https://www.trtworld.com/mea/1234";
  const std::vector<std::string> tags;
  const MatchInput input{item, "trt", tags, "en"};
  const std::vector<Match> expected = set->match(input);
  ASSERT_EQ(expected.size(), 4U);
  MatchScratch scratch;
  for (int round = 0; round < 2; ++round) {  // the scratch is reused
    set->match_into(input, scratch);
    ASSERT_EQ(scratch.matches().size(), expected.size());
    for (std::size_t m = 0; m < expected.size(); ++m) {
      const RuleMatch& found = scratch.matches()[m];
      EXPECT_EQ(set->rule_name(found.rule), expected[m].rule);
      std::size_t spans = 0;
      for (const FieldSpans& field : expected[m].why) {
        spans += field.spans.size();
      }
      EXPECT_EQ(scratch.spans(found).size(), spans);
    }
  }
}

TEST(RuleWeights, LiveSetSwapsWhileWorkersMatch) {
  std::vector<RuleDefinition> definitions;
  for (int i = 0; i < 40; ++i) {
    definitions.push_back({"r" + std::to_string(i), "kobani AND government" + std::to_string(i % 4), {}});
  }
  auto first = RuleSet::compile(definitions);
  ASSERT_TRUE(first);
  const TermFrequencies frequencies = government_news();
  LiveRuleSet live(std::make_shared<const RuleSet>(std::move(*first)));
  const Item item = item_with("Kobani: government0 and government2 talk");
  const std::vector<std::string> tags;
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&] {
      MatchScratch scratch;
      while (!stop.load()) {
        const std::shared_ptr<const RuleSet> current = live.load();
        current->match_into(MatchInput{item, "wire", tags, "en"}, scratch);
        wrong += scratch.matches().size() == 20 ? 0 : 1;
      }
    });
  }
  for (int swap = 0; swap < 200; ++swap) {
    live.store(std::make_shared<const RuleSet>(live.load()->reindexed(frequencies)));
  }
  stop = true;
  for (std::thread& worker : workers) {
    worker.join();
  }
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace newswatch::rules
