// SqliteStore: alerts and their deliveries, the outbox (items and stories are sqlite_store_memory.cpp).
#include <limits>

#include "newswatch/store/sqlite_store.hpp"
#include "sqlite_rows.hpp"

namespace newswatch::store {

using rows::as_column;
using rows::each_row;
using rows::from_column;
using rows::read_delivery;
using rows::run;
using rows::why_from_json;
using rows::why_to_json;

StoreStatus SqliteStore::write_alert(const Alert& alert) {
  const auto story = parse_story_id(alert.story);
  if (!story) {
    return make_unexpected(StoreError{fmt::format("store: {}: alert {} names no valid story (\"{}\")",
                                                  database_.path().string(), alert.id, alert.story)});
  }
  {
    const StatementUse use(insert_alert_);
    insert_alert_.bind(1, alert.id);
    insert_alert_.bind(2, alert.rule);
    insert_alert_.bind(3, as_column(*story));
    insert_alert_.bind(4, alert.feed);
    insert_alert_.bind(5, alert.item_identity);
    insert_alert_.bind(6, alert.item_id);
    insert_alert_.bind(7, alert.title);
    insert_alert_.bind(8, alert.link);
    insert_alert_.bind(9, alert.published);
    insert_alert_.bind(10, alert.summary);
    const std::string why = why_to_json(alert.why);
    insert_alert_.bind(11, why);
    insert_alert_.bind(12, std::int64_t{alert.updated ? 1 : 0});
    insert_alert_.bind(13, std::optional<TimePoint>{alert.created});
    if (auto done = run(insert_alert_); !done) {
      return done;
    }
  }
  for (const auto& target : alert.targets) {
    const StatementUse use(insert_delivery_);
    insert_delivery_.bind(1, alert.id);
    insert_delivery_.bind(2, target);
    if (auto done = run(insert_delivery_); !done) {
      return done;
    }
  }
  return store_ok();
}

Expected<std::vector<StoryMember>, StoreError> SqliteStore::members_for(const Alert& alert, const std::string& identity,
                                                                        std::optional<TimePoint> closed) {
  const StatementUse use(select_members_);
  const auto story = parse_story_id(alert.story).value_or(0);
  select_members_.bind(1, as_column(story));
  select_members_.bind(2, alert.feed);
  select_members_.bind(3, identity);
  select_members_.bind(
      4, std::int64_t{closed ? closed->time_since_epoch().count() : std::numeric_limits<std::int64_t>::max()});
  std::vector<StoryMember> members;
  auto done = each_row(select_members_, [&members](const Statement& row) {
    members.push_back(StoryMember{row.column_text(0), row.column_text(1), row.column_text(2)});
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return members;
}

Expected<std::vector<Delivery>, StoreError> SqliteStore::deliveries_of(const std::string& alert_id) {
  const StatementUse use(select_deliveries_);
  select_deliveries_.bind(1, alert_id);
  std::vector<Delivery> deliveries;
  auto done =
      each_row(select_deliveries_, [&deliveries](const Statement& row) { deliveries.push_back(read_delivery(row)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return deliveries;
}

Expected<std::vector<Alert>, StoreError> SqliteStore::load_alerts(const std::vector<std::string>& ids) {
  std::vector<Alert> alerts;
  for (const auto& id : ids) {
    Alert alert;
    std::optional<TimePoint> closed;
    bool found = false;
    {
      const StatementUse use(select_alert_);
      select_alert_.bind(1, id);
      auto done = each_row(select_alert_, [&](const Statement& row) {
        found = true;
        alert.id = row.column_text(0);
        alert.rule = row.column_text(1);
        alert.story = format_story_id(from_column(row.column_int(2)));
        alert.feed = row.column_text(3);
        alert.item_identity = row.column_text(4);
        alert.item_id = row.column_text(5);
        alert.title = row.column_text(6);
        alert.link = row.column_text(7);
        alert.published = row.column_time(8);
        alert.summary = row.column_text(9);
        alert.why = why_from_json(row.column_text(10));
        alert.updated = row.column_int(11) != 0;
        alert.created = row.column_time(12).value_or(TimePoint{});
        closed = row.column_time(13);
      });
      if (!done) {
        return make_unexpected(std::move(done).error());
      }
    }
    if (!found) {
      continue;
    }
    auto members = members_for(alert, alert.item_identity, closed);
    if (!members) {
      return make_unexpected(std::move(members).error());
    }
    alert.also = std::move(*members);
    auto deliveries = deliveries_of(alert.id);
    if (!deliveries) {
      return make_unexpected(std::move(deliveries).error());
    }
    for (const auto& delivery : *deliveries) {
      alert.targets.push_back(delivery.target);
    }
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

Expected<std::vector<AlertOverview>, StoreError> SqliteStore::list_alerts(const AlertFilter& filter) {
  std::string sql = "SELECT id FROM alerts WHERE created >= ?1";
  if (filter.state) {
    // "+state": each alert's rows by the primary key, not every row in that state.
    sql += " AND EXISTS (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND +state = ?2)";
  }
  if (filter.rule) {
    sql += " AND rule = ?4";
  }
  sql += " ORDER BY created DESC, id LIMIT ?3";
  auto statement = database_.prepare(sql);
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  statement->bind(1, std::optional<TimePoint>{filter.since.value_or(TimePoint{})});
  const std::string state = filter.state ? to_string(*filter.state) : "";
  if (filter.state) {
    statement->bind(2, state);
  }
  statement->bind(3, static_cast<std::int64_t>(filter.limit));
  if (filter.rule) {
    statement->bind(4, *filter.rule);
  }
  std::vector<std::string> ids;
  auto done = each_row(*statement, [&ids](const Statement& row) { ids.push_back(row.column_text(0)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  auto alerts = load_alerts(ids);
  if (!alerts) {
    return make_unexpected(std::move(alerts).error());
  }
  std::vector<AlertOverview> overviews;
  for (auto& alert : *alerts) {
    auto deliveries = deliveries_of(alert.id);
    if (!deliveries) {
      return make_unexpected(std::move(deliveries).error());
    }
    overviews.push_back(AlertOverview{std::move(alert), std::move(*deliveries)});
  }
  return overviews;
}

StoreStatus SqliteStore::update_deliveries(const std::vector<Delivery>& deliveries) {
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  if (auto written = write_deliveries(deliveries); !written) {
    return written;
  }
  return transaction->commit();
}

StoreStatus SqliteStore::record_delivery_results(const std::vector<Delivery>& deliveries, TimePoint now) {
  if (deliveries.empty()) {
    return store_ok();
  }
  std::vector<std::string> finished;
  for (const auto& delivery : deliveries) {
    if (delivery.state != DeliveryState::pending) {
      finished.push_back(delivery.alert_id);
    }
  }
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  if (auto written = write_deliveries(deliveries); !written) {
    return written;
  }
  if (auto closed = run_for_each(close_finished_alert_, finished, now); !closed) {
    return closed;
  }
  return transaction->commit();
}

StoreStatus SqliteStore::write_deliveries(const std::vector<Delivery>& deliveries) {
  for (const auto& delivery : deliveries) {
    const StatementUse use(update_delivery_);
    update_delivery_.bind(1, delivery.alert_id);
    update_delivery_.bind(2, delivery.target);
    const std::string state = to_string(delivery.state);
    update_delivery_.bind(3, state);
    update_delivery_.bind(4, std::int64_t{delivery.attempts});
    update_delivery_.bind(5, delivery.next_attempt);
    update_delivery_.bind(6, delivery.finished);
    update_delivery_.bind(7, delivery.last_error);
    if (auto done = run(update_delivery_); !done) {
      return done;
    }
  }
  return store_ok();
}

Expected<std::vector<DueDelivery>, StoreError> SqliteStore::load_due_deliveries(
    TimePoint now, std::size_t limit, const std::function<bool(const Delivery&)>& skip) {
  std::vector<Delivery> deliveries;
  {
    // The rows come sorted; reading stops once `limit` of them are kept.
    const StatementUse use(select_due_deliveries_);
    select_due_deliveries_.bind(1, std::optional<TimePoint>{now});
    while (deliveries.size() < limit) {
      auto row = select_due_deliveries_.step();
      if (!row) {
        return make_unexpected(std::move(row).error());
      }
      if (!*row) {
        break;
      }
      auto delivery = read_delivery(select_due_deliveries_);
      if (!skip || !skip(delivery)) {
        deliveries.push_back(std::move(delivery));
      }
    }
  }
  // One alert often goes to several targets: load each once.
  std::vector<std::string> ids;
  for (const auto& delivery : deliveries) {
    if (ids.empty() || ids.back() != delivery.alert_id) {
      ids.push_back(delivery.alert_id);
    }
  }
  auto alerts = load_alerts(ids);
  if (!alerts) {
    return make_unexpected(std::move(alerts).error());
  }
  std::vector<DueDelivery> due;
  due.reserve(deliveries.size());
  auto alert = alerts->begin();
  for (auto& delivery : deliveries) {
    while (alert != alerts->end() && alert->id != delivery.alert_id) {
      ++alert;
    }
    if (alert == alerts->end()) {
      break;
    }
    due.push_back(DueDelivery{std::move(delivery), *alert});
  }
  return due;
}

Expected<std::optional<TimePoint>, StoreError> SqliteStore::next_delivery_time() {
  const StatementUse use(select_next_delivery_time_);
  std::optional<TimePoint> next;
  auto done = each_row(select_next_delivery_time_, [&next](const Statement& row) { next = row.column_time(0); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return next;
}

StoreStatus SqliteStore::close_each(Statement& statement, const std::vector<std::string>& ids, TimePoint now) {
  if (ids.empty()) {
    return store_ok();
  }
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  if (auto done = run_for_each(statement, ids, now); !done) {
    return done;
  }
  return transaction->commit();
}

StoreStatus SqliteStore::run_for_each(Statement& statement, const std::vector<std::string>& ids, TimePoint now) {
  for (const auto& id : ids) {
    const StatementUse use(statement);
    statement.bind(1, id);
    statement.bind(2, std::optional<TimePoint>{now});
    if (auto done = run(statement); !done) {
      return done;
    }
  }
  return store_ok();
}

StoreStatus SqliteStore::close_alerts(const std::vector<std::string>& ids, TimePoint now) {
  return close_each(close_alert_, ids, now);
}

StoreStatus SqliteStore::close_finished_alerts(const std::vector<std::string>& ids, TimePoint now) {
  return close_each(close_finished_alert_, ids, now);
}

Expected<std::vector<DeliveryCounts>, StoreError> SqliteStore::delivery_counts() {
  const StatementUse use(select_delivery_counts_);
  std::vector<DeliveryCounts> counts;
  auto done = each_row(select_delivery_counts_, [&counts](const Statement& row) {
    counts.push_back(DeliveryCounts{row.column_text(0), static_cast<std::size_t>(row.column_int(1)),
                                    static_cast<std::size_t>(row.column_int(2))});
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return counts;
}

}  // namespace newswatch::store
