#include "newswatch/text/tokenizer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "newswatch/text/normalize.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::text {
namespace {

std::vector<std::string> texts(std::string_view input) {
  std::vector<std::string> out;
  for (const Token& token : tokenize(input)) {
    out.push_back(token.text);
  }
  return out;
}

struct TokenizeCase {
  const char* name;
  std::string input;
  std::vector<std::string> expected;
};

class TokenizeTable : public ::testing::TestWithParam<TokenizeCase> {};

TEST_P(TokenizeTable, Splits) {
  EXPECT_EQ(texts(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TokenizeTable,
    ::testing::Values(TokenizeCase{"SeedTitle",
                                   "Little hope for Syrian regime to join anti-ISIS coalition",
                                   {"little", "hope", "for", "syrian", "regime", "to", "join", "anti", "isis",
                                    "coalition"}},
                      TokenizeCase{"ApostropheSeparates", "Assad's forces", {"assad", "s", "forces"}},
                      TokenizeCase{"CurlyApostropheSeparates", "Assad\xE2\x80\x99s", {"assad", "s"}},
                      TokenizeCase{"DotsAndDigits", "U.S. spent $2,000.50", {"u", "s", "spent", "2", "000", "50"}},
                      TokenizeCase{"OnlySeparators", " -- !!! ", {}},
                      TokenizeCase{"TurkishForms", "İstanbul ISTANBUL istanbul", {"istanbul", "istanbul", "istanbul"}},
                      TokenizeCase{"JapaneseOneTokenPerCharacter", "東京タワー", {"東", "京", "タ", "ワ", "ー"}},
                      TokenizeCase{"ChineseBetweenLatin", "在Paris开会", {"在", "paris", "开", "会"}},
                      TokenizeCase{"HangulWordsStayWhole", "서울 시장", {"서울", "시장"}},
                      TokenizeCase{"ArabicWords", "الرئيس بشار الأسد", {"الرييس", "بشار", "الاسد"}},
                      TokenizeCase{"TatweelDoesNotSplit", "كـتاب", {"كتاب"}},
                      TokenizeCase{"SoftHyphenDoesNotSplit", "news\xC2\xADpaper", {"newspaper"}}),
    [](const ::testing::TestParamInfo<TokenizeCase>& param_info) { return std::string(param_info.param.name); });

TEST(Tokenize, OffsetsPointIntoTheOriginal) {
  const std::string input = "Élysée: İstanbul's";
  const std::vector<Token> tokens = tokenize(input);
  ASSERT_EQ(tokens.size(), 3U);
  EXPECT_EQ(tokens[0], (Token{"elysee", 0, 8}));
  EXPECT_EQ(input.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "İstanbul");
  EXPECT_EQ(tokens[1].text, "istanbul");
  EXPECT_EQ(input.substr(tokens[2].begin, tokens[2].end - tokens[2].begin), "s");
}

TEST(Tokenize, IdeographOffsetsCoverOneCharacter) {
  const std::vector<Token> tokens = tokenize("東京");
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_EQ(tokens[0], (Token{"東", 0, 3}));
  EXPECT_EQ(tokens[1], (Token{"京", 3, 6}));
}

TEST(TokenizeInto, ReusesTheListAndAgreesWithTokenize) {
  TokenList list;
  tokenize_into("first text here", list);
  tokenize_into("Zweite Straße", list);
  ASSERT_EQ(list.tokens.size(), 2U);
  EXPECT_EQ(list.token_text(0), "zweite");
  EXPECT_EQ(list.token_text(1), "strasse");
  EXPECT_EQ(list.tokens[1].begin, 7U);
  EXPECT_EQ(list.tokens[1].end, 14U);
}

// The tokenizer's definition, one normalised code point at a time, without its eight- and
// sixteen-byte ASCII fast paths: the reference the fast paths must agree with.
std::vector<Token> reference_tokens(std::string_view input) {
  std::vector<Token> out;
  bool in_token = false;
  Token current;
  for_each_normalized(input, [&](char32_t code_point, std::uint32_t begin, std::uint32_t end) {
    const CharClass kind = classify(code_point);
    if (in_token && kind != CharClass::word) {
      out.push_back(current);
      in_token = false;
    }
    if (kind == CharClass::separator) {
      return;
    }
    if (!in_token) {
      current = Token{"", begin, end};
      in_token = true;
    }
    append_utf8(current.text, code_point);
    current.end = end;
    if (kind == CharClass::ideograph) {
      out.push_back(current);
      in_token = false;
    }
  });
  if (in_token) {
    out.push_back(current);
  }
  return out;
}

// The tokens of `list` as tokenize() gives them.
std::vector<Token> tokens_of(const TokenList& list) {
  std::vector<Token> tokens;
  for (std::size_t i = 0; i < list.tokens.size(); ++i) {
    tokens.push_back(Token{std::string(list.token_text(i)), list.tokens[i].begin, list.tokens[i].end});
  }
  return tokens;
}

TEST(TokenizeInto, FastPathAgreesWithPerCodePointReference) {
  // Pieces that put token boundaries, case folding and non-ASCII at every offset of the eight- and
  // sixteen-byte chunks: upper and lower case, digits, punctuation, accents, Turkish İ, ß, a
  // ligature, CJK, Arabic, a soft hyphen (dropped inside a word) and an invalid byte.
  const std::vector<std::string> pieces = {"a",  "Z",  "q",  "7", " ",      ",",    "-",     "'",
                                           "\n", "@",  "[",  "`", "{",      "é",    "İ",     "ß",
                                           "ﬁ",  "東", "京", "ش", "\u00AD", "\xFF", "Hello", "world"};
  std::mt19937 random(20261129);
  TokenList list;
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    const std::size_t count = std::uniform_int_distribution<std::size_t>(0, 80)(random);
    for (std::size_t i = 0; i < count; ++i) {
      input += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(random)];
    }
    tokenize_into(input, list);
    ASSERT_EQ(tokens_of(list), reference_tokens(input)) << "input: " << input;
  }
}

TEST(TokenizeInto, LongAsciiRunsAgreeWithPerCodePointReference) {
  // Mostly ASCII, so that runs of 64 bytes and more (the widest fast path) are common and end at
  // every offset, with now and then a character that sends the tokenizer down the slow path.
  const std::vector<std::string> pieces = {"a", "Bc", "def",  "GHIJ", "12", " ", "  ", ".",      ", ",
                                           "-", "\n", "News", "wire", "A1", "z", "é",  "\u00AD", "東"};
  std::mt19937 random(20261202);
  TokenList list;
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    const std::size_t count = std::uniform_int_distribution<std::size_t>(0, 300)(random);
    for (std::size_t i = 0; i < count; ++i) {
      // One piece in 40 is one of the last three (non-ASCII); the rest are ASCII.
      const bool rare = std::uniform_int_distribution<int>(0, 39)(random) == 0;
      const std::size_t index = rare ? pieces.size() - 1 - std::uniform_int_distribution<std::size_t>(0, 2)(random)
                                     : std::uniform_int_distribution<std::size_t>(0, pieces.size() - 4)(random);
      input += pieces[index];
    }
    tokenize_into(input, list);
    ASSERT_EQ(tokens_of(list), reference_tokens(input)) << "input: " << input;
  }
}

TEST(TokenizeInto, ExpansionsFollowedByAsciiStayInTheBuffer) {
  // U+FDFA expands to 18 code points (about eleven output bytes per input byte): after a run of them
  // the output is far ahead of the input, and the ASCII fast paths that follow must still find room
  // for every chunk they store (AddressSanitizer reports a store past the buffer).
  for (const std::size_t ligatures : {1U, 5U, 20U, 100U}) {
    std::string input;
    for (std::size_t i = 0; i < ligatures; ++i) {
      input += "\uFDFA";
    }
    for (int i = 0; i < 40; ++i) {
      input += "Plain ASCII words ";
    }
    TokenList list;
    tokenize_into(input, list);
    EXPECT_EQ(tokens_of(list), reference_tokens(input)) << ligatures << " ligatures";
  }
}

TEST(CountCodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(count_code_points(""), 0U);
  EXPECT_EQ(count_code_points("abc"), 3U);
  EXPECT_EQ(count_code_points("İst"), 3U);
  EXPECT_EQ(count_code_points("東京"), 2U);
}

/// Tokens by the definition: normalise code point by code point, separators split, every ideograph
/// stands alone.
std::vector<std::string> tokens_by_definition(std::string_view utf8) {
  std::vector<std::string> tokens;
  std::string current;
  const auto flush = [&tokens, &current] {
    if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  };
  for_each_normalized(utf8, [&](char32_t code_point, std::uint32_t, std::uint32_t) {
    const CharClass kind = classify(code_point);
    if (kind == CharClass::separator) {
      flush();
    } else if (kind == CharClass::ideograph) {
      flush();
      append_utf8(current, code_point);
      flush();
    } else {
      append_utf8(current, code_point);
    }
  });
  flush();
  return tokens;
}

TEST(Tokenizer, EveryCodePointOfTheLookupRangeTokenisesAsDefined) {
  // Below U+3000 the tokeniser looks characters up in a table built once; CJK ideographs and Hangul
  // syllables it takes as they are; anything else it decomposes. Each way must give what the
  // definition gives, in every position: the whole table, the whole of the blocks taken as they
  // are, their neighbours, and a few decomposed ones.
  std::vector<char32_t> code_points;
  const auto add_range = [&code_points](char32_t first, char32_t last) {
    for (char32_t code_point = first; code_point <= last; ++code_point) {
      code_points.push_back(code_point);
    }
  };
  add_range(0x80, 0x30FF);
  add_range(0x33F0, 0xA00F);
  add_range(0xABF0, 0xD7AF);
  for (const char32_t code_point : {0xF900U, 0xFB01U, 0xFDFAU, 0xFF21U, 0x1D400U, 0x1F600U, 0x20000U}) {
    code_points.push_back(code_point);
  }
  std::size_t mismatches = 0;
  for (const char32_t code_point : code_points) {
    if (code_point >= 0xD800 && code_point <= 0xDFFF) {
      continue;
    }
    std::string text = "Ab";
    append_utf8(text, code_point);
    text += "cD ";
    append_utf8(text, code_point);
    text += " 9";
    std::vector<std::string> got;
    for (const Token& token : tokenize(text)) {
      got.push_back(token.text);
    }
    if (got != tokens_by_definition(text) && ++mismatches <= 5) {
      ADD_FAILURE() << "U+" << std::hex << static_cast<std::uint32_t>(code_point) << " in \"" << text << "\"";
    }
  }
  EXPECT_EQ(mismatches, 0U);
}

}  // namespace
}  // namespace newswatch::text
