// Large tables in memory aligned for huge pages; small ones as usual.
#include "newswatch/model/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace newswatch {
namespace {

constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20U;

TEST(HugePageAllocator, GivesLargeTablesMemoryAlignedToHugePagesThatHoldsWhatIsWritten) {
  for (const std::size_t count : {std::size_t{1} << 19U, (std::size_t{1} << 19U) + 1, std::size_t{3} << 19U}) {
    std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> table(count, 0);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(table.data()) % huge_page, 0U) << count;
    std::iota(table.begin(), table.end(), 0U);
    EXPECT_EQ(table.front(), 0U);
    EXPECT_EQ(table.back(), count - 1);
    // A copy is a table of its own.
    auto copy = table;
    copy.back() = 7;
    EXPECT_EQ(table.back(), count - 1);
    EXPECT_NE(copy.data(), table.data());
  }
}

TEST(HugePageAllocator, SmallTablesWorkAsUsual) {
  std::vector<int, HugePageAllocator<int>> small{1, 2, 3};
  small.push_back(4);
  EXPECT_EQ(small, (std::vector<int, HugePageAllocator<int>>{1, 2, 3, 4}));
}

}  // namespace
}  // namespace newswatch
