#include "newswatch/alert/escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace newswatch::alert {
namespace {

const std::string zwsp = "\xE2\x80\x8B";

struct EscapeCase {
  std::string name;
  Markup markup;
  std::string input;
  std::string expected;
};

class Escape : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(Escape, LeavesNoMarkupActive) {
  const auto& test = GetParam();
  EXPECT_EQ(escape_text(test.markup, test.input), test.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Escape,
    ::testing::Values(
        EscapeCase{"PlainIsUnchanged", Markup::plain, "<b>@here</b> & *x*", "<b>@here</b> & *x*"},
        EscapeCase{"JsonQuotesAndControls", Markup::json, "say \"hi\"\n\\", "say \\\"hi\\\"\\n\\\\"},
        EscapeCase{"SlackEntities", Markup::slack, "a & <b> <!channel>", "a &amp; &lt;b&gt; &lt;!channel&gt;"},
        EscapeCase{"SlackFormattingCharacters", Markup::slack, "*b*", zwsp + "*" + zwsp + "b" + zwsp + "*" + zwsp},
        EscapeCase{"SlackMention", Markup::slack, "@here", "@" + zwsp + "here"},
        EscapeCase{"MarkdownPunctuation", Markup::markdown, "**b** [x](y) # `c` ~s~ |s| <@1>",
                   "\\*\\*b\\*\\* \\[x\\]\\(y\\) \\# \\`c\\` \\~s\\~ \\|s\\| \\<@" + zwsp + "1\\>"},
        EscapeCase{"MarkdownEveryone", Markup::markdown, "@everyone", "@" + zwsp + "everyone"},
        EscapeCase{"MarkdownEntity", Markup::markdown, "&amp;", "\\&amp;"},
        EscapeCase{"TelegramHtml", Markup::telegram_html, "<a href=\"x\">&</a>",
                   "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"},
        EscapeCase{"HtmlScript", Markup::html, "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        EscapeCase{"HtmlRoomMention", Markup::html, "@room", "@" + zwsp + "room"}),
    [](const auto& param_info) { return param_info.param.name; });

struct LinkCase {
  std::string name;
  std::string input;
  std::string expected;
};

class SafeLink : public ::testing::TestWithParam<LinkCase> {};

TEST_P(SafeLink, KeepsOnlyHttpLinksWithNothingThatEndsALink) {
  EXPECT_EQ(safe_link(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SafeLink,
    ::testing::Values(LinkCase{"Https", "https://news.example/a?b=1&c=2#d", "https://news.example/a?b=1&c=2#d"},
                      LinkCase{"UpperCaseScheme", " HTTP://news.example/ ", "HTTP://news.example/"},
                      LinkCase{"JavaScriptIsDropped", "javascript:alert(1)", ""},
                      LinkCase{"DataIsDropped", "data:text/html,x", ""}, LinkCase{"RelativeIsDropped", "/story/1", ""},
                      LinkCase{"MarkupCharactersEncoded", "https://x.example/a b|c>d)e\"f",
                               "https://x.example/a%20b%7Cc%3Ed%29e%22f"},
                      LinkCase{"NonAsciiEncoded", "https://x.example/caf\xC3\xA9", "https://x.example/caf%C3%A9"},
                      LinkCase{"TooLongIsDropped", "https://x.example/" + std::string(3000, 'a'), ""}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(EscapeLink, EscapesAmpersandsWhereTheMarkupNeedsIt) {
  EXPECT_EQ(escape_link(Markup::slack, "https://x.example/?a=1&b=2"), "https://x.example/?a=1&amp;b=2");
  EXPECT_EQ(escape_link(Markup::html, "https://x.example/?a=1&b=2"), "https://x.example/?a=1&amp;b=2");
  EXPECT_EQ(escape_link(Markup::markdown, "https://x.example/?a=1&b=2"), "https://x.example/?a=1&b=2");
}

}  // namespace
}  // namespace newswatch::alert
