#include "newswatch/app/failure_log.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "newswatch/app/systemd_notifier.hpp"

namespace newswatch::app {
namespace {

using namespace std::chrono_literals;

TEST(FailureLog, AFeedFailingEveryMinuteLogsItsFirstFailureEachBackoffStepAndItsRecovery) {
  FailureLog log;
  std::vector<FailureLogLine> lines;
  // Backoff doubles from 1m to a ceiling of 1h, with a little jitter on each delay.
  const std::vector<std::chrono::seconds> delays{60s, 125s, 241s, 482s, 960s, 1925s, 3600s, 3600s, 3600s, 3590s};
  for (const auto delay : delays) {
    lines.push_back(log.on_poll("wire", true, delay));
  }
  lines.push_back(log.on_poll("wire", false, 600s));
  lines.push_back(log.on_poll("wire", false, 600s));
  const std::vector<FailureLogLine> expected{
      FailureLogLine::first_failure, FailureLogLine::backoff_step, FailureLogLine::backoff_step,
      FailureLogLine::backoff_step,  FailureLogLine::backoff_step, FailureLogLine::backoff_step,
      FailureLogLine::backoff_step,  FailureLogLine::none,         FailureLogLine::none,
      FailureLogLine::none,          FailureLogLine::recovery,     FailureLogLine::none};
  EXPECT_EQ(lines, expected);
}

TEST(FailureLog, AFailureAtTheSameRetryAfterEveryTimeLogsOnce) {
  FailureLog log;
  EXPECT_EQ(log.on_poll("wire", true, 300s), FailureLogLine::first_failure);
  for (int poll = 0; poll < 100; ++poll) {
    EXPECT_EQ(log.on_poll("wire", true, 300s), FailureLogLine::none);
  }
}

TEST(FailureLog, FeedsAreTrackedApartAndAForgottenFeedStartsAfresh) {
  FailureLog log;
  EXPECT_EQ(log.on_poll("a", true, 60s), FailureLogLine::first_failure);
  EXPECT_EQ(log.on_poll("b", false, 60s), FailureLogLine::none);
  EXPECT_EQ(log.on_poll("b", true, 60s), FailureLogLine::first_failure);
  log.forget("a");
  EXPECT_EQ(log.on_poll("a", false, 60s), FailureLogLine::none);
  EXPECT_EQ(log.on_poll("a", true, 60s), FailureLogLine::first_failure);
}

TEST(SystemdStatusLine, IsOneLineOfBoundedLengthThatNeverEndsInsideACharacter) {
  EXPECT_EQ(status_line("feeds 3\nrules 2"), "feeds 3 rules 2");
  std::string long_text(398, 'a');
  long_text += "\xC3\xA9\xC3\xA9";  // "éé": the cut falls inside the second one.
  const auto line = status_line(long_text);
  EXPECT_EQ(line, std::string(398, 'a') + "\xC3\xA9");
  std::string cut(399, 'a');
  cut += "\xE2\x82\xAC";  // "€" would need bytes 400 and 401.
  EXPECT_EQ(status_line(cut), std::string(399, 'a'));
}

}  // namespace
}  // namespace newswatch::app
