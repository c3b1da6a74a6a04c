// once and send-test against a local webhook receiver, through the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/http_server.hpp"
#include "support/platform_emulator.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace newswatch::app {
namespace {

using ::testing::HasSubstr;
using testing::HttpServer;
using testing::PlatformAnswer;
using testing::PlatformEmulator;
using testing::run_newswatch;
using testing::ScriptedResponse;
using testing::TempDir;

const std::string wire_feed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>Wire</description>
<item><title>ISIS coalition jets strike oil depots near Raqqa</title><link>https://wire.example/raqqa</link>
<guid isPermaLink="false">w-1</guid></item>
<item><title>Parliament votes on funding for the ISIS coalition mission after long debate</title>
<link>https://wire.example/parliament</link><guid isPermaLink="false">w-2</guid></item>
<item><title>Foreign ministers of the ISIS coalition gather in Paris to discuss sanctions</title>
<link>https://wire.example/paris</link><guid isPermaLink="false">w-3</guid></item>
</channel></rss>
)";

class DeliverEndToEnd : public ::testing::Test {
 protected:
  DeliverEndToEnd() {
    server_.on("/wire", [](const testing::ReceivedRequest& request) {
      if (request.header("If-None-Match") == "\"w-1\"") {
        return ScriptedResponse::text(304, "");
      }
      return ScriptedResponse::text(200, wire_feed, "application/rss+xml").with_header("ETag", "\"w-1\"");
    });
  }

  std::string write_config(const std::string& extra_target = "") {
    const std::string toml =
        "[daemon]\nstate_dir = \"" + (dir_.path() / "state").string() +
        "\"\nlog_level = \"warn\"\nmax_item_age = \"36500d\"\n\n"
        "[[feed]]\nname = \"wire\"\nbaseline = false\nurl = \"" +
        server_.url("/wire") + "\"\n\n[[target]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"" +
        server_.url("/hook") + "\"\nsecret = \"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"\n\n" + extra_target +
        "[[rule]]\nname = \"isis-coalition\"\nquery = '\"ISIS coalition\"'\ntargets = [\"hook\"]\n";
    return dir_.write("newswatch.toml", toml).string();
  }

  TempDir dir_;
  HttpServer server_;
  PlatformEmulator receiver_{server_, config::TargetType::webhook, "/hook"};
};

TEST_F(DeliverEndToEnd, OnceDeliversEachNewAlertSignedToAWebhook) {
  const auto config = write_config();
  const auto result = run_newswatch({"once", "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto keys = receiver_.accepted_keys();
  ASSERT_EQ(keys.size(), 3U) << result.err;
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 3U);
  for (const auto& request : receiver_.received()) {
    EXPECT_THAT(request.header("webhook-signature"), ::testing::StartsWith("v1,"));
    EXPECT_FALSE(request.header("webhook-timestamp").empty());
    const auto body = nlohmann::json::parse(request.body);
    EXPECT_EQ(body["data"]["rule"], "isis-coalition");
    EXPECT_EQ(body["data"]["id"], request.header("webhook-id"));
  }
  EXPECT_THAT(result.err, HasSubstr("deliver: hook (webhook): 3 sent"));

  const auto again = run_newswatch({"once", "--config", config});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(receiver_.accepted_keys().size(), 3U) << "what was sent is not sent again";
}

TEST_F(DeliverEndToEnd, OnceAfterAnOutageSendsWhatWasLeftExactlyOnce) {
  const auto config = write_config();
  receiver_.always(PlatformAnswer::server_error);
  const auto during = run_newswatch({"once", "--config", config, "--deliver-timeout", "2s"});
  ASSERT_EQ(during.exit_code, 0) << "a failing target is not newswatch's failure\n" << during.err;
  EXPECT_THAT(during.err, HasSubstr("3 still queued"));
  EXPECT_THAT(during.err, HasSubstr("HTTP 503"));
  EXPECT_FALSE(receiver_.received().empty());
  EXPECT_TRUE(receiver_.accepted_keys().empty());

  receiver_.recover();
  const auto after = run_newswatch({"once", "--config", config});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  const auto keys = receiver_.accepted_keys();
  ASSERT_EQ(keys.size(), 3U) << after.err;
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 3U) << "each alert arrives once";
  EXPECT_THAT(after.err, HasSubstr("3 sent"));
}

TEST_F(DeliverEndToEnd, OnceNamesADeadTargetAndStillExitsZero) {
  const auto config = write_config();
  receiver_.always(PlatformAnswer::not_found);
  const auto result = run_newswatch({"once", "--config", config});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("deliver: hook (webhook): 0 sent, 3 dead (HTTP 404 no such hook)"));
  EXPECT_THAT(result.err, HasSubstr("webhook target \"hook\": HTTP 404 no such hook; alert dead"));
  EXPECT_EQ(receiver_.received().size(), 3U) << "a permanent error is not retried";
}

TEST_F(DeliverEndToEnd, OnceDryRunSendsNothing) {
  const auto config = write_config();
  const auto result = run_newswatch({"once", "--config", config, "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(receiver_.received().empty());
}

TEST_F(DeliverEndToEnd, SendTestPrintsTheStatusAndThePlatformsAnswer) {
  const auto config = write_config();
  const auto delivered = run_newswatch({"send-test", "--config", config, "hook"});
  EXPECT_EQ(delivered.exit_code, 0) << delivered.err;
  EXPECT_THAT(delivered.out, HasSubstr("HTTP 200 OK"));
  ASSERT_EQ(receiver_.received().size(), 1U);
  const auto body = nlohmann::json::parse(receiver_.received()[0].body);
  EXPECT_EQ(body["data"]["rule"], "sample-rule");

  receiver_.always(PlatformAnswer::not_found);
  const auto refused = run_newswatch({"send-test", "--config", config, "hook"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.out, HasSubstr("HTTP 404 Not Found"));
  EXPECT_THAT(refused.out, HasSubstr("no such hook"));
  EXPECT_THAT(refused.err, HasSubstr("not delivered"));
}

TEST_F(DeliverEndToEnd, SendTestSendsARulesLastAlert) {
  const auto config = write_config();
  ASSERT_EQ(run_newswatch({"once", "--config", config}).exit_code, 0);
  const auto result = run_newswatch({"send-test", "--config", config, "hook", "--rule", "isis-coalition"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto body = nlohmann::json::parse(receiver_.received().back().body);
  EXPECT_EQ(body["data"]["rule"], "isis-coalition");
  EXPECT_THAT(body["data"]["title"].get<std::string>(), HasSubstr("ISIS coalition"));
}

TEST_F(DeliverEndToEnd, SendTestRejectsAnUnknownTargetWithASuggestion) {
  const auto config = write_config();
  const auto result = run_newswatch({"send-test", "--config", config, "hoook"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("unknown target \"hoook\"; did you mean \"hook\"?"));
  const auto rule = run_newswatch({"send-test", "--config", config, "hook", "--rule", "isis"});
  EXPECT_EQ(rule.exit_code, 1);
  EXPECT_THAT(rule.err, HasSubstr("unknown rule \"isis\""));
  EXPECT_TRUE(receiver_.received().empty());
}

}  // namespace
}  // namespace newswatch::app
