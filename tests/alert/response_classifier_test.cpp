#include "newswatch/alert/response_classifier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

using config::TargetType;
using std::chrono::milliseconds;

const TimePoint now{std::chrono::seconds{1800000000}};

struct ResponseCase {
  std::string name;
  TargetType type;
  long status;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Verdict verdict;
  std::optional<milliseconds> retry_after;
  std::string error;
};

class ClassifyResponse : public ::testing::TestWithParam<ResponseCase> {};

TEST_P(ClassifyResponse, ReadsEachPlatformsAnswer) {
  const auto& test = GetParam();
  net::HttpHeaders headers;
  for (const auto& [name, value] : test.headers) {
    headers.add(name, value);
  }
  const auto outcome = classify_response(test.type, test.status, headers, test.body, now);
  EXPECT_EQ(outcome.verdict, test.verdict) << to_string(outcome.verdict);
  EXPECT_EQ(outcome.retry_after, test.retry_after);
  EXPECT_EQ(outcome.error, test.error);
}

INSTANTIATE_TEST_SUITE_P(
    Platforms, ClassifyResponse,
    ::testing::Values(
        ResponseCase{"SlackOk", TargetType::slack, 200, {}, "ok", Verdict::delivered, std::nullopt, ""},
        ResponseCase{"SlackNoService",
                     TargetType::slack,
                     404,
                     {},
                     "no_service",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 404 no_service"},
        ResponseCase{"SlackRateLimited",
                     TargetType::slack,
                     429,
                     {{"Retry-After", "30"}},
                     "rate_limited",
                     Verdict::retry,
                     milliseconds{30000},
                     "HTTP 429 rate_limited"},
        ResponseCase{"DiscordUnknownWebhook",
                     TargetType::discord,
                     404,
                     {},
                     R"({"message": "Unknown Webhook", "code": 10015})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 404 Unknown Webhook"},
        ResponseCase{"DiscordRateLimited",
                     TargetType::discord,
                     429,
                     {{"Retry-After", "1"}, {"X-RateLimit-Reset-After", "1.2"}},
                     R"({"message": "You are being rate limited.", "retry_after": 0.645, "global": false})",
                     Verdict::retry,
                     milliseconds{1200},
                     "HTTP 429 You are being rate limited."},
        ResponseCase{"DiscordFormError",
                     TargetType::discord,
                     400,
                     {},
                     R"({"code": 50035, "errors": {"embeds": {"0": {"description": {"_errors": [{"code": )"
                     R"("BASE_TYPE_MAX_LENGTH", "message": "Must be 4096 or fewer in length."}]}}}}, "message": )"
                     R"("Invalid Form Body"})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 400 Invalid Form Body (embeds.0.description: Must be 4096 or fewer in length.)"},
        ResponseCase{"TelegramRetryAfter",
                     TargetType::telegram,
                     429,
                     {},
                     R"({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 5", )"
                     R"("parameters": {"retry_after": 5}})",
                     Verdict::retry,
                     milliseconds{5000},
                     "HTTP 429 Too Many Requests: retry after 5"},
        ResponseCase{"TelegramChatMigrated",
                     TargetType::telegram,
                     400,
                     {},
                     R"({"ok": false, "error_code": 400, "description": "Bad Request: group chat was upgraded to a )"
                     R"(supergroup chat", "parameters": {"migrate_to_chat_id": -1001234}})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 400 Bad Request: group chat was upgraded to a supergroup chat (the group is now chat "
                     "-1001234; set chat_id to it)"},
        ResponseCase{"MatrixLimitExceeded",
                     TargetType::matrix,
                     429,
                     {},
                     R"({"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 2000})",
                     Verdict::retry,
                     milliseconds{2000},
                     "HTTP 429 M_LIMIT_EXCEEDED: Too many requests"},
        ResponseCase{"MatrixLimitExceededForAQuarterSecond",
                     TargetType::matrix,
                     429,
                     {},
                     R"({"errcode": "M_LIMIT_EXCEEDED", "error": "Too many requests", "retry_after_ms": 250})",
                     Verdict::retry,
                     milliseconds{250},
                     "HTTP 429 M_LIMIT_EXCEEDED: Too many requests"},
        ResponseCase{"MatrixForbidden",
                     TargetType::matrix,
                     403,
                     {},
                     R"({"errcode": "M_FORBIDDEN", "error": "You are not in this room."})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 403 M_FORBIDDEN: You are not in this room."},
        ResponseCase{"GoogleChatInvalid",
                     TargetType::googlechat,
                     400,
                     {},
                     R"({"error": {"code": 400, "message": "Invalid JSON payload", "status": "INVALID_ARGUMENT"}})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 400 INVALID_ARGUMENT: Invalid JSON payload"},
        ResponseCase{"TeamsAccepted", TargetType::teams, 202, {}, "", Verdict::delivered, std::nullopt, ""},
        ResponseCase{"NtfyLimited",
                     TargetType::ntfy,
                     429,
                     {},
                     R"({"code": 42901, "http": 429, "error": "limit reached: too many requests"})",
                     Verdict::retry,
                     std::nullopt,
                     "HTTP 429 limit reached: too many requests"},
        ResponseCase{"MattermostBadRequest",
                     TargetType::mattermost,
                     400,
                     {},
                     R"({"id": "web.incoming_webhook.parse.app_error", "message": "Unable to parse incoming data", )"
                     R"("status_code": 400})",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 400 Unable to parse incoming data"},
        ResponseCase{"WebhookRetryAfterDate",
                     TargetType::webhook,
                     503,
                     {{"Retry-After", "Fri, 15 Jan 2027 08:00:30 GMT"}},
                     "",
                     Verdict::retry,
                     milliseconds{30000},
                     "HTTP 503 Service Unavailable"},
        ResponseCase{"WebhookTimeout",
                     TargetType::webhook,
                     408,
                     {},
                     "",
                     Verdict::retry,
                     std::nullopt,
                     "HTTP 408 Request Timeout"},
        ResponseCase{"WebhookServerError",
                     TargetType::webhook,
                     500,
                     {},
                     "boom\nstack trace",
                     Verdict::retry,
                     std::nullopt,
                     "HTTP 500 boom"},
        ResponseCase{"WebhookRedirectIsPermanent",
                     TargetType::webhook,
                     301,
                     {},
                     "",
                     Verdict::permanent,
                     std::nullopt,
                     "HTTP 301 Moved Permanently"},
        ResponseCase{
            "WebhookGone", TargetType::webhook, 410, {}, "", Verdict::permanent, std::nullopt, "HTTP 410 Gone"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(ClassifyResponse, KeepsErrorTextToOneShortLine) {
  const std::string page = "<html>\n<body>" + std::string(10000, 'x') + "</body></html>";
  const auto outcome = classify_response(TargetType::webhook, 502, {}, page, now);
  EXPECT_EQ(outcome.error.find('\n'), std::string::npos);
  EXPECT_LE(outcome.error.size(), 320U);
}

TEST(ClassifyResponse, PausesAfterDiscordEmptiesItsBucket) {
  net::HttpHeaders headers;
  headers.add("X-RateLimit-Remaining", "0");
  headers.add("X-RateLimit-Reset-After", "1.5");
  const auto outcome = classify_response(TargetType::discord, 200, headers, "{}", now);
  EXPECT_EQ(outcome.verdict, Verdict::delivered);
  EXPECT_EQ(outcome.pause, milliseconds{1500});
}

TEST(ClassifyTransportError, RetriesOutagesButNotRefusedUrls) {
  EXPECT_EQ(classify_transport_error(net::TransportError::timed_out, "Operation timed out").verdict, Verdict::retry);
  EXPECT_EQ(classify_transport_error(net::TransportError::connect_failed, "refused").verdict, Verdict::retry);
  const auto refused = classify_transport_error(net::TransportError::scheme_refused, "ftp");
  EXPECT_EQ(refused.verdict, Verdict::permanent);
  EXPECT_EQ(refused.error, "scheme_refused: ftp");
}

TEST(Classify, UsesTheTransportErrorWhenNoAnswerCame) {
  net::HttpResponse response;
  response.error = net::TransportError::resolve_failed;
  response.error_text = "Could not resolve host";
  EXPECT_EQ(classify(TargetType::slack, response, now).verdict, Verdict::retry);
  response.error = net::TransportError::none;
  response.status = 200;
  EXPECT_EQ(classify(TargetType::slack, response, now).verdict, Verdict::delivered);
}

}  // namespace
}  // namespace newswatch::alert
