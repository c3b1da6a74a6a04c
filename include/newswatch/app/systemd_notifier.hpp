#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace newswatch::app {

/// The service manager's side channel (sd_notify(3)): READY, RELOADING, STOPPING, STATUS and the
/// watchdog. Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
class SystemdNotifier {
 public:
  SystemdNotifier();

  /// Startup (or a reload) is complete; `status` becomes STATUS=.
  void ready(std::string_view status);
  /// A reload begins (RELOADING=1 with MONOTONIC_USEC, as systemd 253 expects and 252 accepts).
  void reloading();
  /// Shutdown begins.
  void stopping(std::string_view status);
  /// Only STATUS=.
  void status(std::string_view status);
  /// Start-up goes on past what it was given (a store migration): EXTEND_TIMEOUT_USEC asks for
  /// `more` from now, and `status` says why.
  void extend_start(std::chrono::microseconds more, std::string_view status);
  /// WATCHDOG=1: the loop is alive.
  void watchdog();

  /// Half of WatchdogSec when the watchdog is on for this process, the period to ping at.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_period() const { return watchdog_period_; }
  /// True when a service manager listens.
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }

 private:
  void send(const std::string& message) const;

  bool enabled_ = false;
  std::optional<std::chrono::microseconds> watchdog_period_;
};

/// One line for STATUS=: no newlines, at most a few hundred bytes.
std::string status_line(std::string_view text);

}  // namespace newswatch::app
