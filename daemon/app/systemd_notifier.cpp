#include "newswatch/app/systemd_notifier.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace newswatch::app {
namespace {

/// STATUS= is shown by `systemctl status` on one line; longer text only gets cut there.
constexpr std::size_t max_status_bytes = 400;

std::uint64_t monotonic_microseconds() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1000000U + static_cast<std::uint64_t>(now.tv_nsec) / 1000U;
}

}  // namespace

std::string status_line(std::string_view text) {
  std::string line;
  line.reserve(std::min(text.size(), max_status_bytes));
  for (const char c : text) {
    if (line.size() >= max_status_bytes) {
      break;
    }
    line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  // Never end inside a UTF-8 sequence: find where the last character starts and whether it is whole.
  std::size_t start = line.size();
  while (start > 0 && line.size() - start < 4 && (static_cast<unsigned char>(line[start - 1]) & 0xC0U) == 0x80U) {
    --start;
  }
  if (start > 0) {
    const auto lead = static_cast<unsigned char>(line[start - 1]);
    const std::size_t length = lead < 0x80U ? 1 : lead >= 0xF0U ? 4 : lead >= 0xE0U ? 3 : lead >= 0xC0U ? 2 : 1;
    if (start - 1 + length > line.size()) {
      line.resize(start - 1);
    }
  }
  return line;
}

SystemdNotifier::SystemdNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && *socket != '\0';
  std::uint64_t usec = 0;
  // The watchdog asks for a ping at least every WatchdogSec; half of it leaves room for a busy loop.
  if (enabled_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
    watchdog_period_ = std::chrono::microseconds{usec / 2};
  }
}

void SystemdNotifier::send(const std::string& message) const {
  if (!enabled_) {
    return;
  }
  if (const int result = sd_notify(0, message.c_str()); result < 0) {
    spdlog::warn("systemd: notify failed: {}", std::strerror(-result));
  }
}

void SystemdNotifier::ready(std::string_view status) {
  send(fmt::format("READY=1\nSTATUS={}", status_line(status)));
}

void SystemdNotifier::reloading() {
  send(fmt::format("RELOADING=1\nMONOTONIC_USEC={}\nSTATUS=reloading the configuration", monotonic_microseconds()));
}

void SystemdNotifier::extend_start(std::chrono::microseconds more, std::string_view status) {
  send(fmt::format("EXTEND_TIMEOUT_USEC={}\nSTATUS={}", more.count(), status_line(status)));
}

void SystemdNotifier::stopping(std::string_view status) {
  send(fmt::format("STOPPING=1\nSTATUS={}", status_line(status)));
}

void SystemdNotifier::status(std::string_view status) {
  send(fmt::format("STATUS={}", status_line(status)));
}

void SystemdNotifier::watchdog() {
  send("WATCHDOG=1");
}

}  // namespace newswatch::app
