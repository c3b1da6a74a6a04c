#include "newswatch/dedup/item_identity.hpp"

#include <cstring>
#include <utility>

#include "newswatch/dedup/stable_hash.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "story_text.hpp"

namespace newswatch::dedup {
namespace {

constexpr std::uint64_t content_seed = 0xC0A7E17C0A7E17C0ULL;
constexpr std::uint64_t key_seed = 0x4B65794B65794B65ULL;
constexpr std::uint64_t source_seed = 0x5352435352435352ULL;

// Tokens joined by one space: the normalised words of a field, whatever the markup, spacing and
// punctuation around them were. A token of up to 16 bytes (nearly all) is copied as 16 bytes at
// once into room made beforehand; what lands past its end is overwritten by what follows.
void append_words(std::string& out, const text::TokenList& tokens) {
  static constexpr std::size_t chunk = 16;
  std::size_t at = out.size();
  out.resize(at + tokens.text.size() + tokens.tokens.size() + chunk);
  char* destination = out.data();
  const char* source = tokens.text.data();
  for (const text::TokenRef& token : tokens.tokens) {
    const std::size_t length = token.text_end - token.text_begin;
    if (length <= chunk && token.text_begin + chunk <= tokens.text.size()) {
      std::memcpy(destination + at, source + token.text_begin, chunk);
    } else {
      std::memcpy(destination + at, source + token.text_begin, length);
    }
    at += length;
    destination[at++] = ' ';
  }
  out.resize(at);
}

// Fields end with a newline, so words moving from the summary to the content count as an edit.
// Replaces what `words` held (its capacity is reused).
void normalised_words(std::string& words, const text::TokenList& title, const text::TokenList& summary,
                      const text::TokenList& content) {
  words.clear();
  words.reserve(title.text.size() + summary.text.size() + content.text.size() + title.tokens.size() +
                summary.tokens.size() + content.tokens.size() + 64);
  append_words(words, title);
  words.push_back('\n');
  append_words(words, summary);
  words.push_back('\n');
  append_words(words, content);
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

ItemIdentity identify_key(const Item& item, std::string canonical_url) {
  ItemIdentity identity;
  std::uint64_t source = stable_hash(item.title, source_seed);
  source = stable_hash(item.summary, source);
  identity.source_hash = stable_hash(item.content, source);
  if (!item.id.empty()) {
    identity.key = "id:" + item.id;
  } else if (!canonical_url.empty()) {
    identity.key = "url:" + canonical_url;
  } else {
    // Without a title the words of the whole item stand in for it.
    text::TokenList title;
    text::tokenize_into(item.title, title);
    std::string basis;
    if (title.tokens.empty()) {
      text::TokenList summary;
      text::TokenList content;
      text::tokenize_into(item.summary, summary);
      text::tokenize_into(item.content, content);
      normalised_words(basis, title, summary, content);
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

void complete_identity(const Item& item, ItemIdentity& identity) {
  // Scratch reused from item to item (one set per thread): tokenising allocates room for the
  // longest input, which would otherwise be paid for again on every item.
  thread_local text::FieldTokens tokens;
  text::tokenize_fields(item.title, item.summary, item.content, tokens);
  complete_identity(item, identity, tokens);
}

void complete_identity(const Item& item, ItemIdentity& identity, const text::FieldTokens& tokens) {
  const text::TokenList& title = tokens.title;
  const text::TokenList& summary = tokens.summary;
  const text::TokenList& content = tokens.content;
  thread_local std::string words;  // Its room is reused from item to item, as above.
  normalised_words(words, title, summary, content);
  identity.content_hash = stable_hash(words, content_seed);
  const bool summary_leads = lead_is_summary(summary);
  identity.fingerprint = fingerprint_story_text(StoryText{
      title, summary_leads ? std::string_view(item.summary) : std::string_view(item.content),
      summary_leads ? summary : content,
      identity.canonical_url.empty() ? std::string_view(item.link) : std::string_view(identity.canonical_url)});
}

ItemIdentity identify(const Item& item, std::string canonical_url) {
  ItemIdentity identity = identify_key(item, std::move(canonical_url));
  complete_identity(item, identity);
  return identity;
}

}  // namespace newswatch::dedup
