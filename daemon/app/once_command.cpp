#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/poll_cycle.hpp"
#include "newswatch/app/poll_stages.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::app {
namespace {

/// Progress appears only when a run lasts longer than this, so quick runs print nothing extra.
constexpr std::chrono::milliseconds progress_delay{1000};
constexpr std::chrono::milliseconds progress_period{250};

struct OnceOptions {
  bool json = false;
};

/// "polled 312/1000 feeds" on one self-overwriting stderr line, while the cycle runs.
class ProgressLine {
 public:
  ProgressLine(boost::asio::io_context& io, const PollCycle& cycle) : timer_(io), cycle_(cycle) {}

  void start() {
    if (::isatty(STDERR_FILENO) == 0) {
      return;
    }
    timer_.expires_after(progress_delay);
    do_wait();
  }

  void stop() {
    timer_.cancel();
    if (shown_) {
      std::fputs("\r\033[K", stderr);
      shown_ = false;
    }
  }

 private:
  void do_wait() {
    timer_.async_wait([this](const boost::system::error_code& error) { on_wait(error); });
  }
  void on_wait(const boost::system::error_code& error) {
    if (error) {
      return;
    }
    std::fprintf(stderr, "\r\033[Kpolled %zu/%zu feeds", cycle_.finished(), cycle_.polling());
    std::fflush(stderr);
    shown_ = true;
    timer_.expires_after(progress_period);
    do_wait();
  }

  boost::asio::steady_timer timer_;
  const PollCycle& cycle_;
  bool shown_ = false;
};

std::optional<rules::RuleSet> compile_rules(const config::Config& config) {
  std::vector<rules::RuleDefinition> definitions;
  for (const auto& rule : config.rules) {
    if (rule.enabled) {
      definitions.push_back(rules::RuleDefinition{rule.name, rule.query, rule.feeds});
    }
  }
  auto compiled = rules::RuleSet::compile(std::move(definitions));
  if (!compiled) {
    for (const auto& error : compiled.error()) {
      std::cerr << fmt::format("newswatch once: rule {}: {}\n", error.rule, error.error.message);
    }
    return std::nullopt;
  }
  return std::move(*compiled);
}

int run_once(const GlobalOptions& globals, const OnceOptions& options) {
  const auto loaded = load_config_for_command(globals);
  if (!loaded) {
    return exit_bad_input;
  }
  const auto& config = *loaded;
  const auto rule_set = compile_rules(config);
  if (!rule_set) {
    return exit_bad_input;
  }
  auto store = store::SqliteStore::open(config.daemon.state_dir);
  if (!store) {
    std::cerr << "newswatch once: " << store.error().message << '\n';
    return exit_runtime_failure;
  }

  boost::asio::io_context io;
  // Parsing and matching are the CPU work; the loop thread only drives sockets.
  boost::asio::thread_pool workers(std::max(1U, std::thread::hardware_concurrency()));
  net::HttpClientOptions client_options;
  client_options.user_agent = config.daemon.user_agent;
  if (!config.daemon.proxy.empty()) {
    client_options.proxy = config.daemon.proxy;
  }
  net::HttpClient client(io, client_options);

  PollCycle cycle({io, workers, **store, make_fetch_function(client, config.daemon), make_parse_function(),
                   make_match_function(*rule_set)},
                  config.feeds, poll_cycle_settings(config.daemon));
  ProgressLine progress(io, cycle);
  // The loop must not run dry while bodies are on the worker pool.
  auto keep_running = boost::asio::make_work_guard(io);
  std::optional<PollSummary> summary;
  cycle.start(
      [&options](const MatchRecord& match) {
        std::cout << (options.json ? match_to_json_line(match) : match_to_text(match)) << '\n';
      },
      [&](PollSummary done) {
        summary = std::move(done);
        progress.stop();
        keep_running.reset();
      });
  progress.start();
  io.run();
  workers.join();
  std::cout.flush();

  std::cerr << summary_to_text(*summary);
  return summary->store_error ? exit_runtime_failure : exit_ok;
}

}  // namespace

void register_once_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "once",
      "Poll every enabled feed once (ignoring the schedule, but not a pending Retry-After or a 410), print\n"
      "every rule match on stdout and a summary on stderr. Feed state (ETag, Last-Modified, redirects,\n"
      "failures) is read from and saved to the store, so a second run sends conditional requests.\n"
      "Exit 0 when it ran, even if some feeds failed; 1 on config errors; 2 when the store cannot be used.");
  auto options = std::make_shared<OnceOptions>();
  command->add_flag("--json", options->json,
                    "One JSON object per match: rule, feed, item_id, title, link, published, why");
  command->callback([&globals, &exit_code, options] { exit_code = run_once(globals, *options); });
}

}  // namespace newswatch::app
