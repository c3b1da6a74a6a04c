#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace newswatch::testing {

/// A stand-in for systemd's notification socket: a unix datagram socket whose path goes into the
/// child's NOTIFY_SOCKET. A thread receives every sd_notify() message the child sends as soon as it
/// comes, as systemd does: a datagram socket nobody reads fills up and blocks the sender.
class NotifySocket {
 public:
  /// Binds a socket at `path`.
  explicit NotifySocket(std::filesystem::path path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;
  NotifySocket(NotifySocket&&) = delete;
  NotifySocket& operator=(NotifySocket&&) = delete;

  /// The value for NOTIFY_SOCKET.
  [[nodiscard]] std::string address() const { return path_.string(); }
  /// Receives until a message containing the line `line` (e.g. "READY=1") arrives or `timeout`
  /// passes; that message, or nullopt.
  std::optional<std::string> wait_for(const std::string& line, std::chrono::milliseconds timeout);
  /// Every message received so far, oldest first.
  [[nodiscard]] std::vector<std::string> messages() const;

 private:
  void receive_all();

  std::filesystem::path path_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<std::string> messages_;
  std::size_t searched_ = 0;  ///< Messages wait_for() has already looked at.
  std::atomic<bool> stopping_{false};
  std::thread receiver_;
};

/// True when `message` has `line` as one of its newline-separated lines (or as a line's prefix when
/// `line` ends with '=').
bool has_line(const std::string& message, const std::string& line);

}  // namespace newswatch::testing
