#include "newswatch/dedup/story_fingerprint.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "newswatch/dedup/dateline.hpp"
#include "newswatch/dedup/stable_hash.hpp"
#include "newswatch/text/utf8.hpp"
#include "story_text.hpp"

namespace newswatch::dedup {
namespace {

// Seeds of the hash functions; any fixed distinct values do, but they are part of the stored
// format (see stable_hash.hpp).
constexpr std::uint64_t token_seed = 0x5D1C0FFEE1DEA5EDULL;
constexpr std::uint64_t number_seed = 0x6E756D6265727321ULL;
constexpr std::uint64_t outlet_seed = 0x6F75746C65742121ULL;
constexpr std::uint64_t title_seed = 0x7469746C65212121ULL;
constexpr std::uint64_t exact_seeds[2] = {0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL};
constexpr std::uint64_t anchor_step = 0x9E3779B97F4A7C15ULL;
constexpr std::uint8_t encoding_version = 1;

// A digit of the scripts whose digits NFKC leaves alone: ASCII (NFKC maps full-width ones there),
// Arabic-Indic, Extended Arabic-Indic (Persian, Urdu) and Devanagari.
bool has_digit(std::string_view token) noexcept {
  for (std::size_t offset = 0; offset < token.size();) {
    const auto byte = static_cast<unsigned char>(token[offset]);
    if (byte < 0x80) {
      if (byte >= '0' && byte <= '9') {
        return true;
      }
      ++offset;
      continue;
    }
    const text::DecodedCodePoint decoded = text::decode_utf8(token, offset);
    const char32_t c = decoded.code_point;
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9) || (c >= 0x0966 && c <= 0x096F)) {
      return true;
    }
    offset += decoded.length;
  }
  return false;
}

std::uint32_t number_bit(std::string_view token) noexcept {
  return std::uint32_t{1} << (stable_hash(token, number_seed) >> 59U);
}

// The tokens of `lead` after its dateline, at most lead_tokens of them.
struct LeadWindow {
  std::size_t first = 0;
  std::size_t count = 0;
};

LeadWindow lead_window(const StoryText& story) {
  const std::size_t dateline = dateline_length(story.lead_source);
  const auto& tokens = story.lead.tokens;
  const auto first = static_cast<std::size_t>(
      std::find_if(tokens.begin(), tokens.end(),
                   [dateline](const text::TokenRef& token) { return token.begin >= dateline; }) -
      tokens.begin());
  return LeadWindow{first, std::min(lead_tokens, tokens.size() - first)};
}

StoryFingerprint exact_fingerprint(const StoryText& story, LeadWindow window) {
  StoryFingerprint fingerprint;
  if (story.title.tokens.empty() && window.count == 0) {
    return fingerprint;
  }
  // Tokens joined by one space, fields by a newline: what is compared is the normalised words.
  std::string joined;
  for (std::size_t i = 0; i < story.title.tokens.size(); ++i) {
    joined.append(story.title.token_text(i)).push_back(' ');
  }
  joined.push_back('\n');
  for (std::size_t i = window.first; i < window.first + window.count; ++i) {
    joined.append(story.lead.token_text(i)).push_back(' ');
  }
  fingerprint.kind = FingerprintKind::exact;
  fingerprint.shingles = {stable_hash(joined, exact_seeds[0]), stable_hash(joined, exact_seeds[1])};
  for (std::size_t j = 0; j < anchor_count; ++j) {
    fingerprint.anchors[j] = static_cast<std::uint32_t>(mix64(fingerprint.shingles[0] + anchor_step * (j + 1)) >> 32U);
  }
  return fingerprint;
}

// Estimated number of distinct word pairs behind `bits` set bits of the 128: the expected number of
// occupied bins after n throws is m(1 - e^(-n/m)), inverted (linear counting, Whang et al. 1990).
double distinct_pairs(int bits) noexcept {
  static constexpr double width = 128;
  const double occupied = std::min(static_cast<double>(bits), width - 0.5);
  return -width * std::log1p(-occupied / width);
}

// 16 bits of a hash, never 0 (0 stands for "unknown").
std::uint16_t nonzero_16(std::uint64_t hash) noexcept {
  const auto value = static_cast<std::uint16_t>(hash >> 48U);
  return value == 0 ? 1 : value;
}

std::uint16_t title_hash(const text::TokenList& title) {
  std::string joined;
  for (std::size_t i = 0; i < title.tokens.size(); ++i) {
    joined.append(title.token_text(i)).push_back(' ');
  }
  return nonzero_16(stable_hash(joined, title_seed));
}

StoryFingerprint near_fingerprint(const StoryText& story, LeadWindow window) {
  StoryFingerprint fingerprint;
  fingerprint.kind = FingerprintKind::near;
  fingerprint.anchors.fill(std::numeric_limits<std::uint32_t>::max());
  std::uint64_t previous = stable_hash(story.lead.token_text(window.first), token_seed);
  for (std::size_t i = window.first + 1; i < window.first + window.count; ++i) {
    const std::uint64_t current = stable_hash(story.lead.token_text(i), token_seed);
    const std::uint64_t pair = combine_hashes(previous, current);
    previous = current;
    fingerprint.shingles[pair >> 63U] |= std::uint64_t{1} << ((pair >> 57U) & 63U);
    for (std::size_t j = 0; j < anchor_count; ++j) {
      const auto anchor = static_cast<std::uint32_t>(mix64(pair + anchor_step * (j + 1)) >> 32U);
      fingerprint.anchors[j] = std::min(fingerprint.anchors[j], anchor);
    }
  }
  for (std::size_t i = window.first; i < window.first + window.count; ++i) {
    const std::string_view token = story.lead.token_text(i);
    if (has_digit(token)) {
      fingerprint.numbers |= number_bit(token);
    }
  }
  for (std::size_t i = 0; i < story.title.tokens.size(); ++i) {
    const std::string_view token = story.title.token_text(i);
    if (has_digit(token)) {
      fingerprint.numbers |= number_bit(token);
    }
  }
  return fingerprint;
}

}  // namespace

StoryFingerprint fingerprint_story_text(const StoryText& story) {
  const LeadWindow window = lead_window(story);
  StoryFingerprint fingerprint =
      window.count < min_lead_tokens ? exact_fingerprint(story, window) : near_fingerprint(story, window);
  if (fingerprint.kind != FingerprintKind::none) {
    fingerprint.outlet = outlet_of(story.link);
    fingerprint.title = title_hash(story.title);
  }
  return fingerprint;
}

std::uint16_t outlet_of(std::string_view url) noexcept {
  // scheme://[userinfo@]host[:port][/path][?query][#fragment] (RFC 3986 §3).
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return 0;
  }
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  if (!host.starts_with('[')) {
    host = host.substr(0, host.find(':'));
  }
  char lowered[256];
  std::size_t length = 0;
  for (const char c : host) {
    if (length == sizeof lowered) {
      break;
    }
    lowered[length++] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view name(lowered, length);
  if (name.starts_with("www.")) {
    name.remove_prefix(4);
  }
  return name.empty() ? 0 : nonzero_16(stable_hash(name, outlet_seed));
}

StoryFingerprint fingerprint_story(const Item& item) {
  text::TokenList title;
  text::TokenList lead;
  text::tokenize_into(item.title, title);
  text::tokenize_into(item.summary, lead);
  std::string_view source = item.summary;
  if (!lead_is_summary(lead)) {
    text::tokenize_into(item.content, lead);
    source = item.content;
  }
  return fingerprint_story_text(StoryText{title, source, lead, item.link});
}

double story_similarity(const StoryFingerprint& first, const StoryFingerprint& second) noexcept {
  if (first.kind != second.kind || first.kind == FingerprintKind::none) {
    return 0;
  }
  if (first.kind == FingerprintKind::exact) {
    return first.shingles == second.shingles ? 1 : 0;
  }
  const auto count = [](const std::array<std::uint64_t, 2>& bits) {
    return std::popcount(bits[0]) + std::popcount(bits[1]);
  };
  const std::array<std::uint64_t, 2> either{first.shingles[0] | second.shingles[0],
                                            first.shingles[1] | second.shingles[1]};
  const double union_size = distinct_pairs(count(either));
  if (union_size <= 0) {
    return 0;
  }
  const double shared = distinct_pairs(count(first.shingles)) + distinct_pairs(count(second.shingles)) - union_size;
  return std::clamp(shared / union_size, 0.0, 1.0);
}

bool same_story(const StoryFingerprint& first, const StoryFingerprint& second) noexcept {
  if (first.outlet != 0 && first.outlet == second.outlet && first.title != second.title) {
    return false;
  }
  if (first.kind == FingerprintKind::near && second.kind == FingerprintKind::near &&
      std::popcount(first.numbers & ~second.numbers) >= conflicting_numbers &&
      std::popcount(second.numbers & ~first.numbers) >= conflicting_numbers) {
    return false;
  }
  return story_similarity(first, second) >= same_story_similarity;
}

namespace {

template <typename Integer>
void put_little_endian(std::string& out, Integer value) {
  for (std::size_t i = 0; i < sizeof(Integer); ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
  }
}

template <typename Integer>
Integer get_little_endian(std::string_view bytes, std::size_t& offset) {
  Integer value = 0;
  for (std::size_t i = 0; i < sizeof(Integer); ++i) {
    value |= static_cast<Integer>(static_cast<Integer>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i));
  }
  offset += sizeof(Integer);
  return value;
}

}  // namespace

std::string encode_fingerprint(const StoryFingerprint& fingerprint) {
  std::string out;
  out.reserve(encoded_fingerprint_size);
  out.push_back(static_cast<char>(encoding_version));
  out.push_back(static_cast<char>(fingerprint.kind));
  put_little_endian(out, fingerprint.outlet);
  put_little_endian(out, fingerprint.title);
  put_little_endian(out, fingerprint.numbers);
  for (const std::uint64_t word : fingerprint.shingles) {
    put_little_endian(out, word);
  }
  for (const std::uint32_t anchor : fingerprint.anchors) {
    put_little_endian(out, anchor);
  }
  return out;
}

std::optional<StoryFingerprint> decode_fingerprint(std::string_view bytes) {
  if (bytes.size() != encoded_fingerprint_size || static_cast<std::uint8_t>(bytes[0]) != encoding_version) {
    return std::nullopt;
  }
  const auto kind = static_cast<std::uint8_t>(bytes[1]);
  if (kind > static_cast<std::uint8_t>(FingerprintKind::near)) {
    return std::nullopt;
  }
  StoryFingerprint fingerprint;
  fingerprint.kind = static_cast<FingerprintKind>(kind);
  std::size_t offset = 2;
  fingerprint.outlet = get_little_endian<std::uint16_t>(bytes, offset);
  fingerprint.title = get_little_endian<std::uint16_t>(bytes, offset);
  fingerprint.numbers = get_little_endian<std::uint32_t>(bytes, offset);
  for (std::uint64_t& word : fingerprint.shingles) {
    word = get_little_endian<std::uint64_t>(bytes, offset);
  }
  for (std::uint32_t& anchor : fingerprint.anchors) {
    anchor = get_little_endian<std::uint32_t>(bytes, offset);
  }
  return fingerprint;
}

}  // namespace newswatch::dedup
