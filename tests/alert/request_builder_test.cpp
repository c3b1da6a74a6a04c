#include "newswatch/alert/request_builder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alert_fixtures.hpp"
#include "newswatch/alert/webhook_signature.hpp"
#include "newswatch/text/utf8.hpp"

namespace newswatch::alert {
namespace {

using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;

const TimePoint now{std::chrono::seconds{1800000000}};

std::vector<OutgoingRequest> build_ok(const config::Target& target, const Message& message) {
  auto requests = build_requests(target, message, now);
  if (!requests) {
    ADD_FAILURE() << type_name(target.type) << ": " << requests.error();
    return {};
  }
  return std::move(*requests);
}

OutgoingRequest build_one(const config::Target& target, const Alert& alert) {
  auto requests = build_ok(target, Message{MessageKind::story, {alert}});
  if (requests.size() != 1) {
    ADD_FAILURE() << type_name(target.type) << ": " << requests.size() << " requests";
    return {};
  }
  return requests.front();
}

TEST(WebhookRequest, IsSignedPerStandardWebhooksWithTheAlertIdAsKey) {
  const auto target = target_of(TargetType::webhook);
  const auto request = build_one(target, story_alert());
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://hooks.example/newswatch");
  EXPECT_EQ(header(request, "Content-Type"), "application/json");
  EXPECT_EQ(header(request, "webhook-id"), "a1");
  EXPECT_EQ(header(request, "webhook-timestamp"), "1800000000");
  EXPECT_EQ(header(request, "X-Team"), "news");
  const auto expected = sign_webhook(target.secret.reveal(), "a1", 1800000000, request.body);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(header(request, "webhook-signature"), *expected);

  const Json body = parse_json(request.body);
  EXPECT_EQ(body["type"], "newswatch.alert");
  EXPECT_EQ(body["timestamp"], "2026-11-28T09:35:00Z");
  const auto& data = body["data"];
  EXPECT_EQ(data["id"], "a1");
  EXPECT_EQ(data["rule"], "isis-coalition");
  EXPECT_EQ(data["rules"], Json::array({"isis-coalition"}));
  EXPECT_EQ(data["title"], "Coalition strikes ISIS positions");
  EXPECT_EQ(data["link"], "https://news.example/world/coalition?id=7&lang=en");
  EXPECT_EQ(data["published"], "2026-11-28T09:30:00Z");
  EXPECT_EQ(data["why"][1]["text"], Json::array({"coalition", "ISIS"}));
  EXPECT_EQ(data["also"][0]["feed"], "bbc-world");
  EXPECT_EQ(data["updated"], false);
}

TEST(WebhookRequest, WithoutSecretCarriesNoSignature) {
  auto target = target_of(TargetType::webhook);
  target.secret = Secret();
  const auto request = build_one(target, story_alert());
  EXPECT_EQ(header(request, "webhook-signature"), "");
  EXPECT_EQ(header(request, "webhook-id"), "a1");
}

TEST(SlackRequest, UsesHeaderSectionAndContextBlocksWithAFallbackText) {
  const auto request = build_one(target_of(TargetType::slack), story_alert());
  EXPECT_EQ(request.url, "https://hooks.slack.com/services/T000/B000/XXXX");
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["text"], "isis-coalition: Coalition strikes ISIS positions");
  ASSERT_EQ(body["blocks"].size(), 3U);
  EXPECT_EQ(body["blocks"][0]["type"], "header");
  EXPECT_EQ(body["blocks"][0]["text"]["type"], "plain_text");
  EXPECT_EQ(body["blocks"][0]["text"]["text"], "isis-coalition");
  EXPECT_EQ(body["blocks"][1]["type"], "section");
  const std::string section = body["blocks"][1]["text"]["text"];
  EXPECT_THAT(section,
              HasSubstr("*<https://news.example/world/coalition?id=7&amp;lang=en|Coalition strikes ISIS positions>*"));
  EXPECT_THAT(section, HasSubstr("Matched: *Coalition*, *ISIS*"));
  EXPECT_THAT(section, HasSubstr("The *coalition* said the strikes hit *ISIS* positions overnight."));
  EXPECT_THAT(section, HasSubstr("Also reported by: <https://bbc.example/strikes|bbc-world>"));
  EXPECT_EQ(body["blocks"][2]["type"], "context");
  EXPECT_EQ(body["blocks"][2]["elements"][0]["text"], "trt-world · 2026-11-28 09:30 UTC");
  EXPECT_EQ(body["unfurl_links"], false);
}

TEST(DiscordRequest, WaitsForTheResultAndNeverPings) {
  const auto request = build_one(target_of(TargetType::discord), story_alert());
  EXPECT_EQ(request.url, "https://discord.com/api/webhooks/123/token?wait=true");
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["allowed_mentions"], Json({{"parse", Json::array()}}));
  EXPECT_EQ(body["content"], "**isis\\-coalition**");
  const auto& embed = body["embeds"][0];
  EXPECT_EQ(embed["title"], "Coalition strikes ISIS positions");
  EXPECT_EQ(embed["url"], "https://news.example/world/coalition?id=7&lang=en");
  EXPECT_EQ(embed["footer"]["text"], "trt-world");
  EXPECT_EQ(embed["timestamp"], "2026-11-28T09:30:00Z");
  EXPECT_THAT(embed["description"].get<std::string>(), HasSubstr("Matched: **Coalition**, **ISIS**"));
}

TEST(DiscordRequest, AddsWaitToAUrlThatHasAQuery) {
  auto target = target_of(TargetType::discord);
  target.url = Secret("https://discord.com/api/webhooks/123/token?thread_id=9", "");
  EXPECT_EQ(build_one(target, story_alert()).url, "https://discord.com/api/webhooks/123/token?thread_id=9&wait=true");
}

TEST(TeamsRequest, SendsAnAdaptiveCardWhoseTextIsNeverMarkdown) {
  const auto request = build_one(target_of(TargetType::teams), story_alert());
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["type"], "message");
  const auto& attachment = body["attachments"][0];
  EXPECT_EQ(attachment["contentType"], "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(attachment["content"]["type"], "AdaptiveCard");
  EXPECT_EQ(attachment["content"]["actions"][0]["url"], "https://news.example/world/coalition?id=7&lang=en");
  for (const auto& block : attachment["content"]["body"]) {
    EXPECT_EQ(block["type"], "RichTextBlock");  // A TextBlock would read feed text as Markdown.
  }
  EXPECT_EQ(attachment["content"]["body"][1]["inlines"][0]["text"], "Coalition strikes ISIS positions");
}

TEST(MattermostRequest, PostsMarkdownText) {
  const auto request = build_one(target_of(TargetType::mattermost), story_alert());
  const Json body = parse_json(request.body);
  EXPECT_THAT(body["text"].get<std::string>(),
              HasSubstr("**[Coalition strikes ISIS positions](https://news.example/world/coalition?id=7&lang=en)**"));
}

TEST(GoogleChatRequest, KeepsKeyAndTokenAndThreadsByStory) {
  const auto request = build_one(target_of(TargetType::googlechat), story_alert());
  EXPECT_EQ(request.url,
            "https://chat.googleapis.com/v1/spaces/AAA/messages?key=K&token=T"
            "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["thread"]["threadKey"], "story-1");
  const auto& card = body["cardsV2"][0]["card"];
  EXPECT_EQ(card["header"]["title"], "isis-coalition");
  EXPECT_THAT(card["sections"][0]["widgets"][0]["textParagraph"]["text"].get<std::string>(),
              HasSubstr("<b><a href=\"https://news.example/world/coalition?id=7&amp;lang=en\">"));
}

TEST(TelegramRequest, PostsHtmlToSendMessageWithAPreviewOfTheStory) {
  const auto request = build_one(target_of(TargetType::telegram), story_alert());
  EXPECT_EQ(request.url, "https://api.telegram.org/bot123456:ABC-DEF/sendMessage");
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["chat_id"], "-1001234567890");
  EXPECT_EQ(body["parse_mode"], "HTML");
  EXPECT_EQ(body["link_preview_options"]["url"], "https://news.example/world/coalition?id=7&lang=en");
  EXPECT_THAT(body["text"].get<std::string>(),
              HasSubstr("<b><a href=\"https://news.example/world/coalition?id=7&amp;lang=en\">Coalition strikes ISIS "
                        "positions</a></b>"));
}

TEST(TelegramRequest, UsesTheConfiguredApiServer) {
  auto target = target_of(TargetType::telegram);
  target.url = Secret("https://telegram.internal/", "");
  EXPECT_EQ(build_one(target, story_alert()).url, "https://telegram.internal/bot123456:ABC-DEF/sendMessage");
}

TEST(NtfyRequest, PutsTitleClickTagsAndPriorityInHeaders) {
  auto alert = story_alert();
  alert.title = "Koalisyon saldırısı";
  const auto request = build_one(target_of(TargetType::ntfy), alert);
  EXPECT_EQ(request.url, "https://ntfy.example/newswatch-alerts");
  EXPECT_EQ(header(request, "Title"), "=?UTF-8?B?" + base64_encode("Koalisyon saldırısı") + "?=");
  EXPECT_EQ(header(request, "Click"), "https://news.example/world/coalition?id=7&lang=en");
  EXPECT_EQ(header(request, "Tags"), "newspaper,isis-coalition");
  EXPECT_EQ(header(request, "Priority"), "4");
  EXPECT_EQ(header(request, "Markdown"), "yes");
  EXPECT_EQ(header(request, "Authorization"), "Bearer tk_secret");
  EXPECT_THAT(request.body, HasSubstr("Matched: **Coalition**"));
}

TEST(MatrixRequest, PutsANoticeWithTheAlertIdAsTransaction) {
  const auto request = build_one(target_of(TargetType::matrix), story_alert());
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.url,
            "https://matrix.example/_matrix/client/v3/rooms/%21room%3Amatrix.example/send/m.room.message/a1");
  EXPECT_EQ(header(request, "Authorization"), "Bearer syt_token");
  const Json body = parse_json(request.body);
  EXPECT_EQ(body["msgtype"], "m.notice");
  EXPECT_EQ(body["format"], "org.matrix.custom.html");
  EXPECT_EQ(body["m.mentions"], Json::object());
  EXPECT_THAT(body["body"].get<std::string>(), HasSubstr("Coalition strikes ISIS positions"));
  EXPECT_THAT(body["formatted_body"].get<std::string>(), HasSubstr("<br>"));
}

TEST(MatrixRequest, RefusesAnUnresolvedAlias) {
  auto target = target_of(TargetType::matrix);
  target.room = "#news:matrix.example";
  EXPECT_FALSE(build_requests(target, Message{MessageKind::story, {story_alert()}}, now).has_value());
}

TEST(ConsoleRequest, IsTextToPrint) {
  const auto request = build_one(target_of(TargetType::console), story_alert());
  EXPECT_TRUE(request.is_console());
  EXPECT_EQ(request.body,
            "isis-coalition\n    Coalition strikes ISIS positions\n    "
            "https://news.example/world/coalition?id=7&lang=en\n    trt-world · 2026-11-28 09:30 UTC\n    "
            "Matched: Coalition, ISIS\n    The coalition said the strikes hit ISIS positions overnight.\n    "
            "Also reported by: bbc-world");
}

class EveryTarget : public ::testing::TestWithParam<TargetType> {};

TEST_P(EveryTarget, NamesEveryRuleOfAStoryInOneMessage) {
  const Message message{MessageKind::story, {story_alert("a1", "isis-coalition"), story_alert("a2", "syria-watch")}};
  const auto requests = build_ok(target_of(GetParam()), message);
  ASSERT_EQ(requests.size(), 1U);
  const auto text = visible_text(GetParam(), requests[0]);
  EXPECT_THAT(text, HasSubstr("isis"));
  EXPECT_THAT(text, HasSubstr("syria"));
}

TEST_P(EveryTarget, MarksAnUpdatedStory) {
  auto alert = story_alert();
  alert.updated = true;
  const auto text = visible_text(GetParam(), build_one(target_of(GetParam()), alert));
  EXPECT_THAT(text, GetParam() == TargetType::webhook ? HasSubstr("\"updated\":true") : HasSubstr("(updated)"));
}

TEST_P(EveryTarget, ShowsAStoryWithoutLinkOrDate) {
  auto alert = story_alert();
  alert.link = "javascript:alert(1)";
  alert.published.reset();
  alert.also.clear();
  alert.why.clear();
  alert.summary.clear();
  const auto request = build_one(target_of(GetParam()), alert);
  EXPECT_THAT(visible_text(GetParam(), request), HasSubstr("Coalition strikes ISIS positions"));
  if (GetParam() != TargetType::webhook) {
    EXPECT_THAT(request.body, Not(HasSubstr("javascript:")));
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, EveryTarget, ::testing::ValuesIn(all_target_types),
                         [](const auto& param_info) { return type_name(param_info.param); });

// Titles and summaries a feed may carry. None may break a message, format it, or mention anyone.
struct HostileCase {
  std::string name;
  std::string text;
};

const HostileCase hostile_cases[] = {
    {"Html", "<script>alert(1)</script> <b>bold</b> &amp; <a href=\"https://evil.example\">x</a>"},
    {"Markdown", "**bold** _it_ ~~strike~~ `code` [link](https://evil.example) # heading > quote ||spoiler||"},
    {"Mentions", "@everyone @here <@123> <@&456> <!channel> <!here> @room @channel <users/all>"},
    {"SlackLink", "<https://evil.example|click me>"},
    {"TelegramTags", "</b></a><a href=\"tg://user?id=1\">x</a>"},
    {"RightToLeft",
     "\xE2\x80\xAE"
     "evil\xE2\x80\xAC \xD7\xA2\xD7\x91\xD7\xA8\xD7\x99\xD7\xAA \xD8\xA7\xD9\x84\xD8\xB9"},
    {"Emoji",
     "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 \xF0\x9F\x87\xBA\xF0\x9F\x87\xB3"},
    {"InvalidUtf8", "bad \xC3\x28 \xFF \xED\xA0\x80 bytes"},
    {"Controls", "\x1B[31mred\x1B[0m \x07 bell\r\nnew line\x00 nul"},
};

class HostileText : public ::testing::TestWithParam<std::tuple<TargetType, HostileCase>> {};

TEST_P(HostileText, NeverBreaksFormatsOrMentions) {
  const auto& [type, test] = GetParam();
  auto alert = story_alert();
  alert.title = test.text;
  alert.summary = test.text;
  alert.why = {{"title", {{0, 3}}, {test.text.substr(0, 3)}}};
  alert.also = {{"other", test.text, "https://other.example/x"}};
  const auto request = build_one(target_of(type), alert);
  ASSERT_TRUE(text::is_valid_utf8(request.body));
  for (const auto& [name, value] : request.headers) {
    EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos) << name;
  }
  if (type != TargetType::console && type != TargetType::ntfy) {
    parse_json(request.body);
  }
  EXPECT_THAT(limit_violations(type, request), ::testing::IsEmpty());
  if (type == TargetType::webhook) {
    return;  // Webhooks carry the feed's text as data, only repaired to valid UTF-8.
  }
  const std::string text = visible_text(type, request);
  const std::string markup = visible_text(type, request, true);
  EXPECT_THAT(text, Not(HasSubstr("\xE2\x80\xAE"))) << "right-to-left override survived";
  EXPECT_THAT(text, Not(HasSubstr("\x1B"))) << "terminal escape survived";
  // Teams, ntfy and the console have no mention syntax a text could carry (Teams needs
  // msteams.entities); everywhere else no "@" may start a mention, in any field.
  const bool has_mentions = type != TargetType::teams && type != TargetType::ntfy && type != TargetType::console;
  if (has_mentions) {
    EXPECT_FALSE(has_live_at_sign(text)) << text;
  }
  switch (type) {
    case TargetType::slack:
      for (const char* needle : {"<https://evil", "<!channel>", "<!here>", "<@123>", "<script", "*bold*", "_it_"}) {
        EXPECT_THAT(markup, Not(HasSubstr(needle))) << needle;
      }
      break;
    case TargetType::discord:
    case TargetType::mattermost:
    case TargetType::ntfy:
      for (const char* needle :
           {"<script", "<b>", "**bold**", "[link", "||spoiler", "<@", "`code", "# heading", "> quote", "&amp;"}) {
        EXPECT_FALSE(has_unescaped(markup, needle)) << needle << " in " << markup;
      }
      break;
    case TargetType::telegram:
    case TargetType::googlechat:
    case TargetType::matrix:
      for (const char* needle :
           {"<script", "<b>bold", "href=\"https://evil", "href=\"tg://", "</a><a", "<users/all>", "<@123>"}) {
        EXPECT_THAT(markup, Not(HasSubstr(needle))) << needle;
      }
      break;
    default: break;
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, HostileText,
                         ::testing::Combine(::testing::ValuesIn(all_target_types), ::testing::ValuesIn(hostile_cases)),
                         [](const auto& param_info) {
                           return type_name(std::get<0>(param_info.param)) + "_" + std::get<1>(param_info.param).name;
                         });

/// About 10 KB of text in many scripts, with emoji sequences and combining marks.
std::string multilingual(std::size_t bytes) {
  static const std::string pieces[] = {
      "Coalition talks in Geneva ",
      "\xD8\xA7\xD9\x84\xD8\xAA\xD8\xAD\xD8\xA7\xD9\x84\xD9\x81 \xD8\xA7\xD9\x84\xD8\xAF\xD9\x88\xD9\x84\xD9\x8A ",
      "\xE8\x81\x94\xE7\x9B\x9F\xE4\xBC\x9A\xE8\xB0\x88 ",
      "\xD0\x9A\xD0\xBE\xD0\xB0\xD0\xBB\xD0\xB8\xD1\x86\xD0\xB8\xD1\x8F ",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 ",
      "\xF0\x9F\x87\xBA\xF0\x9F\x87\xB3 ",
      "Koalisyon sald\xC4\xB1r\xC4\xB1s\xC4\xB1 ",
      "\xE0\xA4\x97\xE0\xA4\xA0\xE0\xA4\xAC\xE0\xA4\x82\xE0\xA4\xA7\xE0\xA4\xA8 ",
      "e\xCC\x81\xCC\x81 ",
      "\xD7\xA7\xD7\x95\xD7\x90\xD7\x9C\xD7\x99\xD7\xA6\xD7\x99\xD7\x94 ",
  };
  std::string text;
  for (std::size_t i = 0; text.size() < bytes; ++i) {
    text += pieces[i % std::size(pieces)];
  }
  return text;
}

Alert huge_alert(std::size_t n) {
  auto alert = story_alert("a" + std::to_string(n), "rule-" + std::to_string(n));
  alert.story = "story-" + std::to_string(n);
  alert.title = multilingual(10 * 1024);
  alert.summary = multilingual(10 * 1024);
  alert.link = "https://news.example/a/" + std::to_string(n) + "?x=1&y=2";
  alert.why.clear();
  for (int i = 0; i < 40; ++i) {
    alert.why.push_back({"summary", {}, {"word" + std::to_string(i) + " " + multilingual(200)}});
  }
  alert.also.clear();
  for (int i = 0; i < 30; ++i) {
    alert.also.push_back({multilingual(300), multilingual(1000), "https://other.example/" + std::to_string(i)});
  }
  return alert;
}

/// A digest line only shows the title: no need for the rest to be huge.
Alert huge_title_alert(std::size_t n) {
  auto alert = story_alert("a" + std::to_string(n), "rule-" + std::to_string(n));
  alert.story = "story-" + std::to_string(n);
  alert.title = multilingual(10 * 1024);
  alert.link = "https://news.example/a/" + std::to_string(n) + "?x=1&y=2";
  return alert;
}

class TenKilobytes : public ::testing::TestWithParam<TargetType> {};

TEST_P(TenKilobytes, StoryStaysWithinLimitsAndKeepsTheLink) {
  const auto type = GetParam();
  const Message message{MessageKind::story, {huge_alert(1), huge_alert(2)}};
  const auto requests = build_ok(target_of(type), message);
  ASSERT_EQ(requests.size(), 1U);
  const auto& request = requests[0];
  EXPECT_TRUE(text::is_valid_utf8(request.body));
  EXPECT_THAT(limit_violations(type, request), ::testing::IsEmpty());
  const bool escapes_ampersand = type == TargetType::slack || type == TargetType::telegram ||
                                 type == TargetType::googlechat || type == TargetType::matrix;
  EXPECT_THAT(
      request.body + header(request, "Click"),
      HasSubstr(escapes_ampersand ? "https://news.example/a/1?x=1&amp;y=2" : "https://news.example/a/1?x=1&y=2"));
  if (type != TargetType::webhook) {
    EXPECT_THAT(visible_text(type, request), HasSubstr("\xE2\x80\xA6")) << "a cut text ends with an ellipsis";
  }
}

TEST_P(TenKilobytes, DigestSplitsOnlyAsTheLimitRequiresAndKeepsEveryLink) {
  const auto type = GetParam();
  std::vector<Alert> alerts;
  for (std::size_t i = 0; i < 120; ++i) {
    alerts.push_back(huge_title_alert(i));
  }
  const auto requests = build_ok(target_of(type), make_digest(alerts));
  ASSERT_FALSE(requests.empty());
  std::string all;
  for (const auto& request : requests) {
    EXPECT_TRUE(text::is_valid_utf8(request.body));
    EXPECT_THAT(limit_violations(type, request), ::testing::IsEmpty());
    all += request.body;
  }
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    const std::string link = "https://news.example/a/" + std::to_string(i) + "?x=1";
    EXPECT_THAT(all, HasSubstr(link)) << type_name(type) << " lost " << link;
  }
  if (type == TargetType::webhook || type == TargetType::console || type == TargetType::slack) {
    EXPECT_EQ(requests.size(), 1U);  // No limit, or (Slack) 50 sections of 3,000 characters hold it.
  } else {
    EXPECT_GT(requests.size(), 1U);
  }
}

TEST_P(TenKilobytes, ShortDigestIsOneMessage) {
  std::vector<Alert> alerts;
  for (std::size_t i = 0; i < 5; ++i) {
    auto alert = story_alert("d" + std::to_string(i));
    alert.story = "s" + std::to_string(i);
    alerts.push_back(alert);
  }
  const auto requests = build_ok(target_of(GetParam()), make_digest(alerts));
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_THAT(limit_violations(GetParam(), requests[0]), ::testing::IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Targets, TenKilobytes, ::testing::ValuesIn(all_target_types),
                         [](const auto& param_info) { return type_name(param_info.param); });

TEST(SlackRequest, SplitsADigestLongerThanFiftySections) {
  std::vector<Alert> alerts;
  for (std::size_t i = 0; i < 700; ++i) {
    auto alert = story_alert("d" + std::to_string(i));
    alert.story = "s" + std::to_string(i);
    alert.title = multilingual(400);
    alert.link = "https://news.example/d/" + std::to_string(i);
    alerts.push_back(std::move(alert));
  }
  const auto requests = build_ok(target_of(TargetType::slack), make_digest(alerts));
  ASSERT_GT(requests.size(), 1U);
  std::string all;
  for (const auto& request : requests) {
    EXPECT_THAT(limit_violations(TargetType::slack, request), ::testing::IsEmpty());
    all += request.body;
  }
  EXPECT_THAT(all, HasSubstr("https://news.example/d/699|"));
  EXPECT_THAT(all, HasSubstr("Digest: 700 stories"));
}

TEST(BuildRequests, RefusesAnEmptyMessage) {
  EXPECT_FALSE(build_requests(target_of(TargetType::slack), Message{}, now).has_value());
}

TEST(BuildRequests, DigestPagesToMatrixHaveTheirOwnTransactions) {
  std::vector<Alert> alerts;
  for (std::size_t i = 0; i < 120; ++i) {
    alerts.push_back(huge_title_alert(i));
  }
  const auto requests = build_ok(target_of(TargetType::matrix), make_digest(alerts));
  ASSERT_GT(requests.size(), 1U);
  EXPECT_NE(requests[0].url, requests[1].url);
  EXPECT_TRUE(requests[1].url.ends_with("-2"));
}

}  // namespace
}  // namespace newswatch::alert
