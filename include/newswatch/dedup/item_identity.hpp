#pragma once

#include <cstdint>
#include <string>

#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::dedup {

/// Identity of an item within its feed and the hashes used to compare it.
struct ItemIdentity {
  /// "id:<published id>" | "url:<canonical link>" | "hash:<16 hex digits>" (normalised title and
  /// published date; normalised text when there is no title).
  std::string key;
  /// Canonical form of item.link as given by the caller (url::canonical_identity); may be empty. An
  /// item with a new id whose canonical link was already seen in the same feed is the same item.
  std::string canonical_url;
  /// Hash of the title, summary and content exactly as the feed sent them: equal to the stored one
  /// means unchanged, with nothing normalised; a different one may still be the same words.
  std::uint64_t source_hash = 0;
  /// Hash of the normalised title, summary and content: changes when the item's words are edited,
  /// not when only its markup, spacing, punctuation, case or accents change.
  std::uint64_t content_hash = 0;
  /// Story fingerprint of the lead (near-duplicate detection across outlets); more than 64 bits, see
  /// story_fingerprint.hpp. Store it with encode_fingerprint(); StoryIndex takes it as it is.
  StoryFingerprint fingerprint;
};

/// Identity in order: the id the feed publishes → the canonical link → hash of normalised title +
/// published date. Pure: `canonical_url` is computed by the caller.
ItemIdentity identify(const Item& item, std::string canonical_url);

/// The part of identify() that finds the stored item: key, canonical URL and source hash. Cheap: it
/// normalises text only for an item with neither id nor link. complete_identity() adds the rest.
ItemIdentity identify_key(const Item& item, std::string canonical_url);
/// Adds the content hash and story fingerprint to what identify_key() gave.
void complete_identity(const Item& item, ItemIdentity& identity);
/// The same, from the item's fields already tokenised (text::tokenize_into of its title, summary and
/// content).
void complete_identity(const Item& item, ItemIdentity& identity, const text::FieldTokens& tokens);

}  // namespace newswatch::dedup
