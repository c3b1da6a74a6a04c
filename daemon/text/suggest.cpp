#include "newswatch/text/suggest.hpp"

#include <algorithm>
#include <numeric>
#include <vector>

namespace newswatch::text {

std::size_t edit_distance(std::string_view left, std::string_view right) {
  // One row of the Wagner-Fischer table at a time.
  std::vector<std::size_t> row(right.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= left.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= right.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t substitution = diagonal + (left[i - 1] == right[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[right.size()];
}

std::optional<std::string> closest_match(std::string_view typo, std::span<const std::string_view> candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto candidate : candidates) {
    const auto distance = edit_distance(typo, candidate);
    if (distance == 0 || distance > 2 || distance * 2 >= std::max(typo.size(), std::size_t{2})) {
      continue;
    }
    if (!best || distance < best_distance) {
      best = std::string(candidate);
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace newswatch::text
