#include "newswatch/rules/term_dictionary.hpp"

#include <algorithm>
#include <cstring>

namespace newswatch::rules {
namespace {

// The table grows past three quarters full: linear probing still finds most terms in the first
// cache line, and a smaller table keeps more of it in cache when rule sets are large.
constexpr std::size_t max_load_percent = 75;

// Filter bits per table slot: with the table 3/8 to 3/4 full that is 11 to 21 bits per term,
// which with two bits per term in one word lets through roughly 1% to 3% of absent terms.
constexpr std::size_t filter_bits_per_slot = 8;

// Equality of two byte strings of length n <= 16 by overlapping fixed-size loads (as hash() reads
// them), which beats a call to memcmp for the short terms a slot keeps inline.
bool equal_short(const char* a, const char* b, std::size_t n) noexcept {
  if (n >= 8) {
    return detail::load64(a) == detail::load64(b) && detail::load64(a + n - 8) == detail::load64(b + n - 8);
  }
  if (n >= 4) {
    return detail::load32(a) == detail::load32(b) && detail::load32(a + n - 4) == detail::load32(b + n - 4);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool TermDictionary::same_term(const Slot& slot, std::uint64_t wanted, std::string_view term) const noexcept {
  if (slot.check != static_cast<std::uint32_t>(wanted >> 32U) || slot.length != term.size()) {
    return false;
  }
  if (term.size() <= inline_bytes) {
    return equal_short(slot.head.data(), term.data(), term.size());
  }
  return std::memcmp(arena_.data() + slot.offset, term.data(), term.size()) == 0;
}

void TermDictionary::add_to_filter(std::uint64_t term_hash) noexcept {
  const detail::FilterPosition position = detail::filter_position(term_hash, filter_.size());
  filter_[position.word] |= position.bits;
}

std::uint32_t TermDictionary::find(std::string_view term) const noexcept {
  return find(term, hash(term));
}

std::uint32_t TermDictionary::find(std::string_view term, std::uint64_t term_hash) const noexcept {
  if (!may_contain(term_hash)) {
    return npos;
  }
  return find_filtered(term, term_hash);
}

std::uint32_t TermDictionary::find_filtered(std::string_view term, std::uint64_t term_hash) const noexcept {
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
  if ((size_ + 1) * 100 > slots_.size() * max_load_percent) {
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

std::vector<std::string_view> TermDictionary::terms() const {
  std::vector<std::string_view> out;
  out.reserve(size_);
  for (const Slot& slot : slots_) {
    if (slot.id != npos) {
      out.push_back(std::string_view(arena_).substr(slot.offset, slot.length));
    }
  }
  return out;
}

PrefixHeads::PrefixHeads(const std::vector<std::string_view>& stems) {
  if (stems.empty()) {
    return;
  }
  std::size_t shortest = stems.front().size();
  for (const std::string_view stem : stems) {
    shortest = std::min(shortest, stem.size());
  }
  head_bytes_ = std::min<std::size_t>(shortest, 4);
  head_mask_ = head_bytes_ == 4 ? UINT32_MAX : (std::uint32_t{1} << (8U * head_bytes_)) - 1U;
  bits_.assign((std::size_t{1} << bit_count_log2) / 64, 0);
  lengths_.assign(std::size_t{1} << bit_count_log2, 0);
  for (const std::string_view stem : stems) {
    const std::uint32_t bit = position(stem);
    bits_[bit >> 6U] |= std::uint64_t{1} << (bit & 63U);
    lengths_[bit] |= std::uint32_t{1} << (std::min<std::size_t>(stem.size(), long_stem) - 1);
  }
}

}  // namespace newswatch::rules
