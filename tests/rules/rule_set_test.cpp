#include "newswatch/rules/rule_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "newswatch/text/tokenizer.hpp"

namespace newswatch::rules {
namespace {

Item seed_item() {
  Item item;
  item.title = "Little hope for Syrian regime to join anti-ISIS coalition";
  item.summary = "Assad's government says it is ready to cooperate, but Washington rules out working with Damascus.";
  item.content =
      "The US-led coalition has carried out sanctions and airstrikes against ISIS targets in Syria and Iraq.";
  item.authors = {"Jane Doe"};
  item.categories = {"Middle East", "Syria"};
  item.link = "https://www.trtworld.com/mea/little-hope-for-syrian-regime-1234";
  return item;
}

Item isis_k_item() {
  Item item;
  item.title = "ISIS-K claims attack; coalition forces respond";
  item.link = "https://example.org/isis-k";
  return item;
}

Item unicode_item() {
  Item item;
  item.title = "İSTANBUL'da büyük toplantı";
  item.summary = "Die Straße in Zürich. L'Élysée confirme.";
  item.content = "مدرسة أحمد الجديدة — 東京タワーで会議";
  item.categories = {"Türkiye"};
  return item;
}

Item marvel_item() {
  Item item;
  item.title = "A marvellous day";
  return item;
}

const std::vector<std::string> seed_tags = {"World", "mideast"};
const std::vector<std::string> no_tags;

bool matches(const std::string& query, const Item& item, std::string_view feed = "trt-world",
             const std::vector<std::string>& tags = seed_tags, std::string_view language = "en-GB") {
  auto set = RuleSet::compile({RuleDefinition{"r", query, {}}});
  EXPECT_TRUE(set.has_value()) << (set ? "" : set.error().front().error.message);
  if (!set) {
    return false;
  }
  const MatchInput input{item, feed, tags, language};
  const auto result = set->match(input);
  EXPECT_EQ(result, set->match_brute_force(input)) << query;
  return !result.empty();
}

enum class Sample { seed, isis_k, unicode, marvel };

struct SemanticsCase {
  const char* name;
  std::string query;
  Sample item;
  bool expected;
};

Item sample(Sample which) {
  switch (which) {
    case Sample::seed: return seed_item();
    case Sample::isis_k: return isis_k_item();
    case Sample::unicode: return unicode_item();
    case Sample::marvel: return marvel_item();
  }
  return {};
}

class Semantics : public ::testing::TestWithParam<SemanticsCase> {};

TEST_P(Semantics, Matches) {
  const SemanticsCase& param = GetParam();
  EXPECT_EQ(matches(param.query, sample(param.item)), param.expected) << param.query;
}

INSTANTIATE_TEST_SUITE_P(
    Seed, Semantics,
    ::testing::Values(SemanticsCase{"Phrase", "\"ISIS coalition\"", Sample::seed, true},
                      SemanticsCase{"AndAcrossFields", "Assad AND coalition", Sample::seed, true},
                      SemanticsCase{"Near", "ISIS NEAR/3 coalition", Sample::seed, true},
                      SemanticsCase{"Site", "site:trtworld.com", Sample::seed, true},
                      SemanticsCase{"PhraseNotAssad", "\"ISIS coalition\" NOT Assad", Sample::seed, false},
                      SemanticsCase{"SiteExactHost", "site:www.trtworld.com", Sample::seed, true},
                      SemanticsCase{"SiteIsNotASuffixMatch", "site:rtworld.com", Sample::seed, false},
                      SemanticsCase{"SiteOtherDomain", "site:bbc.co.uk", Sample::seed, false},
                      SemanticsCase{"WholeWordOnly", "syr", Sample::seed, false},
                      SemanticsCase{"PluralIsAnotherWord", "coalitions", Sample::seed, false},
                      SemanticsCase{"PrefixFindsLongerWord", "syr*", Sample::seed, true},
                      SemanticsCase{"PrefixFindsPlural", "sanction*", Sample::seed, true},
                      SemanticsCase{"PrefixMatchesTheStemItself", "coalition*", Sample::seed, true},
                      SemanticsCase{"TitleScope", "title:coalition", Sample::seed, true},
                      SemanticsCase{"SummaryScopeMisses", "summary:coalition", Sample::seed, false},
                      SemanticsCase{"ContentScope", "content:sanctions", Sample::seed, true},
                      SemanticsCase{"TitleScopeMisses", "title:sanctions", Sample::seed, false},
                      SemanticsCase{"AuthorScope", "author:jane", Sample::seed, true},
                      SemanticsCase{"AuthorNotSearchedUnscoped", "jane", Sample::seed, false},
                      SemanticsCase{"CategoryScope", "category:\"middle east\"", Sample::seed, true},
                      SemanticsCase{"CategorySearchedUnscoped", "\"middle east\"", Sample::seed, true},
                      SemanticsCase{"CategoriesDoNotRunTogether", "east NEAR/1 syria AND category:east", Sample::seed,
                                    false},
                      SemanticsCase{"ScopedGroup", "title:(sanctions OR regime)", Sample::seed, true},
                      SemanticsCase{"ScopedGroupMisses", "title:(sanctions OR airstrikes)", Sample::seed, false},
                      SemanticsCase{"FeedName", "feed:trt-world", Sample::seed, true},
                      SemanticsCase{"FeedNameIgnoresCase", "feed:TRT-World", Sample::seed, true},
                      SemanticsCase{"OtherFeed", "feed:bbc", Sample::seed, false},
                      SemanticsCase{"FeedTag", "feed:tag:world", Sample::seed, true},
                      SemanticsCase{"OtherFeedTag", "feed:tag:sports", Sample::seed, false},
                      SemanticsCase{"LanguagePrimarySubtag", "lang:en", Sample::seed, true},
                      SemanticsCase{"LanguageFullTag", "lang:en-gb", Sample::seed, true},
                      SemanticsCase{"LanguageOtherRegion", "lang:en-us", Sample::seed, false},
                      SemanticsCase{"LanguageOther", "lang:fr", Sample::seed, false},
                      SemanticsCase{"OrderedNear", "ISIS ONEAR/3 coalition", Sample::seed, true},
                      SemanticsCase{"OrderedNearWrongOrder", "coalition ONEAR/3 ISIS", Sample::seed, false},
                      SemanticsCase{"NearEitherOrder", "coalition NEAR/3 ISIS", Sample::seed, true},
                      SemanticsCase{"NearAdjacent", "hope NEAR/1 little", Sample::seed, true},
                      SemanticsCase{"NearTooFar", "little NEAR/1 for", Sample::seed, false},
                      SemanticsCase{"NearJustInReach", "little NEAR/2 for", Sample::seed, true},
                      SemanticsCase{"NearWithOrGroup", "(iraqi OR syrian) NEAR/2 regime", Sample::seed, true},
                      SemanticsCase{"NearWithPhrase", "\"syrian regime\" ONEAR/5 coalition", Sample::seed, true},
                      SemanticsCase{"NearWithPhraseTooFar", "\"syrian regime\" ONEAR/4 coalition", Sample::seed, false},
                      SemanticsCase{"NearNeedsTwoOccurrences", "hope NEAR/5 hope", Sample::seed, false},
                      SemanticsCase{"HyphenatedPhrase", "\"anti ISIS\"", Sample::seed, true},
                      SemanticsCase{"HyphenatedWord", "anti-ISIS", Sample::seed, true},
                      SemanticsCase{"OrOneBranch", "isis OR nonexistent", Sample::seed, true},
                      SemanticsCase{"OrNoBranch", "nonexistent OR other", Sample::seed, false},
                      SemanticsCase{"NotAbsentWord", "isis -nonexistent", Sample::seed, true},
                      SemanticsCase{"NotPresentWord", "washington -damascus", Sample::seed, false},
                      SemanticsCase{"NotGroup", "washington -(damascus OR beirut)", Sample::seed, false},
                      SemanticsCase{"NotOtherWord", "washington -beirut", Sample::seed, true},
                      SemanticsCase{"AndBindsTighterThanOr", "beirut isis OR coalition", Sample::seed, true},
                      SemanticsCase{"NotBindsTighterThanAnd", "NOT assad isis", Sample::seed, false},
                      SemanticsCase{"LowercaseAndIsAWord", "sanctions and airstrikes", Sample::seed, true},
                      SemanticsCase{"LowercaseOrIsAWord", "sanctions or beirut", Sample::seed, false},
                      SemanticsCase{"ApostropheSplits", "assad AND s", Sample::seed, true},
                      SemanticsCase{"RegexOverNormalisedText", "/isis\\s+coalition/", Sample::seed, true},
                      SemanticsCase{"RegexIsCaseInsensitive", "/SYRIAN REGIME/", Sample::seed, true},
                      SemanticsCase{"RegexScoped", "title:/sanctions/", Sample::seed, false},
                      SemanticsCase{"RegexOrWord", "/zzz/ OR hope", Sample::seed, true}),
    [](const ::testing::TestParamInfo<SemanticsCase>& param_info) { return std::string(param_info.param.name); });

INSTANTIATE_TEST_SUITE_P(
    Others, Semantics,
    ::testing::Values(SemanticsCase{"IsisKIsNotTheIsisCoalition", "\"ISIS coalition\"", Sample::isis_k, false},
                      SemanticsCase{"IsisKNotWithinThree", "ISIS NEAR/3 coalition", Sample::isis_k, false},
                      SemanticsCase{"IsisKWithinFour", "ISIS NEAR/4 coalition", Sample::isis_k, true},
                      SemanticsCase{"IsisKAsPhrase", "ISIS-K", Sample::isis_k, true},
                      SemanticsCase{"MarvelIsNotMarvellous", "marvel", Sample::marvel, false},
                      SemanticsCase{"MarvelPrefix", "marvel*", Sample::marvel, true},
                      SemanticsCase{"Marvellous", "marvellous", Sample::marvel, true},
                      SemanticsCase{"TurkishPlain", "istanbul", Sample::unicode, true},
                      SemanticsCase{"TurkishUpper", "ISTANBUL", Sample::unicode, true},
                      SemanticsCase{"TurkishDottedCapital", "İstanbul", Sample::unicode, true},
                      SemanticsCase{"TurkishDotless", "ıstanbul", Sample::unicode, true},
                      SemanticsCase{"TurkishDiacritics", "buyuk", Sample::unicode, true},
                      SemanticsCase{"TurkishCategory", "category:turkiye", Sample::unicode, true},
                      SemanticsCase{"GermanSharpS", "straße", Sample::unicode, true},
                      SemanticsCase{"GermanDoubleS", "STRASSE", Sample::unicode, true},
                      SemanticsCase{"GermanUmlaut", "zurich", Sample::unicode, true},
                      SemanticsCase{"FrenchAccentsDropped", "elysee", Sample::unicode, true},
                      SemanticsCase{"FrenchAccentsInRule", "Élysée", Sample::unicode, true},
                      SemanticsCase{"FrenchElision", "\"l elysee\"", Sample::unicode, true},
                      SemanticsCase{"ArabicTehMarbutaInRule", "مدرسة", Sample::unicode, true},
                      SemanticsCase{"ArabicHehForm", "مدرسه", Sample::unicode, true},
                      SemanticsCase{"ArabicAlefHamza", "احمد", Sample::unicode, true},
                      SemanticsCase{"ArabicAlefHamzaInRule", "أحمد", Sample::unicode, true},
                      SemanticsCase{"CjkPhrase", "\"東京タワー\"", Sample::unicode, true},
                      SemanticsCase{"CjkBareWordIsAPhrase", "東京", Sample::unicode, true},
                      SemanticsCase{"CjkWrongOrder", "\"京東\"", Sample::unicode, false},
                      SemanticsCase{"CjkSingleCharacter", "会", Sample::unicode, true}),
    [](const ::testing::TestParamInfo<SemanticsCase>& param_info) { return std::string(param_info.param.name); });

using Spans = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

std::pair<std::uint32_t, std::uint32_t> span_of(const std::string& text, const std::string& part) {
  const auto begin = static_cast<std::uint32_t>(text.find(part));
  return {begin, static_cast<std::uint32_t>(begin + part.size())};
}

TEST(RuleSetWhy, PhraseSpansTheTokensInTheOriginalTitle) {
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"isis-coalition", "\"ISIS coalition\"", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(result.size(), 1U);
  EXPECT_EQ(result[0].rule, "isis-coalition");
  ASSERT_EQ(result[0].why.size(), 1U);
  EXPECT_EQ(result[0].why[0].field, "title");
  EXPECT_EQ(result[0].why[0].spans, (Spans{span_of(item.title, "ISIS coalition")}));
}

TEST(RuleSetWhy, PhrasesOfRepeatedWordsFindEveryOccurrenceAsAPlainScanDoes) {
  // Titles of three words repeated at random, and phrases of two to four of them: every place the
  // phrase's tokens follow each other is a span, overlapping and touching ones joined.
  std::mt19937 random(12);
  const std::vector<std::string> words = {"of", "the", "war", "The"};
  for (int round = 0; round < 300; ++round) {
    Item item;
    const int length = std::uniform_int_distribution<int>(1, 40)(random);
    for (int i = 0; i < length; ++i) {
      item.title += (i > 0 ? " " : "") + words[std::uniform_int_distribution<std::size_t>(0, 3)(random)];
    }
    std::vector<std::string> phrase;
    std::string query = "\"";
    for (int i = 0, n = std::uniform_int_distribution<int>(2, 4)(random); i < n; ++i) {
      phrase.push_back(words[std::uniform_int_distribution<std::size_t>(0, 2)(random)]);
      query += (i > 0 ? " " : "") + phrase.back();
    }
    query += "\"";
    auto set = RuleSet::compile({RuleDefinition{"phrase", query, {}}});
    ASSERT_TRUE(set.has_value());

    const std::vector<text::Token> tokens = text::tokenize(item.title);
    Spans expected;
    for (std::size_t start = 0; start + phrase.size() <= tokens.size(); ++start) {
      bool found = true;
      for (std::size_t k = 0; k < phrase.size() && found; ++k) {
        found = tokens[start + k].text == phrase[k];
      }
      if (!found) {
        continue;
      }
      const std::uint32_t begin = tokens[start].begin;
      const std::uint32_t end = tokens[start + phrase.size() - 1].end;
      if (!expected.empty() && begin <= expected.back().second) {
        expected.back().second = std::max(expected.back().second, end);
      } else {
        expected.emplace_back(begin, end);
      }
    }
    const auto result = set->match(MatchInput{item, "feed", no_tags, "en"});
    if (expected.empty()) {
      EXPECT_TRUE(result.empty()) << query << " in " << item.title;
      continue;
    }
    ASSERT_EQ(result.size(), 1U) << query << " in " << item.title;
    ASSERT_EQ(result[0].why.size(), 1U);
    EXPECT_EQ(result[0].why[0].spans, expected) << query << " in " << item.title;
  }
}

// A query of AND, OR and NOT over words, with its verdict and spans worked out by hand over the
// item's tokens, for comparing with what the rule set finds.
class BooleanQuery {
 public:
  BooleanQuery(const Item& item, std::mt19937& random) : random_(random) {
    title_ = text::tokenize(item.title);
    summary_ = text::tokenize(item.summary);
  }

  // A random query of depth at most `depth`; its verdict, and the spans of its words under true
  // branches in `title_spans` and `summary_spans` (unsorted, unjoined).
  std::string make(int depth, bool& verdict, Spans& title_spans, Spans& summary_spans) {
    const int kind = depth == 0 ? 0 : std::uniform_int_distribution<int>(0, 4)(random_);
    if (kind <= 1) {
      const std::string word = words[std::uniform_int_distribution<std::size_t>(0, words.size() - 1)(random_)];
      const bool title_only = kind == 1;
      verdict = false;
      for (const text::Token& token : title_) {
        if (token.text == word) {
          verdict = true;
          title_spans.emplace_back(token.begin, token.end);
        }
      }
      for (const text::Token& token : summary_) {
        if (token.text == word && !title_only) {
          verdict = true;
          summary_spans.emplace_back(token.begin, token.end);
        }
      }
      return (title_only ? "title:" : "") + word;
    }
    bool left = false;
    bool right = false;
    Spans left_title, left_summary, right_title, right_summary;
    const std::string a = make(depth - 1, left, left_title, left_summary);
    const std::string b = make(depth - 1, right, right_title, right_summary);
    const auto take = [&title_spans, &summary_spans](const Spans& title, const Spans& summary) {
      title_spans.insert(title_spans.end(), title.begin(), title.end());
      summary_spans.insert(summary_spans.end(), summary.begin(), summary.end());
    };
    if (kind == 2) {
      verdict = left && right;
      if (verdict) {
        take(left_title, left_summary);
        take(right_title, right_summary);
      }
      return "(" + a + " AND " + b + ")";
    }
    if (kind == 3) {
      verdict = left || right;
      if (left) {
        take(left_title, left_summary);
      }
      if (right) {
        take(right_title, right_summary);
      }
      return "(" + a + " OR " + b + ")";
    }
    verdict = left && !right;
    if (verdict) {
      take(left_title, left_summary);
    }
    return "(" + a + " NOT " + b + ")";
  }

  static Spans joined(Spans spans) {
    std::sort(spans.begin(), spans.end());
    Spans out;
    for (const auto& span : spans) {
      if (!out.empty() && span.first <= out.back().second) {
        out.back().second = std::max(out.back().second, span.second);
      } else {
        out.push_back(span);
      }
    }
    return out;
  }

  inline static const std::vector<std::string> words = {"gaza", "aid", "talks", "un"};

 private:
  std::mt19937& random_;
  std::vector<text::Token> title_;
  std::vector<text::Token> summary_;
};

TEST(RuleSetWhy, AndOrNotOverWordsSpanTheWordsOfTheTrueBranchesAsWorkedOutByHand) {
  std::mt19937 random(31);
  for (int round = 0; round < 400; ++round) {
    Item item;
    for (std::string* field : {&item.title, &item.summary}) {
      for (int i = 0, n = std::uniform_int_distribution<int>(0, 12)(random); i < n; ++i) {
        *field += (i > 0 ? " " : "") + BooleanQuery::words[std::uniform_int_distribution<std::size_t>(0, 3)(random)];
      }
    }
    BooleanQuery maker(item, random);
    bool verdict = false;
    Spans title_spans;
    Spans summary_spans;
    const std::string query = maker.make(3, verdict, title_spans, summary_spans);
    auto set = RuleSet::compile({RuleDefinition{"rule", query, {}}});
    ASSERT_TRUE(set.has_value()) << query;
    const auto result = set->match(MatchInput{item, "feed", no_tags, "en"});
    ASSERT_EQ(result.size(), verdict ? 1U : 0U) << query << " on " << item.title << " / " << item.summary;
    if (!verdict) {
      continue;
    }
    std::vector<FieldSpans> expected;
    if (!title_spans.empty()) {
      expected.push_back(FieldSpans{"title", BooleanQuery::joined(title_spans)});
    }
    if (!summary_spans.empty()) {
      expected.push_back(FieldSpans{"summary", BooleanQuery::joined(summary_spans)});
    }
    EXPECT_EQ(result[0].why, expected) << query << " on " << item.title << " / " << item.summary;
  }
}

TEST(RuleSetWhy, ALoneTermSpansEveryOccurrenceInScopeAndJoinsTouchingOnes) {
  // Ideographs are tokens of their own, so a repeated one touches itself. A rule of one term takes
  // a shorter path than the evaluator; both must give the same spans.
  Item item;
  item.title = "東東京タワー 東";
  item.summary = "東 and once more 東";
  auto set = RuleSet::compile({RuleDefinition{"alone", "東", {}}, RuleDefinition{"evaluated", "東 OR zzqqxx", {}},
                               RuleDefinition{"summary-only", "summary:東", {}}, RuleDefinition{"prefix", "tower*", {}},
                               RuleDefinition{"absent", "beirut", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "feed", no_tags, "ja"});
  ASSERT_EQ(result.size(), 3U);
  const std::vector<FieldSpans> every = {{"title", {{0, 6}, span_of(item.title, " 東")}},
                                         {"summary", {{0, 3}, span_of(item.summary, " 東")}}};
  // span_of(" 東") starts at the space: the span is the ideograph after it.
  std::vector<FieldSpans> expected = every;
  expected[0].spans[1].first += 1;
  expected[1].spans[1].first += 1;
  EXPECT_EQ(result[0].rule, "alone");
  EXPECT_EQ(result[0].why, expected);
  EXPECT_EQ(result[1].rule, "evaluated");
  EXPECT_EQ(result[1].why, expected);
  EXPECT_EQ(result[2].rule, "summary-only");
  EXPECT_EQ(result[2].why, (std::vector<FieldSpans>{expected[1]}));
}

TEST(RuleSetWhy, AndReportsEveryFieldInItemOrder) {
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"r", "coalition AND Assad", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(result.size(), 1U);
  const std::vector<FieldSpans> expected = {
      {"title", {span_of(item.title, "coalition")}},
      {"summary", {span_of(item.summary, "Assad")}},
      {"content", {span_of(item.content, "coalition")}},
  };
  EXPECT_EQ(result[0].why, expected);
}

TEST(RuleSetWhy, RegexSpansMapBackToOriginalBytes) {
  const Item item = unicode_item();
  auto set = RuleSet::compile({RuleDefinition{"r", "/strasse/", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "f", no_tags, ""});
  ASSERT_EQ(result.size(), 1U);
  const std::vector<FieldSpans> expected = {{"summary", {span_of(item.summary, "Straße")}}};
  EXPECT_EQ(result[0].why, expected);
}

TEST(RuleSetWhy, ListFieldsAreNamedWithTheirIndex) {
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"r", "category:syria OR author:doe", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(result.size(), 1U);
  const std::vector<FieldSpans> expected = {{"author[0]", {{5, 8}}}, {"category[1]", {{0, 5}}}};
  EXPECT_EQ(result[0].why, expected);
}

TEST(RuleSetWhy, NegatedTermsAndSourceFiltersPointAtNothing) {
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"r", "feed:trt-world lang:en -beirut", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(result.size(), 1U);
  EXPECT_TRUE(result[0].why.empty());
}

TEST(RuleSetWhy, SiteSpansTheMatchedDomainInTheLink) {
  Item item = seed_item();
  item.link = "https://user@WWW.TRTWorld.com.:443/mea/story?id=1";
  auto set = RuleSet::compile(
      {RuleDefinition{"parent", "site:trtworld.com", {}}, RuleDefinition{"host", "site:www.trtworld.com assad", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(result.size(), 2U);
  EXPECT_EQ(result[0].why, (std::vector<FieldSpans>{{"link", {span_of(item.link, "TRTWorld.com")}}}));
  const std::vector<FieldSpans> host = {{"summary", {span_of(item.summary, "Assad")}},
                                        {"link", {span_of(item.link, "WWW.TRTWorld.com")}}};
  EXPECT_EQ(result[1].why, host);
}

TEST(RuleSetWhy, SiteFindsTheHostPastUserinfoAndPortAndNeverInRelativeLinks) {
  struct Case {
    std::string link;
    std::string matched;  // empty: no match
  };
  const std::vector<Case> cases = {
      {"https://news.example.org/a", "example.org"},
      {"https://user:pw@example.org:8080/x", "example.org"},
      {"http://Example.ORG.?q=1", "Example.ORG"},
      {"https://example.org.evil.net/", ""},
      {"https://notexample.org/", ""},
      {"https://example.org/world news?ids[]=1", "example.org"},
      {"/example.org/relative", ""},
      {"//example.org/network-path", ""},
      {"mailto:someone@example.org", ""},
  };
  auto set = RuleSet::compile({RuleDefinition{"r", "site:example.org", {}}});
  ASSERT_TRUE(set.has_value());
  for (const Case& entry : cases) {
    Item item = seed_item();
    item.link = entry.link;
    const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
    if (entry.matched.empty()) {
      EXPECT_TRUE(result.empty()) << entry.link;
      continue;
    }
    ASSERT_EQ(result.size(), 1U) << entry.link;
    EXPECT_EQ(result[0].why, (std::vector<FieldSpans>{{"link", {span_of(item.link, entry.matched)}}})) << entry.link;
  }
}

TEST(RuleSetWhy, NearReportsBothOperands) {
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"r", "title:(isis NEAR/3 syrian*)", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_TRUE(result.empty());  // syrian is 5 tokens before isis
  auto wider = RuleSet::compile({RuleDefinition{"r", "title:(isis NEAR/5 syrian*)", {}}});
  const auto found = wider->match(MatchInput{item, "trt-world", seed_tags, "en"});
  ASSERT_EQ(found.size(), 1U);
  const std::vector<FieldSpans> expected = {{"title", {span_of(item.title, "Syrian"), span_of(item.title, "ISIS")}}};
  EXPECT_EQ(found[0].why, expected);
}

TEST(RuleSetFeeds, RuleFeedListLimitsWhereItApplies) {
  const Item item = seed_item();
  auto set = RuleSet::compile(
      {RuleDefinition{"only-bbc", "isis", {"bbc"}}, RuleDefinition{"world-tag", "isis", {"tag:WORLD"}},
       RuleDefinition{"by-name", "isis", {"bbc", "TRT-World"}}, RuleDefinition{"everywhere", "isis", {}}});
  ASSERT_TRUE(set.has_value());
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"});
  std::vector<std::string> names;
  for (const auto& match : result) {
    names.push_back(match.rule);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"world-tag", "by-name", "everywhere"}));
}

TEST(RuleSetCompile, ReportsEveryBrokenRule) {
  auto set = RuleSet::compile(
      {RuleDefinition{"good", "isis", {}}, RuleDefinition{"bad1", "isis)", {}}, RuleDefinition{"bad2", "titel:x", {}}});
  ASSERT_FALSE(set.has_value());
  ASSERT_EQ(set.error().size(), 2U);
  EXPECT_EQ(set.error()[0].rule, "bad1");
  EXPECT_EQ(set.error()[0].error.column, 5U);
  EXPECT_EQ(set.error()[1].rule, "bad2");
  EXPECT_EQ(set.error()[1].error.message, "unknown field `titel:`");
}

TEST(RuleSetCompile, IndexesWhatItCanAndChecksTheRestAlways) {
  auto set = RuleSet::compile({RuleDefinition{"word", "isis", {}}, RuleDefinition{"regex", "/isis/", {}},
                               RuleDefinition{"or-with-regex", "a OR /b/", {}},
                               RuleDefinition{"and-with-regex", "a /b/", {}}});
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), 4U);
  EXPECT_EQ(set->always_checked(), 2U);
}

TEST(RuleSetMatch, ResultsInDefinitionOrderAndStatsCountCandidates) {
  const Item item = seed_item();
  auto set = RuleSet::compile(
      {RuleDefinition{"b", "coalition", {}}, RuleDefinition{"a", "isis", {}}, RuleDefinition{"none", "beirut", {}}});
  ASSERT_TRUE(set.has_value());
  MatchStats stats;
  const auto result = set->match(MatchInput{item, "trt-world", seed_tags, "en"}, stats);
  ASSERT_EQ(result.size(), 2U);
  EXPECT_EQ(result[0].rule, "b");
  EXPECT_EQ(result[1].rule, "a");
  EXPECT_EQ(stats.candidates, 2U);  // beirut is not in the item, so its rule is never evaluated
  EXPECT_EQ(stats.matches, 2U);
}

TEST(RuleSetMatch, RulesOfOneQueryAreEvaluatedOnceAndMatchTogether) {
  // Desks that follow the same watch each have a rule for it: the query is evaluated once, and its
  // match (with its spans) is each rule's, in definition order. A feed filter keeps a rule apart.
  const Item item = seed_item();
  auto set = RuleSet::compile({RuleDefinition{"bbc-only", "isis", {"bbc"}},
                               RuleDefinition{"a", "\"Syrian regime\" AND isis", {}}, RuleDefinition{"b", "isis", {}},
                               RuleDefinition{"c", "\"Syrian   regime\"   AND isis", {}},
                               RuleDefinition{"title-only", "title:isis", {}}, RuleDefinition{"d", "isis", {}},
                               RuleDefinition{"e", "/syri\\w+/", {}}, RuleDefinition{"absent", "beirut", {}},
                               RuleDefinition{"f", "/syri\\w+/", {}}, RuleDefinition{"absent-too", "beirut", {}}});
  ASSERT_TRUE(set.has_value());
  const MatchInput input{item, "trt-world", seed_tags, "en"};
  MatchStats stats;
  const auto result = set->match(input, stats);
  std::vector<std::string> names;
  for (const auto& match : result) {
    names.push_back(match.rule);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "title-only", "d", "e", "f"}));
  EXPECT_EQ(result, set->match_brute_force(input));
  ASSERT_EQ(result.size(), 7U);
  EXPECT_EQ(result[2].why, result[0].why);
  EXPECT_EQ(result[4].why, result[1].why);
  EXPECT_EQ(result[6].why, result[5].why);
  // Evaluated: bbc-only (a candidate its feed filter turns down), a, b, title-only and e.
  EXPECT_EQ(stats.candidates, 5U);
  EXPECT_EQ(stats.matches, 7U);
  EXPECT_EQ(set->always_checked(), 1U);  // e, not its twin f
}

TEST(RuleSetMatch, CandidatesFromAcrossALargeSetComeInDefinitionOrder) {
  // Enough rules and candidates for the candidate bitmap and its bitmap of words in use, with
  // candidates in several blocks of 4,096 rules, at the edges of words and blocks, and twins
  // far from their first.
  std::vector<RuleDefinition> definitions;
  for (int r = 0; r < 10000; ++r) {
    definitions.push_back(RuleDefinition{"r" + std::to_string(r), "tok" + std::to_string(r), {}});
  }
  definitions.push_back(RuleDefinition{"twin-of-r3", "tok3", {}});
  definitions.push_back(RuleDefinition{"twin-of-r4096", "tok4096", {}});
  auto set = RuleSet::compile(definitions);
  ASSERT_TRUE(set.has_value());
  const std::vector<int> present = {9999, 0,    3,    63,   64, 127, 4095, 4096, 4097, 5000, 8191, 8192, 8193,
                                    9000, 9001, 9500, 9998, 1,  2,   4,    100,  200,  300,  6000, 7000, 7777};
  Item item;
  for (const int r : present) {
    item.content += "tok" + std::to_string(r) + " ";
  }
  const MatchInput input{item, "f", no_tags, ""};
  MatchStats stats;
  const auto result = set->match(input, stats);
  std::vector<int> sorted = present;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> expected;
  for (const int r : sorted) {
    expected.push_back("r" + std::to_string(r));
  }
  expected.push_back("twin-of-r3");
  expected.push_back("twin-of-r4096");
  std::vector<std::string> names;
  for (const auto& match : result) {
    names.push_back(match.rule);
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(result, set->match_brute_force(input));
  EXPECT_EQ(stats.candidates, present.size());
}

TEST(RuleSetMatch, PrefixesAreLookedUpAtTheLengthsOfTheStemsTheirTokenStarts) {
  // Stems that share their first bytes, one of them longer than PrefixHeads::long_stem bytes, and
  // one no token of the item starts.
  Item item;
  item.title = "Government talks on Donaudampfschifffahrtsgesellschaftskapitaene";
  item.summary = "The governor govern governs; Donaudampfschifffahrtsgesellschaft";
  const std::string long_stem = "donaudampfschifffahrtsgesellschaftskapit";
  ASSERT_GE(long_stem.size(), PrefixHeads::long_stem);
  auto set = RuleSet::compile({RuleDefinition{"gov", "gov*", {}}, RuleDefinition{"govern", "title:govern*", {}},
                               RuleDefinition{"governo", "governo*", {}}, RuleDefinition{"long", long_stem + "*", {}},
                               RuleDefinition{"donau", "donau*", {}}, RuleDefinition{"absent", "govx*", {}}});
  ASSERT_TRUE(set.has_value());
  const std::vector<std::string> tags;
  const MatchInput input{item, "wire", tags, "de"};
  const auto result = set->match(input);
  std::vector<std::string> names;
  for (const auto& match : result) {
    names.push_back(match.rule);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"gov", "govern", "governo", "long", "donau"}));
  EXPECT_EQ(result, set->match_brute_force(input));
  ASSERT_EQ(result[3].why.size(), 1U);
  EXPECT_EQ(result[3].why[0].field, "title");
  ASSERT_EQ(result[1].why.size(), 1U);  // title only
  EXPECT_EQ(result[0].why.size(), 2U);  // title and summary
}

TEST(RuleSetMatch, EmptySetMatchesNothing) {
  const RuleSet set;
  const Item item = seed_item();
  EXPECT_TRUE(set.match(MatchInput{item, "", no_tags, ""}).empty());
  EXPECT_EQ(set.size(), 0U);
}

TEST(RuleSetMatch, FieldsTokenisedByTheCallerMatchAsIfTokenisedHere) {
  auto set = RuleSet::compile(
      {RuleDefinition{"phrase", "\"ISIS coalition\"", {}}, RuleDefinition{"near", "coalition NEAR/5 strikes", {}},
       RuleDefinition{"prefix", "syri* AND title:coalition", {}}, RuleDefinition{"not", "istanbul NOT ankara", {}},
       RuleDefinition{"category", "category:world OR summary:assad", {}}});
  ASSERT_TRUE(set.has_value());
  for (const Item& item : {seed_item(), unicode_item(), Item{}}) {
    text::FieldTokens tokens;
    text::tokenize_fields(item.title, item.summary, item.content, tokens);
    const auto here = set->match(MatchInput{item, "f", seed_tags, "en"});
    const auto given = set->match(MatchInput{item, "f", seed_tags, "en", &tokens});
    EXPECT_EQ(given, here) << item.title;
  }
  EXPECT_FALSE(set->match(MatchInput{seed_item(), "f", seed_tags, "en"}).empty());
}

TEST(RuleSetMatch, IsSafeToShareBetweenThreads) {
  auto set = RuleSet::compile({RuleDefinition{"a", "\"ISIS coalition\"", {}}, RuleDefinition{"b", "/syri\\w+/", {}},
                               RuleDefinition{"c", "istanbul", {}}});
  ASSERT_TRUE(set.has_value());
  const Item seed = seed_item();
  const Item unicode = unicode_item();
  const auto expected_seed = set->match(MatchInput{seed, "f", no_tags, ""});
  const auto expected_unicode = set->match(MatchInput{unicode, "f", no_tags, ""});
  std::vector<int> failures(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const Item& item = (i + t) % 2 == 0 ? seed : unicode;
        const auto& expected = (i + t) % 2 == 0 ? expected_seed : expected_unicode;
        if (set->match(MatchInput{item, "f", no_tags, ""}) != expected) {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures, (std::vector<int>{0, 0}));
  EXPECT_EQ(expected_seed.size(), 2U);
  EXPECT_EQ(expected_unicode.size(), 1U);
}

}  // namespace
}  // namespace newswatch::rules
