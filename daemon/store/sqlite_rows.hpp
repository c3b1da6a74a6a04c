// Row helpers shared by the SqliteStore files: column conversions, the text forms of a few
// columns, and statement stepping. Internal to the store module.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::store::rows {

/// SQLite integers are signed; 64-bit hashes are stored as their two's-complement bit pattern.
inline std::int64_t as_column(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}
inline std::uint64_t from_column(std::int64_t value) {
  return static_cast<std::uint64_t>(value);
}

/// Rule names cannot contain a newline (config validates names), so a newline separates them.
inline std::string join_rules(const std::vector<std::string>& rules) {
  std::string joined;
  for (const auto& rule : rules) {
    if (!joined.empty()) {
      joined += '\n';
    }
    joined += rule;
  }
  return joined;
}

inline std::vector<std::string> split_rules(const std::string& joined) {
  std::vector<std::string> rules;
  std::size_t start = 0;
  while (start < joined.size()) {
    const auto end = std::min(joined.find('\n', start), joined.size());
    rules.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return rules;
}

inline std::string why_to_json(const std::vector<MatchEvidence>& why) {
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

inline std::vector<MatchEvidence> why_from_json(const std::string& text) {
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
inline Delivery read_delivery(const Statement& row) {
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
inline StoreStatus each_row(Statement& statement, OnRow&& on_row) {
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
inline StoreStatus run(Statement& statement) {
  auto done = statement.step();
  if (!done) {
    return make_unexpected(std::move(done).error());
  }
  return store_ok();
}

inline SeenItem read_seen_item(const Statement& row) {
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

inline constexpr const char* seen_item_columns =
    "feed, identity, canonical_url, content_hash, fingerprint, first_seen, last_seen, published, story, title, "
    "link, rules, source_hash";

}  // namespace newswatch::store::rows
