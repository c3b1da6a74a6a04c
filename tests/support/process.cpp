#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace newswatch::testing {
namespace {

void check(int result, const char* what) {
  if (result < 0) {
    throw std::system_error(errno, std::generic_category(), what);
  }
}

}  // namespace

std::vector<std::string> child_environment(const ProcessOptions& options) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    const auto name = variable.substr(0, variable.find('='));
    bool drop = options.env.contains(name);
    for (const auto& unset : options.unset_env) {
      drop = drop || unset == name;
    }
    if (!drop) {
      env.push_back(variable);
    }
  }
  for (const auto& [name, value] : options.env) {
    env.push_back(name + "=" + value);
  }
  return env;
}

ExecArguments::ExecArguments(const std::string& program, const std::vector<std::string>& args,
                             const ProcessOptions& options)
    : argv_storage_{program}, env_storage_(child_environment(options)) {
  argv_storage_.insert(argv_storage_.end(), args.begin(), args.end());
  for (auto& arg : argv_storage_) {
    argv_.push_back(arg.data());
  }
  argv_.push_back(nullptr);
  for (auto& variable : env_storage_) {
    envp_.push_back(variable.data());
  }
  envp_.push_back(nullptr);
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const ProcessOptions& options) {
  std::array<int, 2> in_pipe{};
  std::array<int, 2> out_pipe{};
  std::array<int, 2> err_pipe{};
  check(pipe2(in_pipe.data(), O_CLOEXEC), "pipe");
  check(pipe2(out_pipe.data(), O_CLOEXEC), "pipe");
  check(pipe2(err_pipe.data(), O_CLOEXEC), "pipe");

  const ExecArguments exec(program, args, options);

  const pid_t pid = fork();
  check(pid, "fork");
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    if (!options.working_dir.empty() && chdir(options.working_dir.c_str()) != 0) {
      _exit(127);
    }
    execve(program.c_str(), exec.argv(), exec.envp());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);

  ProcessResult result;
  std::size_t written = 0;
  int stdin_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    close(stdin_fd);
    stdin_fd = -1;
  } else {
    fcntl(stdin_fd, F_SETFL, O_NONBLOCK);
  }
  signal(SIGPIPE, SIG_IGN);
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + options.timeout;
  const auto kill_at = options.kill_after ? std::optional(started + *options.kill_after) : std::nullopt;
  bool out_open = true;
  bool err_open = true;
  bool timed_out = false;
  std::array<char, 65536> buffer{};
  while (out_open || err_open) {
    std::vector<pollfd> fds;
    if (out_open) {
      fds.push_back({out_pipe[0], POLLIN, 0});
    }
    if (err_open) {
      fds.push_back({err_pipe[0], POLLIN, 0});
    }
    if (stdin_fd >= 0) {
      fds.push_back({stdin_fd, POLLOUT, 0});
    }
    const auto now = std::chrono::steady_clock::now();
    if (kill_at && now >= *kill_at) {
      kill(pid, SIGKILL);
      break;
    }
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (remaining.count() <= 0) {
      timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    auto wait = remaining;
    if (kill_at) {
      // Round up: poll() takes milliseconds, and waking early only loops once more.
      wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*kill_at - now));
    }
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    check(ready, "poll");
    for (const auto& fd : fds) {
      if (fd.revents == 0) {
        continue;
      }
      if (fd.fd == stdin_fd) {
        const auto count = write(stdin_fd, options.stdin_data.data() + written, options.stdin_data.size() - written);
        if (count > 0) {
          written += static_cast<std::size_t>(count);
        }
        if (count < 0 || written == options.stdin_data.size()) {
          close(stdin_fd);
          stdin_fd = -1;
        }
        continue;
      }
      const auto count = read(fd.fd, buffer.data(), buffer.size());
      auto& sink = fd.fd == out_pipe[0] ? result.out : result.err;
      if (count > 0) {
        sink.append(buffer.data(), static_cast<std::size_t>(count));
      } else {
        (fd.fd == out_pipe[0] ? out_open : err_open) = false;
      }
    }
  }
  if (stdin_fd >= 0) {
    close(stdin_fd);
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    result.err += "\n[test harness: process killed after timeout]";
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

ProcessResult run_newswatch(const std::vector<std::string>& args, const ProcessOptions& options) {
  return run_process(NEWSWATCH_TEST_BINARY, args, options);
}

}  // namespace newswatch::testing
