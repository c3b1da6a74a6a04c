#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace newswatch::testing {

/// What a finished child process left behind.
struct ProcessResult {
  int exit_code = -1;  ///< Exit status, or 128 + signal when killed by a signal.
  std::string out;
  std::string err;
};

/// Options for run_process.
struct ProcessOptions {
  std::map<std::string, std::string> env;  ///< Added to (or replacing in) the inherited environment.
  std::vector<std::string> unset_env;      ///< Removed from the inherited environment.
  std::string stdin_data;
  std::string working_dir;
  std::chrono::seconds timeout{60};  ///< The child is killed after this.
  /// SIGKILL the child this long after it started, as a crash would (exit_code 137 when it was
  /// still running then).
  std::optional<std::chrono::microseconds> kill_after;
};

/// The inherited environment with `options.env` and `options.unset_env` applied, as NAME=VALUE.
std::vector<std::string> child_environment(const ProcessOptions& options);

/// What execve() takes for `program` with `args` in the environment child_environment() gives: the
/// strings and the null-terminated pointer arrays into them, built before fork().
class ExecArguments {
 public:
  ExecArguments(const std::string& program, const std::vector<std::string>& args, const ProcessOptions& options);
  ExecArguments(const ExecArguments&) = delete;
  ExecArguments& operator=(const ExecArguments&) = delete;
  ExecArguments(ExecArguments&&) = delete;
  ExecArguments& operator=(ExecArguments&&) = delete;
  ~ExecArguments() = default;

  /// argv for execve().
  [[nodiscard]] char* const* argv() const noexcept { return argv_.data(); }
  /// envp for execve().
  [[nodiscard]] char* const* envp() const noexcept { return envp_.data(); }

 private:
  std::vector<std::string> argv_storage_;
  std::vector<std::string> env_storage_;
  std::vector<char*> argv_;
  std::vector<char*> envp_;
};

/// Runs `program` with `args` to completion and captures its output.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options = {});

/// Runs the built `newswatch` binary.
ProcessResult run_newswatch(const std::vector<std::string>& args, const ProcessOptions& options = {});

}  // namespace newswatch::testing
