#include "newswatch/config/target_shorthand.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newswatch::config {
namespace {

struct ShorthandCase {
  std::string name;
  std::string url;
  TargetType type;
  std::string expanded;
  std::string token;
  std::string chat_id;
  std::string room;
};

class Shorthand : public ::testing::TestWithParam<ShorthandCase> {};

TEST_P(Shorthand, ExpandsToTheTargetItNames) {
  const auto& test = GetParam();
  ASSERT_TRUE(is_target_shorthand(test.url));
  const auto parsed = parse_target_shorthand(test.url);
  ASSERT_TRUE(parsed.has_value()) << parsed.error();
  EXPECT_EQ(parsed->type, test.type);
  EXPECT_EQ(parsed->url, test.expanded);
  EXPECT_EQ(parsed->token, test.token);
  EXPECT_EQ(parsed->chat_id, test.chat_id);
  EXPECT_EQ(parsed->room, test.room);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Shorthand,
    ::testing::Values(ShorthandCase{"Discord", "discord://1234567890/AbC-dEf_123", TargetType::discord,
                                    "https://discord.com/api/webhooks/1234567890/AbC-dEf_123", "", "", ""},
                      ShorthandCase{"DiscordWithBotName", "discord://newsbot@42/tok", TargetType::discord,
                                    "https://discord.com/api/webhooks/42/tok", "", "", ""},
                      ShorthandCase{"Telegram", "tgram://123456:ABC-DEF_ghi/-1001234567890", TargetType::telegram, "",
                                    "123456:ABC-DEF_ghi", "-1001234567890", ""},
                      ShorthandCase{"TelegramChannel", "tgram://123456:ABC/@newsroom", TargetType::telegram, "",
                                    "123456:ABC", "@newsroom", ""},
                      ShorthandCase{"Ntfy", "ntfy://ntfy.example:8080/alerts", TargetType::ntfy,
                                    "http://ntfy.example:8080/alerts", "", "", ""},
                      ShorthandCase{"NtfySecureWithToken", "ntfys://tk_abc@ntfy.example/alerts", TargetType::ntfy,
                                    "https://ntfy.example/alerts", "tk_abc", "", ""},
                      ShorthandCase{"NtfyCloudTopic", "ntfy://newswatch-alerts", TargetType::ntfy,
                                    "https://ntfy.sh/newswatch-alerts", "", "", ""},
                      ShorthandCase{"Json", "json://hooks.example:8000/in/news?team=a", TargetType::webhook,
                                    "http://hooks.example:8000/in/news?team=a", "", "", ""},
                      ShorthandCase{"JsonSecure", "jsons://hooks.example/in", TargetType::webhook,
                                    "https://hooks.example/in", "", "", ""},
                      ShorthandCase{"Slack", "slack://T1234/B5678/XyZ987", TargetType::slack,
                                    "https://hooks.slack.com/services/T1234/B5678/XyZ987", "", "", ""},
                      ShorthandCase{"Mattermost", "mmost://chat.example/abcdef", TargetType::mattermost,
                                    "http://chat.example/hooks/abcdef", "", "", ""},
                      ShorthandCase{"MattermostSecureWithPath", "mmosts://chat.example:8443/team/abcdef",
                                    TargetType::mattermost, "https://chat.example:8443/team/hooks/abcdef", "", "", ""},
                      ShorthandCase{"MatrixAlias", "matrixs://syt_token@matrix.example/#news", TargetType::matrix,
                                    "https://matrix.example", "syt_token", "", "#news:matrix.example"},
                      ShorthandCase{"MatrixRoomId", "matrix://syt_token@matrix.example:8008/!abc:matrix.example",
                                    TargetType::matrix, "http://matrix.example:8008", "syt_token", "",
                                    "!abc:matrix.example"},
                      ShorthandCase{"MatrixEncodedAlias", "matrixs://tok@m.example/%23ops:other.example",
                                    TargetType::matrix, "https://m.example", "tok", "", "#ops:other.example"}),
    [](const auto& param_info) { return param_info.param.name; });

struct BadShorthandCase {
  std::string name;
  std::string url;
  std::string error;
};

class BadShorthand : public ::testing::TestWithParam<BadShorthandCase> {};

TEST_P(BadShorthand, SaysWhatIsWrong) {
  const auto parsed = parse_target_shorthand(GetParam().url);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_THAT(parsed.error(), ::testing::HasSubstr(GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadShorthand,
    ::testing::Values(BadShorthandCase{"DiscordWithoutToken", "discord://1234", "discord://WEBHOOK_ID/WEBHOOK_TOKEN"},
                      BadShorthandCase{"DiscordIdNotNumeric", "discord://abc/tok", "discord://WEBHOOK_ID"},
                      BadShorthandCase{"TelegramBadToken", "tgram://nocolon/123", "bot token like"},
                      BadShorthandCase{"TelegramTwoChats", "tgram://1:abc/1/2", "exactly one chat"},
                      BadShorthandCase{"NtfyPassword", "ntfys://user:pass@host/topic", "access token"},
                      BadShorthandCase{"SlackChannel", "slack://T1/B2/C3/#general", "leave out #channel"},
                      BadShorthandCase{"SlackShort", "slack://T1/B2", "slack://TOKEN_A/TOKEN_B/TOKEN_C"},
                      BadShorthandCase{"MatrixPassword", "matrixs://user:pass@host/#room", "not supported"},
                      BadShorthandCase{"MatrixNoRoom", "matrixs://tok@host", "name one room"},
                      BadShorthandCase{"Options", "discord://1/t?avatar=no", "options after '?'"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(IsTargetShorthand, LeavesHttpUrlsAlone) {
  EXPECT_FALSE(is_target_shorthand("https://hooks.slack.com/services/T/B/X"));
  EXPECT_FALSE(is_target_shorthand("env:SLACK"));
  EXPECT_TRUE(is_target_shorthand("TGRAM://1:a/2"));
}

}  // namespace
}  // namespace newswatch::config
