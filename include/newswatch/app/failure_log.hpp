#pragma once

#include <chrono>
#include <map>
#include <string>

namespace newswatch::app {

/// Which log line one poll's outcome deserves.
enum class FailureLogLine {
  none,           ///< Nothing new to say.
  first_failure,  ///< The feed was fine and now fails.
  backoff_step,   ///< Still failing, and the wait before the next try changed.
  recovery,       ///< It failed and now works.
};

/// Rate-limits the log of failing feeds: a feed that fails every minute would otherwise write 1,440
/// lines a day. Each feed gets its first failure, a line whenever the backoff grows (it stops growing
/// at max_backoff, and so do the lines), and its recovery.
class FailureLog {
 public:
  /// The line for a poll of `feed`: `failed`, and the delay before its next poll.
  FailureLogLine on_poll(const std::string& feed, bool failed, std::chrono::seconds next_delay);
  /// Forgets a feed (removed from the config).
  void forget(const std::string& feed) { failing_.erase(feed); }

 private:
  /// Failing feeds and the delay their last logged line announced.
  std::map<std::string, std::chrono::seconds, std::less<>> failing_;
};

}  // namespace newswatch::app
