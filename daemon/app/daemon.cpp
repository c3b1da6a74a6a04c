#include "newswatch/app/daemon.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <csignal>
#include <iostream>
#include <set>
#include <utility>

#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/logging.hpp"
#include "newswatch/app/poll_report.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/pipeline/poll_cycle.hpp"
#include "newswatch/pipeline/stages.hpp"
#include "newswatch/store/reconcile.hpp"
#include "newswatch/version.hpp"

namespace newswatch::app {
namespace {

/// How often the drain after SIGTERM looks whether everything in flight has finished.
constexpr std::chrono::milliseconds drain_check_period{50};
/// Housekeeping: STATUS=, the story window, and (every prune_period) retention.
constexpr std::chrono::seconds maintenance_period{5};
constexpr std::chrono::minutes expire_period{1};
constexpr std::chrono::hours prune_period{1};
/// New items between two looks at whether the observed frequencies make a better rule index.
constexpr std::size_t reindex_every_items = 5000;
/// A re-indexed set must cut the expected candidates per item by this share to be swapped in.
constexpr double reindex_margin = 0.1;
constexpr std::chrono::minutes frequency_save_period{10};

const char* signal_name(int signal) {
  switch (signal) {
    case SIGHUP: return "SIGHUP";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    default: return "signal";
  }
}

void apply_log_settings(const GlobalOptions& globals, const config::DaemonSettings& daemon) {
  configure_logging(globals.log_level.empty() ? daemon.log_level : globals.log_level,
                    daemon.log_format == config::LogFormat::json ? LogFormat::json : LogFormat::text);
}

}  // namespace

Daemon::Daemon(GlobalOptions globals)
    : globals_(std::move(globals)),
      config_path_(resolve_config_path(globals_)),
      signals_(io_),
      watchdog_timer_(io_),
      maintenance_timer_(io_),
      drain_timer_(io_),
      deadline_timer_(io_) {}

Daemon::~Daemon() {
  // Workers post back to the poller: none may still run when it goes.
  workers_.join();
}

int Daemon::run() {
  if (!start()) {
    workers_.join();
    return exit_code_;
  }
  io_.run();
  workers_.join();
  spdlog::info("run: stopped");
  return exit_code_;
}

bool Daemon::start() {
  auto loaded = load_config_for_command(globals_);
  if (!loaded) {
    exit_code_ = exit_bad_input;
    return false;
  }
  auto config = std::make_shared<const config::Config>(std::move(*loaded));
  auto compiled = rules::RuleSet::compile(pipeline::rule_definitions(*config));
  if (!compiled) {
    for (const auto& error : compiled.error()) {
      std::cerr << fmt::format("newswatch run: rule {}: {}\n", error.rule, error.error.message);
    }
    exit_code_ = exit_bad_input;
    return false;
  }
  current_ = Generation{config, std::make_shared<const rules::RuleSet>(std::move(*compiled))};
  started_ = now_seconds();
  metrics_ = std::make_unique<server::DaemonMetrics>(version, started_);

  // Rebuilding the items of a large store for a new schema takes minutes: each report asks systemd
  // for more time than the next one is due in, so the start is not killed as hung.
  auto opened = store::SqliteStore::open(config->daemon.state_dir, [this] {
    notifier_.extend_start(std::chrono::seconds{30}, "upgrading the store's schema");
  });
  if (!opened) {
    std::cerr << "newswatch run: " << opened.error().message << '\n';
    exit_code_ = exit_runtime_failure;
    return false;
  }
  store_ = std::move(*opened);
  // Commits on the loop must stay short: the WAL is checkpointed on a thread of its own.
  checkpointer_ = store::checkpoint_in_background(*store_, config->daemon.state_dir, std::chrono::seconds{1});
  // Index weights from the document frequencies earlier runs saw; a new store starts from the
  // length-based prior the set was compiled with.
  if (auto restored = pipeline::load_term_frequencies(*store_); !restored) {
    std::cerr << "newswatch run: " << restored.error().message << '\n';
    exit_code_ = exit_runtime_failure;
    return false;
  } else if (restored->has_value()) {
    frequencies_ = std::move(**restored);
    current_.rules = std::make_shared<const rules::RuleSet>(current_.rules->reindexed(frequencies_));
  }
  live_rules_.store(current_.rules);
  // Workers read each feed's stored items through connections of their own.
  readers_ = std::make_unique<store::ReaderPool>(store::SqliteStore::reader_opener(config->daemon.state_dir));
  // Polls are written on a thread of their own: a slow commit never holds up the loop.
  writer_ = std::make_unique<store::StoreThread>(
      store::SqliteStore::writer_opener(config->daemon.state_dir, checkpointer_ != nullptr));
  recorder_ = std::make_unique<pipeline::Recorder>(*store_, pipeline::recorder_settings(*config));
  recorder_->observe_terms(&frequencies_);
  if (auto index = recorder_->load(now_seconds()); !index) {
    std::cerr << "newswatch run: " << index.error().message << '\n';
    exit_code_ = exit_runtime_failure;
    return false;
  }

  net::HttpClientOptions client_options;
  client_options.user_agent = config->daemon.user_agent;
  if (!config->daemon.proxy.empty()) {
    client_options.proxy = config->daemon.proxy;
  }
  client_ = std::make_unique<net::HttpClient>(io_, client_options);
  clock_ = std::make_unique<alert::SystemClock>(io_);
  courier_ = std::make_unique<alert::HttpCourier>(*client_, *clock_, [](const std::string& text) {
    std::cout << text << (text.ends_with('\n') ? "" : "\n");
    std::cout.flush();
  });
  dispatcher_ = std::make_unique<alert::Dispatcher>(io_, *store_, *config, *courier_, *clock_);
  dispatcher_->set_observer([this](const alert::DeliveryEvent& event) { on_delivery(event); });
  poller_ = std::make_unique<pipeline::FeedPoller>(
      pipeline::FeedPoller::Parts{io_, workers_, *store_, *recorder_,
                                  pipeline::make_fetch_function(*client_, config->daemon), worker_stages(),
                                  readers_.get(), writer_.get()},
      pipeline::poll_cycle_settings(config->daemon));

  signals_.add(SIGHUP);
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  do_wait_signal();

  if (config->daemon.http_listen && !start_http_server(*config->daemon.http_listen)) {
    exit_code_ = exit_runtime_failure;
    return false;
  }
  apply_feeds(*config);
  dispatcher_->start();
  do_watchdog();
  do_maintenance();
  spdlog::info("run: started config={} feeds={} rules={} targets={} state_dir={}", config_path_, slots_.size(),
               config->rules.size(), config->targets.size(), config->daemon.state_dir.string());
  ready_ = true;
  notifier_.ready(status_text());
  return true;
}

bool Daemon::start_http_server(const std::string& address) {
  server::HttpHandlers handlers;
  handlers.metrics = [this] { return metrics_->render(); };
  handlers.ready = [this] { return readiness(); };
  handlers.status = [this] { return status_snapshot(); };
  http_ = std::make_unique<server::HttpServer>(io_, std::move(handlers));
  auto bound = http_->listen(address);
  if (!bound) {
    std::cerr << "newswatch run: " << bound.error() << '\n';
    return false;
  }
  const auto endpoint = *bound;
  spdlog::info("http: listening on {}{}{}:{} (/, /metrics, /healthz, /readyz)", endpoint.address().is_v6() ? "[" : "",
               endpoint.address().to_string(), endpoint.address().is_v6() ? "]" : "", endpoint.port());
  return true;
}

void Daemon::apply_feeds(const config::Config& config) {
  std::set<std::string, std::less<>> wanted;
  for (const auto& feed : config.feeds) {
    if (!feed.enabled) {
      continue;
    }
    wanted.insert(feed.name);
    if (const auto found = slots_.find(feed.name); found != slots_.end()) {
      auto& slot = found->second;
      const bool url_changed = slot.feed->url != feed.url;
      // A poll in flight keeps the feed it started with.
      slot.feed = std::make_shared<const Feed>(feed);
      slot.removed = false;
      if (!slot.polling && url_changed) {
        // A new URL starts afresh: new validators, and a baseline when the feed asks for one.
        slot.state = store::reconcile_feed_state(slot.state, *slot.feed);
        schedule(slot);
      }
      continue;
    }
    std::optional<FeedState> stored;
    if (auto read = store_->load_feed_state(feed.name)) {
      stored = std::move(*read);
    } else {
      spdlog::error("store: feed={}: {}", feed.name, read.error().message);
    }
    FeedSlot slot{std::make_shared<const Feed>(feed), store::reconcile_feed_state(stored, feed),
                  std::make_unique<boost::asio::steady_timer>(io_)};
    auto& placed = slots_.emplace(feed.name, std::move(slot)).first->second;
    metrics_->add_feed(feed.name);
    schedule(placed);
  }
  for (auto slot = slots_.begin(); slot != slots_.end();) {
    if (wanted.contains(slot->first)) {
      ++slot;
      continue;
    }
    failure_log_.forget(slot->first);
    metrics_->remove_feed(slot->first);
    slot->second.timer->cancel();
    if (slot->second.polling) {
      slot->second.removed = true;
      ++slot;
    } else {
      slot = slots_.erase(slot);
    }
  }
}

void Daemon::schedule(FeedSlot& slot) {
  slot.timer->cancel();
  const auto now = now_seconds();
  if (const auto skipped = pipeline::skip_reason(slot.state, now); skipped && slot.state.disabled) {
    spdlog::warn("run: feed={} is not polled: {}; change its url to poll it again", slot.feed->name, *skipped);
    return;
  }
  TimePoint at = slot.state.next_poll.value_or(now);
  if (slot.state.retry_after && *slot.state.retry_after > at) {
    at = *slot.state.retry_after;
  }
  const auto delay = std::max(std::chrono::system_clock::duration::zero(), at - std::chrono::system_clock::now());
  slot.timer->expires_after(delay);
  slot.timer->async_wait([this, name = slot.feed->name](const boost::system::error_code& error) {
    if (!error) {
      on_due(name);
    }
  });
}

void Daemon::on_due(const std::string& name) {
  const auto found = slots_.find(name);
  if (stopping_ || found == slots_.end() || found->second.polling) {
    return;
  }
  auto& slot = found->second;
  slot.polling = true;
  poller_->poll(slot.feed, slot.state,
                [this, name](pipeline::FeedPollResult result) { on_polled(name, std::move(result)); });
}

void Daemon::on_polled(const std::string& name, pipeline::FeedPollResult result) {
  last_poll_ = now_seconds();
  if (result.store_error) {
    metrics_->store_error();
  }
  if (!result.alert_ids.empty()) {
    log_alerts(result.alert_ids);
    dispatcher_->notify();
  }
  consider_reindex(result.report.items.fresh + result.report.items.updated);
  if (const auto found = slots_.find(name); found != slots_.end()) {
    auto& slot = found->second;
    slot.polling = false;
    slot.state = std::move(result.state);
    log_poll(slot, result);
    count_poll(slot, result);
    if (slot.removed) {
      slots_.erase(found);
    } else if (!stopping_) {
      if (slot.state.configured_url != slot.feed->url) {
        // A reload changed the URL while this poll was in flight.
        slot.state = store::reconcile_feed_state(slot.state, *slot.feed);
      }
      schedule(slot);
    }
  }
  if (stopping_) {
    check_drained();
  }
}

pipeline::WorkerStages Daemon::worker_stages() const {
  const auto& daemon = current_.config->daemon;
  return pipeline::WorkerStages{pipeline::make_parse_function(), pipeline::make_identify_function(daemon),
                                pipeline::make_match_function(live_rules_), pipeline::make_term_function()};
}

void Daemon::consider_reindex(std::size_t new_items) {
  items_since_reindex_ += new_items;
  if (reindexing_ || stopping_ || items_since_reindex_ < reindex_every_items) {
    return;
  }
  items_since_reindex_ = 0;
  reindexing_ = true;
  // Built off the loop from a copy of the counts; matching goes on with the current set meanwhile.
  boost::asio::post(workers_, [this, current = live_rules_.load(),
                               frequencies = std::make_shared<const rules::TermFrequencies>(frequencies_)] {
    auto better = rules::reindex_if_better(*current, *frequencies, reindex_margin);
    const double before = current->expected_candidates(*frequencies);
    const double after = better ? better->expected_candidates(*frequencies) : before;
    boost::asio::post(io_, [this, current, better = std::move(better), before, after] {
      reindexing_ = false;
      // A reload in the meantime brought a set of its own, compiled under newer counts.
      if (!better || live_rules_.load() != current) {
        return;
      }
      live_rules_.store(better);
      current_.rules = better;
      spdlog::info("rules: re-indexed by observed term frequencies; expected candidates per item {:.1f} -> {:.1f}",
                   before, after);
    });
  });
}

void Daemon::save_term_frequencies() {
  if (auto saved = store_->save_term_frequencies(frequencies_.serialize(), now_seconds()); !saved) {
    metrics_->store_error();
    spdlog::error("{}", saved.error().message);
  }
}

void Daemon::do_wait_signal() {
  signals_.async_wait([this](const boost::system::error_code& error, int signal) { on_signal(error, signal); });
}

void Daemon::on_signal(const boost::system::error_code& error, int signal) {
  if (error) {
    return;
  }
  do_wait_signal();
  if (signal == SIGHUP) {
    if (stopping_) {
      return;
    }
    if (reloading_) {
      reload_again_ = true;
      return;
    }
    begin_reload();
    return;
  }
  if (stopping_) {
    spdlog::warn("shutdown: second {}; exiting now, what is in flight is retried on the next start",
                 signal_name(signal));
    finish_shutdown(true);
    return;
  }
  begin_shutdown(signal);
}

void Daemon::begin_reload() {
  reloading_ = true;
  notifier_.reloading();
  spdlog::info("reload: reading {}", config_path_);
  // Reading files and compiling rules is the slow part: it runs on a worker, never on the loop.
  // The worker gets its own copy of the frequencies: the loop keeps counting into the original.
  boost::asio::post(workers_, [this, path = config_path_,
                               frequencies = std::make_shared<const rules::TermFrequencies>(frequencies_)] {
    std::optional<Generation> generation;
    std::vector<std::string> errors;
    auto outcome = load_checked_config(path);
    for (const auto& diagnostic : outcome.diagnostics) {
      if (diagnostic.severity == config::Severity::error) {
        errors.push_back(diagnostic.to_string());
      }
    }
    if (outcome.ok()) {
      auto config = std::make_shared<const config::Config>(std::move(*outcome.config));
      auto compiled = rules::RuleSet::compile(pipeline::rule_definitions(*config), frequencies.get());
      if (compiled) {
        generation = Generation{config, std::make_shared<const rules::RuleSet>(std::move(*compiled))};
      } else {
        for (const auto& error : compiled.error()) {
          errors.push_back(fmt::format("rule {}: {}", error.rule, error.error.message));
        }
      }
    }
    boost::asio::post(io_, [this, generation = std::move(generation), errors = std::move(errors)]() mutable {
      on_reloaded(std::move(generation), std::move(errors));
    });
  });
}

void Daemon::on_reloaded(std::optional<Generation> loaded, std::vector<std::string> errors) {
  reloading_ = false;
  if (stopping_) {
    return;
  }
  last_reload_ = now_seconds();
  metrics_->config_reloaded(loaded.has_value(), *last_reload_);
  if (!loaded) {
    for (const auto& error : errors) {
      spdlog::error("reload: {}", error);
    }
    last_reload_error_ = fmt::format("reload failed at {} with {} error(s), running the previous config{}",
                                     format_rfc3339(now_seconds()), errors.size(),
                                     errors.empty() ? std::string() : ": " + errors.front());
    spdlog::error("reload: {} is not valid; still running the previous config", config_path_);
  } else {
    const auto& old_daemon = current_.config->daemon;
    const auto& daemon = loaded->config->daemon;
    if (daemon.state_dir != old_daemon.state_dir || daemon.user_agent != old_daemon.user_agent ||
        daemon.proxy != old_daemon.proxy || daemon.http_listen != old_daemon.http_listen) {
      spdlog::warn("reload: state_dir, user_agent, proxy and http_listen take effect on the next start");
    }
    forget_removed(*current_.config, *loaded->config);
    retired_.push_back(current_.config);
    current_ = std::move(*loaded);
    const auto& config = *current_.config;
    apply_log_settings(globals_, config.daemon);
    recorder_->reconfigure(pipeline::recorder_settings(config));
    live_rules_.store(current_.rules);
    poller_->reconfigure(worker_stages(), pipeline::poll_cycle_settings(config.daemon));
    dispatcher_->reconfigure(config);
    apply_feeds(config);
    last_reload_error_.reset();
    spdlog::info("reload: done feeds={} rules={} targets={}", slots_.size(), config.rules.size(),
                 config.targets.size());
  }
  notifier_.ready(status_text());
  if (reload_again_) {
    reload_again_ = false;
    begin_reload();
  }
}

void Daemon::begin_shutdown(int signal) {
  stopping_ = true;
  const auto timeout = current_.config->daemon.shutdown_timeout;
  spdlog::info("shutdown: {}; finishing {} fetch(es) and the deliveries in flight, for at most {}", signal_name(signal),
               poller_->in_flight(), format_duration(timeout));
  ready_ = false;
  notifier_.stopping(fmt::format("stopping: {} fetch(es) in flight", poller_->in_flight()));
  for (auto& [name, slot] : slots_) {
    slot.timer->cancel();
  }
  maintenance_timer_.cancel();
  deadline_timer_.expires_after(timeout);
  deadline_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      finish_shutdown(true);
    }
  });
  check_drained();
}

void Daemon::check_drained() {
  if (stopped_) {
    return;
  }
  if (poller_->in_flight() == 0 && !dispatcher_->busy()) {
    finish_shutdown(false);
    return;
  }
  drain_timer_.expires_after(drain_check_period);
  drain_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      check_drained();
    }
  });
}

void Daemon::finish_shutdown(bool forced) {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  save_term_frequencies();
  dispatcher_->stop();
  if (http_) {
    http_->stop();
  }
  if (forced && (poller_->in_flight() > 0 || dispatcher_->busy())) {
    spdlog::warn("shutdown: {} fetch(es) or deliveries still in flight; they are done again on the next start",
                 poller_->in_flight());
  }
  signals_.cancel();
  io_.stop();
}

void Daemon::do_watchdog() {
  const auto period = notifier_.watchdog_period();
  if (!period) {
    return;
  }
  // The ping comes from the loop itself: a loop that is stuck stops pinging, and systemd restarts it.
  notifier_.watchdog();
  watchdog_timer_.expires_after(*period);
  watchdog_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error) {
      do_watchdog();
    }
  });
}

void Daemon::prune_step(TimePoint before, store::PruneResult total) {
  auto pruned = store_->prune(before, before, store::prune_slice);
  if (!pruned) {
    spdlog::error("{}", pruned.error().message);
    pruning_ = false;
    return;
  }
  total.add(*pruned);
  if (total.more) {
    // The next slice after what the loop has queued meanwhile: no poll or delivery waits for more
    // than one slice.
    boost::asio::post(io_, [this, before, total] { prune_step(before, total); });
    return;
  }
  pruning_ = false;
  log_pruned(total, current_.config->daemon.retention);
}

void Daemon::do_maintenance() {
  const auto now = now_seconds();
  const auto steady_now = std::chrono::steady_clock::now();
  if (last_expire_ == std::chrono::steady_clock::time_point{} || steady_now - last_expire_ >= expire_period) {
    last_expire_ = steady_now;
    recorder_->expire(now);
  }
  if (!pruning_ &&
      (last_prune_ == std::chrono::steady_clock::time_point{} || steady_now - last_prune_ >= prune_period)) {
    last_prune_ = steady_now;
    pruning_ = true;
    prune_step(now - current_.config->daemon.retention, store::PruneResult{});
  }
  // The first pass starts the period (the steady clock starts at boot, which may be recent).
  if (last_frequency_save_ == std::chrono::steady_clock::time_point{}) {
    last_frequency_save_ = steady_now;
  } else if (steady_now - last_frequency_save_ >= frequency_save_period) {
    save_term_frequencies();
    last_frequency_save_ = steady_now;
  }
  if (poller_->in_flight() == 0 && !dispatcher_->busy()) {
    retired_.clear();
  }
  publish_status();
  maintenance_timer_.expires_after(maintenance_period);
  maintenance_timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error && !stopping_) {
      do_maintenance();
    }
  });
}

void Daemon::forget_removed(const config::Config& before, const config::Config& after) {
  const auto has = [](const auto& list, const std::string& name) {
    return std::any_of(list.begin(), list.end(), [&name](const auto& entry) { return entry.name == name; });
  };
  for (const auto& rule : before.rules) {
    if (!has(after.rules, rule.name)) {
      metrics_->remove_rule(rule.name);
    }
  }
  for (const auto& target : before.targets) {
    if (!has(after.targets, target.name)) {
      metrics_->remove_target(target.name);
      target_errors_.erase(target.name);
    }
  }
}

}  // namespace newswatch::app
