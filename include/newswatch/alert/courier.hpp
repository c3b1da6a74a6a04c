#pragma once

#include <functional>
#include <optional>
#include <string>

#include "newswatch/alert/message.hpp"
#include "newswatch/alert/pace.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::alert {

/// What became of one message sent to one target.
struct SendResult {
  /// How the attempt ended.
  enum class Kind {
    delivered,  ///< The platform took it.
    retry,      ///< Worth another try later: 5xx, 429, 408, timeouts, connection errors.
    permanent,  ///< Another try would fail the same way: other 4xx, a message the target cannot take.
  };

  Kind kind = Kind::delivered;
  long status = 0;                                 ///< The HTTP status of the last request; 0 when none answered.
  std::string detail;                              ///< One line: "HTTP 404 Unknown Webhook", "timed_out: ...".
  std::string answer;                              ///< The platform's answer body, as received.
  std::optional<TimePoint> not_before;             ///< A Retry-After: nothing is sent to the target earlier.
  std::optional<std::chrono::milliseconds> pause;  ///< Delivered, but the target's bucket is empty for this long.
};

/// Speaks one platform's protocol for the dispatcher: turns a message into its requests, sends
/// them and judges the answers. The dispatcher decides what to send and when.
class Courier {
 public:
  /// Receives the result on the loop, exactly once.
  using Done = std::function<void(SendResult)>;

  Courier() = default;
  virtual ~Courier() = default;
  Courier(const Courier&) = delete;
  Courier& operator=(const Courier&) = delete;
  Courier(Courier&&) = delete;
  Courier& operator=(Courier&&) = delete;

  /// Sends `message` to `target`; `done` runs on the loop when every request has ended.
  virtual void send(const config::Target& target, const Message& message, Done done) = 0;
  /// The platform's documented pace for `target`, which no burst may exceed.
  [[nodiscard]] virtual Pace pace(const config::Target& target) const = 0;
};

}  // namespace newswatch::alert
