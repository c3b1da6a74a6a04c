#include "newswatch/alert/http_courier.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "newswatch/alert/matrix_room.hpp"
#include "support/platform_emulator.hpp"
#include "support/run_loop.hpp"
#include "support/simulated_clock.hpp"

namespace newswatch::alert {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using config::TargetType;
using testing::PlatformAnswer;
using testing::PlatformEmulator;

const TimePoint now = sys_days{year{2026} / March / 2} + 10h;

Alert story_alert() {
  Alert alert;
  alert.id = "alert-1";
  alert.rule = "isis";
  alert.story = "0000000000000007";
  alert.feed = "wire";
  alert.title = "Coalition talks resume";
  alert.link = "https://wire.example/talks";
  alert.created = now;
  return alert;
}

/// A target of `type` pointed at the test server, and the path its message goes to.
std::pair<config::Target, std::string> target_for(TargetType type, const testing::HttpServer& server) {
  config::Target target;
  target.name = "desk";
  target.type = type;
  std::string path = "/hook";
  switch (type) {
    case TargetType::telegram:
      target.url = Secret(server.url(""), "");
      target.token = Secret("123:abc", "");
      target.chat_id = "-100123";
      path = "/bot123:abc/sendMessage";
      break;
    case TargetType::matrix:
      target.url = Secret(server.url(""), "");
      target.token = Secret("syt_token", "");
      target.room = "!room:example.org";
      path = "/_matrix/client/v3/rooms/" + percent_encode_segment(target.room) + "/send/m.room.message/alert-1";
      break;
    default: target.url = Secret(server.url(path), ""); break;
  }
  return {target, path};
}

struct PlatformCase {
  TargetType type;
  const char* bad_request_text;  ///< What the platform's 400 says, as the log must show it.
};

class AlertHttpCourierPlatforms : public ::testing::TestWithParam<PlatformCase> {
 protected:
  SendResult send_once(const config::Target& target) {
    std::optional<SendResult> result;
    courier_.send(target, Message{MessageKind::story, {story_alert()}},
                  [&result](SendResult done) { result = std::move(done); });
    EXPECT_TRUE(testing::run_until(
        io_, [&result] { return result.has_value(); }, 20s));
    return result.value_or(SendResult{SendResult::Kind::retry, 0, "no answer", {}, std::nullopt, std::nullopt});
  }

  testing::HttpServer server_;
  boost::asio::io_context io_;
  testing::SimulatedClock clock_{io_, Instant{now}};
  net::HttpClient client_{io_};
  HttpCourier courier_{client_, clock_};
};

TEST_P(AlertHttpCourierPlatforms, ReadsEachAnswerInThePlatformsOwnFormat) {
  const auto [target, path] = target_for(GetParam().type, server_);
  PlatformEmulator platform(server_, GetParam().type, path);
  platform.script(
      {PlatformAnswer::rate_limited, PlatformAnswer::bad_request, PlatformAnswer::server_error, PlatformAnswer::slow},
      7s);

  const auto limited = send_once(target);
  EXPECT_EQ(limited.kind, SendResult::Kind::retry);
  EXPECT_EQ(limited.status, 429);
  ASSERT_TRUE(limited.not_before) << limited.detail;
  EXPECT_EQ(*limited.not_before, now + 7s) << "the platform's wait, wherever it puts it";

  const auto refused = send_once(target);
  EXPECT_EQ(refused.kind, SendResult::Kind::permanent);
  EXPECT_THAT(refused.detail, ::testing::StartsWith("HTTP 400 "));
  EXPECT_THAT(refused.detail, ::testing::HasSubstr(GetParam().bad_request_text));

  const auto down = send_once(target);
  EXPECT_EQ(down.kind, SendResult::Kind::retry);
  EXPECT_EQ(down.status, 503);

  const auto slow = send_once(target);
  EXPECT_EQ(slow.kind, SendResult::Kind::delivered) << slow.detail;
  EXPECT_GE(slow.status, 200);
  EXPECT_LT(slow.status, 300);
  EXPECT_EQ(platform.received().size(), 4U);
}

INSTANTIATE_TEST_SUITE_P(Table, AlertHttpCourierPlatforms,
                         ::testing::Values(PlatformCase{TargetType::webhook, "bad payload"},
                                           PlatformCase{TargetType::slack, "invalid_payload"},
                                           PlatformCase{TargetType::discord, "Invalid Form Body"},
                                           PlatformCase{TargetType::teams, "The request content was not valid"},
                                           PlatformCase{TargetType::mattermost, "Invalid webhook."},
                                           PlatformCase{TargetType::googlechat, "Invalid JSON payload received."},
                                           PlatformCase{TargetType::telegram, "Bad Request: chat not found"},
                                           PlatformCase{TargetType::ntfy, "invalid request"},
                                           PlatformCase{TargetType::matrix, "M_BAD_JSON"}),
                         [](const ::testing::TestParamInfo<PlatformCase>& param_info) {
                           return std::string(config::target_type_name(param_info.param.type));
                         });

TEST(AlertHttpCourier, ResolvesAMatrixRoomAliasOnceAndSendsToTheRoomId) {
  testing::HttpServer server;
  boost::asio::io_context io;
  testing::SimulatedClock clock(io, Instant{now});
  net::HttpClient client(io);
  HttpCourier courier(client, clock);
  config::Target target;
  target.name = "ops";
  target.type = TargetType::matrix;
  target.url = Secret(server.url(""), "");
  target.token = Secret("syt_token", "");
  target.room = "#news:example.org";
  server.on("/_matrix/client/v3/directory/room/" + percent_encode_segment(target.room),
            testing::ScriptedResponse::text(200, R"({"room_id":"!abc:example.org","servers":["example.org"]})",
                                            "application/json"));
  const std::string send_path =
      "/_matrix/client/v3/rooms/" + percent_encode_segment("!abc:example.org") + "/send/m.room.message/alert-1";
  PlatformEmulator room(server, TargetType::matrix, send_path);

  for (int i = 0; i < 2; ++i) {
    std::optional<SendResult> result;
    courier.send(target, Message{MessageKind::story, {story_alert()}},
                 [&result](SendResult done) { result = std::move(done); });
    ASSERT_TRUE(testing::run_until(
        io, [&result] { return result.has_value(); }, 20s));
    EXPECT_EQ(result->kind, SendResult::Kind::delivered) << result->detail;
  }
  EXPECT_EQ(server.request_count("/_matrix/client/v3/directory/room/" + percent_encode_segment(target.room)), 1U);
  const auto sent = room.received();
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(sent[0].header("Authorization"), "Bearer syt_token");
  EXPECT_EQ(room.accepted_keys(), (std::vector<std::string>{"alert-1", "alert-1"}))
      << "the txnId is the alert id, so the homeserver sees one event";
}

}  // namespace
}  // namespace newswatch::alert
