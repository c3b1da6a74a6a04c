#include "newswatch/alert/message.hpp"

#include <gtest/gtest.h>

namespace newswatch::alert {
namespace {

Alert alert_of(std::string id, std::string rule, std::string story) {
  Alert alert;
  alert.id = std::move(id);
  alert.rule = std::move(rule);
  alert.story = std::move(story);
  return alert;
}

TEST(GroupByStory, NamesEveryRuleOfAStoryInOneMessage) {
  const std::vector<Alert> alerts{alert_of("a1", "isis", "s1"), alert_of("a2", "syria", "s2"),
                                  alert_of("a3", "coalition", "s1"), alert_of("a4", "lone", "")};
  const auto messages = group_by_story(alerts);
  ASSERT_EQ(messages.size(), 3U);
  ASSERT_EQ(messages[0].alerts.size(), 2U);
  EXPECT_EQ(messages[0].alerts[0].id, "a1");
  EXPECT_EQ(messages[0].alerts[1].id, "a3");
  EXPECT_EQ(messages[1].alerts[0].id, "a2");
  EXPECT_EQ(messages[2].alerts[0].id, "a4");
  for (const auto& message : messages) {
    EXPECT_EQ(message.kind, MessageKind::story);
  }
}

TEST(MessageId, IsTheAlertIdForOneAlertAndStableForSeveral) {
  EXPECT_EQ(message_id(Message{MessageKind::story, {alert_of("a1", "r", "s")}}), "a1");
  const Message forward{MessageKind::story, {alert_of("a1", "r", "s"), alert_of("a2", "q", "s")}};
  const Message backward{MessageKind::story, {alert_of("a2", "q", "s"), alert_of("a1", "r", "s")}};
  EXPECT_EQ(message_id(forward), message_id(backward));
  EXPECT_TRUE(message_id(forward).starts_with("msg_"));
  EXPECT_EQ(message_id(forward).size(), 36U);
  const Message other{MessageKind::story, {alert_of("a1", "r", "s"), alert_of("a3", "q", "s")}};
  EXPECT_NE(message_id(forward), message_id(other));
}

TEST(MakeDigest, KeepsEveryAlertInOrder) {
  const std::vector<Alert> alerts{alert_of("a1", "r", "s1"), alert_of("a2", "r", "s2")};
  const auto digest = make_digest(alerts);
  EXPECT_EQ(digest.kind, MessageKind::digest);
  ASSERT_EQ(digest.alerts.size(), 2U);
  EXPECT_EQ(digest.alerts[1].id, "a2");
}

}  // namespace
}  // namespace newswatch::alert
