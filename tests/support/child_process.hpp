#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace newswatch::testing {

/// A long-running child (the daemon) whose stdout and stderr go to files that can be read while it
/// runs. The destructor kills it if it still runs.
class ChildProcess {
 public:
  /// Starts `program`; its output goes to `output_dir`/stdout and /stderr.
  ChildProcess(const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options,
               const std::filesystem::path& output_dir);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ChildProcess(ChildProcess&&) = delete;
  ChildProcess& operator=(ChildProcess&&) = delete;

  /// Sends `signal` (while it runs).
  void signal(int signal) const;
  /// Waits until it exits or `timeout` passes; its exit code (128 + signal when killed), or nullopt.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  /// The process id.
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// Everything it wrote to stdout so far.
  [[nodiscard]] std::string out() const;
  /// Everything it wrote to stderr so far.
  [[nodiscard]] std::string err() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_path_;
  std::filesystem::path err_path_;
};

/// Runs the built `newswatch` binary in the background.
std::unique_ptr<ChildProcess> start_newswatch(const std::vector<std::string>& args, const ProcessOptions& options,
                                              const std::filesystem::path& output_dir);

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; whether it held.
/// For outcomes another process produces, where nothing can be waited on directly.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace newswatch::testing
