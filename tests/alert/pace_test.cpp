#include "newswatch/alert/pace.hpp"

#include <gtest/gtest.h>

#include "alert_fixtures.hpp"

namespace newswatch::alert {
namespace {

using namespace testing;

TEST(DefaultPace, FollowsEachPlatformsDocumentedRate) {
  for (const auto type : all_target_types) {
    const Pace pace = default_pace(target_of(type));
    EXPECT_FALSE(pace.basis.empty()) << type_name(type);
    if (type == TargetType::webhook || type == TargetType::console) {
      EXPECT_TRUE(pace.unlimited()) << type_name(type);
    } else {
      EXPECT_GT(pace.messages, 0) << type_name(type);
      EXPECT_GE(pace.burst, 1) << type_name(type);
    }
  }
}

TEST(DefaultPace, TelegramGroupsGetTwentyAMinute) {
  auto target = target_of(TargetType::telegram);
  target.chat_id = "-1001234";
  EXPECT_EQ(default_pace(target).messages, 20);
  EXPECT_EQ(default_pace(target).period, std::chrono::seconds{60});
  target.chat_id = "123456";
  EXPECT_EQ(default_pace(target).messages, 1);
  EXPECT_EQ(default_pace(target).period, std::chrono::seconds{1});
}

}  // namespace
}  // namespace newswatch::alert
