#include "newswatch/alert/delivery_plan.hpp"

#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

Alert alert(std::string id, std::string rule, std::string story) {
  Alert result;
  result.id = std::move(id);
  result.rule = std::move(rule);
  result.story = std::move(story);
  result.title = "Title " + result.id;
  return result;
}

std::vector<std::string> ids(const Message& message) {
  std::vector<std::string> out;
  for (const auto& alert : message.alerts) {
    out.push_back(alert.id);
  }
  return out;
}

const IsDigestRule no_digests = [](const std::string&) { return false; };
constexpr std::size_t unlimited = 1000000;

TEST(AlertDeliveryPlan, OneMessagePerStoryNamingEveryRule) {
  const std::vector<Alert> alerts{alert("a", "isis", "s1"), alert("b", "syria", "s2"), alert("c", "syria", "s1")};
  const auto messages = plan_messages(alerts, no_digests, unlimited);
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].kind, MessageKind::story);
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ids(messages[1]), (std::vector<std::string>{"b"}));
}

TEST(AlertDeliveryPlan, FoldsTheSurplusOverTheBudgetIntoOneDigest) {
  std::vector<Alert> alerts;
  for (int i = 0; i < 30; ++i) {
    alerts.push_back(alert("a" + std::to_string(i), "r", "s" + std::to_string(i)));
  }
  const auto messages = plan_messages(alerts, no_digests, 5);
  ASSERT_EQ(messages.size(), 5U);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(messages[i].kind, MessageKind::story);
    EXPECT_EQ(ids(messages[i]), std::vector<std::string>{"a" + std::to_string(i)});
  }
  EXPECT_EQ(messages[4].kind, MessageKind::digest);
  ASSERT_EQ(messages[4].alerts.size(), 26U) << "nothing dropped";
  EXPECT_EQ(messages[4].alerts.front().id, "a4");
  EXPECT_EQ(messages[4].alerts.back().id, "a29");
}

TEST(AlertDeliveryPlan, ABudgetOfOneIsOneDigestAndZeroIsNothing) {
  const std::vector<Alert> alerts{alert("a", "r", "s1"), alert("b", "r", "s2")};
  const auto one = plan_messages(alerts, no_digests, 1);
  ASSERT_EQ(one.size(), 1U);
  EXPECT_EQ(one[0].kind, MessageKind::digest);
  EXPECT_EQ(ids(one[0]), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(plan_messages(alerts, no_digests, 0).empty());
  const auto exact = plan_messages(alerts, no_digests, 2);
  ASSERT_EQ(exact.size(), 2U);
  EXPECT_EQ(exact[1].kind, MessageKind::story) << "within budget nothing is folded";
}

TEST(AlertDeliveryPlan, DigestRulesGatherIntoOneDigestEachInOrder) {
  const std::vector<Alert> alerts{alert("a", "daily", "s1"), alert("b", "now", "s2"), alert("c", "daily", "s3"),
                                  alert("d", "hourly", "s4")};
  const auto messages = plan_messages(
      alerts, [](const std::string& rule) { return rule != "now"; }, unlimited);
  ASSERT_EQ(messages.size(), 3U);
  EXPECT_EQ(messages[0].kind, MessageKind::digest);
  EXPECT_EQ(ids(messages[0]), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ids(messages[1]), (std::vector<std::string>{"b"}));
  EXPECT_EQ(ids(messages[2]), (std::vector<std::string>{"d"}));
}

}  // namespace
}  // namespace newswatch::alert
