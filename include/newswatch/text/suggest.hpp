#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace newswatch::text {

/// Levenshtein distance between two byte strings (insert, delete, substitute cost 1).
std::size_t edit_distance(std::string_view left, std::string_view right);

/// The candidate closest to `typo` when it is a plausible misspelling ("did you mean …?"): at most
/// 2 edits, and fewer than half of the typo's length.
std::optional<std::string> closest_match(std::string_view typo, std::span<const std::string_view> candidates);

}  // namespace newswatch::text
