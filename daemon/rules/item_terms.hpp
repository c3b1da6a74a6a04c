#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newswatch/rules/rule_set.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {

/// One searchable piece of an item: a field, or one entry of the authors/categories lists.
struct Segment {
  std::uint8_t field = 0;   ///< A FieldBit.
  std::uint32_t index = 0;  ///< Entry number in a list field.
  std::string_view text;
};

/// The bigram dictionary's key for two adjacent tokens: their TermDictionary::hash()es, 16 bytes
/// written into `buffer`.
inline std::string_view bigram_text(std::uint64_t first, std::uint64_t second, std::array<char, 16>& buffer) {
  std::memcpy(buffer.data(), &first, 8);
  std::memcpy(buffer.data() + 8, &second, 8);
  return std::string_view(buffer.data(), buffer.size());
}

/// The dictionaries of a rule set that an item's tokens are looked up in.
struct TermSources {
  const RuleSet::TermMap& words;                     ///< Whole tokens and site/feed/lang keys.
  const RuleSet::TermMap& prefixes;                  ///< Prefix stems.
  const RuleSet::TermMap& bigrams;                   ///< Adjacent token pairs of phrases.
  const std::vector<std::uint32_t>& prefix_lengths;  ///< Distinct stem lengths in bytes, ascending.
  const PrefixHeads& prefix_heads;                   ///< First bytes of the stems.
  bool site_filters = true;                          ///< Whether some rule has a site: filter.
};

/// A dictionary term found in an item.
struct Occurrence {
  std::uint32_t term = 0;
  std::uint32_t segment = 0;
  std::uint32_t position = 0;  ///< Token number in the segment.
  std::uint32_t begin = 0;     ///< Byte range in the segment's text.
  std::uint32_t end = 0;
};

/// A segment's normalised text, with the original byte range behind every normalised byte.
struct NormalizedSegment {
  std::string text;
  std::vector<std::uint32_t> origin_begin;
  std::vector<std::uint32_t> origin_end;
};

/// Everything the rules need from one item, computed once per match call: the dictionary terms it
/// contains with their positions, sorted by term. Reused from item to item by one thread (its
/// buffers keep their capacity), never shared between threads.
class ItemTerms {
 public:
  /// Holds no item yet.
  ItemTerms() = default;
  /// Tokenizes every field of the item and keeps the tokens the dictionaries know, replacing the
  /// previous item.
  void reset(const MatchInput& input, const TermSources& sources);

  /// Occurrences of a term, sorted by (segment, position); empty when absent.
  [[nodiscard]] std::span<const Occurrence> find(std::uint32_t term) const;
  /// Distinct terms present, in order of first occurrence.
  [[nodiscard]] const std::vector<std::uint32_t>& terms() const noexcept { return terms_; }
  /// The segments.
  [[nodiscard]] const std::vector<Segment>& segments() const noexcept { return segments_; }
  /// Normalised text of a segment, computed on first use (regexes only).
  const NormalizedSegment& normalized(std::uint32_t segment);
  /// Lower-cased feed name and tags, for rule feed filters.
  [[nodiscard]] const std::string& feed_name() const noexcept { return feed_name_; }
  [[nodiscard]] const std::vector<std::string>& feed_tags() const noexcept { return feed_tags_; }

 private:
  // `tokens`: the segment's text tokenised already, or null to tokenise it here.
  void add_segment_tokens(std::uint32_t segment, const TermSources& sources, const text::TokenList* tokens);
  void add_site_filters(const RuleSet::TermMap& words, const std::string& link);
  void add_filter(const RuleSet::TermMap& words, QueryNodeKind kind, std::string_view value, std::size_t begin = 0,
                  std::size_t end = 0);

  static constexpr std::uint32_t no_term = UINT32_MAX;

  // A term's occurrences: occurrences_[begin, begin + count).
  struct TermGroup {
    std::uint32_t term = no_term;
    std::uint32_t begin = 0;
    std::uint32_t count = 0;
  };

  /// The slot holding `term`, or the empty slot where it would go.
  [[nodiscard]] std::size_t slot_of(std::uint32_t term) const noexcept;
  void group_by_term();

  // A token or token prefix that passed a dictionary's filter, waiting for the table lookup.
  struct PendingLookup {
    const RuleSet::TermMap* dictionary;
    std::uint64_t hash;
    std::uint32_t token;
    std::uint32_t length;  ///< Bytes of the token looked up.
  };

  std::vector<Segment> segments_;
  std::vector<PendingLookup> pending_;
  std::vector<Occurrence> occurrences_;
  std::vector<Occurrence> grouped_;  ///< group_by_term()'s buffer.
  std::vector<std::uint32_t> terms_;
  /// Open addressing by term id: the first group_mask_ + 1 slots (a power of two) are in use for
  /// this item. The vector keeps the largest size any item needed, and only the slots an item
  /// filled (used_slots_) are emptied for the next one.
  std::vector<TermGroup> groups_;
  std::vector<std::uint32_t> used_slots_;
  std::size_t group_mask_ = 0;
  std::vector<std::optional<NormalizedSegment>> normalized_;
  text::TokenList scratch_;
  std::string feed_name_;
  std::vector<std::string> feed_tags_;
};

// Inline: the presearch and the evaluator probe the item's terms for every candidate.

inline std::size_t ItemTerms::slot_of(std::uint32_t term) const noexcept {
  // Fibonacci hashing of the id (wrapping in 32 bits on purpose), then linear probing.
  const std::size_t mask = group_mask_;
  std::size_t i = static_cast<std::size_t>(static_cast<std::uint32_t>(term * 0x9E3779B1U)) & mask;
  while (groups_[i].term != term && groups_[i].term != no_term) {
    i = (i + 1) & mask;
  }
  return i;
}

inline std::span<const Occurrence> ItemTerms::find(std::uint32_t term) const {
  const TermGroup& group = groups_[slot_of(term)];
  if (group.term == no_term) {
    return {};
  }
  return std::span<const Occurrence>(occurrences_.data() + group.begin, group.count);
}

}  // namespace newswatch::rules
