#include "support/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <system_error>

namespace newswatch::testing {

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    throw std::system_error(errno, std::generic_category(), "socket");
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const auto text = path_.string();
  if (text.size() >= sizeof(address.sun_path)) {
    throw std::runtime_error("notify socket path too long: " + text);
  }
  std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
  std::filesystem::remove(path_);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind " + text);
  }
  receiver_ = std::thread([this] { receive_all(); });
}

NotifySocket::~NotifySocket() {
  stopping_ = true;
  receiver_.join();
  ::close(fd_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void NotifySocket::receive_all() {
  std::array<char, 4096> buffer{};
  while (!stopping_) {
    pollfd ready{fd_, POLLIN, 0};
    // A short timeout, so the destructor never waits long for the thread.
    if (::poll(&ready, 1, 20) <= 0) {
      continue;
    }
    const auto size = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (size < 0) {
      continue;
    }
    {
      const std::scoped_lock lock(mutex_);
      messages_.emplace_back(buffer.data(), static_cast<std::size_t>(size));
    }
    arrived_.notify_all();
  }
}

std::optional<std::string> NotifySocket::wait_for(const std::string& line, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (true) {
    while (searched_ < messages_.size()) {
      const auto& message = messages_[searched_++];
      if (has_line(message, line)) {
        return message;
      }
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout && searched_ == messages_.size()) {
      return std::nullopt;
    }
  }
}

std::vector<std::string> NotifySocket::messages() const {
  const std::scoped_lock lock(mutex_);
  return messages_;
}

bool has_line(const std::string& message, const std::string& line) {
  std::istringstream lines(message);
  std::string each;
  while (std::getline(lines, each)) {
    if (each == line || (line.ends_with('=') && each.starts_with(line))) {
      return true;
    }
  }
  return false;
}

}  // namespace newswatch::testing
