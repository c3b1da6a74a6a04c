#include "newswatch/rules/term_dictionary.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

namespace newswatch::rules {
namespace {

constexpr std::uint64_t multiplier_a = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t multiplier_b = 0xFF51AFD7ED558CCDULL;
constexpr std::uint64_t multiplier_c = 0xC4CEB9FE1A85EC53ULL;

// Filter bits per table slot: with the table at most half full that is 8 to 16 bits per term,
// which with two probes lets through 1.4% to 5% of absent terms.
constexpr std::size_t filter_bits_per_slot = 4;

std::uint64_t load64(const char* bytes) noexcept {
  std::uint64_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

std::uint64_t load32(const char* bytes) noexcept {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

// The two filter bits of a term: taken from hash bits the slot index (the low bits) does not use.
// `bit_count` is a power of two.
std::pair<std::size_t, std::size_t> filter_bits(std::uint64_t hash, std::size_t bit_count) noexcept {
  const std::size_t mask = bit_count - 1;
  return {(hash >> 24U) & mask, std::rotr(hash, 45) & mask};
}

// Equality of two byte strings of length n <= 16 by overlapping fixed-size loads (as hash() reads
// them), which beats a call to memcmp for the short terms a slot keeps inline.
bool equal_short(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) {
    return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::uint64_t TermDictionary::hash(std::string_view term) noexcept {
  // Fixed-size loads only (two overlapping ones cover 4..16 bytes), so no call to memcpy for a
  // variable length: tokens are short and there are hundreds per item. The length is mixed in,
  // so the overlap cannot make two lengths collide.
  const char* bytes = term.data();
  const std::size_t length = term.size();
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (length > 16) {
    for (std::size_t i = 0; i + 8 < length; i += 8) {
      first = (first ^ load64(bytes + i)) * multiplier_b;
      first ^= first >> 32U;
    }
    last = load64(bytes + length - 8);
  } else if (length >= 8) {
    first = load64(bytes);
    last = load64(bytes + length - 8);
  } else if (length >= 4) {
    first = load32(bytes);
    last = load32(bytes + length - 4);
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

bool TermDictionary::same_term(const Slot& slot, std::uint64_t wanted, std::string_view term) const noexcept {
  if (slot.check != static_cast<std::uint32_t>(wanted >> 32U) || slot.length != term.size()) {
    return false;
  }
  if (term.size() <= inline_bytes) {
    return equal_short(slot.head.data(), term.data(), term.size());
  }
  return std::memcmp(arena_.data() + slot.offset, term.data(), term.size()) == 0;
}

bool TermDictionary::may_contain(std::uint64_t term_hash) const noexcept {
  if (filter_.empty()) {
    return false;
  }
  const auto [first, second] = filter_bits(term_hash, filter_.size() * 64);
  return ((filter_[first / 64] >> (first % 64)) & (filter_[second / 64] >> (second % 64)) & 1U) != 0;
}

void TermDictionary::add_to_filter(std::uint64_t term_hash) noexcept {
  const auto [first, second] = filter_bits(term_hash, filter_.size() * 64);
  filter_[first / 64] |= std::uint64_t{1} << (first % 64);
  filter_[second / 64] |= std::uint64_t{1} << (second % 64);
}

void TermDictionary::prefetch(std::uint64_t term_hash) const noexcept {
  if (!slots_.empty()) {
    __builtin_prefetch(&slots_[term_hash & (slots_.size() - 1)]);
  }
}

std::uint32_t TermDictionary::find(std::string_view term) const noexcept {
  return find(term, hash(term));
}

std::uint32_t TermDictionary::find(std::string_view term, std::uint64_t term_hash) const noexcept {
  if (!may_contain(term_hash)) {
    return npos;
  }
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = term_hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == npos) {
      return npos;
    }
    if (same_term(slot, term_hash, term)) {
      return slot.id;
    }
  }
}

std::uint32_t TermDictionary::insert(std::string_view term, std::uint32_t new_id) {
  if ((size_ + 1) * 2 > slots_.size()) {
    grow();
  }
  const std::uint64_t wanted = hash(term);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = wanted & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.id == npos) {
      slot = Slot{static_cast<std::uint32_t>(wanted >> 32U),
                  new_id,
                  static_cast<std::uint32_t>(term.size()),
                  static_cast<std::uint32_t>(arena_.size()),
                  {}};
      std::memcpy(slot.head.data(), term.data(), std::min(term.size(), inline_bytes));
      arena_.append(term);
      add_to_filter(wanted);
      ++size_;
      return new_id;
    }
    if (same_term(slot, wanted, term)) {
      return slot.id;
    }
  }
}

void TermDictionary::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  filter_.assign(slots_.size() * filter_bits_per_slot / 64, 0);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == npos) {
      continue;
    }
    const std::uint64_t full = hash(std::string_view(arena_).substr(slot.offset, slot.length));
    std::size_t i = full & mask;
    while (slots_[i].id != npos) {
      i = (i + 1) & mask;
    }
    slots_[i] = slot;
    add_to_filter(full);
  }
}

std::vector<std::uint32_t> TermDictionary::lengths() const {
  std::vector<std::uint32_t> out;
  for (const Slot& slot : slots_) {
    if (slot.id != npos) {
      out.push_back(slot.length);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace newswatch::rules
