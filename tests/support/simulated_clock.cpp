#include "support/simulated_clock.hpp"

#include <boost/asio/post.hpp>
#include <functional>
#include <map>
#include <utility>

namespace newswatch::testing {

struct SimulatedClockState {
  boost::asio::io_context& io;
  alert::Instant now;
  std::uint64_t next_id = 0;
  std::uint64_t next_generation = 0;
  /// A pending wait: when, what to call, and which wait of its timer it is.
  struct Wait {
    alert::Instant at;
    std::function<void()> on_wake;
    std::uint64_t generation = 0;
    bool posted = false;
  };
  std::map<std::uint64_t, Wait> waits;  ///< By timer id.
};

namespace {

class SimulatedTimer final : public alert::WakeTimer {
 public:
  explicit SimulatedTimer(std::shared_ptr<SimulatedClockState> state)
      : state_(std::move(state)), id_(state_->next_id++) {}
  ~SimulatedTimer() override { state_->waits.erase(id_); }
  SimulatedTimer(const SimulatedTimer&) = delete;
  SimulatedTimer& operator=(const SimulatedTimer&) = delete;
  SimulatedTimer(SimulatedTimer&&) = delete;
  SimulatedTimer& operator=(SimulatedTimer&&) = delete;

  void wake_at(alert::Instant at, std::function<void()> on_wake) override {
    state_->waits[id_] = {at, std::move(on_wake), state_->next_generation++, false};
  }
  void cancel() override { state_->waits.erase(id_); }

 private:
  std::shared_ptr<SimulatedClockState> state_;
  std::uint64_t id_;
};

}  // namespace

SimulatedClock::SimulatedClock(boost::asio::io_context& io, alert::Instant start)
    : state_(std::make_shared<SimulatedClockState>(SimulatedClockState{io, start, 0, 0, {}})) {}

SimulatedClock::~SimulatedClock() = default;

alert::Instant SimulatedClock::now() const {
  return state_->now;
}

std::unique_ptr<alert::WakeTimer> SimulatedClock::make_timer() {
  return std::make_unique<SimulatedTimer>(state_);
}

void SimulatedClock::advance_to(alert::Instant to) {
  if (to > state_->now) {
    state_->now = to;
  }
  std::multimap<alert::Instant, std::pair<std::uint64_t, std::uint64_t>> due;
  for (auto& [id, wait] : state_->waits) {
    if (!wait.posted && wait.at <= state_->now) {
      wait.posted = true;
      due.emplace(wait.at, std::pair{id, wait.generation});
    }
  }
  for (const auto& [at, entry] : due) {
    // The timer may be re-armed, cancelled or destroyed before the posted call runs: only the
    // same wait, still standing, is called.
    boost::asio::post(state_->io,
                      [weak = std::weak_ptr<SimulatedClockState>(state_), id = entry.first, generation = entry.second] {
                        const auto state = weak.lock();
                        if (!state) {
                          return;
                        }
                        const auto found = state->waits.find(id);
                        if (found == state->waits.end() || found->second.generation != generation) {
                          return;
                        }
                        auto on_wake = std::move(found->second.on_wake);
                        state->waits.erase(found);
                        on_wake();
                      });
  }
}

std::optional<alert::Instant> SimulatedClock::next_wake() const {
  std::optional<alert::Instant> earliest;
  for (const auto& [id, wait] : state_->waits) {
    if (!wait.posted && (!earliest || wait.at < *earliest)) {
      earliest = wait.at;
    }
  }
  return earliest;
}

}  // namespace newswatch::testing
