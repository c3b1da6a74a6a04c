#include "newswatch/dedup/story_fingerprint.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
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
// The MinHash functions: multiply-shift (Dietzfelbinger et al. 1997) of the pair's hash by odd
// constants. Pair hashes are already uniform, and 2-independent functions serve MinHash in
// practice (Thorup, "Bottom-k and priority sampling, set similarity and subset sums with minimal
// independence", 2013).
constexpr std::array<std::uint64_t, anchor_count> anchor_multipliers = {0xD6E8FEB86659FD93ULL, 0xA0761D6478BD642FULL,
                                                                        0xE7037ED1A0B428DBULL, 0x8EBC6AF09C88C6E3ULL,
                                                                        0x589965CC75374CC3ULL, 0x1D8E4E27C47D124FULL};
constexpr std::uint8_t encoding_version = 1;

constexpr std::uint64_t every_byte(std::uint8_t byte) noexcept {
  return 0x0101010101010101ULL * byte;
}

// Set bits of a word. std::popcount becomes a library call on baseline x86-64 (no POPCNT), and
// every candidate a lookup checks needs six: bits summed in pairs, nibbles, then bytes.
constexpr int count_bits(std::uint64_t word) noexcept {
  word -= (word >> 1U) & every_byte(0x55);
  word = (word & every_byte(0x33)) + ((word >> 2U) & every_byte(0x33));
  word = (word + (word >> 4U)) & every_byte(0x0F);
  return static_cast<int>((word * every_byte(0x01)) >> 56U);
}
static_assert(count_bits(0) == 0 && count_bits(~std::uint64_t{0}) == 64 && count_bits(0x8000000000000101ULL) == 3);

// 0x80 in each byte of `word` that is an ASCII digit, 0 elsewhere. Adding to the low seven bits
// sets a byte's high bit iff it is >= '0' (respectively > '9'), and never carries into the next.
constexpr std::uint64_t ascii_digits(std::uint64_t word) noexcept {
  const std::uint64_t low = word & every_byte(0x7F);
  const std::uint64_t at_least_zero = low + every_byte(0x80 - '0');
  const std::uint64_t above_nine = low + every_byte(0x7F - '9');
  return at_least_zero & ~above_nine & ~word & every_byte(0x80);
}

// A digit of the scripts whose digits NFKC leaves alone: ASCII (NFKC maps full-width ones there),
// Arabic-Indic, Extended Arabic-Indic (Persian, Urdu) and Devanagari. ASCII eight bytes at a time:
// this runs for every token of every lead.
bool has_digit(std::string_view token) noexcept {
  // Loads that may overlap (never past the token): which bytes are read twice does not matter.
  const char* bytes = token.data();
  const std::size_t size = token.size();
  const auto load = [bytes](std::size_t offset, std::size_t width) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes + offset, width);
    return word;
  };
  std::uint64_t words_or = 0;
  std::uint64_t digits = 0;
  const auto add = [&](std::uint64_t word) {
    words_or |= word;
    digits |= ascii_digits(word);
  };
  if (size >= 8) {
    for (std::size_t offset = 0; offset + 8 <= size; offset += 8) {
      add(load(offset, 8));
    }
    add(load(size - 8, 8));
  } else if (size >= 4) {
    add(load(0, 4) | load(size - 4, 4) << 32U);
  } else if (size > 0) {
    add(load(0, 1) | load(size / 2, 1) << 8U | load(size - 1, 1) << 16U);
  }
  if (digits != 0) {
    return true;
  }
  if ((words_or & every_byte(0x80)) == 0) {
    return false;
  }
  for (std::size_t offset = 0; offset < size;) {
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
// Looked up, as every candidate a lookup checks needs three.
double distinct_pairs(int bits) noexcept {
  static constexpr int width = 128;
  static const std::array<double, width + 1> table = [] {
    std::array<double, width + 1> values{};
    for (int occupied = 0; occupied <= width; ++occupied) {
      const double capped = std::min(static_cast<double>(occupied), width - 0.5);
      values[static_cast<std::size_t>(occupied)] = -width * std::log1p(-capped / width);
    }
    return values;
  }();
  return table[static_cast<std::size_t>(std::clamp(bits, 0, width))];
}

// 16 bits of a hash, never 0 (0 stands for "unknown").
std::uint16_t nonzero_16(std::uint64_t hash) noexcept {
  const auto value = static_cast<std::uint16_t>(hash >> 48U);
  return value == 0 ? 1 : value;
}

std::uint16_t title_hash(const text::TokenList& title) noexcept {
  std::uint64_t hash = title_seed;
  for (std::size_t i = 0; i < title.tokens.size(); ++i) {
    hash = combine_hashes(hash, stable_hash(title.token_text(i), title_seed));
  }
  return nonzero_16(hash);
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
      const auto anchor = static_cast<std::uint32_t>((pair * anchor_multipliers[j]) >> 32U);
      fingerprint.anchors[j] = std::min(fingerprint.anchors[j], anchor);
    }
  }
  for (std::size_t i = window.first; i < window.first + window.count; ++i) {
    const std::string_view token = story.lead.token_text(i);
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

namespace {

// story_similarity() and story_match() with `Count` counting a word's set bits. Every candidate a
// lookup checks takes eight counts, so where the CPU has an instruction for it (POPCNT; not part of
// baseline x86-64, so chosen at run time) the lookups use it.
template <int (*Count)(std::uint64_t)>
[[gnu::always_inline]] inline double similarity_with(const StoryFingerprint& first,
                                                     const StoryFingerprint& second) noexcept {
  if (first.kind != second.kind || first.kind == FingerprintKind::none) {
    return 0;
  }
  if (first.kind == FingerprintKind::exact) {
    return first.shingles == second.shingles ? 1 : 0;
  }
  const auto count = [](const std::array<std::uint64_t, 2>& bits) { return Count(bits[0]) + Count(bits[1]); };
  const std::array<std::uint64_t, 2> either{first.shingles[0] | second.shingles[0],
                                            first.shingles[1] | second.shingles[1]};
  const double union_size = distinct_pairs(count(either));
  if (union_size <= 0) {
    return 0;
  }
  const double shared = distinct_pairs(count(first.shingles)) + distinct_pairs(count(second.shingles)) - union_size;
  return std::clamp(shared / union_size, 0.0, 1.0);
}

template <int (*Count)(std::uint64_t)>
[[gnu::always_inline]] inline std::optional<double> match_with(const StoryFingerprint& first,
                                                               const StoryFingerprint& second, int shared) noexcept {
  if (first.outlet != 0 && first.outlet == second.outlet && first.title != second.title) {
    return std::nullopt;
  }
  if (first.kind == FingerprintKind::near && second.kind == FingerprintKind::near &&
      Count(first.numbers & ~second.numbers) >= conflicting_numbers &&
      Count(second.numbers & ~first.numbers) >= conflicting_numbers) {
    return std::nullopt;
  }
  const double similarity = similarity_with<Count>(first, second);
  if (similarity < same_story_similarity || (similarity < one_key_similarity && shared < 2)) {
    return std::nullopt;
  }
  return similarity;
}

std::optional<double> match_portably(const StoryFingerprint& first, const StoryFingerprint& second,
                                     int shared) noexcept {
  return match_with<count_bits>(first, second, shared);
}

using Matcher = std::optional<double> (*)(const StoryFingerprint&, const StoryFingerprint&, int) noexcept;

#if defined(__x86_64__)
// Inlined (through match_with) into match_popcnt, where the builtin becomes the instruction.
[[gnu::always_inline]] inline int count_bits_builtin(std::uint64_t word) noexcept {
  return __builtin_popcountll(word);
}

[[gnu::target("popcnt")]] std::optional<double> match_popcnt(const StoryFingerprint& first,
                                                             const StoryFingerprint& second, int shared) noexcept {
  return match_with<count_bits_builtin>(first, second, shared);
}

Matcher choose_matcher() noexcept {
  __builtin_cpu_init();  // May run before the constructors that would otherwise have done it.
  return __builtin_cpu_supports("popcnt") ? match_popcnt : match_portably;
}
#else
Matcher choose_matcher() noexcept {
  return match_portably;
}
#endif

const Matcher matcher = choose_matcher();

}  // namespace

double story_similarity(const StoryFingerprint& first, const StoryFingerprint& second) noexcept {
  return similarity_with<count_bits>(first, second);
}

int shared_anchors(const StoryFingerprint& first, const StoryFingerprint& second) noexcept {
  int shared = 0;
  for (std::size_t j = 0; j < anchor_count; ++j) {
    shared += first.anchors[j] == second.anchors[j] ? 1 : 0;
  }
  return shared;
}

std::optional<double> story_match(const StoryFingerprint& first, const StoryFingerprint& second, int shared) noexcept {
  return matcher(first, second, shared);
}

bool same_story(const StoryFingerprint& first, const StoryFingerprint& second) noexcept {
  return story_match(first, second, shared_anchors(first, second)).has_value();
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
