#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/model/huge_pages.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {

/// Shape and forgetting of a TermFrequencies sketch.
struct TermFrequencySettings {
  std::uint32_t width = 1U << 17U;      ///< Counters per row; a power of two.
  std::uint32_t depth = 4;              ///< Rows (independent hashes).
  std::uint64_t half_life = 1U << 16U;  ///< Documents after which every count is halved.

  /// Same shape and half-life.
  friend bool operator==(const TermFrequencySettings&, const TermFrequencySettings&) = default;
};

/// Document frequencies of terms in the items seen: a count-min sketch (Cormode and Muthukrishnan,
/// 2005) with conservative update, so a count only ever over-estimates and by little. Bounded:
/// width x depth 32-bit counters whatever the vocabulary. Old documents fade: every `half_life`
/// documents all counts and the document total are halved, so a term that stops occurring sinks
/// back towards zero. Pure value type; one owner thread, or one per thread merged with merge().
class TermFrequencies {
 public:
  /// An empty sketch of the default shape.
  TermFrequencies() : TermFrequencies(TermFrequencySettings{}) {}
  /// An empty sketch; width is rounded up to a power of two, depth kept within [1, 8].
  explicit TermFrequencies(const TermFrequencySettings& settings);

  /// Counts one document: `term_keys` are its distinct term keys (see DocumentTerms).
  void observe(std::span<const std::uint64_t> term_keys);
  /// Adds another sketch's counts (same shape; false and nothing changes otherwise).
  bool merge(const TermFrequencies& other);
  /// Halves every count and the document total.
  void decay();

  /// Estimated number of documents containing the term (never below the true figure since the
  /// last decay).
  [[nodiscard]] std::uint32_t count(std::uint64_t term_key) const noexcept;
  /// Documents counted (after decay, the halved figure).
  [[nodiscard]] std::uint64_t documents() const noexcept { return documents_; }
  /// The settings in force.
  [[nodiscard]] const TermFrequencySettings& settings() const noexcept { return settings_; }
  /// Bytes held by the counters.
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return counters_.size() * sizeof(std::uint32_t); }

  /// A portable byte string of the whole sketch, for the store: counters as varints, runs of zeros
  /// as their length, so its size follows the counts, not the shape.
  [[nodiscard]] std::string serialize() const;
  /// The sketch serialize() wrote (or an earlier version's fixed-width form of it), or nullopt for
  /// bytes neither can have written.
  static std::optional<TermFrequencies> deserialize(std::string_view bytes);

  /// Equal shape, counts and documents.
  friend bool operator==(const TermFrequencies&, const TermFrequencies&) = default;

 private:
  TermFrequencySettings settings_;
  std::uint64_t documents_ = 0;
  std::uint64_t since_decay_ = 0;
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> counters_;  ///< Row after row.
};

/// The key a whole token is counted under (the term dictionary's hash of its normalised text).
std::uint64_t word_key(std::string_view token) noexcept;
/// The key a prefix stem is counted under: documents with a token that starts with `stem`.
std::uint64_t prefix_key(std::string_view stem) noexcept;
/// The key two adjacent tokens are counted under (phrases), from their TermDictionary::hash().
std::uint64_t bigram_key(std::uint64_t first_hash, std::uint64_t second_hash) noexcept;
/// Prefix stems longer than this many bytes are counted as their first this-many bytes.
inline constexpr std::size_t max_counted_prefix = 8;

/// Extracts the distinct term keys of an item, the way TermFrequencies counts documents: every
/// token of title, summary, content, authors and categories, its prefixes of 3 to
/// max_counted_prefix bytes, and every pair of adjacent tokens in a field. Reuses its buffers across items; one per
/// thread.
class DocumentTerms {
 public:
  /// The item's distinct keys, valid until the next call.
  std::span<const std::uint64_t> extract(const Item& item);

 private:
  void add(std::uint64_t key);
  void add_text(std::string_view text);

  text::TokenList tokens_;
  std::vector<std::uint64_t> table_;  ///< Open addressing; 0 is empty.
  std::vector<std::uint32_t> slots_;  ///< Slots of table_ in use.
  std::vector<std::uint64_t> keys_;
};

}  // namespace newswatch::rules
