#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>

#include "newswatch/alert/clock.hpp"

namespace newswatch::testing {

struct SimulatedClockState;

/// A Clock that stands still until the test moves it: advance_to() posts the callbacks of every
/// timer that has come due onto the io_context, in deadline order.
class SimulatedClock final : public alert::Clock {
 public:
  /// Callbacks are posted to `io`; time starts at `start`.
  SimulatedClock(boost::asio::io_context& io, alert::Instant start);
  ~SimulatedClock() override;
  SimulatedClock(const SimulatedClock&) = delete;
  SimulatedClock& operator=(const SimulatedClock&) = delete;
  SimulatedClock(SimulatedClock&&) = delete;
  SimulatedClock& operator=(SimulatedClock&&) = delete;

  [[nodiscard]] alert::Instant now() const override;
  std::unique_ptr<alert::WakeTimer> make_timer() override;

  /// Moves time to `to` (never backwards) and posts what came due.
  void advance_to(alert::Instant to);
  /// The earliest pending wake-up, if any.
  [[nodiscard]] std::optional<alert::Instant> next_wake() const;

 private:
  std::shared_ptr<SimulatedClockState> state_;
};

}  // namespace newswatch::testing
