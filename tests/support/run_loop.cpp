#include "support/run_loop.hpp"

namespace newswatch::testing {

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::steady_clock::duration deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done() && std::chrono::steady_clock::now() < until) {
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_until(until);
  }
  return done();
}

}  // namespace newswatch::testing
