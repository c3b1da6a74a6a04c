#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "newswatch/alert/clock.hpp"
#include "newswatch/alert/courier.hpp"
#include "newswatch/config/config.hpp"
#include "newswatch/store/store.hpp"

namespace newswatch::alert {

/// Knobs of the dispatcher that are not configuration.
struct DispatcherSettings {
  std::size_t batch = 500;                                         ///< Due deliveries read from the store per pass.
  std::optional<std::uint64_t> jitter_seed;                        ///< Seeds the retry jitter; unset: random.
  std::chrono::milliseconds store_retry{std::chrono::seconds{5}};  ///< Wait after a store error.
  /// Results are written at most once per interval (real time), each write one transaction for all
  /// the results that came in since the last: a write after a quiet interval goes at once.
  std::chrono::milliseconds write_interval{10};
};

/// What one send (or one decision without sending) did to some deliveries of one target.
struct DeliveryEvent {
  std::string target;
  config::TargetType type = config::TargetType::console;
  DeliveryState state = DeliveryState::pending;  ///< sent, dead, or pending again (a retry is due later).
  std::vector<std::string> alert_ids;
  std::string detail;                     ///< Why it is dead or waits; empty when sent.
  std::optional<TimePoint> next_attempt;  ///< For a retry.
};

/// The outbox's sender. On the loop it reads due pending deliveries from the store, turns each
/// target's share into messages (one per story, digests for digest rules, the surplus over
/// max_per_minute folded into one digest), sends them through the Courier at the target's pace,
/// and writes every result back to the store. One message per target is in flight at a time
/// (concurrency raises that), so a target sees its alerts in order; a failed message holds its
/// target until its retry, which comes back first.
///
/// The store is the truth: a delivery is pending in it until its result is written, so a crash
/// or an outage loses nothing and the next run sends what is left (at least once; the alert id is
/// the idempotency key). Results are written together, at most once per write_interval, and a
/// row is not read again until its result is written; stop() and the destructor write what is
/// left. The store's next retry time is read on each pass and kept up to date from the
/// dispatcher's own writes (no one else schedules retries).
class Dispatcher {
 public:
  /// Observes every result as it is written.
  using Observer = std::function<void(const DeliveryEvent&)>;

  /// Everything passed in must outlive the dispatcher (the config: or its replacement by
  /// reconfigure()); all of it is used on `io`'s thread.
  Dispatcher(boost::asio::io_context& io, store::Store& store, const config::Config& config, Courier& courier,
             Clock& clock, DispatcherSettings settings = {});
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;
  Dispatcher(Dispatcher&&) = delete;
  Dispatcher& operator=(Dispatcher&&) = delete;

  /// Calls `observer` for every result from now on.
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  /// Starts: reads what is due now, then wakes up whenever something comes due.
  void start();
  /// New alerts may be in the store: look again at once.
  void notify();
  /// Uses `config` (targets, rules, alert_max_age) from now on; it must outlive the dispatcher or the
  /// next reconfigure(). Messages in flight finish as they were planned; a removed target's pending
  /// deliveries go dead when they come due.
  void reconfigure(const config::Config& config);
  /// Sends nothing more; results of requests in flight are still written.
  void stop();

  /// True while deliveries are queued, in flight or not yet written back, or a pass is pending.
  [[nodiscard]] bool busy() const noexcept;
  /// When the dispatcher next wakes up by itself; nullopt when nothing waits for a time.
  [[nodiscard]] std::optional<Instant> next_wake() const noexcept { return wake_; }
  /// Messages started so far.
  [[nodiscard]] std::size_t messages_sent() const noexcept { return messages_started_; }
  /// The last store error, if a read or write failed.
  [[nodiscard]] const std::optional<std::string>& store_error() const noexcept { return store_error_; }

 private:
  struct Outgoing;
  struct Lane;

  void post_pump();
  void pump();
  void plan(Lane& lane, Instant now);
  void drain(Lane& lane);
  void do_send(Lane& lane, Outgoing outgoing, Instant now);
  void on_sent(const std::string& lane_name, Outgoing outgoing, SendResult result);
  void release_queue(Lane& lane);
  void record(std::vector<Delivery> deliveries, bool release_after_write);
  void post_flush();
  void flush();
  void read_store_next(Instant now);
  void schedule_wake();
  void report(const Lane& lane, DeliveryState state, const std::vector<Delivery>& deliveries, std::string detail,
              std::optional<TimePoint> next_attempt);
  Lane& lane_for(const config::Target& target, Instant now);
  [[nodiscard]] const config::Target* find_target(const std::string& name) const;
  [[nodiscard]] const config::Rule* find_rule(const std::string& name) const;

  boost::asio::io_context& io_;
  store::Store& store_;
  const config::Config* config_;
  Courier& courier_;
  Clock& clock_;
  DispatcherSettings settings_;
  std::unique_ptr<WakeTimer> timer_;
  std::mt19937_64 random_;
  Observer observer_;
  std::map<std::string, std::unique_ptr<Lane>, std::less<>> lanes_;
  std::unordered_set<std::string> claimed_;  ///< "alert\ntarget" of deliveries queued, in flight or unwritten.
  std::vector<Delivery> unwritten_;
  std::vector<std::string> release_after_write_;
  std::optional<Instant> wake_;
  std::optional<Instant> store_next_;  ///< The earliest next_attempt of a pending row in the store.
  boost::asio::steady_timer write_timer_;
  /// None before the first write: the steady clock may have started (at boot) less than a write
  /// interval ago.
  std::optional<std::chrono::steady_clock::time_point> last_write_;
  std::optional<std::string> store_error_;
  std::size_t skipped_ = 0;  ///< Due rows the last pass left for later (held targets, spent budgets).
  std::size_t messages_started_ = 0;
  bool last_load_full_ = false;
  bool pump_posted_ = false;
  bool flush_posted_ = false;
  bool stopped_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace newswatch::alert
