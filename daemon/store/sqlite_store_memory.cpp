// SqliteStore: seen items, stories and their listings (the feed-state half is sqlite_store.cpp, the
// outbox sqlite_store_outbox.cpp).
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "newswatch/store/sqlite_store.hpp"

#include "sqlite_rows.hpp"

namespace newswatch::store {

using rows::as_column;
using rows::each_row;
using rows::from_column;
using rows::join_rules;
using rows::read_seen_item;
using rows::run;
using rows::seen_item_columns;
using rows::split_rules;

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
    insert_story_.bind(2, std::optional<TimePoint>{story.first_seen});
    insert_story_.bind(3, story.title);
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

Expected<std::vector<std::optional<std::uint64_t>>, StoreError> SqliteStore::stories_of_urls(
    std::span<const std::string_view> canonical_urls) {
  std::vector<std::optional<std::uint64_t>> stories(canonical_urls.size());
  if (std::all_of(canonical_urls.begin(), canonical_urls.end(), [](std::string_view url) { return url.empty(); })) {
    return stories;
  }
  auto transaction = Transaction::begin_read(database_);
  if (!transaction) {
    return make_unexpected(std::move(transaction).error());
  }
  for (std::size_t index = 0; index < canonical_urls.size(); ++index) {
    if (canonical_urls[index].empty()) {
      continue;
    }
    const StatementUse use(select_story_of_url_);
    select_story_of_url_.bind(1, canonical_urls[index]);
    auto& story = stories[index];
    auto done =
        each_row(select_story_of_url_, [&story](const Statement& row) { story = from_column(row.column_int(0)); });
    if (!done) {
      return make_unexpected(std::move(done).error());
    }
  }
  if (auto ended = transaction->commit(); !ended) {
    return make_unexpected(std::move(ended).error());
  }
  return stories;
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

Expected<std::uint64_t, StoreError> SqliteStore::largest_story_id() {
  const StatementUse use(select_largest_story_);
  std::uint64_t largest = 0;
  auto done =
      each_row(select_largest_story_, [&largest](const Statement& row) { largest = from_column(row.column_int(0)); });
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return largest;
}

StoreStatus SqliteStore::scan_fingerprints(TimePoint since,
                                           const std::function<void(const FingerprintRecord&)>& visit) {
  auto statement = database_.prepare(
      "SELECT fingerprint, story, first_seen FROM seen_items WHERE first_seen >= ?1 ORDER BY first_seen");
  if (!statement) {
    return make_unexpected(std::move(statement).error());
  }
  statement->bind(1, std::optional<TimePoint>{since});
  auto scanned = each_row(*statement, [&visit](const Statement& row) {
    visit(FingerprintRecord{row.column_blob_view(0), from_column(row.column_int(1)),
                            row.column_time(2).value_or(TimePoint{})});
  });
  // The scan read the whole window and filled the page cache with it, but the reads that follow
  // come back to few of those pages: they go now (the finished scan holds none of them) rather
  // than sit beside the index it fed.
  sqlite3_db_release_memory(database_.handle());
  return scanned;
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
      "SELECT id, first_seen, title FROM stories WHERE last_seen >= ?1 "
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
    stories.push_back(StoryOverview{
        StoryRecord{from_column(row.column_int(0)), row.column_time(1).value_or(TimePoint{}), row.column_text(2)}, {}});
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

Expected<PruneResult, StoreError> SqliteStore::prune(TimePoint items_before, TimePoint alerts_before,
                                                     std::size_t limit) {
  limit = std::max<std::size_t>(limit, 1);
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
  // Each step takes at most ?2 rows, found through the index on a time column.
  const std::array<Step, 3> steps{{
      // Gone since the cut-off means first seen before it too: the first_seen index finds these,
      // passing over the items first seen that long ago and still listed (a feed's few evergreens).
      {"DELETE FROM seen_items WHERE rowid IN "
       "(SELECT rowid FROM seen_items WHERE first_seen < ?1 AND last_seen < ?1 LIMIT ?2)",
       items_before, &result.items},
      // An alert still on its way keeps its story; a finished one goes once it is old enough.
      // "+state": each alert's rows by the primary key, not every pending row.
      {"DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE created < ?1 AND NOT EXISTS "
       "(SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND +state = 'pending') LIMIT ?2)",
       alerts_before, &result.alerts},
      // Only stories quiet since the cut-off can have lost their last member: the index keeps this cheap.
      {"DELETE FROM stories WHERE id IN (SELECT id FROM stories WHERE last_seen < ?1 AND NOT EXISTS "
       "(SELECT 1 FROM seen_items WHERE story = stories.id) AND NOT EXISTS "
       "(SELECT 1 FROM alerts WHERE story = stories.id) LIMIT ?2)",
       items_before, &result.stories},
  }};
  const auto capped = static_cast<std::int64_t>(std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
  for (const auto& step : steps) {
    auto statement = database_.prepare(step.sql);
    if (!statement) {
      return make_unexpected(std::move(statement).error());
    }
    statement->bind(1, step.before);
    statement->bind(2, capped);
    if (auto done = run(*statement); !done) {
      return make_unexpected(std::move(done).error());
    }
    *step.count = static_cast<std::size_t>(sqlite3_changes(database_.handle()));
    result.more = result.more || *step.count >= limit;
  }
  if (auto committed = transaction->commit(); !committed) {
    return make_unexpected(std::move(committed).error());
  }
  return result;
}

}  // namespace newswatch::store
