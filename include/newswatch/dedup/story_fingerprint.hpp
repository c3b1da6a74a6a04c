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
// normalised as the rules normalise (case, accents and scripts fold the same way). Headlines do not
// count towards similarity: outlets rewrite them, and a generic one ("Morning briefing") says
// nothing. A lead shorter than `min_lead_tokens` is not judged by similarity at all: title and lead
// must then be identical.
//
// Similarity is the Jaccard index of the lead's word pairs (consecutive tokens). The labelled pairs
// (tests/data/dedup/pairs.tsv; bench_dedup prints the figures) chose it: copies share the opening of
// the lead while their headlines and endings vary. Word pairs of the first 30 tokens gave the largest
// ratio between the least similar copy and the most similar different story (2.0; single words 1.8,
// triples 1.7, 45 tokens 1.8, with the headline 1.4), and single words would make lookup keys of
// function words. 64-bit SimHash (Charikar 2002) over title and lead could not serve: within Manku
// et al.'s (2007) Hamming distance 3 it found one copy in nine, and the widest distance that kept
// precision >= 0.99 found half. A lead has at most 29 word pairs, so they are kept folded into 128
// bits, from which the similarity is estimated almost exactly (linear counting: Whang et al. 1990;
// Swamidass and Baldi 2007). Six MinHash values (Broder 1997) are the keys StoryIndex finds
// candidates by, one band each (Leskovec et al., Mining of Massive Datasets, §3.4): a pair with
// similarity J shares at least one with probability 1 - (1 - J)^6, 0.91 for the least similar
// labelled copy (0.33; different stories whose numbers do not conflict reach 0.21).
//
// Two guards keep precision where words alone fail (on the corpus pairs, words alone merged 20 of 32
// different items): numbers, and the outlet (see StoryFingerprint::numbers and ::outlet).

/// Tokens of the lead that the fingerprint covers.
inline constexpr std::size_t lead_tokens = 30;
/// A lead with fewer tokens is too short to judge by similarity: title and lead must be identical.
inline constexpr std::size_t min_lead_tokens = 12;
/// MinHash values per fingerprint (lookup keys).
inline constexpr std::size_t anchor_count = 6;
/// Least estimated Jaccard similarity of two leads' word pairs for one story (see StoryFingerprint).
inline constexpr double same_story_similarity = 0.3;
/// Least similarity at which one shared MinHash value is enough. Folding a lead's pairs into 128
/// bits makes chance collisions: among a million stored leads, unrelated ones that share a value
/// with the query reached an estimate of 0.33 (bench_dedup), so below this a second shared value,
/// independent evidence of overlap, must agree.
inline constexpr double one_key_similarity = 0.45;
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
  /// Numbers of the lead, folded into 32 bits. Copies of a story keep its numbers (a cut
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

/// MinHash values two fingerprints share (at the same position).
int shared_anchors(const StoryFingerprint& first, const StoryFingerprint& second) noexcept;

/// The similarity of two fingerprints that are the same story given that they share `shared`
/// MinHash values, else nullopt: similarity >= same_story_similarity, and >= one_key_similarity
/// unless two values are shared; for near ones numbers that do not conflict (each side with
/// conflicting_numbers the other lacks); within one outlet the same title. StoryIndex passes the
/// number of bands a candidate turned up in.
std::optional<double> story_match(const StoryFingerprint& first, const StoryFingerprint& second, int shared) noexcept;

/// True when two fingerprints are the same story (story_match() with the values they share).
bool same_story(const StoryFingerprint& first, const StoryFingerprint& second) noexcept;

/// Bytes of encode_fingerprint()'s output.
inline constexpr std::size_t encoded_fingerprint_size = 1 + 1 + 2 + 2 + 4 + 16 + 4 * anchor_count;

/// The fingerprint as bytes for the store: format version, kind, then the fields little-endian.
std::string encode_fingerprint(const StoryFingerprint& fingerprint);

/// A fingerprint from encode_fingerprint()'s bytes; nullopt for another size, version or kind.
std::optional<StoryFingerprint> decode_fingerprint(std::string_view bytes);

}  // namespace newswatch::dedup
