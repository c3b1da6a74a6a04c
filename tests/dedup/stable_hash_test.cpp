#include "newswatch/dedup/stable_hash.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace newswatch::dedup {
namespace {

TEST(StableHash, KeepsItsValuesAcrossVersions) {
  // Stored hashes are computed with it: if these change, the store must be migrated.
  EXPECT_EQ(stable_hash("newswatch"), 0x14de0f387100a768U);
  EXPECT_EQ(stable_hash("", 7), 0x740729cbe468d1ddU);
  EXPECT_EQ(stable_hash("A longer input of more than sixteen bytes, forty-nine in all."), 0xd5072345166f8b04U);
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
  for (std::size_t length = 1; length < 40; ++length) {
    std::string base(length, 'x');
    for (std::size_t at = 0; at < length; ++at) {
      std::string changed = base;
      changed[at] = 'y';
      EXPECT_NE(stable_hash(changed), stable_hash(base)) << "byte " << at << " of " << length;
    }
  }
  EXPECT_NE(stable_hash("abcdefgh1"), stable_hash("abcdefgh2"));
  EXPECT_NE(stable_hash("abcdefgh"), stable_hash("bacdefgh"));
}

TEST(CombineHashes, DependsOnOrder) {
  EXPECT_NE(combine_hashes(1, 2), combine_hashes(2, 1));
  EXPECT_NE(combine_hashes(0, 0), 0U);
}

}  // namespace
}  // namespace newswatch::dedup
