#pragma once

#include <string_view>

#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::dedup {

/// What a fingerprint is read from: the item's title tokens, the lead's source (summary, or content
/// when the summary has no tokens) with its tokens, and the link that names the outlet.
struct StoryText {
  const text::TokenList& title;
  std::string_view lead_source;
  const text::TokenList& lead;
  std::string_view link;
};

/// The summary when it has tokens, else the content: where the lead comes from.
inline bool lead_is_summary(const text::TokenList& summary_tokens) noexcept {
  return !summary_tokens.tokens.empty();
}

/// The fingerprint of already tokenized text (fingerprint_story() and identify() share it).
StoryFingerprint fingerprint_story_text(const StoryText& story);

}  // namespace newswatch::dedup
