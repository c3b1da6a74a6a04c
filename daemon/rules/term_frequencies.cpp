#include "newswatch/rules/term_frequencies.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

#include "newswatch/rules/term_dictionary.hpp"

namespace newswatch::rules {
namespace {

constexpr std::uint32_t max_depth = 8;

static_assert(std::endian::native == std::endian::little,
              "deserialize() copies stored counters as they lie in memory, which must be their little-endian order");
// Version 1 stored every counter as four bytes; version 2 stores each as a LEB128 varint and a run
// of zeros as a 0 byte and the run's length. Most counters of a sketch are zero or small, so a
// sketch of 2 MB in memory takes tens to hundreds of KB in the store, and loads that much faster.
constexpr std::string_view raw_magic = "NWTF1";
constexpr std::string_view magic = "NWTF2";
constexpr std::size_t header_size = 5 + std::size_t{5} * 8;
static_assert(raw_magic.size() == 5 && magic.size() == 5);

// Row r's counter for a key: double hashing (Kirsch and Mitzenmacher, 2006) from the key's halves,
// enough independence for a count-min sketch from one 64-bit hash.
std::size_t slot(std::uint64_t key, std::uint32_t row, std::uint32_t width) noexcept {
  // Bit 0 of every key is set (see word_key()), so it carries no information.
  const auto low = static_cast<std::uint32_t>(key >> 1U);
  const auto high = static_cast<std::uint32_t>(key >> 33U) | 1U;
  return static_cast<std::size_t>(row) * width + ((low + row * high) & (width - 1));
}

void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
  }
}

std::uint64_t get_u64(const char* bytes, int size) {
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80U) {
    out.push_back(static_cast<char>((value & 0x7FU) | 0x80U));
    value >>= 7U;
  }
  out.push_back(static_cast<char>(value));
}

// Reads a varint of at most `max_bytes` bytes at `at`, advancing it; nullopt for a truncated or
// overlong one.
std::optional<std::uint64_t> get_varint(std::string_view bytes, std::size_t& at, std::size_t max_bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < max_bytes && at < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned char>(bytes[at++]);
    value |= static_cast<std::uint64_t>(byte & 0x7FU) << (7 * i);
    if ((byte & 0x80U) == 0) {
      return value;
    }
  }
  return std::nullopt;
}

// Fills `counters` from version 2's encoding of them; false unless `body` is exactly that.
bool decode_counters(std::string_view body, std::span<std::uint32_t> counters) {
  std::size_t at = 0;
  std::size_t filled = 0;
  while (at < body.size()) {
    const auto value = get_varint(body, at, 5);
    if (!value || *value > UINT32_MAX) {
      return false;
    }
    if (*value != 0) {
      if (filled == counters.size()) {
        return false;
      }
      counters[filled++] = static_cast<std::uint32_t>(*value);
      continue;
    }
    // Counters start at zero: a run only moves past them.
    const auto run = get_varint(body, at, 10);
    if (!run || *run == 0 || *run > counters.size() - filled) {
      return false;
    }
    filled += static_cast<std::size_t>(*run);
  }
  return filled == counters.size();
}

}  // namespace

TermFrequencies::TermFrequencies(const TermFrequencySettings& settings) : settings_(settings) {
  settings_.width = std::bit_ceil(std::max<std::uint32_t>(settings_.width, 64));
  settings_.depth = std::clamp<std::uint32_t>(settings_.depth, 1, max_depth);
  settings_.half_life = std::max<std::uint64_t>(settings_.half_life, 1);
  counters_.assign(static_cast<std::size_t>(settings_.width) * settings_.depth, 0);
}

void TermFrequencies::observe(std::span<const std::uint64_t> term_keys) {
  // The counters (2 MB by default) outgrow the caches: fetching those of a key a few keys ahead
  // overlaps the misses instead of taking them one after another.
  constexpr std::size_t ahead = 4;
  const auto prefetch = [this](std::uint64_t key) {
    for (std::uint32_t row = 0; row < settings_.depth; ++row) {
      __builtin_prefetch(&counters_[slot(key, row, settings_.width)], 1);
    }
  };
  for (std::size_t i = 0; i < std::min(ahead, term_keys.size()); ++i) {
    prefetch(term_keys[i]);
  }
  std::size_t slots[max_depth];
  for (std::size_t k = 0; k < term_keys.size(); ++k) {
    if (k + ahead < term_keys.size()) {
      prefetch(term_keys[k + ahead]);
    }
    const std::uint64_t key = term_keys[k];
    // Conservative update: raise only the counters at the current minimum, which keeps the
    // estimate an upper bound with much less over-counting from collisions.
    std::uint32_t low = UINT32_MAX;
    for (std::uint32_t row = 0; row < settings_.depth; ++row) {
      slots[row] = slot(key, row, settings_.width);
      low = std::min(low, counters_[slots[row]]);
    }
    if (low == UINT32_MAX) {
      continue;
    }
    for (std::uint32_t row = 0; row < settings_.depth; ++row) {
      std::uint32_t& counter = counters_[slots[row]];
      counter = std::max(counter, low + 1);
    }
  }
  ++documents_;
  if (++since_decay_ >= settings_.half_life) {
    decay();
  }
}

bool TermFrequencies::merge(const TermFrequencies& other) {
  if (other.settings_.width != settings_.width || other.settings_.depth != settings_.depth) {
    return false;
  }
  for (std::size_t i = 0; i < counters_.size(); ++i) {
    const std::uint64_t sum = std::uint64_t{counters_[i]} + other.counters_[i];
    counters_[i] = static_cast<std::uint32_t>(std::min<std::uint64_t>(sum, UINT32_MAX - 1));
  }
  documents_ += other.documents_;
  since_decay_ += other.since_decay_;
  while (since_decay_ >= settings_.half_life) {
    decay();
    since_decay_ -= std::min(since_decay_, settings_.half_life);
  }
  return true;
}

void TermFrequencies::decay() {
  for (std::uint32_t& counter : counters_) {
    counter >>= 1U;
  }
  documents_ >>= 1U;
  since_decay_ = 0;
}

std::uint32_t TermFrequencies::count(std::uint64_t term_key) const noexcept {
  std::uint32_t low = UINT32_MAX;
  for (std::uint32_t row = 0; row < settings_.depth; ++row) {
    low = std::min(low, counters_[slot(term_key, row, settings_.width)]);
  }
  return low;
}

std::string TermFrequencies::serialize() const {
  std::string out(magic);
  put_u64(out, settings_.width);
  put_u64(out, settings_.depth);
  put_u64(out, settings_.half_life);
  put_u64(out, documents_);
  put_u64(out, since_decay_);
  for (std::size_t i = 0; i < counters_.size();) {
    if (counters_[i] != 0) {
      put_varint(out, counters_[i++]);
      continue;
    }
    const std::size_t run_start = i;
    while (i < counters_.size() && counters_[i] == 0) {
      ++i;
    }
    out.push_back('\0');
    put_varint(out, i - run_start);
  }
  return out;
}

std::optional<TermFrequencies> TermFrequencies::deserialize(std::string_view bytes) {
  const bool raw = bytes.starts_with(raw_magic);
  if (bytes.size() < header_size || (!raw && !bytes.starts_with(magic))) {
    return std::nullopt;
  }
  const char* at = bytes.data() + magic.size();
  const std::uint64_t width = get_u64(at, 8);
  const std::uint64_t depth = get_u64(at + 8, 8);
  TermFrequencySettings settings;
  settings.half_life = get_u64(at + 16, 8);
  if (width < 64 || width > (1U << 26U) || !std::has_single_bit(width) || depth < 1 || depth > max_depth ||
      settings.half_life == 0 || (raw && bytes.size() != header_size + width * depth * 4)) {
    return std::nullopt;
  }
  settings.width = static_cast<std::uint32_t>(width);
  settings.depth = static_cast<std::uint32_t>(depth);
  TermFrequencies frequencies(settings);
  frequencies.documents_ = get_u64(at + 24, 8);
  frequencies.since_decay_ = std::min(get_u64(at + 32, 8), settings.half_life - 1);
  const std::string_view body = bytes.substr(header_size);
  if (raw) {
    std::memcpy(frequencies.counters_.data(), body.data(), frequencies.counters_.size() * sizeof(std::uint32_t));
  } else if (!decode_counters(body, frequencies.counters_)) {
    return std::nullopt;
  }
  return frequencies;
}

// Keys have bit 0 set, so that 0 can mark an empty slot in DocumentTerms.
std::uint64_t word_key(std::string_view token) noexcept {
  return TermDictionary::hash(token) | 1U;
}

std::uint64_t prefix_key(std::string_view stem) noexcept {
  // A different key from the word with the same letters: "gov" as a word is rarer than gov*.
  const std::uint64_t hash = TermDictionary::hash(stem.substr(0, max_counted_prefix));
  return (std::rotl(hash, 23) ^ 0x5BD1E9955BD1E994ULL) | 1U;
}

std::uint64_t bigram_key(std::uint64_t first_hash, std::uint64_t second_hash) noexcept {
  std::uint64_t value = (first_hash * 0x9E3779B97F4A7C15ULL) ^ std::rotl(second_hash, 31);
  value *= 0xC4CEB9FE1A85EC53ULL;
  return (value ^ (value >> 29U)) | 1U;
}

void DocumentTerms::add(std::uint64_t key) {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = static_cast<std::size_t>(key >> 20U) & mask;
  while (table_[i] != 0) {
    if (table_[i] == key) {
      return;
    }
    i = (i + 1) & mask;
  }
  table_[i] = key;
  slots_.push_back(static_cast<std::uint32_t>(i));
  keys_.push_back(key);
}

void DocumentTerms::add_text(std::string_view text) {
  text::tokenize_into(text, tokens_);
  // Keep the table at most half full: every token adds at most 2 + max_counted_prefix - 2 keys.
  const std::size_t needed = std::bit_ceil((keys_.size() + tokens_.tokens.size() * 8) * 2 + 16);
  if (needed > table_.size()) {
    std::vector<std::uint64_t> keys = std::move(keys_);
    table_.assign(needed, 0);
    keys_.clear();
    slots_.clear();
    for (const std::uint64_t key : keys) {
      add(key);
    }
  }
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < tokens_.tokens.size(); ++i) {
    const std::string_view token = tokens_.token_text(i);
    const std::uint64_t hash = TermDictionary::hash(token);
    add(hash | 1U);  // word_key(token)
    if (i > 0) {
      add(bigram_key(previous, hash));
    }
    previous = hash;
    for (std::size_t length = 3; length <= std::min(token.size(), max_counted_prefix); ++length) {
      add(prefix_key(token.substr(0, length)));
    }
  }
}

std::span<const std::uint64_t> DocumentTerms::extract(const Item& item) {
  // Only the slots the last item filled are cleared: a long item once must not make every later
  // item pay for clearing a large table.
  for (const std::uint32_t used : slots_) {
    table_[used] = 0;
  }
  slots_.clear();
  keys_.clear();
  add_text(item.title);
  add_text(item.summary);
  add_text(item.content);
  for (const std::string& author : item.authors) {
    add_text(author);
  }
  for (const std::string& category : item.categories) {
    add_text(category);
  }
  return keys_;
}

}  // namespace newswatch::rules
