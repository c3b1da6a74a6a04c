#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <malloc.h>
#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "newswatch/alert/dispatcher.hpp"
#include "newswatch/alert/http_courier.hpp"
#include "newswatch/app/command.hpp"
#include "newswatch/app/delivery_report.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/poll_report.hpp"
#include "newswatch/config/units.hpp"
#include "newswatch/dedup/story_index.hpp"
#include "newswatch/model/huge_pages.hpp"
#include "newswatch/pipeline/poll_cycle.hpp"
#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/pipeline/stages.hpp"
#include "newswatch/pipeline/worker_pool.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/store/checkpointer.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::app {
namespace {

/// Progress appears only when a run lasts longer than this, so quick runs print nothing extra.
constexpr std::chrono::milliseconds progress_delay{1000};
constexpr std::chrono::milliseconds progress_period{250};
/// Room in huge pages for the main heap, reserved once the story index is in place: a cycle's
/// bodies, items and records then cost a few page faults there instead of thousands. Reserved
/// before the index thread's build and trim, it made a warm cycle of 10,000 feeds (300,000
/// fingerprints to load) 1.13x slower. It also keeps every heap from trimming below twice this, so
/// more buys few faults for much memory: with 64 MB, the peak RSS of a second cycle of 1,000 feeds
/// rose by 7 MB; with 8 MB, by 3.
constexpr std::size_t cycle_heap_bytes = std::size_t{8} << 20U;

struct OnceOptions {
  bool json = false;
  bool dry_run = false;
  bool no_baseline = false;
  std::string deliver_timeout = "30s";
};

/// "polled 312/1000 feeds" on one self-overwriting stderr line, while the cycle runs.
class ProgressLine {
 public:
  ProgressLine(boost::asio::io_context& io, const pipeline::PollCycle& cycle) : timer_(io), cycle_(cycle) {}

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
  const pipeline::PollCycle& cycle_;
  bool shown_ = false;
};

std::optional<rules::RuleSet> compile_rules(const config::Config& config) {
  auto compiled = rules::RuleSet::compile(pipeline::rule_definitions(config));
  if (!compiled) {
    for (const auto& error : compiled.error()) {
      std::cerr << fmt::format("newswatch once: rule {}: {}\n", error.rule, error.error.message);
    }
    return std::nullopt;
  }
  return std::move(*compiled);
}

bool is_console_target(const config::Config& config, const std::string& name) {
  return std::any_of(config.targets.begin(), config.targets.end(), [&name](const config::Target& target) {
    return target.name == name && target.type == config::TargetType::console;
  });
}

/// The store a run writes; on a dry run, the existing state read-only (or an empty scratch store
/// when there is none yet), so nothing on disk changes.
Expected<std::unique_ptr<store::SqliteStore>, store::StoreError> open_store(const config::Config& config,
                                                                            bool dry_run) {
  if (!dry_run) {
    return store::SqliteStore::open(config.daemon.state_dir);
  }
  std::error_code error;
  if (std::filesystem::exists(store::SqliteStore::database_path(config.daemon.state_dir), error)) {
    return store::SqliteStore::open_read_only(config.daemon.state_dir);
  }
  return store::SqliteStore::open_scratch();
}

/// Sends what is due (this run's alerts and any left pending) until each is sent or dead, or waits
/// past `timeout`; what is left stays queued for the next run. Returns the summary lines.
std::string deliver(boost::asio::io_context& io, net::HttpClient& client, store::Store& store,
                    const config::Config& config, std::chrono::seconds timeout,
                    std::optional<std::string>& store_error) {
  alert::SystemClock clock(io);
  // Console deliveries left from an earlier run are printed now.
  alert::HttpCourier courier(client, clock, [](const std::string& text) {
    std::cout << text << (text.ends_with('\n') ? "" : "\n");
    std::cout.flush();
  });
  alert::Dispatcher dispatcher(io, store, config, courier, clock);
  DeliveryReport report;
  dispatcher.set_observer([&report](const alert::DeliveryEvent& event) { report.add(event); });
  const auto until = std::chrono::steady_clock::now() + timeout;
  const auto horizon = clock.now() + timeout;
  dispatcher.start();
  while (std::chrono::steady_clock::now() < until) {
    // Settled: nothing in flight, and nothing comes due before the timeout.
    if (!dispatcher.busy() && (!dispatcher.next_wake() || *dispatcher.next_wake() > horizon)) {
      break;
    }
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_until(until);
  }
  dispatcher.stop();
  if (dispatcher.store_error()) {
    store_error = dispatcher.store_error();
  }
  store::AlertFilter waiting;
  waiting.state = DeliveryState::pending;
  waiting.limit = 100000;
  if (auto pending = store.list_alerts(waiting)) {
    std::map<std::string, std::size_t> per_target;
    for (const auto& overview : *pending) {
      for (const auto& delivery : overview.deliveries) {
        if (delivery.state == DeliveryState::pending) {
          ++per_target[delivery.target];
        }
      }
    }
    for (const auto& [target, count] : per_target) {
      report.set_waiting(target, count);
    }
  }
  return report.to_text();
}

int run_once(const GlobalOptions& globals, const OnceOptions& options) {
  const auto deliver_timeout = config::parse_duration(options.deliver_timeout);
  if (!deliver_timeout) {
    std::cerr << fmt::format("newswatch once: --deliver-timeout \"{}\" is not a duration (e.g. \"30s\", \"2m\")\n",
                             options.deliver_timeout);
    return exit_bad_input;
  }
  auto loaded = load_config_for_command(globals);
  if (!loaded) {
    return exit_bad_input;
  }
  const auto& config = *loaded;
  auto rule_set = compile_rules(config);
  if (!rule_set) {
    return exit_bad_input;
  }
  auto store = open_store(config, options.dry_run);
  if (!store) {
    std::cerr << "newswatch once: " << store.error().message << '\n';
    return exit_runtime_failure;
  }
  // The polls' commits stay short: the log is moved into the database on a thread of its own. What
  // it has not moved when the run ends is moved before the run can exit (with two fsyncs), so it
  // keeps close behind the writer: a period of 250 ms left the last checkpoint 70-80 ms of work
  // after a cold 1,000-feed cycle, 50 ms leaves it a few to 35.
  std::unique_ptr<store::Checkpointer> checkpointer;
  if (!options.dry_run) {
    checkpointer = store::checkpoint_in_background(**store, config.daemon.state_dir, std::chrono::milliseconds{50});
  }
  // Index weights from the document frequencies earlier runs saw; a new store starts from the
  // length-based prior the set was compiled with.
  auto restored = pipeline::load_term_frequencies(**store);
  if (!restored) {
    std::cerr << "newswatch once: " << restored.error().message << '\n';
    return exit_runtime_failure;
  }
  const bool weighted = restored->has_value();
  // An empty sketch (2 MB to clear) is made only when none was restored.
  rules::TermFrequencies frequencies = weighted ? std::move(**restored) : rules::TermFrequencies();
  if (weighted) {
    rule_set = rule_set->reindexed(frequencies);
  }

  auto recorder_settings = pipeline::recorder_settings(config);
  recorder_settings.dry_run = options.dry_run;
  recorder_settings.no_baseline = options.no_baseline;
  pipeline::Recorder recorder(**store, std::move(recorder_settings));
  recorder.observe_terms(&frequencies);
  const auto started = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  // A store on disk is read from the workers too (each feed's stored items), and its story index
  // loads beside the first fetches; a scratch store (a dry run before any state) has one connection.
  std::optional<store::ReaderPool> readers;
  if (std::error_code missing;
      std::filesystem::exists(store::SqliteStore::database_path(config.daemon.state_dir), missing)) {
    readers.emplace(store::SqliteStore::reader_opener(config.daemon.state_dir));
  } else {
    if (auto loaded_index = recorder.load(started); !loaded_index) {
      std::cerr << "newswatch once: " << loaded_index.error().message << '\n';
      return exit_runtime_failure;
    }
    reserve_huge_heap(cycle_heap_bytes);
  }

  boost::asio::io_context io;
  // The polls are written through a connection of their own, on a thread of their own: the loop
  // stages the next polls while a batch commits. A dry run writes nothing.
  std::optional<store::StoreThread> writer;
  if (!options.dry_run) {
    writer.emplace(store::SqliteStore::writer_opener(config.daemon.state_dir, checkpointer != nullptr));
  }
  // Parsing and matching are the CPU work; the loop thread only drives sockets.
  pipeline::WorkerPool workers;
  net::HttpClientOptions client_options;
  client_options.user_agent = config.daemon.user_agent;
  if (!config.daemon.proxy.empty()) {
    client_options.proxy = config.daemon.proxy;
  }
  net::HttpClient client(io, client_options);

  pipeline::PollCycle cycle({io, workers, **store, recorder, pipeline::make_fetch_function(client, config.daemon),
                             pipeline::make_worker_stages(config.daemon, *rule_set), readers ? &*readers : nullptr,
                             writer ? &*writer : nullptr},
                            // The cycle takes the feeds: nothing after it reads them from the config.
                            std::exchange(loaded->feeds, {}), pipeline::poll_cycle_settings(config.daemon));
  ProgressLine progress(io, cycle);
  // The loop must not run dry while bodies are on the worker pool.
  auto keep_running = boost::asio::make_work_guard(io);
  std::optional<std::string> index_error;
  std::future<void> index_loading;  // Declared after what its handler uses: it is joined first.
  if (readers) {
    cycle.pause_recording();
    index_loading = std::async(
        std::launch::async, [&io, &readers, &recorder, &cycle, &index_error, since = recorder.window_start(started)] {
          auto index = [&]() -> Expected<dedup::StoryIndex, store::StoreError> {
            auto reader = readers->lease();
            if (!reader) {
              return make_unexpected(std::move(reader).error());
            }
            return pipeline::load_story_index(**reader, since);
          }();
          // This thread's malloc arena keeps what the index build freed; give it back to the system
          // rather than hold it beside what the polls allocate on the other threads.
          malloc_trim(0);
          boost::asio::post(io, [&io, &recorder, &cycle, &index_error, index = std::move(index)]() mutable {
            reserve_huge_heap(cycle_heap_bytes);
            if (!index) {
              // No fresh item is recorded without the index: the next run finds these items new.
              index_error = index.error().message;
              io.stop();
              return;
            }
            recorder.adopt(std::move(*index));
            cycle.resume_recording();
          });
        });
  }
  std::optional<pipeline::PollSummary> summary;
  cycle.start(nullptr, [&](pipeline::PollSummary done) {
    summary = std::move(done);
    progress.stop();
    keep_running.reset();
  });
  progress.start();
  io.run();
  workers.join();
  if (index_error) {
    std::cerr << "newswatch once: " << *index_error << '\n';
    return exit_runtime_failure;
  }

  // Printed once every poll is recorded, so each alert lists every outlet this run found.
  auto alerts = recorder.alerts(summary->alert_ids);
  if (!alerts) {
    std::cerr << "newswatch once: " << alerts.error().message << '\n';
    return exit_runtime_failure;
  }
  const auto finished = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::vector<std::string> delivered;
  std::vector<Delivery> printed;
  for (const auto& alert : *alerts) {
    std::cout << (options.json ? alert_to_json_line(alert) : alert_to_text(alert)) << '\n';
    // Printing is the whole delivery of an alert for a console target, or for a rule without targets.
    bool only_console = true;
    for (const auto& target : alert.targets) {
      if (is_console_target(config, target)) {
        printed.push_back(Delivery{alert.id, target, DeliveryState::sent, 1, std::nullopt, finished, {}});
      } else {
        only_console = false;
      }
    }
    if (only_console) {
      delivered.push_back(alert.id);
    }
  }
  std::cout.flush();
  if (!options.dry_run) {
    // A delivered alert's list of outlets is final now.
    auto closed = (*store)->update_deliveries(printed);
    if (closed) {
      closed = (*store)->close_alerts(delivered, finished);
    }
    if (!closed) {
      summary->store_error = closed.error().message;
    }
  }

  // A run that counted nothing (every item seen before) leaves the saved sketch as it was.
  if (!options.dry_run && recorder.terms_observed() > 0) {
    if (auto written = (*store)->save_term_frequencies(frequencies.serialize(), finished); !written) {
      summary->store_error = written.error().message;
    }
  }

  if (!options.dry_run) {
    // Retention: what has been gone from its feed that long is forgotten, along with finished alerts.
    if (auto pruned = store::prune_all(**store, finished - config.daemon.retention, finished - config.daemon.retention);
        !pruned) {
      summary->store_error = pruned.error().message;
    } else {
      log_pruned(*pruned, config.daemon.retention);
    }
  }
  std::string delivered_text;
  if (!options.dry_run) {
    delivered_text = deliver(io, client, **store, config, *deliver_timeout, summary->store_error);
  }
  std::cerr << summary_to_text(*summary) << delivered_text;
  return summary->store_error ? exit_runtime_failure : exit_ok;
}

}  // namespace

void register_once_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "once",
      "Poll every enabled feed once (ignoring the schedule, but not a pending Retry-After or a 410), record\n"
      "what is new, print each new alert on stdout and a summary on stderr. Items already seen, the same\n"
      "link in another feed and near-duplicate reprints of a story alert nothing new; a feed's first poll\n"
      "only records its items (baseline). Feed state, seen items and alerts live in the store, so a second\n"
      "run sends conditional requests and prints only what is new since.\n"
      "Then it delivers this run's alerts, and any still queued from earlier runs, to their targets, and\n"
      "waits until each is sent or given up, or would wait longer than --deliver-timeout; the rest stay\n"
      "queued for the next run. Failing targets are named in the summary.\n"
      "Exit 0 when it ran, even if some feeds or targets failed; 1 on config errors; 2 when the store cannot be\n"
      "used.");
  auto options = std::make_shared<OnceOptions>();
  command->add_flag("--json", options->json,
                    "One JSON object per alert: alert_id, rule, feed, item_id, title, link, published, story, why,\n"
                    "also ([{feed, title, link}] of other outlets), and updated (true for a re-matched edit)");
  command->add_flag("--dry-run", options->dry_run,
                    "Fetch, dedup and match, print what would alert, write nothing (no state, no items, no alerts)\n"
                    "and send nothing");
  command
      ->add_option("--deliver-timeout", options->deliver_timeout,
                   "How long to wait for deliveries (default 30s); what would wait longer stays queued")
      ->type_name("DURATION");
  command->add_flag("--no-baseline", options->no_baseline,
                    "Alert from the first poll of every feed, even those with baseline = true");
  command->callback([&globals, &exit_code, options] { exit_code = run_once(globals, *options); });
}

}  // namespace newswatch::app
