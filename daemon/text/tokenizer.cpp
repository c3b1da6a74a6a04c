#include "newswatch/text/tokenizer.hpp"

#include <utf8proc.h>

#include "newswatch/text/normalize.hpp"

namespace newswatch::text {
namespace {

bool is_ideograph(char32_t c) noexcept {
  return (c >= 0x2E80 && c <= 0x2FDF) ||    // CJK and Kangxi radicals
         c == 0x3005 || c == 0x3007 ||      // iteration mark, ideographic zero
         (c >= 0x3021 && c <= 0x3029) ||    // Hangzhou numerals
         (c >= 0x3038 && c <= 0x303B) ||    //
         (c >= 0x3040 && c <= 0x30FF) ||    // Hiragana, Katakana
         (c >= 0x31F0 && c <= 0x31FF) ||    // Katakana phonetic extensions
         (c >= 0x3400 && c <= 0x4DBF) ||    // CJK extension A
         (c >= 0x4E00 && c <= 0x9FFF) ||    // CJK unified ideographs
         (c >= 0xF900 && c <= 0xFAFF) ||    // CJK compatibility ideographs
         (c >= 0xFF66 && c <= 0xFF9F) ||    // halfwidth Katakana (NFKC widens it, kept for safety)
         (c >= 0x1B000 && c <= 0x1B16F) ||  // Kana supplement and extended
         (c >= 0x20000 && c <= 0x3FFFF);    // CJK extensions B and later
}

bool is_letter_or_digit(char32_t c) noexcept {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(c))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return true;
    default: return false;
  }
}

}  // namespace

CharClass classify(char32_t code_point) noexcept {
  if (code_point < 0x80) {
    const bool alnum = (code_point >= U'a' && code_point <= U'z') || (code_point >= U'0' && code_point <= U'9') ||
                       (code_point >= U'A' && code_point <= U'Z');
    return alnum ? CharClass::word : CharClass::separator;
  }
  if (is_ideograph(code_point)) {
    return CharClass::ideograph;
  }
  return is_letter_or_digit(code_point) ? CharClass::word : CharClass::separator;
}

void tokenize_into(std::string_view utf8, TokenList& out) {
  out.text.clear();
  out.tokens.clear();
  bool in_token = false;
  TokenRef current;
  const auto close = [&] {
    if (in_token) {
      current.text_end = static_cast<std::uint32_t>(out.text.size());
      out.tokens.push_back(current);
      in_token = false;
    }
  };
  for_each_normalized(utf8, [&](char32_t code_point, std::uint32_t begin, std::uint32_t end) {
    switch (classify(code_point)) {
      case CharClass::separator: close(); return;
      case CharClass::ideograph: close(); break;
      case CharClass::word:
        if (in_token) {
          current.end = end;
          append_utf8(out.text, code_point);
          return;
        }
        break;
    }
    current = TokenRef{static_cast<std::uint32_t>(out.text.size()), 0, begin, end};
    in_token = true;
    append_utf8(out.text, code_point);
    if (classify(code_point) == CharClass::ideograph) {
      close();
    }
  });
  close();
}

std::vector<Token> tokenize(std::string_view utf8) {
  TokenList list;
  tokenize_into(utf8, list);
  std::vector<Token> tokens;
  tokens.reserve(list.tokens.size());
  for (std::size_t i = 0; i < list.tokens.size(); ++i) {
    tokens.push_back(Token{std::string(list.token_text(i)), list.tokens[i].begin, list.tokens[i].end});
  }
  return tokens;
}

std::size_t count_code_points(std::string_view utf8) noexcept {
  std::size_t count = 0;
  for (const char byte : utf8) {
    if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

}  // namespace newswatch::text
