#include "newswatch/dedup/dateline.hpp"

#include <algorithm>
#include <array>

#include "newswatch/text/normalize.hpp"
#include "newswatch/text/tokenizer.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::dedup {
namespace {

// Datelines are short: the dash that ends one comes within this many words and bytes.
constexpr std::size_t max_dateline_words = 8;
constexpr std::size_t max_dateline_bytes = 120;

// text::decode_utf8 with ASCII, nearly every byte a dateline is looked for in, decoded in line.
text::DecodedCodePoint decode(std::string_view utf8, std::size_t offset) noexcept {
  const auto byte = static_cast<unsigned char>(utf8[offset]);
  if (byte < 0x80U) {
    return {byte, 1, true};
  }
  return text::decode_utf8(utf8, offset);
}

bool is_space(char32_t c) noexcept {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0xA0 || c == 0x3000 || c == 0x2009 || c == 0x202F;
}

bool is_dash(char32_t c) noexcept {
  return c == U'-' || c == 0x2013 || c == 0x2014 || c == 0x2015 || c == 0x2212;
}

// A code point is taken for a capital when case folding changes it (É folds to e as well, and is a
// capital most of the time it opens a dateline). Letters of scripts without case never change.
bool folds_to_other(char32_t code_point, std::string_view utf8, std::size_t offset) {
  if (code_point < 0x80) {
    return code_point >= U'A' && code_point <= U'Z';
  }
  text::NormalizedChars chars;
  text::normalize_next(utf8, offset, chars);
  return chars.count != 1 || chars.code_points[0] != code_point;
}

struct Word {
  std::string_view text;
  std::size_t end = 0;  ///< Offset just past the word in the lead.
};

// Whitespace-separated words from the start of `lead`, at most `limit` of them and only within the
// first max_dateline_bytes bytes (plus the word that straddles that mark).
struct Words {
  std::array<Word, max_dateline_words + 1> items{};
  std::size_t count = 0;
};

Words leading_words(std::string_view lead) {
  Words words;
  std::size_t offset = 0;
  while (offset < lead.size() && words.count < words.items.size() && offset <= max_dateline_bytes) {
    text::DecodedCodePoint decoded = decode(lead, offset);
    if (is_space(decoded.code_point)) {
      offset += decoded.length;
      continue;
    }
    const std::size_t begin = offset;
    while (offset < lead.size()) {
      decoded = decode(lead, offset);
      if (is_space(decoded.code_point)) {
        break;
      }
      offset += decoded.length;
    }
    words.items[words.count++] = Word{lead.substr(begin, offset - begin), offset};
  }
  return words;
}

// Skips the spaces after a dateline.
std::size_t skip_spaces(std::string_view lead, std::size_t offset) {
  while (offset < lead.size()) {
    const text::DecodedCodePoint decoded = decode(lead, offset);
    if (!is_space(decoded.code_point)) {
      break;
    }
    offset += decoded.length;
  }
  return offset;
}

bool is_dash_word(std::string_view word) {
  if (word == "--") {
    return true;
  }
  const text::DecodedCodePoint decoded = decode(word, 0);
  return decoded.length == word.size() && is_dash(decoded.code_point);
}

// "BEIRUT", "AP", "İSTANBUL": at least two letters, every one of them a capital.
bool is_capitals(std::string_view word) {
  std::size_t capitals = 0;
  for (std::size_t offset = 0; offset < word.size();) {
    const text::DecodedCodePoint decoded = decode(word, offset);
    if (text::classify(decoded.code_point) != text::CharClass::separator &&
        !(decoded.code_point >= U'0' && decoded.code_point <= U'9')) {
      if (!folds_to_other(decoded.code_point, word, offset)) {
        return false;
      }
      ++capitals;
    }
    offset += decoded.length;
  }
  return capitals >= 2;
}

bool starts_lowercase(std::string_view word) {
  const char first = word.empty() ? '\0' : word.front();
  return first >= 'a' && first <= 'z';
}

// "PLACE (Agency) - ", "PLACE, Region (Agency) — ", "Place - ".
std::size_t dash_dateline(std::string_view lead, const Words& words) {
  for (std::size_t i = 1; i < words.count; ++i) {
    if (!is_dash_word(words.items[i].text)) {
      continue;
    }
    bool capitals = false;
    bool parenthesised = false;
    for (std::size_t j = 0; j < i; ++j) {
      const std::string_view word = words.items[j].text;
      capitals = capitals || is_capitals(word);
      parenthesised =
          parenthesised || word.find('(') != std::string_view::npos || word.find(')') != std::string_view::npos;
    }
    const bool short_place = i <= 2 && !starts_lowercase(words.items[0].text);
    if (capitals || parenthesised || short_place) {
      return skip_spaces(lead, words.items[i].end);
    }
    return 0;
  }
  return 0;
}

// "МОСКВА, 15 декабря. /ТАСС/. "
std::size_t slash_agency_dateline(std::string_view lead, const Words& words) {
  for (std::size_t i = 0; i < words.count; ++i) {
    std::string_view word = words.items[i].text;
    if (word.ends_with('.')) {
      word.remove_suffix(1);
    }
    if (word.size() >= 3 && word.front() == '/' && word.back() == '/' &&
        word.substr(1, word.size() - 2).find('/') == std::string_view::npos) {
      return skip_spaces(lead, words.items[i].end);
    }
  }
  return 0;
}

// "新华社北京1月24日电 ": up to four ideographs ending in 社 (agency), then 电 (dispatch) soon after.
std::size_t agency_dispatch_dateline(std::string_view lead) {
  static constexpr char32_t agency = 0x793E;    // 社
  static constexpr char32_t dispatch = 0x7535;  // 电
  static constexpr std::size_t max_agency = 4;
  static constexpr std::size_t max_dispatch = 24;
  std::size_t offset = 0;
  bool agency_seen = false;
  for (std::size_t count = 0; offset < lead.size() && count < max_agency + max_dispatch; ++count) {
    const text::DecodedCodePoint decoded = decode(lead, offset);
    offset += decoded.length;
    if (!agency_seen) {
      if (decoded.code_point == agency) {
        agency_seen = true;
      } else if (count >= max_agency || text::classify(decoded.code_point) != text::CharClass::ideograph) {
        return 0;
      }
    } else if (decoded.code_point == dispatch) {
      return skip_spaces(lead, offset);
    }
  }
  return 0;
}

// "【東京】", "[Tokyo] "
std::size_t bracket_dateline(std::string_view lead) {
  static constexpr std::size_t max_inside = 24;
  const text::DecodedCodePoint first = decode(lead, 0);
  char32_t close = 0;
  if (first.code_point == U'[') {
    close = U']';
  } else if (first.code_point == 0x3010) {  // 【
    close = 0x3011;                         // 】
  } else {
    return 0;
  }
  std::size_t offset = first.length;
  for (std::size_t count = 0; offset < lead.size() && count <= max_inside; ++count) {
    const text::DecodedCodePoint decoded = decode(lead, offset);
    offset += decoded.length;
    if (decoded.code_point == close) {
      return count == 0 ? 0 : skip_spaces(lead, offset);
    }
  }
  return 0;
}

// "서울=연합뉴스 ": the first word is place=agency.
std::size_t place_equals_agency_dateline(std::string_view lead, const Words& words) {
  static constexpr std::size_t max_word = 40;
  if (words.count < 2) {
    return 0;
  }
  const std::string_view word = words.items[0].text;
  const std::size_t equals = word.find('=');
  if (word.size() > max_word || equals == std::string_view::npos || equals == 0 || equals + 1 == word.size()) {
    return 0;
  }
  return skip_spaces(lead, words.items[0].end);
}

// Every dateline form above has one of these bytes in its first max_dateline_bytes: '-', '/', '=',
// '[', or the lead byte of a dash, of 【 or of 电 (E2, E3, E7 in UTF-8). Most leads have none.
bool may_have_dateline(std::string_view text) noexcept {
  static constexpr std::array<bool, 256> marks = [] {
    std::array<bool, 256> table{};
    for (const unsigned char byte : {'-', '/', '=', '[', '\xE2', '\xE3', '\xE7'}) {
      table[byte] = true;
    }
    return table;
  }();
  const std::string_view head = text.substr(0, max_dateline_bytes + 16);
  return std::any_of(head.begin(), head.end(), [](char byte) { return marks[static_cast<unsigned char>(byte)]; });
}

}  // namespace

std::size_t dateline_length(std::string_view lead) {
  const std::size_t start = skip_spaces(lead, 0);
  const std::string_view text = lead.substr(start);
  if (text.empty() || !may_have_dateline(text)) {
    return 0;
  }
  std::size_t length = bracket_dateline(text);
  if (length == 0) {
    length = agency_dispatch_dateline(text);
  }
  if (length == 0) {
    const Words words = leading_words(text);
    length = place_equals_agency_dateline(text, words);
    if (length == 0) {
      length = slash_agency_dateline(text, words);
    }
    if (length == 0) {
      length = dash_dateline(text, words);
    }
  }
  // A "dateline" that is the whole lead is not one.
  return length == 0 || length >= text.size() ? 0 : start + length;
}

}  // namespace newswatch::dedup
