#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace newswatch::text {

/// A normalised token; [begin, end) are byte offsets in the original input.
struct Token {
  std::string text;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  friend bool operator==(const Token&, const Token&) = default;
};

/// Normalises (see normalize()) and splits into tokens: runs of letters and digits; every other
/// character separates ("Assad's" -> assad, s). Han, Hiragana and Katakana characters are one token
/// each, so phrases work on text written without spaces.
std::vector<Token> tokenize(std::string_view utf8);

/// A token inside a TokenList: [text_begin, text_end) in TokenList::text, [begin, end) in the input.
struct TokenRef {
  std::uint32_t text_begin = 0;
  std::uint32_t text_end = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

/// The tokens of one text sharing one buffer: no allocation per token on hot paths.
struct TokenList {
  std::string text;
  std::vector<TokenRef> tokens;

  /// The normalised text of token `index`.
  [[nodiscard]] std::string_view token_text(std::size_t index) const {
    const TokenRef& token = tokens[index];
    return std::string_view(text).substr(token.text_begin, token.text_end - token.text_begin);
  }
};

/// Tokenizes like tokenize() into `out`, replacing what it held (its capacity is reused).
void tokenize_into(std::string_view utf8, TokenList& out);

/// An item's title, summary and content, each tokenised by tokenize_into(): made once per item and
/// read by every stage that needs their words (identity, rules).
struct FieldTokens {
  TokenList title;
  TokenList summary;
  TokenList content;
};

/// Tokenizes the three fields into `out` (its capacity is reused).
void tokenize_fields(std::string_view title, std::string_view summary, std::string_view content, FieldTokens& out);

/// How the tokenizer treats a normalised code point.
enum class CharClass : std::uint8_t {
  separator,  ///< Ends a token.
  word,       ///< Letter or digit: extends the current token.
  ideograph,  ///< Han, Hiragana, Katakana: a token of its own.
};

/// Classifies a normalised code point.
CharClass classify(char32_t code_point) noexcept;

/// Number of code points in a valid UTF-8 string.
std::size_t count_code_points(std::string_view utf8) noexcept;

}  // namespace newswatch::text
