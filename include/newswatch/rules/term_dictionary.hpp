#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::rules {

/// Term text -> id, as an open-addressing table over one string arena: matching looks up every
/// token of every item here, so it avoids std::unordered_map's node hops and allocations.
class TermDictionary {
 public:
  /// Returned by find() for an unknown term.
  static constexpr std::uint32_t npos = UINT32_MAX;

  /// The id of `term`, inserting it with `new_id` when absent.
  std::uint32_t insert(std::string_view term, std::uint32_t new_id);
  /// The id of `term`, or npos.
  [[nodiscard]] std::uint32_t find(std::string_view term) const noexcept;
  /// Number of terms.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Distinct term lengths in bytes, ascending.
  [[nodiscard]] std::vector<std::uint32_t> lengths() const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = npos;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };

  static std::uint64_t hash(std::string_view term) noexcept;
  void grow();

  std::vector<Slot> slots_;
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace newswatch::rules
