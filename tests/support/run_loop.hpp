#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>

namespace newswatch::testing {

/// Runs `io` on the calling thread until `done()` holds or `deadline` has passed (a test's hard
/// deadline); restarts it when it runs out of work. Returns done().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::steady_clock::duration deadline);

}  // namespace newswatch::testing
