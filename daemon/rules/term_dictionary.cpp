#include "newswatch/rules/term_dictionary.hpp"

#include <algorithm>
#include <cstring>

namespace newswatch::rules {

std::uint64_t TermDictionary::hash(std::string_view term) noexcept {
  // Eight bytes per multiply-xorshift round (the finaliser of MurmurHash3's 64-bit mix): most
  // tokens take one or two rounds, which matters since every token of every item is looked up.
  std::uint64_t value = 0x9E3779B97F4A7C15ULL ^ term.size();
  std::size_t i = 0;
  for (; i + 8 <= term.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, term.data() + i, 8);
    value = (value ^ word) * 0xFF51AFD7ED558CCDULL;
    value ^= value >> 32U;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, term.data() + i, term.size() - i);
  value ^= tail;
  value ^= value >> 33U;
  value *= 0xFF51AFD7ED558CCDULL;
  value ^= value >> 33U;
  value *= 0xC4CEB9FE1A85EC53ULL;
  return value ^ (value >> 33U);
}

std::uint32_t TermDictionary::find(std::string_view term) const noexcept {
  if (slots_.empty()) {
    return npos;
  }
  const std::uint64_t wanted = hash(term);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = wanted & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == npos) {
      return npos;
    }
    if (slot.hash == wanted && slot.length == term.size() &&
        std::memcmp(arena_.data() + slot.offset, term.data(), term.size()) == 0) {
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
      slot = Slot{wanted, new_id, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(term.size())};
      arena_.append(term);
      ++size_;
      return new_id;
    }
    if (slot.hash == wanted && slot.length == term.size() &&
        std::memcmp(arena_.data() + slot.offset, term.data(), term.size()) == 0) {
      return slot.id;
    }
  }
}

void TermDictionary::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.id == npos) {
      continue;
    }
    std::size_t i = slot.hash & mask;
    while (slots_[i].id != npos) {
      i = (i + 1) & mask;
    }
    slots_[i] = slot;
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
