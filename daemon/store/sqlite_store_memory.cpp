// SqliteStore: seen items, stories, alerts and deliveries (the feed-state half is sqlite_store.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>

#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::store {
namespace {

/// SQLite integers are signed; 64-bit hashes are stored as their two's-complement bit pattern.
std::int64_t as_column(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}
std::uint64_t from_column(std::int64_t value) {
  return static_cast<std::uint64_t>(value);
}

/// Rule names cannot contain a newline (config validates names), so a newline separates them.
std::string join_rules(const std::vector<std::string>& rules) {
  std::string joined;
  for (const auto& rule : rules) {
    if (!joined.empty()) {
      joined += '\n';
    }
    joined += rule;
  }
  return joined;
}

std::vector<std::string> split_rules(const std::string& joined) {
  std::vector<std::string> rules;
  std::size_t start = 0;
  while (start < joined.size()) {
    const auto end = std::min(joined.find('\n', start), joined.size());
    rules.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return rules;
}

std::string why_to_json(const std::vector<MatchEvidence>& why) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& evidence : why) {
    nlohmann::json spans = nlohmann::json::array();
    for (const auto& [begin, end] : evidence.spans) {
      spans.push_back({begin, end});
    }
    array.push_back({{"field", evidence.field}, {"spans", std::move(spans)}, {"text", evidence.text}});
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<MatchEvidence> why_from_json(const std::string& text) {
  std::vector<MatchEvidence> why;
  const auto array = nlohmann::json::parse(text, nullptr, false);
  if (!array.is_array()) {
    return why;
  }
  for (const auto& entry : array) {
    MatchEvidence evidence;
    evidence.field = entry.value("field", "");
    for (const auto& span : entry.value("spans", nlohmann::json::array())) {
      if (span.is_array() && span.size() == 2) {
        evidence.spans.emplace_back(span[0].get<std::uint32_t>(), span[1].get<std::uint32_t>());
      }
    }
    evidence.text = entry.value("text", std::vector<std::string>{});
    why.push_back(std::move(evidence));
  }
  return why;
}

/// A deliveries row: alert_id, target, state, attempts, next_attempt, finished, last_error.
Delivery read_delivery(const Statement& row) {
  Delivery delivery;
  delivery.alert_id = row.column_text(0);
  delivery.target = row.column_text(1);
  delivery.state = delivery_state_from_string(row.column_text(2)).value_or(DeliveryState::pending);
  delivery.attempts = static_cast<int>(row.column_int(3));
  delivery.next_attempt = row.column_time(4);
  delivery.finished = row.column_time(5);
  delivery.last_error = row.column_text(6);
  return delivery;
}

/// Runs `statement` to the end, calling `on_row` for each row.
template <typename OnRow>
StoreStatus each_row(Statement& statement, OnRow&& on_row) {
  while (true) {
    auto row = statement.step();
    if (!row) {
      return make_unexpected(std::move(row).error());
    }
    if (!*row) {
      return store_ok();
    }
    on_row(statement);
  }
}

/// Runs a statement that returns no rows.
StoreStatus run(Statement& statement) {
  auto done = statement.step();
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return store_ok();
}

SeenItem read_seen_item(const Statement& row) {
  SeenItem item;
  item.feed = row.column_text(0);
  item.identity = row.column_text(1);
  item.canonical_url = row.column_text(2);
  item.content_hash = from_column(row.column_int(3));
  item.fingerprint = row.column_blob(4);
  item.first_seen = row.column_time(5).value_or(TimePoint{});
  item.last_seen = row.column_time(6).value_or(TimePoint{});
  item.published = row.column_time(7);
  item.story = from_column(row.column_int(8));
  item.title = row.column_text(9);
  item.link = row.column_text(10);
  item.rules = split_rules(row.column_text(11));
  item.source_hash = from_column(row.column_int(12));
  return item;
}

constexpr const char* seen_item_columns =
    "feed, identity, canonical_url, content_hash, fingerprint, first_seen, last_seen, published, story, title, "
    "link, rules, source_hash";

}  // namespace

std::string format_story_id(std::uint64_t story) {
  return fmt::format("{:016x}", story);
}

std::optional<std::uint64_t> parse_story_id(std::string_view text) {
  std::uint64_t story = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), story, 16);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return story;
}

StoreStatus SqliteStore::write_item(const SeenItem& item) {
  const StatementUse use(upsert_item_);
  upsert_item_.bind(1, item.feed);
  upsert_item_.bind(2, item.identity);
  upsert_item_.bind(3, item.canonical_url);
  upsert_item_.bind(4, as_column(item.content_hash));
  upsert_item_.bind_blob(5, item.fingerprint);
  upsert_item_.bind(6, std::optional<TimePoint>{item.first_seen});
  upsert_item_.bind(7, std::optional<TimePoint>{item.last_seen});
  upsert_item_.bind(8, item.published);
  upsert_item_.bind(9, as_column(item.story));
  upsert_item_.bind(10, item.title);
  upsert_item_.bind(11, item.link);
  const std::string rules = join_rules(item.rules);
  upsert_item_.bind(12, rules);
  upsert_item_.bind(13, as_column(item.source_hash));
  return run(upsert_item_);
}

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

StoreStatus SqliteStore::record_polls(std::span<const PollRecord> records) {
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  for (const auto& record : records) {
    if (auto written = write_poll(record); !written) {
      return written;
    }
  }
  return transaction->commit();
}

StoreStatus SqliteStore::write_poll(const PollRecord& record) {
  if (auto written = write_feed_state(record.state); !written) {
    return written;
  }
  for (const auto& story : record.stories) {
    const StatementUse use(insert_story_);
    insert_story_.bind(1, as_column(story.id));
    insert_story_.bind_blob(2, story.fingerprint);
    insert_story_.bind(3, std::optional<TimePoint>{story.first_seen});
    insert_story_.bind(4, story.title);
    if (auto done = run(insert_story_); !done) {
      return done;
    }
  }
  const auto started_here = [&record](std::uint64_t story) {
    return std::any_of(record.stories.begin(), record.stories.end(),
                       [story](const StoryRecord& started) { return started.id == story; });
  };
  for (const auto& item : record.items) {
    if (auto written = write_item(item); !written) {
      return written;
    }
    // A story this poll started was inserted with last_seen = first_seen already.
    if (started_here(item.story)) {
      continue;
    }
    const StatementUse use(touch_story_);
    touch_story_.bind(1, as_column(item.story));
    touch_story_.bind(2, std::optional<TimePoint>{item.last_seen});
    if (auto done = run(touch_story_); !done) {
      return done;
    }
  }
  for (const auto& identity : record.refreshed) {
    const StatementUse use(refresh_item_);
    refresh_item_.bind(1, record.state.feed_name);
    refresh_item_.bind(2, identity);
    refresh_item_.bind(3, std::optional<TimePoint>{record.now});
    if (auto done = run(refresh_item_); !done) {
      return done;
    }
  }
  for (const auto& alert : record.alerts) {
    if (auto written = write_alert(alert); !written) {
      return written;
    }
  }
  return store_ok();
}

Expected<std::vector<KnownItem>, StoreError> SqliteStore::load_known_items(std::string_view feed) {
  const StatementUse use(select_known_items_);
  select_known_items_.bind(1, feed);
  std::vector<KnownItem> items;
  auto done = each_row(select_known_items_, [&items](const Statement& row) {
    items.push_back(KnownItem{row.column_text(0), row.column_text(1), from_column(row.column_int(2)),
                              from_column(row.column_int(6)), row.column_time(3).value_or(TimePoint{}),
                              from_column(row.column_int(4)), split_rules(row.column_text(5))});
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return items;
}

Expected<std::optional<std::uint64_t>, StoreError> SqliteStore::story_of_url(std::string_view canonical_url) {
  const StatementUse use(select_story_of_url_);
  select_story_of_url_.bind(1, canonical_url);
  std::optional<std::uint64_t> story;
  auto done =
      each_row(select_story_of_url_, [&story](const Statement& row) { story = from_column(row.column_int(0)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return story;
}

Expected<std::vector<std::string>, StoreError> SqliteStore::rules_alerted(std::uint64_t story) {
  const StatementUse use(select_rules_alerted_);
  select_rules_alerted_.bind(1, as_column(story));
  std::vector<std::string> rules;
  auto done = each_row(select_rules_alerted_, [&rules](const Statement& row) { rules.push_back(row.column_text(0)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return rules;
}

Expected<std::vector<FingerprintRecord>, StoreError> SqliteStore::load_fingerprints(TimePoint since) {
  auto statement = database_.prepare(
      "SELECT fingerprint, story, first_seen FROM seen_items WHERE first_seen >= ?1 ORDER BY first_seen");
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  statement->bind(1, std::optional<TimePoint>{since});
  std::vector<FingerprintRecord> fingerprints;
  auto done = each_row(*statement, [&fingerprints](const Statement& row) {
    fingerprints.push_back(FingerprintRecord{row.column_blob(0), from_column(row.column_int(1)),
                                             row.column_time(2).value_or(TimePoint{})});
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return fingerprints;
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

Expected<std::vector<FeedOverview>, StoreError> SqliteStore::list_feeds() {
  auto states = load_feed_states();
  if (!states) {
    return make_unexpected(std::move(states).error());
  }
  auto statement = database_.prepare("SELECT feed, count(*) FROM seen_items GROUP BY feed");
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  std::vector<std::pair<std::string, std::size_t>> counts;
  auto done = each_row(*statement, [&counts](const Statement& row) {
    counts.emplace_back(row.column_text(0), static_cast<std::size_t>(row.column_int(1)));
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  std::vector<FeedOverview> feeds;
  for (auto& state : *states) {
    std::size_t items = 0;
    for (const auto& [feed, count] : counts) {
      if (feed == state.feed_name) {
        items = count;
      }
    }
    feeds.push_back(FeedOverview{std::move(state), items});
  }
  return feeds;
}

Expected<std::vector<SeenItem>, StoreError> SqliteStore::list_items(std::string_view feed, std::size_t limit) {
  auto statement = database_.prepare(fmt::format(
      "SELECT {} FROM seen_items WHERE feed = ?1 ORDER BY first_seen DESC, identity LIMIT ?2", seen_item_columns));
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  statement->bind(1, feed);
  statement->bind(2, static_cast<std::int64_t>(limit));
  std::vector<SeenItem> items;
  auto done = each_row(*statement, [&items](const Statement& row) { items.push_back(read_seen_item(row)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return items;
}

Expected<std::vector<StoryOverview>, StoreError> SqliteStore::list_stories(TimePoint since, std::size_t limit) {
  auto statement = database_.prepare(
      "SELECT id, fingerprint, first_seen, title FROM stories WHERE last_seen >= ?1 "
      "ORDER BY last_seen DESC, id LIMIT ?2");
  auto members = database_.prepare(
      fmt::format("SELECT {} FROM seen_items WHERE story = ?1 ORDER BY first_seen, feed", seen_item_columns));
  if (!statement || !members) {
    return make_unexpected(!statement ? std::move(statement).error() : std::move(members).error());
  }
  statement->bind(1, std::optional<TimePoint>{since});
  statement->bind(2, static_cast<std::int64_t>(limit));
  std::vector<StoryOverview> stories;
  auto done = each_row(*statement, [&stories](const Statement& row) {
    stories.push_back(StoryOverview{StoryRecord{from_column(row.column_int(0)), row.column_blob(1),
                                                row.column_time(2).value_or(TimePoint{}), row.column_text(3)},
                                    {}});
  });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  for (auto& story : stories) {
    const StatementUse use(*members);
    members->bind(1, as_column(story.story.id));
    auto listed = each_row(*members, [&story](const Statement& row) { story.members.push_back(read_seen_item(row)); });
    if (!listed) {
      return make_unexpected(std::move(listed).error());
    }
  }
  return stories;
}

Expected<bool, StoreError> SqliteStore::forget_feed(std::string_view feed) {
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  auto items = database_.prepare("DELETE FROM seen_items WHERE feed = ?1");
  auto state = database_.prepare("DELETE FROM feed_state WHERE feed_name = ?1");
  if (!items || !state) {
    return make_unexpected(!items ? std::move(items).error() : std::move(state).error());
  }
  items->bind(1, feed);
  state->bind(1, feed);
  if (auto done = run(*items); !done) {
    return make_unexpected(std::move(done).error());
  }
  const int removed_items = sqlite3_changes(database_.handle());
  if (auto done = run(*state); !done) {
    return make_unexpected(std::move(done).error());
  }
  const int removed_state = sqlite3_changes(database_.handle());
  if (auto committed = transaction->commit(); !committed) {
    return make_unexpected(std::move(committed).error());
  }
  return removed_items + removed_state > 0;
}

Expected<PruneResult, StoreError> SqliteStore::prune(TimePoint items_before, TimePoint alerts_before) {
  auto transaction = Transaction::begin(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  struct Step {
    const char* sql;
    std::optional<TimePoint> before;
    std::size_t* count;
  };
  PruneResult result;
  const std::array<Step, 3> steps{{
      {"DELETE FROM seen_items WHERE last_seen < ?1", items_before, &result.items},
      // An alert still on its way keeps its story; a finished one goes once it is old enough.
      // "+state": each alert's rows by the primary key, not every pending row.
      {"DELETE FROM alerts WHERE created < ?1 AND NOT EXISTS "
       "(SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND +state = 'pending')",
       alerts_before, &result.alerts},
      // Only stories quiet since the cut-off can have lost their last member: the index keeps this cheap.
      {"DELETE FROM stories WHERE last_seen < ?1 AND NOT EXISTS (SELECT 1 FROM seen_items WHERE story = stories.id) "
       "AND NOT EXISTS (SELECT 1 FROM alerts WHERE story = stories.id)",
       items_before, &result.stories},
  }};
  for (const auto& step : steps) {
    auto statement = database_.prepare(step.sql);
    if (!statement) {
      return make_unexpected(std::move(statement).error());
    }
    if (step.before) {
      statement->bind(1, step.before);
    }
    if (auto done = run(*statement); !done) {
      return make_unexpected(std::move(done).error());
    }
    *step.count = static_cast<std::size_t>(sqlite3_changes(database_.handle()));
  }
  if (auto committed = transaction->commit(); !committed) {
    return make_unexpected(std::move(committed).error());
  }
  return result;
}

}  // namespace newswatch::store
