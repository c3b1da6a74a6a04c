#include "newswatch/app/failure_log.hpp"

namespace newswatch::app {

FailureLogLine FailureLog::on_poll(const std::string& feed, bool failed, std::chrono::seconds next_delay) {
  const auto found = failing_.find(feed);
  if (!failed) {
    if (found == failing_.end()) {
      return FailureLogLine::none;
    }
    failing_.erase(found);
    return FailureLogLine::recovery;
  }
  if (found == failing_.end()) {
    failing_.emplace(feed, next_delay);
    return FailureLogLine::first_failure;
  }
  // Jitter moves the delay a little on every poll; only a real step of the backoff (it doubles)
  // is worth a line.
  if (next_delay > found->second + found->second / 2) {
    found->second = next_delay;
    return FailureLogLine::backoff_step;
  }
  return FailureLogLine::none;
}

}  // namespace newswatch::app
