#include "newswatch/dedup/stable_hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace newswatch::dedup {
namespace {

TEST(StableHash, KeepsItsValuesAcrossVersions) {
  // Stored hashes are computed with it: if these change, the store must be migrated.
  EXPECT_EQ(stable_hash("newswatch"), 0x175d9d1e2877219eU);
  EXPECT_EQ(stable_hash("", 7), 0x5226c30177216e75U);
}

TEST(StableHash, TellsLengthsSeedsAndTailsApart) {
  std::set<std::uint64_t> hashes;
  std::string text;
  for (int length = 0; length < 40; ++length) {
    hashes.insert(stable_hash(text));
    hashes.insert(stable_hash(text, 1));
    text.push_back('\0');
  }
  EXPECT_EQ(hashes.size(), 80U) << "zero bytes of different lengths, two seeds";
  EXPECT_NE(stable_hash("abcdefgh1"), stable_hash("abcdefgh2"));
  EXPECT_NE(stable_hash("abcdefgh"), stable_hash("bacdefgh"));
}

TEST(CombineHashes, DependsOnOrder) {
  EXPECT_NE(combine_hashes(1, 2), combine_hashes(2, 1));
  EXPECT_NE(combine_hashes(0, 0), 0U);
}

}  // namespace
}  // namespace newswatch::dedup
