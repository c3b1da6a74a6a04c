#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "newswatch/model/item.hpp"

namespace newswatch::dedup {

// A story fingerprint says which items are copies of one story: wire copy reprinted by another
// outlet with an edited headline, without its dateline, with a sentence cut or reworded, or with
// copy-desk edits ("said on Tuesday" -> "said Tuesday"). Its text is the lead: the first
// `lead_tokens` tokens of the summary (of the content when there is no summary), after the dateline,
// normalised as the rules normalise (case, accents, scripts fold the same way). Headlines are left
// out on purpose: outlets rewrite them, and a generic one ("Morning briefing") says nothing.
//
// Near-duplicates are found by the Jaccard similarity of the lead's word pairs. Measured on the
// labelled set (tests/data/dedup/pairs.tsv), 64-bit SimHash over the same text could not serve:
// within Manku et al.'s Hamming distance 3 it found 1 duplicate in 10, and at the distance that
// kept precision (<= 12) still only half. The lead has about 30 word pairs, so a 128-bit set of
// them keeps nearly all of its information and gives the similarity almost exactly (Swamidass and
// Baldi, "Mathematical correction for fingerprint similarity measures", 2007); six MinHash values
// (Broder, "On the resemblance and containment of documents", 1997) are the keys StoryIndex looks
// candidates up by (LSH banding with one row per band: a pair with similarity J shares at least
// one with probability 1 - (1 - J)^6).

/// Tokens of the lead that the fingerprint covers.
inline constexpr std::size_t lead_tokens = 30;
/// A lead with fewer tokens is too short to judge by similarity: title and lead must be identical.
inline constexpr std::size_t min_lead_tokens = 12;
/// MinHash values per fingerprint (lookup keys).
inline constexpr std::size_t anchor_count = 6;
/// Least estimated Jaccard similarity of two leads' word pairs for one story (see StoryFingerprint).
inline constexpr double same_story_similarity = 0.3;
/// Numbers each side must have that the other lacks for two texts to be different events.
inline constexpr int conflicting_numbers = 2;

/// How a fingerprint takes part in story matching.
enum class FingerprintKind : std::uint8_t {
  none = 0,   ///< No text at all: matches nothing.
  exact = 1,  ///< Lead shorter than min_lead_tokens: matches only the identical title and lead.
  near = 2,   ///< Matches near-duplicate leads.
};

/// The story fingerprint of one item (see above); a value, stored by the caller beside the item.
struct StoryFingerprint {
  FingerprintKind kind = FingerprintKind::none;
  /// Hash of the host of the item's link (16 bits; 0 when unknown). One outlet's items share their
  /// lead more often than copies do: series and columns open with the same paragraph ("This is
  /// another post in our Code Health series…"), digests with the same sentence under a new
  /// headline. Items of one outlet are therefore one story only under the same headline (the same
  /// article in two of its feeds); across outlets headlines are rewritten and do not count.
  std::uint16_t outlet = 0;
  /// Hash of the normalised title (16 bits), compared only within one outlet.
  std::uint16_t title = 0;
  /// Numbers of the title and lead, folded into 32 bits. Copies of a story keep its numbers (a cut
  /// removes some on one side); daily reports on a template ("Dollar opens at 32.15") differ in
  /// them on both sides.
  std::uint32_t numbers = 0;
  /// near: the lead's word pairs folded into 128 bits; exact: a 128-bit hash of title and lead.
  std::array<std::uint64_t, 2> shingles{};
  /// near: the least hash of the lead's word pairs under each of anchor_count hash functions;
  /// exact: derived from the text's hash, so identical texts share them.
  std::array<std::uint32_t, anchor_count> anchors{};

  friend bool operator==(const StoryFingerprint&, const StoryFingerprint&) = default;
};

/// The fingerprint of an item's story (see above); its outlet is the host of item.link.
StoryFingerprint fingerprint_story(const Item& item);

/// The outlet hash of a URL: its host, lower-cased and without a leading "www."; 0 when it has none.
std::uint16_t outlet_of(std::string_view url) noexcept;

/// Estimated Jaccard similarity of two near fingerprints' word pairs, 0..1; for exact ones 1 when
/// the texts are identical, else 0; 0 when either is none or the kinds differ.
double story_similarity(const StoryFingerprint& first, const StoryFingerprint& second) noexcept;

/// True when two fingerprints are the same story: similarity >= same_story_similarity; for near ones
/// numbers that do not conflict (each side with conflicting_numbers the other lacks); within one
/// outlet the same title.
bool same_story(const StoryFingerprint& first, const StoryFingerprint& second) noexcept;

/// Bytes of encode_fingerprint()'s output.
inline constexpr std::size_t encoded_fingerprint_size = 1 + 1 + 2 + 2 + 4 + 16 + 4 * anchor_count;

/// The fingerprint as bytes for the store: format version, kind, then the fields little-endian.
std::string encode_fingerprint(const StoryFingerprint& fingerprint);

/// A fingerprint from encode_fingerprint()'s bytes; nullopt for another size, version or kind.
std::optional<StoryFingerprint> decode_fingerprint(std::string_view bytes);

}  // namespace newswatch::dedup
