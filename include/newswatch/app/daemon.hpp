#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/alert/clock.hpp"
#include "newswatch/alert/dispatcher.hpp"
#include "newswatch/alert/http_courier.hpp"
#include "newswatch/app/command.hpp"
#include "newswatch/app/failure_log.hpp"
#include "newswatch/app/systemd_notifier.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/net/http_client.hpp"
#include "newswatch/pipeline/feed_poller.hpp"
#include "newswatch/pipeline/recorder.hpp"
#include "newswatch/pipeline/worker_pool.hpp"
#include "newswatch/rules/live_rule_set.hpp"
#include "newswatch/rules/rule_set.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/server/daemon_metrics.hpp"
#include "newswatch/server/http_server.hpp"
#include "newswatch/server/status_page.hpp"
#include "newswatch/store/checkpointer.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::app {

/// `newswatch run`: every enabled feed polled at its own next poll on one io_context, new items
/// through the per-feed unit and on to delivery at once; SIGHUP reloads, SIGTERM/SIGINT drain and
/// exit; systemd hears READY, RELOADING, STOPPING, STATUS and the watchdog.
///
/// Threads: everything here runs on the loop thread, except config loading and rule compiling on a
/// reload, and the parse/match stages, which run on the worker pool and post their results back.
class Daemon {
 public:
  /// The config named by `globals` is read again on every SIGHUP; --log-level overrides the config's.
  explicit Daemon(GlobalOptions globals);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  Daemon(Daemon&&) = delete;
  Daemon& operator=(Daemon&&) = delete;

  /// Loads, starts and runs until a signal stops it; the process exit code.
  int run();

 private:
  /// One configured, enabled feed and its timer.
  struct FeedSlot {
    std::shared_ptr<const Feed> feed;  ///< Shared with its poll in flight; a reload replaces it.
    FeedState state;
    std::unique_ptr<boost::asio::steady_timer> timer;
    bool polling = false;
    bool removed = false;  ///< Dropped by a reload while its poll was in flight.
  };

  /// A loaded and compiled config, swapped as one by a reload.
  struct Generation {
    std::shared_ptr<const config::Config> config;
    std::shared_ptr<const rules::RuleSet> rules;
  };

  bool start();
  void schedule_all();
  void schedule(FeedSlot& slot);
  void on_due(const std::string& name);
  void on_polled(const std::string& name, pipeline::FeedPollResult result);
  void log_poll(const FeedSlot& slot, const pipeline::FeedPollResult& result);
  void log_alerts(const std::vector<std::string>& ids);

  [[nodiscard]] pipeline::WorkerStages worker_stages() const;
  void consider_reindex(std::size_t new_items);
  void save_term_frequencies();

  void do_wait_signal();
  void on_signal(const boost::system::error_code& error, int signal);
  void begin_reload();
  void on_reloaded(std::optional<Generation> loaded, std::vector<std::string> errors);
  void apply_feeds(const config::Config& config);

  void begin_shutdown(int signal);
  void check_drained();
  void finish_shutdown(bool forced);

  bool start_http_server(const std::string& address);
  void on_delivery(const alert::DeliveryEvent& event);
  void count_poll(const FeedSlot& slot, const pipeline::FeedPollResult& result);
  void forget_removed(const config::Config& before, const config::Config& after);
  [[nodiscard]] server::StatusSnapshot status_snapshot();
  [[nodiscard]] server::Readiness readiness() const;

  void do_watchdog();
  /// Forgets one slice of what is older than `before` (retention) and posts the next, if any.
  void prune_step(TimePoint before, store::PruneResult total);
  void do_maintenance();
  [[nodiscard]] std::string status_text() const;
  void publish_status();

  GlobalOptions globals_;
  std::string config_path_;
  boost::asio::io_context io_;
  pipeline::WorkerPool workers_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer maintenance_timer_;
  boost::asio::steady_timer drain_timer_;
  boost::asio::steady_timer deadline_timer_;
  SystemdNotifier notifier_;
  FailureLog failure_log_;

  Generation current_;
  /// Earlier configs, kept while a poll that started under one may still use its feed copy or
  /// delivery lanes (dropped once nothing is in flight).
  std::vector<std::shared_ptr<const config::Config>> retired_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<store::Checkpointer> checkpointer_;
  std::unique_ptr<store::ReaderPool> readers_;
  /// Writes the polls; joined (what it was given written) before the loop and the poller go.
  std::unique_ptr<store::StoreThread> writer_;
  std::unique_ptr<pipeline::Recorder> recorder_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<alert::SystemClock> clock_;
  std::unique_ptr<alert::HttpCourier> courier_;
  std::unique_ptr<alert::Dispatcher> dispatcher_;
  std::unique_ptr<pipeline::FeedPoller> poller_;
  std::map<std::string, FeedSlot, std::less<>> slots_;
  std::unique_ptr<server::DaemonMetrics> metrics_;
  std::unique_ptr<server::HttpServer> http_;
  /// When each alert this process recorded was recorded, until its first delivery is sent (latency).
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> recorded_at_;
  std::map<std::string, std::string, std::less<>> target_errors_;  ///< Last error per target; cleared on a send.
  TimePoint started_{};
  std::optional<TimePoint> last_reload_;
  bool ready_ = false;

  /// Document frequencies of what the feeds say (loop thread only), and the rule set workers match
  /// with, swapped when a reload or a re-index under those frequencies makes a better one.
  rules::TermFrequencies frequencies_;
  rules::LiveRuleSet live_rules_{std::make_shared<const rules::RuleSet>()};
  std::size_t items_since_reindex_ = 0;
  bool reindexing_ = false;
  std::chrono::steady_clock::time_point last_frequency_save_{};

  bool reloading_ = false;
  bool reload_again_ = false;
  std::optional<std::string> last_reload_error_;
  bool stopping_ = false;
  bool stopped_ = false;
  bool pruning_ = false;  ///< A prune is going on, a slice at a time.
  std::chrono::steady_clock::time_point last_expire_{};
  std::chrono::steady_clock::time_point last_prune_{};
  std::optional<TimePoint> last_poll_;
  std::size_t pending_deliveries_ = 0;
  int exit_code_ = 0;
};

}  // namespace newswatch::app
