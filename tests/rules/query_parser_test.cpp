#include <gtest/gtest.h>

#include <string>

#include "newswatch/rules/query.hpp"

namespace newswatch::rules {
namespace {

struct ShapeCase {
  const char* name;
  std::string query;
  std::string canonical;
};

class QueryShape : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(QueryShape, ParsesWithPrecedenceAndScope) {
  const auto query = parse_query(GetParam().query);
  ASSERT_TRUE(query.has_value()) << query.error().message;
  EXPECT_EQ(query->to_string(), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QueryShape,
    ::testing::Values(
        ShapeCase{"Word", "Marvel", "marvel"}, ShapeCase{"Prefix", "Sanction*", "sanction*"},
        ShapeCase{"Phrase", "\"ISIS coalition\"", "\"isis coalition\""},
        ShapeCase{"HyphenatedWordIsAPhrase", "anti-ISIS", "\"anti isis\""},
        ShapeCase{"OneWordPhraseIsAWord", "\"Assad\"", "assad"}, ShapeCase{"ImplicitAnd", "a b c", "(a AND b AND c)"},
        ShapeCase{"ExplicitAnd", "a AND b", "(a AND b)"},
        ShapeCase{"AndBindsTighterThanOr", "a OR b c", "(a OR (b AND c))"},
        ShapeCase{"AndBindsTighterThanOrOnTheLeft", "a b OR c", "((a AND b) OR c)"},
        ShapeCase{"MixedAndOr", "a AND b OR c AND d", "((a AND b) OR (c AND d))"},
        ShapeCase{"NotBindsTighterThanAnd", "NOT a b", "(NOT a AND b)"},
        ShapeCase{"MinusIsNot", "b -a", "(b AND NOT a)"},
        ShapeCase{"DoubleNegationCancels", "b NOT NOT a", "(b AND a)"},
        ShapeCase{"NearBindsTighterThanAnd", "a NEAR/3 b c", "((a NEAR/3 b) AND c)"},
        ShapeCase{"NearBindsTighterThanOr", "c OR a NEAR/3 b", "(c OR (a NEAR/3 b))"},
        ShapeCase{"OrderedNear", "a ONEAR/2 b", "(a ONEAR/2 b)"},
        ShapeCase{"NearWithOrGroupAndPhrase", "(a OR bee*) NEAR/5 \"c d\"", "((a OR bee*) NEAR/5 \"c d\")"},
        ShapeCase{"Grouping", "(a OR b) c", "((a OR b) AND c)"},
        ShapeCase{"LowercaseOperatorsAreWords", "and or not near", "(and AND or AND not AND near)"},
        ShapeCase{"ScopeOnWord", "title:Assad", "title:assad"},
        ShapeCase{"ScopeOnPhrase", "summary:\"Syrian regime\"", "summary:\"syrian regime\""},
        ShapeCase{"ScopeOnGroup", "title:(a OR b) c", "((title:a OR title:b) AND c)"},
        ShapeCase{"InnerScopeWins", "title:(a content:b)", "(title:a AND content:b)"},
        ShapeCase{"ScopeOnRegex", "category:/x+y/", "category:/x+y/"},
        ShapeCase{"AuthorScope", "author:doe", "author:doe"},
        ShapeCase{"SiteLowercasedWithoutTrailingDot", "site:WWW.Example.COM.", "site:www.example.com"},
        ShapeCase{"FeedName", "feed:TRT-World", "feed:trt-world"},
        ShapeCase{"FeedTag", "feed:tag:World", "feed:tag:world"},
        ShapeCase{"QuotedFeedName", "feed:\"My Feed\"", "feed:my feed"},
        ShapeCase{"Language", "lang:EN-gb", "lang:en-gb"}, ShapeCase{"RegexWithEscapedSlash", "/a\\/b/", "/a/b/"},
        ShapeCase{"TurkishNormalised", "İSTANBUL", "istanbul"}, ShapeCase{"CjkWordIsAPhrase", "東京", "\"東 京\""},
        ShapeCase{"NegationBesideOr", "a OR (b -c)", "(a OR (b AND NOT c))"}),
    [](const ::testing::TestParamInfo<ShapeCase>& param_info) { return std::string(param_info.param.name); });

struct ErrorCase {
  const char* name;
  std::string query;
  std::size_t column;
  std::string message;  // prefix of the message
};

class QueryErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(QueryErrors, NamesColumnAndProblem) {
  const auto query = parse_query(GetParam().query);
  ASSERT_FALSE(query.has_value()) << query->to_string();
  EXPECT_EQ(query.error().column, GetParam().column) << query.error().message;
  EXPECT_EQ(query.error().message.substr(0, GetParam().message.size()), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QueryErrors,
    ::testing::Values(ErrorCase{"Empty", "   ", 1, "empty query"},
                      ErrorCase{"UnbalancedClose", "(ISIS coalition))", 17, "unbalanced \")\""},
                      ErrorCase{"UnbalancedOpen", "a (ISIS coalition", 3, "unbalanced \"(\""},
                      ErrorCase{"UnknownField", "isis titel:assad", 6, "unknown field `titel:`"},
                      ErrorCase{"UnknownFieldFarFromAny", "xyzzy:a", 1, "unknown field `xyzzy:`"},
                      ErrorCase{"NearWithoutNumber", "ISIS NEAR coalition", 6, "NEAR without a number"},
                      ErrorCase{"NearWithBadNumber", "ISIS NEAR/x coalition", 6, "NEAR without a number"},
                      ErrorCase{"OnearWithoutNumber", "a ONEAR b", 3, "ONEAR without a number"},
                      ErrorCase{"NearZero", "a NEAR/0 b", 3, "NEAR distance must be between 1 and 1000"},
                      ErrorCase{"NearTooFar", "a NEAR/1001 b", 3, "NEAR distance must be between 1 and 1000"},
                      ErrorCase{"EmptyPhrase", "a \" , \"", 3, "empty phrase"},
                      ErrorCase{"UnterminatedPhrase", "a \"abc", 3, "unterminated phrase"},
                      ErrorCase{"PrefixStemTooShort", "isis sa*", 6, "prefix stem too short"},
                      ErrorCase{"PrefixStemOfTwoAccentedLetters", "éé*", 1, "prefix stem too short"},
                      ErrorCase{"StarInsideWord", "ab*cd", 3, "`*` is only allowed at the end of a word"},
                      ErrorCase{"PrefixOfSeveralWords", "anti-isi*", 1, "prefix \"anti-isi*\" spans several words"},
                      ErrorCase{"BadRegex", "isis /a(/", 6, "bad regex: "},
                      ErrorCase{"UnterminatedRegex", "/abc", 1, "unterminated regex"},
                      ErrorCase{"EmptyRegex", "a //", 3, "empty regex"},
                      ErrorCase{"PureNegation", "NOT assad", 1, "query made only of negations"},
                      ErrorCase{"PureNegationWithMinus", "-assad -isis", 1, "query made only of negations"},
                      ErrorCase{"OrWithNegatedBranch", "a OR -b", 1, "query made only of negations"},
                      ErrorCase{"AndWithoutRightOperand", "a AND", 6, "expected a term after AND"},
                      ErrorCase{"OrWithoutLeftOperand", "OR a", 1, "OR needs a term on its left"},
                      ErrorCase{"NotWithoutOperand", "a NOT", 6, "expected a term after NOT"},
                      ErrorCase{"EmptyGroup", "a ()", 3, "empty group"},
                      ErrorCase{"ScopeWithoutTerm", "a title:", 9,
                                "expected a word, phrase, regex or group after `title:`"},
                      ErrorCase{"SiteWithoutValue", "a site:", 3, "`site:` needs a value"},
                      ErrorCase{"SiteWithUrl", "site:http://x.com", 1, "`site:` takes a host name"},
                      ErrorCase{"NoLetters", "a !!!", 3, "\"!!!\" has no letters or digits"},
                      ErrorCase{"ChainedNear", "a NEAR/3 b NEAR/3 c", 1, "NEAR/3 operand must be"},
                      ErrorCase{"NegatedNearOperand", "b NEAR/3 NOT a", 10, "NEAR/3 operand must be"},
                      ErrorCase{"AndGroupAsNearOperand", "(a b) NEAR/3 c", 2, "NEAR/3 operand must be"},
                      ErrorCase{"ColumnCountsCharacters", "İstanbul )", 10, "unbalanced \")\""}),
    [](const ::testing::TestParamInfo<ErrorCase>& param_info) { return std::string(param_info.param.name); });

TEST(QueryErrors, UnknownFieldSuggestsTheNearestOne) {
  const auto query = parse_query("titel:assad");
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().hint, "did you mean `title:`?");
}

TEST(QueryErrors, UnknownFieldInWrongCaseSuggestsLowerCase) {
  const auto query = parse_query("Title:assad");
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().hint, "did you mean `title:`?");
}

TEST(QueryErrors, BadRegexCarriesRe2Message) {
  const auto query = parse_query("/a(/");
  ASSERT_FALSE(query.has_value());
  EXPECT_NE(query.error().message.find("missing )"), std::string::npos) << query.error().message;
}

TEST(QueryLimits, NestingDeeperThan64IsRejected) {
  const std::string ok = std::string(64, '(') + "a" + std::string(64, ')');
  EXPECT_TRUE(parse_query(ok).has_value());
  const std::string deep = std::string(65, '(') + "a" + std::string(65, ')');
  const auto query = parse_query(deep);
  ASSERT_FALSE(query.has_value());
  EXPECT_EQ(query.error().column, 65U);
  EXPECT_EQ(query.error().message, "nesting deeper than 64 levels");
}

TEST(QueryLimits, NegationsCountTowardsDepth) {
  std::string query = "a";
  for (int i = 0; i < 70; ++i) {
    query += " NOT";
  }
  query += " b";
  const auto parsed = parse_query(query);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "nesting deeper than 64 levels");
}

TEST(QueryLimits, MoreThan256TermsAreRejected) {
  std::string query;
  for (int i = 0; i < 256; ++i) {
    query += "w" + std::to_string(i) + " ";
  }
  EXPECT_TRUE(parse_query(query).has_value());
  const std::size_t column = query.size() + 1;
  query += "extra";
  const auto parsed = parse_query(query);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().column, column);
  EXPECT_EQ(parsed.error().message, "query has more than 256 terms");
}

TEST(QueryLimits, LongerThan4KiBIsRejected) {
  const std::string query = "\"" + std::string(4095, 'a');
  const std::string too_long = query + "\"";
  EXPECT_FALSE(parse_query(query).has_value());  // unterminated, but within the length limit
  EXPECT_EQ(parse_query(query).error().message, "unterminated phrase");
  const auto parsed = parse_query(too_long + " ");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "query is longer than 4096 bytes");
  EXPECT_EQ(parsed.error().column, 4097U);
}

TEST(RenderQueryError, ShowsRuleLocationQueryAndCaret) {
  const std::string query = "(ISIS coalition))";
  const auto parsed = parse_query(query);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(render_query_error("x", query, parsed.error()),
            "rule \"x\": query:1:17: unbalanced \")\"\n"
            "  (ISIS coalition))\n"
            "                  ^\n"
            "  hint: remove it or add a matching \"(\"");
}

TEST(RenderQueryError, LeavesOutRuleWhenUnnamedAndFlattensNewlines) {
  const QueryError error{3, "unbalanced \"(\"", ""};
  EXPECT_EQ(render_query_error("", "a\n(b", error), "query:1:3: unbalanced \"(\"\n  a (b\n    ^");
}

}  // namespace
}  // namespace newswatch::rules
