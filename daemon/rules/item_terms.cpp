#include "item_terms.hpp"

#include <algorithm>
#include <bit>

#include "newswatch/text/ascii.hpp"
#include "newswatch/text/normalize.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::rules {

void ItemTerms::reset(const MatchInput& input, const TermSources& sources) {
  const RuleSet::TermMap& words = sources.words;
  const Item& item = input.item;
  segments_.clear();
  occurrences_.clear();
  terms_.clear();
  normalized_.clear();
  feed_tags_.clear();
  // Sized once for the whole item, so that no buffer regrows while its fields are scanned.
  const std::size_t text_bytes = item.title.size() + item.summary.size() + item.content.size();
  occurrences_.reserve(text_bytes / 8 + 16);
  pending_.reserve(text_bytes / 8 + 16);
  scratch_.text.reserve(std::max(item.content.size(), item.summary.size()) + 256);
  segments_.reserve(4 + item.authors.size() + item.categories.size());
  segments_.push_back(Segment{field_title, 0, item.title});
  segments_.push_back(Segment{field_summary, 0, item.summary});
  segments_.push_back(Segment{field_content, 0, item.content});
  for (std::size_t i = 0; i < item.authors.size(); ++i) {
    segments_.push_back(Segment{field_author, static_cast<std::uint32_t>(i), item.authors[i]});
  }
  for (std::size_t i = 0; i < item.categories.size(); ++i) {
    segments_.push_back(Segment{field_category, static_cast<std::uint32_t>(i), item.categories[i]});
  }
  // Segments 0, 1 and 2 are the title, summary and content, which the caller may have tokenised.
  const auto given = [tokens = input.tokens](std::uint32_t segment) -> const text::TokenList* {
    if (tokens == nullptr) {
      return nullptr;
    }
    switch (segment) {
      case 0: return &tokens->title;
      case 1: return &tokens->summary;
      case 2: return &tokens->content;
      default: return nullptr;
    }
  };
  for (std::uint32_t s = 0; s < segments_.size(); ++s) {
    add_segment_tokens(s, sources, given(s));
  }
  // The last segment is the link, which only site: looks at; feed: and lang: occurrences sit
  // there too, with an empty span.
  segments_.push_back(Segment{field_link, 0, item.link});

  // site:example.com matches the link host and every parent domain of it; the occurrence spans
  // the matched domain in the link. A relative link names no host. Without site: rules the link
  // is not parsed.
  if (sources.site_filters) {
    add_site_filters(words, item.link);
  }
  feed_name_ = text::lower_ascii(input.feed_name);
  add_filter(words, QueryNodeKind::feed, feed_name_);
  for (const std::string& tag : input.feed_tags) {
    feed_tags_.push_back(text::lower_ascii(tag));
    add_filter(words, QueryNodeKind::feed_tag, feed_tags_.back());
  }
  // lang:en matches "en", "en-US", "en-GB": every prefix of the tag at a subtag boundary (RFC 4647 §3.3.1).
  const std::string language = text::lower_ascii(input.language);
  for (std::size_t dash = language.find('-'); !language.empty(); dash = language.find('-', dash + 1)) {
    add_filter(words, QueryNodeKind::lang, std::string_view(language).substr(0, dash));
    if (dash == std::string::npos) {
      break;
    }
  }

  group_by_term();
  normalized_.resize(segments_.size());
}

void ItemTerms::add_segment_tokens(std::uint32_t segment, const TermSources& sources,
                                   const text::TokenList* tokenized) {
  const RuleSet::TermMap& words = sources.words;
  const RuleSet::TermMap& prefixes = sources.prefixes;
  const RuleSet::TermMap& bigrams = sources.bigrams;
  const std::vector<std::uint32_t>& prefix_lengths = sources.prefix_lengths;
  const PrefixHeads& prefix_heads = sources.prefix_heads;
  if (tokenized == nullptr) {
    text::tokenize_into(segments_[segment].text, scratch_);
    tokenized = &scratch_;
  }
  const text::TokenList& tokens = *tokenized;
  // Two passes: the first hashes every token (and its prefixes of indexed stem lengths), drops
  // what the dictionaries' filters rule out and prefetches the rest; the second resolves them.
  // With 100,000 rules the tables outgrow the caches, and this way the misses overlap.
  pending_.clear();
  const bool with_bigrams = bigrams.size() > 0;
  std::uint64_t previous_hash = 0;
  bool previous_known = false;  // whether the previous token may be a word of some rule
  std::array<char, 16> bigram_buffer{};
  for (std::size_t i = 0; i < tokens.tokens.size(); ++i) {
    const std::string_view token = tokens.token_text(i);
    const auto request = [&](const RuleSet::TermMap& dictionary, std::size_t length, std::uint64_t hash) {
      if (!dictionary.may_contain(hash)) {
        return false;
      }
      dictionary.prefetch(hash);
      pending_.push_back(
          PendingLookup{&dictionary, hash, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(length)});
      return true;
    };
    const std::uint64_t word_hash = TermDictionary::hash(token);
    const bool known = request(words, token.size(), word_hash);
    // Phrase words are in `words` too, so a pair can be a phrase's only when both tokens may be.
    if (with_bigrams && previous_known && known) {
      // Adjacent pairs, for phrases indexed under their rarest pair. Rare enough to resolve now.
      const std::string_view pair = bigram_text(previous_hash, word_hash, bigram_buffer);
      const std::uint64_t pair_hash = TermDictionary::hash(pair);
      if (bigrams.may_contain(pair_hash)) {
        if (const std::uint32_t id = bigrams.find_filtered(pair, pair_hash); id != TermDictionary::npos) {
          occurrences_.push_back(Occurrence{id, segment, static_cast<std::uint32_t>(i - 1), tokens.tokens[i - 1].begin,
                                            tokens.tokens[i].end});
        }
      }
    }
    previous_hash = word_hash;
    previous_known = known;
    // The lengths of the stems its first bytes start, shortest first; then, rarely, longer ones.
    const std::uint32_t stem_lengths = prefix_heads.stem_lengths(token);
    constexpr std::uint32_t long_bit = std::uint32_t{1} << (PrefixHeads::long_stem - 1);
    for (std::uint32_t rest = stem_lengths & ~long_bit; rest != 0; rest &= rest - 1) {
      const auto length = static_cast<std::size_t>(std::countr_zero(rest)) + 1;
      if (length > token.size()) {
        break;
      }
      request(prefixes, length, TermDictionary::hash(token.substr(0, length)));
    }
    if ((stem_lengths & long_bit) != 0) {
      for (auto length = std::lower_bound(prefix_lengths.begin(), prefix_lengths.end(), PrefixHeads::long_stem);
           length != prefix_lengths.end() && *length <= token.size(); ++length) {
        request(prefixes, *length, TermDictionary::hash(token.substr(0, *length)));
      }
    }
  }
  for (const PendingLookup& lookup : pending_) {
    const std::uint32_t id =
        lookup.dictionary->find_filtered(tokens.token_text(lookup.token).substr(0, lookup.length), lookup.hash);
    if (id != TermDictionary::npos) {
      const text::TokenRef& ref = tokens.tokens[lookup.token];
      occurrences_.push_back(Occurrence{id, segment, lookup.token, ref.begin, ref.end});
    }
  }
}

void ItemTerms::add_site_filters(const RuleSet::TermMap& words, const std::string& link) {
  std::size_t host_begin = 0;
  std::size_t host_end = 0;
  if (const auto parsed = url::Url::parse(link, url::Syntax::lenient); parsed && parsed->is_absolute()) {
    host_begin = parsed->host_span().begin;
    host_end = parsed->host_span().end;
    // The root label's dot ("example.org.") is no part of the domain a rule names.
    while (host_end > host_begin && link[host_end - 1] == '.') {
      --host_end;
    }
  }
  const std::string host = text::lower_ascii(std::string_view(link).substr(host_begin, host_end - host_begin));
  for (std::size_t dot = 0; dot != std::string::npos && dot < host.size();) {
    add_filter(words, QueryNodeKind::site, std::string_view(host).substr(dot), host_begin + dot, host_end);
    dot = host.find('.', dot);
    dot = dot == std::string::npos ? dot : dot + 1;
  }
}

void ItemTerms::add_filter(const RuleSet::TermMap& words, QueryNodeKind kind, std::string_view value, std::size_t begin,
                           std::size_t end) {
  if (const std::uint32_t id = words.find(filter_key(kind, value)); id != TermDictionary::npos) {
    occurrences_.push_back(Occurrence{id, static_cast<std::uint32_t>(segments_.size() - 1), 0,
                                      static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  }
}

void ItemTerms::group_by_term() {
  // Occurrences were appended in (segment, position) order. A counting sort by term through a
  // small open-addressing table keeps that order within each term, and find() probes the table.
  for (const std::uint32_t slot : used_slots_) {
    groups_[slot] = TermGroup{};
  }
  used_slots_.clear();
  const std::size_t size = std::bit_ceil(occurrences_.size() * 2 + 2);
  if (size > groups_.size()) {
    groups_.assign(size, TermGroup{});
  }
  group_mask_ = size - 1;
  for (const Occurrence& occurrence : occurrences_) {
    const std::size_t slot = slot_of(occurrence.term);
    TermGroup& group = groups_[slot];
    if (group.term == no_term) {
      group.term = occurrence.term;
      terms_.push_back(occurrence.term);
      used_slots_.push_back(static_cast<std::uint32_t>(slot));
    }
    ++group.count;
  }
  std::uint32_t next = 0;
  for (const std::uint32_t term : terms_) {
    TermGroup& group = groups_[slot_of(term)];
    group.begin = next;
    next += group.count;
    group.count = 0;  // counts again while filling
  }
  grouped_.resize(occurrences_.size());
  for (const Occurrence& occurrence : occurrences_) {
    TermGroup& group = groups_[slot_of(occurrence.term)];
    grouped_[group.begin + group.count++] = occurrence;
  }
  occurrences_.swap(grouped_);
}

const NormalizedSegment& ItemTerms::normalized(std::uint32_t segment) {
  std::optional<NormalizedSegment>& slot = normalized_[segment];
  if (!slot) {
    NormalizedSegment result;
    text::for_each_normalized(segments_[segment].text,
                              [&result](char32_t code_point, std::uint32_t begin, std::uint32_t end) {
                                text::append_utf8(result.text, code_point);
                                result.origin_begin.resize(result.text.size(), begin);
                                result.origin_end.resize(result.text.size(), end);
                              });
    slot = std::move(result);
  }
  return *slot;
}

}  // namespace newswatch::rules
