#include "newswatch/dedup/item_identity.hpp"

#include <array>
#include <utility>

#include "newswatch/dedup/stable_hash.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "story_text.hpp"

namespace newswatch::dedup {
namespace {

constexpr std::uint64_t content_seed = 0xC0A7E17C0A7E17C0ULL;
constexpr std::uint64_t key_seed = 0x4B65794B65794B65ULL;

// Tokens joined by one space: the normalised words of a field, whatever the markup, spacing and
// punctuation around them were.
void append_words(std::string& out, const text::TokenList& tokens) {
  for (std::size_t i = 0; i < tokens.tokens.size(); ++i) {
    out.append(tokens.token_text(i)).push_back(' ');
  }
}

std::string hex(std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 0; i < 16; ++i) {
    out[15 - i] = digits[(value >> (4 * i)) & 0xFU];
  }
  return out;
}

}  // namespace

ItemIdentity identify(const Item& item, std::string canonical_url) {
  text::TokenList title;
  text::TokenList summary;
  text::TokenList content;
  text::tokenize_into(item.title, title);
  text::tokenize_into(item.summary, summary);
  text::tokenize_into(item.content, content);

  // Fields end with a newline, so words moving from the summary to the content count as an edit.
  std::string words;
  words.reserve(title.text.size() + summary.text.size() + content.text.size() + 8);
  append_words(words, title);
  words.push_back('\n');
  append_words(words, summary);
  words.push_back('\n');
  append_words(words, content);

  ItemIdentity identity;
  identity.content_hash = stable_hash(words, content_seed);
  const bool summary_leads = lead_is_summary(summary);
  identity.fingerprint = fingerprint_story_text(StoryText{
      title, summary_leads ? std::string_view(item.summary) : std::string_view(item.content),
      summary_leads ? summary : content, canonical_url.empty() ? std::string_view(item.link) : canonical_url});

  if (!item.id.empty()) {
    identity.key = "id:" + item.id;
  } else if (!canonical_url.empty()) {
    identity.key = "url:" + canonical_url;
  } else {
    // Without a title the words of the whole item stand in for it.
    std::string basis;
    if (title.tokens.empty()) {
      basis = std::move(words);
    } else {
      append_words(basis, title);
    }
    basis.push_back('\n');
    basis += format_rfc3339(item.published).value_or("");
    identity.key = "hash:" + hex(stable_hash(basis, key_seed));
  }
  identity.canonical_url = std::move(canonical_url);
  return identity;
}

}  // namespace newswatch::dedup
