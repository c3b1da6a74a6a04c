// The labelled pairs of tests/data/dedup/pairs.tsv: precision and recall of same_story() and of
// StoryIndex lookups against the goals (precision >= 0.99, recall >= 0.90).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "support/labelled_pairs.hpp"

namespace newswatch::dedup {
namespace {

using testing::LabelledPair;
using testing::LabelledPairs;
using testing::PairScore;

constexpr double precision_goal = 0.99;
constexpr double recall_goal = 0.90;

std::string errors_of(const LabelledPairs& set) {
  std::string out;
  for (const std::string& error : set.errors) {
    out += error + "\n";
  }
  return out;
}

// Scores same_story() over the pairs for which `include` holds; lists the pairs it got wrong.
PairScore score(const LabelledPairs& set, bool corpus, std::string& wrong) {
  PairScore result;
  for (const LabelledPair& pair : set.pairs) {
    if (pair.from_corpus != corpus) {
      continue;
    }
    const bool predicted = same_story(fingerprint_story(pair.first), fingerprint_story(pair.second));
    result.count(predicted, pair.same);
    if (predicted != pair.same) {
      wrong += (pair.same ? "missed: " : "merged: ") + pair.first_name + " / " + pair.second_name + "\n";
    }
  }
  return result;
}

TEST(LabelledPairs, FixtureSetIsLargeBalancedAndReadable) {
  const LabelledPairs set = testing::read_labelled_pairs(testing::labelled_pairs_file(NEWSWATCH_SOURCE_DIR), {});
  EXPECT_TRUE(set.errors.empty()) << errors_of(set);
  std::size_t same = 0;
  for (const LabelledPair& pair : set.pairs) {
    same += pair.same ? 1 : 0;
  }
  EXPECT_GE(set.pairs.size(), 300U);
  EXPECT_GE(same, 150U);
  EXPECT_GE(set.pairs.size() - same, 150U);
}

TEST(StoryFingerprint, LabelledFixturePairsMeetThePrecisionAndRecallGoals) {
  const LabelledPairs set = testing::read_labelled_pairs(testing::labelled_pairs_file(NEWSWATCH_SOURCE_DIR), {});
  std::string wrong;
  const PairScore result = score(set, false, wrong);
  EXPECT_GE(result.precision(), precision_goal) << wrong;
  EXPECT_GE(result.recall(), recall_goal) << wrong;
}

TEST(StoryFingerprint, LabelledCorpusPairsMeetThePrecisionAndRecallGoals) {
  const auto corpus = testing::corpus_dir(NEWSWATCH_SOURCE_DIR);
  if (!corpus) {
    GTEST_SKIP() << "../shared/corpus is absent (it is not part of the project); corpus pairs not checked";
  }
  const LabelledPairs set = testing::read_labelled_pairs(testing::labelled_pairs_file(NEWSWATCH_SOURCE_DIR), corpus);
  EXPECT_TRUE(set.errors.empty()) << errors_of(set);
  std::string wrong;
  const PairScore result = score(set, true, wrong);
  EXPECT_GT(result.true_positives + result.false_negatives, 0U);
  EXPECT_GE(result.precision(), precision_goal) << wrong;
  EXPECT_GE(result.recall(), recall_goal) << wrong;
}

TEST(StoryIndex, FindsEveryLabelledPairThatSameStoryMatches) {
  // The index checks only candidates that share a MinHash value with the query, so every pair
  // same_story() accepts must share one; and an index of all first items finds a story for every
  // such second item.
  const LabelledPairs set = testing::read_labelled_pairs(testing::labelled_pairs_file(NEWSWATCH_SOURCE_DIR), {});
  const TimePoint seen{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
  StoryIndex index;
  for (std::size_t i = 0; i < set.pairs.size(); ++i) {
    index.add(fingerprint_story(set.pairs[i].first), i, seen);
  }
  std::string wrong;
  for (const LabelledPair& pair : set.pairs) {
    const StoryFingerprint first = fingerprint_story(pair.first);
    const StoryFingerprint second = fingerprint_story(pair.second);
    if (!same_story(first, second)) {
      continue;
    }
    bool shared = false;
    for (std::size_t band = 0; band < anchor_count; ++band) {
      shared = shared || first.anchors[band] == second.anchors[band];
    }
    const std::optional<std::uint64_t> found = index.find(second);
    if (!shared || !found || !same_story(fingerprint_story(set.pairs[*found].first), second)) {
      wrong += pair.first_name + " / " + pair.second_name + "\n";
    }
  }
  EXPECT_TRUE(wrong.empty()) << wrong;
}

}  // namespace
}  // namespace newswatch::dedup
