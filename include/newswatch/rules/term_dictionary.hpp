#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::rules {

/// Term text -> id, as an open-addressing table over one string arena with a small bit filter in
/// front. Matching looks up every token of every item here, and most tokens are in no rule: the
/// filter (a Bloom filter with two probes, a few bits per slot) answers those from cache without
/// touching the table, and short terms are compared inside their slot.
class TermDictionary {
 public:
  /// Returned by find() for an unknown term.
  static constexpr std::uint32_t npos = UINT32_MAX;

  /// The id of `term`, inserting it with `new_id` when absent.
  std::uint32_t insert(std::string_view term, std::uint32_t new_id);
  /// The id of `term`, or npos.
  [[nodiscard]] std::uint32_t find(std::string_view term) const noexcept;
  /// As find(term), with `term_hash` = hash(term) computed by the caller.
  [[nodiscard]] std::uint32_t find(std::string_view term, std::uint64_t term_hash) const noexcept;
  /// False when the term with this hash is certainly absent; a cheap test from a small bit set.
  [[nodiscard]] bool may_contain(std::uint64_t term_hash) const noexcept;
  /// Starts loading the slot a find() with this hash reads first, so that a batch of lookups
  /// waits for memory once rather than once per lookup.
  void prefetch(std::uint64_t term_hash) const noexcept;
  /// Number of terms.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Distinct term lengths in bytes, ascending.
  [[nodiscard]] std::vector<std::uint32_t> lengths() const;

  /// The hash every lookup starts with.
  static std::uint64_t hash(std::string_view term) noexcept;

 private:
  static constexpr std::size_t inline_bytes = 16;

  // 32 bytes, two per cache line: a term of up to inline_bytes is confirmed without the arena. The
  // slot index comes from the low bits of the hash, `check` holds its high half.
  struct Slot {
    std::uint32_t check = 0;
    std::uint32_t id = npos;
    std::uint32_t length = 0;
    std::uint32_t offset = 0;  ///< Start of the whole term in arena_.
    std::array<char, inline_bytes> head{};
  };

  [[nodiscard]] bool same_term(const Slot& slot, std::uint64_t wanted, std::string_view term) const noexcept;
  void add_to_filter(std::uint64_t term_hash) noexcept;
  void grow();

  std::vector<Slot> slots_;
  std::vector<std::uint64_t> filter_;  ///< Bit set; its size in bits is a power of two.
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace newswatch::rules
