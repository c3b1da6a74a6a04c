#include "newswatch/alert/clock.hpp"

#include <boost/asio/system_timer.hpp>
#include <cstdint>
#include <memory>

namespace newswatch::alert {
namespace {

class SystemWakeTimer final : public WakeTimer {
 public:
  explicit SystemWakeTimer(boost::asio::io_context& io) : timer_(io) {}
  ~SystemWakeTimer() override { ++*generation_; }
  SystemWakeTimer(const SystemWakeTimer&) = delete;
  SystemWakeTimer& operator=(const SystemWakeTimer&) = delete;
  SystemWakeTimer(SystemWakeTimer&&) = delete;
  SystemWakeTimer& operator=(SystemWakeTimer&&) = delete;

  void wake_at(Instant at, std::function<void()> on_wake) override {
    // A wait that already expired may have its handler queued when it is replaced or the timer
    // destroyed: the generation, shared with the handler, tells it apart, since cancel() cannot
    // recall it.
    const auto generation = ++*generation_;
    timer_.expires_at(at);
    timer_.async_wait(
        [counter = generation_, generation, on_wake = std::move(on_wake)](const boost::system::error_code& error) {
          if (error || generation != *counter) {
            return;
          }
          on_wake();
        });
  }

  void cancel() override {
    ++*generation_;
    timer_.cancel();
  }

 private:
  boost::asio::system_timer timer_;
  std::shared_ptr<std::uint64_t> generation_ = std::make_shared<std::uint64_t>(0);
};

}  // namespace

Instant SystemClock::now() const {
  return std::chrono::system_clock::now();
}

std::unique_ptr<WakeTimer> SystemClock::make_timer() {
  return std::make_unique<SystemWakeTimer>(io_);
}

}  // namespace newswatch::alert
