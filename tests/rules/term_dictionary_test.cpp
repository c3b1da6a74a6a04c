#include "newswatch/rules/term_dictionary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::rules {
namespace {

// Terms of every length from 0 to 40 bytes, so that each hashing branch (1-3, 4-7, 8-16 and
// longer) and both comparisons (inside the slot up to 16 bytes, in the arena beyond) are used.
std::vector<std::string> terms_of_every_length(char fill) {
  std::vector<std::string> terms;
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string term(length, fill);
    for (std::size_t i = 0; i < length; ++i) {
      term[i] = static_cast<char>(fill + static_cast<char>(i % 7));
    }
    terms.push_back(term);
  }
  return terms;
}

TEST(TermDictionary, FindsWhatWasInsertedAtEveryLength) {
  TermDictionary dictionary;
  const std::vector<std::string> terms = terms_of_every_length('a');
  for (std::uint32_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ(dictionary.insert(terms[i], i), i);
  }
  EXPECT_EQ(dictionary.size(), terms.size());
  for (std::uint32_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ(dictionary.find(terms[i]), i) << "length " << terms[i].size();
    EXPECT_TRUE(dictionary.may_contain(TermDictionary::hash(terms[i])));
  }
}

TEST(TermDictionary, InsertingAgainKeepsTheFirstId) {
  TermDictionary dictionary;
  EXPECT_EQ(dictionary.insert("coalition", 7), 7U);
  EXPECT_EQ(dictionary.insert("coalition", 9), 7U);
  EXPECT_EQ(dictionary.size(), 1U);
}

TEST(TermDictionary, DoesNotConfuseTermsThatDifferInOneByte) {
  TermDictionary dictionary;
  const std::vector<std::string> terms = terms_of_every_length('a');
  for (std::uint32_t i = 0; i < terms.size(); ++i) {
    dictionary.insert(terms[i], i);
  }
  for (const std::string& term : terms) {
    for (std::size_t at = 0; at < term.size(); ++at) {
      std::string other = term;
      other[at] = 'Z';
      EXPECT_EQ(dictionary.find(other), TermDictionary::npos) << other;
    }
    EXPECT_EQ(dictionary.find(term + "x"), TermDictionary::npos);
  }
}

TEST(TermDictionary, EmptyDictionaryFindsNothing) {
  const TermDictionary dictionary;
  EXPECT_EQ(dictionary.find("anything"), TermDictionary::npos);
  EXPECT_EQ(dictionary.find(""), TermDictionary::npos);
  EXPECT_FALSE(dictionary.may_contain(TermDictionary::hash("anything")));
}

TEST(TermDictionary, KeepsEveryTermWhileGrowingAndItsFilterRejectsMostAbsentTerms) {
  TermDictionary dictionary;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    dictionary.insert("term" + std::to_string(i), i);
  }
  for (std::uint32_t i = 0; i < 50000; ++i) {
    ASSERT_EQ(dictionary.find("term" + std::to_string(i)), i);
  }
  std::size_t passed = 0;
  for (std::uint32_t i = 0; i < 50000; ++i) {
    const std::string absent = "absent" + std::to_string(i);
    ASSERT_EQ(dictionary.find(absent), TermDictionary::npos);
    passed += dictionary.may_contain(TermDictionary::hash(absent)) ? 1 : 0;
  }
  // With 8 to 16 filter bits per term and two probes, a few percent of absent terms get through.
  EXPECT_LT(passed, 50000U / 10);
}

TEST(TermDictionary, ListsDistinctLengths) {
  TermDictionary dictionary;
  dictionary.insert("abc", 0);
  dictionary.insert("xyz", 1);
  dictionary.insert("sanction", 2);
  EXPECT_EQ(dictionary.lengths(), (std::vector<std::uint32_t>{3, 8}));
}

TEST(PrefixHeads, LetsThroughEveryTokenAStemStartsWithTheLengthsOfItsStems) {
  // Stems of 3 to 12 bytes, ASCII and two-byte UTF-8: the head is the shortest stem's 3 bytes.
  const std::vector<std::string> stems = {"gov", "presid", "инфл", "klimaw", "ökonom", "tsunam", "govern"};
  const PrefixHeads heads(std::vector<std::string_view>(stems.begin(), stems.end()));
  const auto bit = [](std::size_t length) { return std::uint32_t{1} << (length - 1); };
  for (const std::string& stem : stems) {
    EXPECT_NE(heads.stem_lengths(stem) & bit(stem.size()), 0U) << stem;
    EXPECT_NE(heads.stem_lengths(stem + "ent") & bit(stem.size()), 0U) << stem;
  }
  // "gov" and "govern" share a head: a token starting with it is tried at both lengths.
  EXPECT_EQ(heads.stem_lengths("government") & (bit(3) | bit(6)), bit(3) | bit(6));
  EXPECT_EQ(heads.stem_lengths("go"), 0U);  // shorter than any stem
  EXPECT_EQ(heads.stem_lengths(""), 0U);
  // Most tokens no stem starts are ruled out (a few may share a bit with a head).
  int passed = 0;
  for (const std::string& token : terms_of_every_length('m')) {
    passed += heads.stem_lengths(token) != 0 ? 1 : 0;
  }
  EXPECT_LT(passed, 4);
}

TEST(PrefixHeads, StemsOfLongStemBytesOrMoreShareOneBit) {
  const std::string long_stem(PrefixHeads::long_stem + 5, 'q');
  const std::vector<std::string_view> stems = {long_stem, "qqqq"};
  const PrefixHeads heads(stems);
  const std::uint32_t lengths = heads.stem_lengths(long_stem + "s");
  EXPECT_NE(lengths & (std::uint32_t{1} << (PrefixHeads::long_stem - 1)), 0U);
  EXPECT_NE(lengths & (std::uint32_t{1} << 3U), 0U);
}

TEST(PrefixHeads, WithoutStemsLetsNothingThrough) {
  const PrefixHeads none;
  EXPECT_EQ(none.stem_lengths("government"), 0U);
  const PrefixHeads empty_list(std::vector<std::string_view>{});
  EXPECT_EQ(empty_list.stem_lengths("government"), 0U);
}

TEST(TermDictionary, TermsListsEveryTermOnce) {
  TermDictionary dictionary;
  const std::vector<std::string> terms = terms_of_every_length('k');
  for (std::uint32_t i = 0; i < terms.size(); ++i) {
    dictionary.insert(terms[i], i);
  }
  std::vector<std::string> listed;
  for (const std::string_view term : dictionary.terms()) {
    listed.emplace_back(term);
  }
  std::sort(listed.begin(), listed.end());
  std::vector<std::string> expected = terms;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(listed, expected);
}

}  // namespace
}  // namespace newswatch::rules
