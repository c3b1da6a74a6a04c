#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::rules {

namespace detail {

/// Eight bytes from `bytes` as one native-endian word.
inline std::uint64_t load64(const char* bytes) noexcept {
  std::uint64_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

/// Four bytes from `bytes` as one word.
inline std::uint64_t load32(const char* bytes) noexcept {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

/// Where a term sits in the filter: one 64-bit word, picked by hash bits the slot index (the low
/// bits) does not use, and two bits in it. Both bits in one word make a lookup one memory access;
/// `word_count` is a power of two.
struct FilterPosition {
  std::size_t word;
  std::uint64_t bits;
};

inline FilterPosition filter_position(std::uint64_t hash, std::size_t word_count) noexcept {
  return {(hash >> 24U) & (word_count - 1),
          (std::uint64_t{1} << (hash >> 58U)) | (std::uint64_t{1} << ((hash >> 52U) & 63U))};
}

}  // namespace detail

/// Term text -> id, as an open-addressing table over one string arena with a small bit filter in
/// front. Matching looks up every token of every item here, and most tokens are in no rule: the
/// filter (a blocked Bloom filter, two bits in one word per term, a few bits per slot) answers
/// those with one memory access without touching the table, and short terms are compared inside
/// their slot.
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
  /// As find(term, term_hash) for a hash that may_contain() let through: the table alone.
  [[nodiscard]] std::uint32_t find_filtered(std::string_view term, std::uint64_t term_hash) const noexcept;
  /// False when the term with this hash is certainly absent; a cheap test from a small bit set.
  [[nodiscard]] bool may_contain(std::uint64_t term_hash) const noexcept;
  /// Starts loading the slot a find() with this hash reads first, so that a batch of lookups
  /// waits for memory once rather than once per lookup.
  void prefetch(std::uint64_t term_hash) const noexcept;
  /// Number of terms.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Distinct term lengths in bytes, ascending.
  [[nodiscard]] std::vector<std::uint32_t> lengths() const;
  /// Every term, in no particular order (views into the dictionary).
  [[nodiscard]] std::vector<std::string_view> terms() const;

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
  std::vector<std::uint64_t> filter_;  ///< Blocked Bloom filter; its size in words is a power of two.
  std::string arena_;
  std::size_t size_ = 0;
};

inline std::uint64_t TermDictionary::hash(std::string_view term) noexcept {
  // Fixed-size loads only (two overlapping ones cover 4..16 bytes), so no call to memcpy for a
  // variable length: tokens are short and there are hundreds per item. The length is mixed in,
  // so the overlap cannot make two lengths collide. Inline, as it runs for every token.
  constexpr std::uint64_t multiplier_a = 0x9E3779B97F4A7C15ULL;
  constexpr std::uint64_t multiplier_b = 0xFF51AFD7ED558CCDULL;
  constexpr std::uint64_t multiplier_c = 0xC4CEB9FE1A85EC53ULL;
  const char* bytes = term.data();
  const std::size_t length = term.size();
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (length > 16) {
    for (std::size_t i = 0; i + 8 < length; i += 8) {
      first = (first ^ detail::load64(bytes + i)) * multiplier_b;
      first ^= first >> 32U;
    }
    last = detail::load64(bytes + length - 8);
  } else if (length >= 8) {
    first = detail::load64(bytes);
    last = detail::load64(bytes + length - 8);
  } else if (length >= 4) {
    first = detail::load32(bytes);
    last = detail::load32(bytes + length - 4);
  } else if (length > 0) {
    const auto byte = [bytes](std::size_t i) {
      return static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i]));
    };
    first = (byte(0) << 16U) | (byte(length / 2) << 8U) | byte(length - 1);
  }
  // MurmurHash3's 64-bit finaliser over the two words.
  std::uint64_t value = (first ^ (multiplier_a * (length + 1))) * multiplier_b;
  value ^= value >> 32U;
  value = (value ^ last) * multiplier_c;
  value ^= value >> 33U;
  value *= multiplier_b;
  return value ^ (value >> 29U);
}

inline bool TermDictionary::may_contain(std::uint64_t term_hash) const noexcept {
  if (filter_.empty()) {
    return false;
  }
  const detail::FilterPosition position = detail::filter_position(term_hash, filter_.size());
  return (filter_[position.word] & position.bits) == position.bits;
}

inline void TermDictionary::prefetch(std::uint64_t term_hash) const noexcept {
  if (!slots_.empty()) {
    __builtin_prefetch(&slots_[term_hash & (slots_.size() - 1)]);
  }
}

/// The first bytes of a set of prefix stems, with the lengths of the stems that start with them.
/// Matching looks a token up as a prefix at the lengths of the stems its first bytes start: a
/// token whose first bytes start no stem is ruled out by one probe of a bit set (4 KB, so it stays
/// in the first-level cache), and the others try those lengths only, not every length some rule
/// uses. The head is as long as the shortest stem, at most 4 bytes; heads that share a bit share
/// their lengths, which costs lookups, never matches.
class PrefixHeads {
 public:
  /// StemLengths bit for stems of long_stem bytes or more (the others: bit length - 1).
  static constexpr std::uint32_t long_stem = 32;

  /// Lets no token through.
  PrefixHeads() = default;
  /// The heads of `stems` (none of them empty).
  explicit PrefixHeads(const std::vector<std::string_view>& stems);

  /// The lengths of the stems that may be prefixes of `token`: bit L - 1 for a stem of L < long_stem
  /// bytes, bit long_stem - 1 for any longer one; 0 when no stem can be a prefix of it.
  [[nodiscard]] std::uint32_t stem_lengths(std::string_view token) const noexcept {
    if (bits_.empty() || token.size() < head_bytes_) {
      return 0;
    }
    const std::uint32_t bit = position(token);
    if (((bits_[bit >> 6U] >> (bit & 63U)) & 1U) == 0) {
      return 0;
    }
    return lengths_[bit];
  }

 private:
  static constexpr std::uint32_t bit_count_log2 = 15;

  // Requires token.size() >= head_bytes_. The head is the first head_bytes_ bytes, byte i at bits
  // 8i: one load and a mask for a token of four bytes or more (this is called for every token).
  [[nodiscard]] std::uint32_t position(std::string_view token) const noexcept {
    static_assert(std::endian::native == std::endian::little, "a loaded word must hold byte i at bits 8i");
    std::uint32_t head = 0;
    if (token.size() >= 4) {
      head = static_cast<std::uint32_t>(detail::load32(token.data())) & head_mask_;
    } else {
      for (std::size_t i = 0; i < head_bytes_; ++i) {
        head |= static_cast<std::uint32_t>(static_cast<unsigned char>(token[i])) << (8U * i);
      }
    }
    return (head * 0x9E3779B1U) >> (32U - bit_count_log2);
  }

  std::vector<std::uint64_t> bits_;     ///< Empty when there are no stems.
  std::vector<std::uint32_t> lengths_;  ///< Per bit: the stem lengths of the heads on it.
  std::size_t head_bytes_ = 0;
  std::uint32_t head_mask_ = 0;  ///< The low head_bytes_ bytes of a word set.
};

}  // namespace newswatch::rules
