#include "newswatch/pipeline/worker_pool.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace newswatch::pipeline {
namespace {

constexpr int lowest_priority = 19;

std::size_t one_per_core() {
  return std::max(1U, std::thread::hardware_concurrency());
}

// Also true when /proc cannot tell: without knowing, setpriority() is not worth the risk.
bool under_seccomp_filter() {
  std::ifstream file("/proc/self/status");
  if (!file) {
    return true;
  }
  const std::string status((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return seccomp_filtered(status);
}

// The calling thread's nice value.
std::optional<int> own_nice() {
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  if (nice == -1 && errno != 0) {
    return std::nullopt;
  }
  return nice;
}

}  // namespace

bool seccomp_filtered(std::string_view status) noexcept {
  static constexpr std::string_view field = "\nSeccomp:";
  const auto at = status.find(field);
  if (at == std::string_view::npos) {
    return false;
  }
  std::string_view value = status.substr(at + field.size());
  value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
  int mode = 0;
  std::from_chars(value.data(), value.data() + value.size(), mode);
  return mode == 2;  // SECCOMP_MODE_FILTER
}

WorkerPool::WorkerPool() : WorkerPool(one_per_core()) {}

WorkerPool::WorkerPool(std::size_t threads) : boost::asio::thread_pool(threads), threads_(threads) {
  if (under_seccomp_filter()) {
    spdlog::debug("workers: {} threads at the loop's priority (seccomp filter, or no /proc)", threads_);
    return;
  }
  const auto base = own_nice();
  if (!base) {
    return;
  }
  const int target = std::min(lowest_priority, *base + nice_steps);
  struct Rendezvous {
    explicit Rendezvous(std::size_t threads) : arrived(static_cast<std::ptrdiff_t>(threads)) {}
    std::latch arrived;
    std::atomic<bool> refused{false};
  };
  // Each thread takes one of these and holds it until every thread has one: so each runs exactly
  // one, before any other work reaches the pool.
  auto rendezvous = std::make_shared<Rendezvous>(threads_);
  for (std::size_t thread = 0; thread < threads_; ++thread) {
    boost::asio::post(*this, [rendezvous, target] {
      if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), target) != 0) {
        rendezvous->refused = true;
      }
      rendezvous->arrived.arrive_and_wait();
    });
  }
  rendezvous->arrived.wait();
  lowered_ = !rendezvous->refused;
  spdlog::debug("workers: {} threads at nice {}{}", threads_, lowered_ ? target : *base,
                lowered_ ? "" : " (setpriority refused)");
}

}  // namespace newswatch::pipeline
