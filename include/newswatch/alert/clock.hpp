#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace newswatch::alert {

/// The instants delivery is scheduled in: finer than TimePoint, because pacing a platform at a
/// few messages a second needs milliseconds.
using Instant = std::chrono::system_clock::time_point;

/// One wake-up at a time on the loop.
class WakeTimer {
 public:
  WakeTimer() = default;
  virtual ~WakeTimer() = default;
  WakeTimer(const WakeTimer&) = delete;
  WakeTimer& operator=(const WakeTimer&) = delete;
  WakeTimer(WakeTimer&&) = delete;
  WakeTimer& operator=(WakeTimer&&) = delete;

  /// Runs `on_wake` on the loop once `at` has come; replaces an earlier wait, which then never runs.
  virtual void wake_at(Instant at, std::function<void()> on_wake) = 0;
  /// Drops the pending wait, if any; its callback never runs.
  virtual void cancel() = 0;
};

/// Where delivery reads the time and waits, so retries and digests can run on a simulated clock.
class Clock {
 public:
  Clock() = default;
  virtual ~Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  Clock(Clock&&) = delete;
  Clock& operator=(Clock&&) = delete;

  /// The current instant.
  [[nodiscard]] virtual Instant now() const = 0;
  /// A timer whose callbacks run on the clock's loop.
  virtual std::unique_ptr<WakeTimer> make_timer() = 0;
};

/// The system clock, with timers on an io_context.
class SystemClock final : public Clock {
 public:
  /// Timers run on `io`, which must outlive them.
  explicit SystemClock(boost::asio::io_context& io) : io_(io) {}

  [[nodiscard]] Instant now() const override;
  std::unique_ptr<WakeTimer> make_timer() override;

 private:
  boost::asio::io_context& io_;
};

}  // namespace newswatch::alert
