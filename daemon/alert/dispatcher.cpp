#include "newswatch/alert/dispatcher.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <deque>
#include <limits>
#include <unordered_map>

#include "newswatch/alert/delivery_plan.hpp"
#include "newswatch/alert/digest_schedule.hpp"
#include "newswatch/alert/flood_window.hpp"
#include "newswatch/alert/retry_backoff.hpp"
#include "newswatch/alert/token_bucket.hpp"

namespace newswatch::alert {
namespace {

std::string claim_key(const Delivery& delivery) {
  return delivery.alert_id + '\n' + delivery.target;
}

TimePoint floor_seconds(Instant instant) {
  return std::chrono::floor<std::chrono::seconds>(instant);
}

/// Store times are whole seconds: a retry rounds up, so it never goes before its time.
TimePoint ceil_seconds(Instant instant) {
  return std::chrono::ceil<std::chrono::seconds>(instant);
}

std::string alerts_word(std::size_t count) {
  return count == 1 ? "alert" : fmt::format("{} alerts", count);
}

}  // namespace

/// One message on its way to a lane's target, with the delivery of each of its alerts.
struct Dispatcher::Outgoing {
  Message message;
  std::vector<Delivery> deliveries;
};

/// A target's queue and pace.
struct Dispatcher::Lane {
  Lane(const config::Target& of, const Pace& pace, Instant now)
      : target(of), bucket(pace, now), window(of.max_per_minute) {}

  config::Target target;  ///< A copy: a reload may replace the config while messages are in flight.
  TokenBucket bucket;
  FloodWindow window;
  std::vector<store::DueDelivery> incoming;  ///< Claimed this pass, not yet planned.
  std::deque<Outgoing> queue;                ///< Planned, in order.
  int in_flight = 0;
  Instant held_until{};   ///< Nothing starts before this: a retry's time, a Retry-After.
  Instant budget_back{};  ///< When max_per_minute lets the next message go, after a pass found none left.
};

Dispatcher::Dispatcher(boost::asio::io_context& io, store::Store& store, const config::Config& config, Courier& courier,
                       Clock& clock, DispatcherSettings settings)
    : io_(io),
      store_(store),
      config_(&config),
      courier_(courier),
      clock_(clock),
      settings_(settings),
      timer_(clock.make_timer()),
      random_(settings.jitter_seed ? *settings.jitter_seed : std::random_device{}()),
      write_timer_(io) {}

Dispatcher::~Dispatcher() {
  *alive_ = false;
  timer_->cancel();
  write_timer_.cancel();
  if (!unwritten_.empty()) {
    // Results that came back are not sent again on the next start.
    stopped_ = true;
    flush();
  }
}

void Dispatcher::start() {
  stopped_ = false;
  post_pump();
}

void Dispatcher::notify() {
  post_pump();
}

void Dispatcher::reconfigure(const config::Config& config) {
  config_ = &config;
  for (auto lane = lanes_.begin(); lane != lanes_.end();) {
    const auto* target = find_target(lane->first);
    const bool idle = lane->second->in_flight == 0 && lane->second->queue.empty() && lane->second->incoming.empty();
    if (idle) {
      // Made again from the new table (pace included) when its next delivery comes due.
      lane = lanes_.erase(lane);
      continue;
    }
    if (target != nullptr) {
      if (target->max_per_minute != lane->second->target.max_per_minute) {
        lane->second->window = FloodWindow(target->max_per_minute);
      }
      lane->second->target = *target;
    }
    ++lane;
  }
  post_pump();
}

void Dispatcher::stop() {
  stopped_ = true;
  timer_->cancel();
  wake_.reset();
  for (auto& [name, lane] : lanes_) {
    release_queue(*lane);
    for (const auto& due : lane->incoming) {
      claimed_.erase(claim_key(due.delivery));
    }
    lane->incoming.clear();
  }
  if (!unwritten_.empty()) {
    // Written now rather than at the end of the write interval, which may never come.
    write_timer_.cancel();
    flush();
  }
}

bool Dispatcher::busy() const noexcept {
  return !claimed_.empty() || pump_posted_ || flush_posted_;
}

const config::Target* Dispatcher::find_target(const std::string& name) const {
  const auto found = std::find_if(config_->targets.begin(), config_->targets.end(),
                                  [&name](const config::Target& target) { return target.name == name; });
  return found == config_->targets.end() ? nullptr : &*found;
}

const config::Rule* Dispatcher::find_rule(const std::string& name) const {
  const auto found = std::find_if(config_->rules.begin(), config_->rules.end(),
                                  [&name](const config::Rule& rule) { return rule.name == name; });
  return found == config_->rules.end() ? nullptr : &*found;
}

Dispatcher::Lane& Dispatcher::lane_for(const config::Target& target, Instant now) {
  auto found = lanes_.find(target.name);
  if (found == lanes_.end()) {
    found = lanes_.emplace(target.name, std::make_unique<Lane>(target, courier_.pace(target), now)).first;
  }
  return *found->second;
}

void Dispatcher::post_pump() {
  if (pump_posted_ || stopped_) {
    return;
  }
  pump_posted_ = true;
  boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) {
      return;
    }
    pump();
  });
}

void Dispatcher::pump() {
  pump_posted_ = false;
  if (stopped_) {
    return;
  }
  const auto now = clock_.now();
  const auto now_seconds = floor_seconds(now);
  // Rows already claimed read as due until their results are written: the store passes over them
  // without reading their alerts again. Rows the last pass left (held targets, spent budgets)
  // come back, so the batch reaches past them.
  const auto limit = settings_.batch + skipped_;
  auto due = store_.load_due_deliveries(
      now_seconds, limit, [this](const Delivery& delivery) { return claimed_.contains(claim_key(delivery)); });
  if (!due) {
    store_error_ = due.error().message;
    spdlog::error("deliver: cannot read the outbox: {}; trying again in {}", due.error().message,
                  format_duration(std::chrono::ceil<std::chrono::seconds>(settings_.store_retry)));
    wake_ = now + settings_.store_retry;
    timer_->wake_at(*wake_, [this] { pump(); });
    return;
  }
  last_load_full_ = due->size() >= limit;
  skipped_ = 0;

  std::vector<Delivery> decided;  // Dead by age or config, or held for a digest: written now.
  for (auto& entry : *due) {
    auto& delivery = entry.delivery;
    const auto key = claim_key(delivery);
    const auto* target = find_target(delivery.target);
    if (target == nullptr || now_seconds - entry.alert.created > config_->daemon.alert_max_age) {
      delivery.state = DeliveryState::dead;
      delivery.finished = now_seconds;
      delivery.next_attempt.reset();
      delivery.last_error = target == nullptr ? fmt::format("target \"{}\" is not configured", delivery.target)
                                              : fmt::format("not delivered within alert_max_age {}",
                                                            format_duration(config_->daemon.alert_max_age));
      spdlog::warn("{}{}: {}; alert {} dead",
                   target == nullptr ? "" : std::string(config::target_type_name(target->type)) + " ",
                   fmt::format("target \"{}\"", delivery.target), delivery.last_error, delivery.alert_id);
      if (observer_) {
        observer_(DeliveryEvent{delivery.target,
                                target == nullptr ? config::TargetType::console : target->type,
                                DeliveryState::dead,
                                {delivery.alert_id},
                                delivery.last_error,
                                std::nullopt});
      }
      decided.push_back(std::move(delivery));
      continue;
    }
    if (const auto* rule = find_rule(entry.alert.rule); rule != nullptr && rule->digest && delivery.attempts == 0) {
      const auto at = digest_time(entry.alert.created, *rule->digest);
      if (at > now_seconds) {
        // The store remembers the digest's time, so it wakes this pass's successor (or the next run).
        if (delivery.next_attempt != at) {
          delivery.next_attempt = at;
          decided.push_back(std::move(delivery));
        }
        continue;
      }
    }
    auto& lane = lane_for(*target, now);
    if (now < lane.held_until) {
      ++skipped_;
      continue;
    }
    claimed_.insert(key);
    lane.incoming.push_back(std::move(entry));
  }
  if (!decided.empty()) {
    if (auto written = store_.record_delivery_results(decided, now_seconds); !written) {
      store_error_ = written.error().message;
      spdlog::error("deliver: cannot write the outbox: {}", written.error().message);
    }
  }
  read_store_next(now);
  for (auto& [name, lane] : lanes_) {
    plan(*lane, now);
    drain(*lane);
  }
  schedule_wake();
}

void Dispatcher::plan(Lane& lane, Instant now) {
  if (lane.incoming.empty()) {
    return;
  }
  auto incoming = std::move(lane.incoming);
  lane.incoming.clear();
  std::size_t budget = std::numeric_limits<std::size_t>::max();
  if (lane.window.limited()) {
    const auto remaining = lane.window.remaining(now);
    budget = remaining > lane.queue.size() ? remaining - lane.queue.size() : 0;
  }
  std::vector<Alert> alerts;
  alerts.reserve(incoming.size());
  for (const auto& entry : incoming) {
    alerts.push_back(entry.alert);
  }
  auto messages = plan_messages(
      alerts,
      [this](const std::string& rule) {
        const auto* found = find_rule(rule);
        return found != nullptr && found->digest.has_value();
      },
      budget);
  if (messages.empty()) {
    // No budget left this minute: they stay pending and come back, folded, when it frees up.
    for (const auto& entry : incoming) {
      claimed_.erase(claim_key(entry.delivery));
    }
    skipped_ += incoming.size();
    lane.budget_back = lane.window.frees_at(now);
    return;
  }
  std::unordered_map<std::string, Delivery*> by_alert;
  for (auto& entry : incoming) {
    by_alert.emplace(entry.delivery.alert_id, &entry.delivery);
  }
  for (auto& message : messages) {
    Outgoing outgoing{std::move(message), {}};
    for (const auto& alert : outgoing.message.alerts) {
      outgoing.deliveries.push_back(*by_alert.at(alert.id));
    }
    lane.queue.push_back(std::move(outgoing));
  }
}

void Dispatcher::drain(Lane& lane) {
  if (stopped_) {
    return;
  }
  const auto now = clock_.now();
  while (lane.in_flight < lane.target.concurrency && !lane.queue.empty() && now >= lane.held_until) {
    if (lane.window.remaining(now) == 0 || !lane.bucket.try_take(now)) {
      break;
    }
    auto outgoing = std::move(lane.queue.front());
    lane.queue.pop_front();
    do_send(lane, std::move(outgoing), now);
  }
}

void Dispatcher::do_send(Lane& lane, Outgoing outgoing, Instant now) {
  lane.window.record(now);
  ++lane.in_flight;
  ++messages_started_;
  // A copy: the callback below takes `outgoing` away before send() reads its argument.
  const auto message = outgoing.message;
  courier_.send(lane.target, message,
                [this, alive = std::weak_ptr<bool>(alive_), name = lane.target.name,
                 outgoing = std::move(outgoing)](SendResult result) mutable {
                  // Posted, so a courier that answers at once never re-enters drain().
                  boost::asio::post(io_, [this, alive = std::move(alive), name = std::move(name),
                                          outgoing = std::move(outgoing), result = std::move(result)]() mutable {
                    if (alive.expired()) {
                      return;
                    }
                    on_sent(name, std::move(outgoing), std::move(result));
                  });
                });
}

void Dispatcher::on_sent(const std::string& lane_name, Outgoing outgoing, SendResult result) {
  auto& lane = *lanes_.at(lane_name);
  --lane.in_flight;
  const auto now = clock_.now();
  const auto now_seconds = floor_seconds(now);
  const auto type = config::target_type_name(lane.target.type);
  auto& deliveries = outgoing.deliveries;
  std::optional<TimePoint> next_attempt;
  for (auto& delivery : deliveries) {
    ++delivery.attempts;
  }
  switch (result.kind) {
    case SendResult::Kind::delivered:
      for (auto& delivery : deliveries) {
        delivery.state = DeliveryState::sent;
        delivery.finished = now_seconds;
        delivery.next_attempt.reset();
        delivery.last_error.clear();
      }
      spdlog::debug("{} target \"{}\": {} sent", type, lane.target.name, alerts_word(deliveries.size()));
      if (result.pause) {
        // The platform's bucket is empty (Discord X-RateLimit-Remaining: 0): the next message waits.
        lane.held_until = std::max(lane.held_until, now + *result.pause);
      }
      report(lane, DeliveryState::sent, deliveries, {}, std::nullopt);
      break;
    case SendResult::Kind::permanent:
      for (auto& delivery : deliveries) {
        delivery.state = DeliveryState::dead;
        delivery.finished = now_seconds;
        delivery.next_attempt.reset();
        delivery.last_error = result.detail;
      }
      spdlog::warn("{} target \"{}\": {}; {} dead", type, lane.target.name, result.detail,
                   alerts_word(deliveries.size()));
      report(lane, DeliveryState::dead, deliveries, result.detail, std::nullopt);
      break;
    case SendResult::Kind::retry: {
      std::uniform_real_distribution<double> jitter(0.0, 1.0);
      const auto draw = jitter(random_);
      auto later = now;
      for (const auto& delivery : deliveries) {
        later = std::max(later, now + retry_delay(delivery.attempts, draw));
      }
      next_attempt = ceil_seconds(later);
      if (result.not_before && *result.not_before > *next_attempt) {
        next_attempt = result.not_before;
      }
      for (auto& delivery : deliveries) {
        delivery.next_attempt = next_attempt;
        delivery.last_error = result.detail;
      }
      // The target waits for the retry, which the store hands back first: order is kept, and a
      // target that is down or rate-limiting is not hammered by the messages behind it.
      lane.held_until = std::max(lane.held_until, Instant{*next_attempt});
      release_queue(lane);
      spdlog::warn("{} target \"{}\": {}; retrying in {}{}", type, lane.target.name, result.detail,
                   format_duration(std::chrono::ceil<std::chrono::seconds>(*next_attempt - now_seconds)),
                   result.not_before ? " (Retry-After)" : "");
      report(lane, DeliveryState::pending, deliveries, result.detail, next_attempt);
      break;
    }
  }
  record(std::move(deliveries), true);
  drain(lane);
  schedule_wake();
}

void Dispatcher::release_queue(Lane& lane) {
  for (const auto& outgoing : lane.queue) {
    for (const auto& delivery : outgoing.deliveries) {
      claimed_.erase(claim_key(delivery));
    }
  }
  lane.queue.clear();
}

void Dispatcher::report(const Lane& lane, DeliveryState state, const std::vector<Delivery>& deliveries,
                        std::string detail, std::optional<TimePoint> next_attempt) {
  if (!observer_) {
    return;
  }
  DeliveryEvent event{lane.target.name, lane.target.type, state, {}, std::move(detail), next_attempt};
  event.alert_ids.reserve(deliveries.size());
  for (const auto& delivery : deliveries) {
    event.alert_ids.push_back(delivery.alert_id);
  }
  observer_(event);
}

void Dispatcher::record(std::vector<Delivery> deliveries, bool release_after_write) {
  for (auto& delivery : deliveries) {
    if (release_after_write) {
      release_after_write_.push_back(claim_key(delivery));
    }
    unwritten_.push_back(std::move(delivery));
  }
  post_flush();
}

void Dispatcher::post_flush() {
  if (flush_posted_) {
    return;
  }
  flush_posted_ = true;
  // Results that arrive together, or within one write interval, are written in one transaction:
  // a commit costs far more than a row. The first write after a quiet interval goes at once.
  auto write = [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code& error = {}) {
    if (alive.expired() || error == boost::asio::error::operation_aborted || !flush_posted_) {
      return;
    }
    flush();
  };
  const auto due = last_write_ ? *last_write_ + settings_.write_interval : std::chrono::steady_clock::time_point{};
  if (stopped_ || !last_write_ || std::chrono::steady_clock::now() >= due) {
    boost::asio::post(io_, [write = std::move(write)]() mutable { write(); });
    return;
  }
  write_timer_.expires_at(due);
  write_timer_.async_wait(std::move(write));
}

void Dispatcher::flush() {
  flush_posted_ = false;
  auto deliveries = std::move(unwritten_);
  unwritten_.clear();
  auto released = std::move(release_after_write_);
  release_after_write_.clear();
  // One transaction for the results and the alerts they finish.
  if (auto written = store_.record_delivery_results(deliveries, floor_seconds(clock_.now())); !written) {
    // Still pending in the store: the next run sends them again, which the idempotency key allows.
    store_error_ = written.error().message;
    spdlog::error("deliver: cannot record {} result(s): {}", deliveries.size(), written.error().message);
  }
  last_write_ = std::chrono::steady_clock::now();
  for (const auto& delivery : deliveries) {
    // A retry's time: the store's earliest may have moved up (a later one only wakes a pass early).
    if (delivery.state == DeliveryState::pending && delivery.next_attempt &&
        (!store_next_ || Instant{*delivery.next_attempt} < *store_next_)) {
      store_next_ = Instant{*delivery.next_attempt};
    }
  }
  // Only now may the store's rows be claimed again: before the write they still read as pending.
  for (const auto& key : released) {
    claimed_.erase(key);
  }
  if (last_load_full_ && claimed_.size() < settings_.batch / 2) {
    post_pump();
  }
  schedule_wake();
}

void Dispatcher::read_store_next(Instant now) {
  auto next = store_.next_delivery_time();
  if (!next) {
    // Looked for again after a while: a retry's time must not be missed.
    store_error_ = next.error().message;
    spdlog::error("deliver: cannot read the outbox: {}", next.error().message);
    store_next_ = now + settings_.store_retry;
    return;
  }
  store_next_.reset();
  if (*next) {
    store_next_ = Instant{**next};
  }
}

void Dispatcher::schedule_wake() {
  if (stopped_) {
    return;
  }
  const auto now = clock_.now();
  std::optional<Instant> earliest;
  const auto consider = [&earliest, now](Instant at) {
    if (at > now && (!earliest || at < *earliest)) {
      earliest = at;
    }
  };
  // Due rows still in the store (held targets, rows in flight) read as past times: only a future
  // time can wake the dispatcher; the lanes' own times cover the rest.
  if (store_next_) {
    consider(*store_next_);
  }
  for (const auto& [name, lane] : lanes_) {
    consider(lane->held_until);
    consider(lane->budget_back);
    if (!lane->queue.empty() && lane->in_flight < lane->target.concurrency) {
      auto at = std::max({now, lane->held_until, lane->bucket.next_token(now), lane->window.frees_at(now)});
      // A lane that could send now but did not is waiting for a token a few microseconds away.
      consider(at == now ? now + std::chrono::milliseconds{1} : at);
    }
  }
  if (earliest == wake_) {
    return;
  }
  wake_ = earliest;
  if (!earliest) {
    timer_->cancel();
    return;
  }
  timer_->wake_at(*earliest, [this] {
    wake_.reset();
    pump();
  });
}

}  // namespace newswatch::alert
