#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/app/poll_report.hpp"
#include "newswatch/config/units.hpp"
#include "newswatch/store/sqlite_store.hpp"

namespace newswatch::app {
namespace {

using Json = nlohmann::ordered_json;

struct StateOptions {
  bool json = false;
  std::string feed;
  std::size_t limit = 50;
  std::string since;
  std::string state;
};

Json optional_time(const std::optional<TimePoint>& instant) {
  return instant ? Json(format_rfc3339(*instant)) : Json(nullptr);
}

std::string text_time(const std::optional<TimePoint>& instant) {
  return instant ? format_rfc3339(*instant) : "-";
}

/// Prints JSON lines with broken UTF-8 replaced rather than losing the line.
void print_json(const Json& line) {
  std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

TimePoint now_seconds() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// --since as a duration back from now ("24h", "7d"); nullopt (after a message) when malformed.
std::optional<TimePoint> parse_since(const std::string& since, const std::string& fallback) {
  const auto duration = config::parse_duration(since.empty() ? fallback : since);
  if (!duration) {
    std::cerr << fmt::format("newswatch state: --since \"{}\" is not a duration (e.g. 90m, 24h, 7d)\n", since);
    return std::nullopt;
  }
  return now_seconds() - *duration;
}

int show_feeds(store::Store& store, const StateOptions& options) {
  auto feeds = store.list_feeds();
  if (!feeds) {
    std::cerr << "newswatch state feeds: " << feeds.error().message << '\n';
    return exit_runtime_failure;
  }
  for (const auto& [state, items] : *feeds) {
    if (options.json) {
      print_json(Json{{"feed", state.feed_name},
                      {"url", state.url},
                      {"last_poll", optional_time(state.last_poll)},
                      {"next_poll", optional_time(state.next_poll)},
                      {"etag", state.etag},
                      {"last_modified", state.last_modified},
                      {"failures", state.consecutive_failures},
                      {"last_error", state.last_error},
                      {"disabled", state.disabled},
                      {"baselined", state.baselined},
                      {"items", items}});
      continue;
    }
    std::cout << fmt::format("{}  {}\n  last poll {}, next poll {}, {} items{}{}\n", state.feed_name, state.url,
                             text_time(state.last_poll), text_time(state.next_poll), items,
                             state.disabled ? ", disabled (410)" : "", state.baselined ? "" : ", not baselined yet");
    if (!state.etag.empty() || !state.last_modified.empty()) {
      std::cout << fmt::format("  validators: ETag {} Last-Modified {}\n", state.etag.empty() ? "-" : state.etag,
                               state.last_modified.empty() ? "-" : state.last_modified);
    }
    if (state.consecutive_failures > 0) {
      std::cout << fmt::format("  {} failure(s) in a row: {}\n", state.consecutive_failures, state.last_error);
    }
  }
  return exit_ok;
}

Json item_json(const store::SeenItem& item) {
  return Json{{"feed", item.feed},
              {"identity", item.identity},
              {"title", item.title},
              {"link", item.link},
              {"canonical_url", item.canonical_url},
              {"published", optional_time(item.published)},
              {"first_seen", format_rfc3339(item.first_seen)},
              {"last_seen", format_rfc3339(item.last_seen)},
              {"story", store::format_story_id(item.story)},
              {"rules", item.rules}};
}

int show_items(store::Store& store, const StateOptions& options) {
  auto items = store.list_items(options.feed, options.limit);
  if (!items) {
    std::cerr << "newswatch state items: " << items.error().message << '\n';
    return exit_runtime_failure;
  }
  if (items->empty()) {
    std::cerr << fmt::format("newswatch state items: no items stored for feed \"{}\"\n", options.feed);
  }
  for (const auto& item : *items) {
    if (options.json) {
      print_json(item_json(item));
    } else {
      std::cout << fmt::format("{}  {}\n  {}\n  story {}, first seen {}\n", text_time(item.published), item.title,
                               item.link, store::format_story_id(item.story), format_rfc3339(item.first_seen));
    }
  }
  return exit_ok;
}

int show_stories(store::Store& store, const StateOptions& options) {
  const auto since = parse_since(options.since, "24h");
  if (!since) {
    return exit_bad_input;
  }
  auto stories = store.list_stories(*since, options.limit);
  if (!stories) {
    std::cerr << "newswatch state stories: " << stories.error().message << '\n';
    return exit_runtime_failure;
  }
  for (const auto& [story, members] : *stories) {
    if (options.json) {
      Json listed = Json::array();
      for (const auto& member : members) {
        listed.push_back(item_json(member));
      }
      print_json(Json{{"story", store::format_story_id(story.id)},
                      {"title", story.title},
                      {"first_seen", format_rfc3339(story.first_seen)},
                      {"members", std::move(listed)}});
      continue;
    }
    std::cout << fmt::format("story {}  {} ({} member{})\n", store::format_story_id(story.id), story.title,
                             members.size(), members.size() == 1 ? "" : "s");
    for (const auto& member : members) {
      std::cout << fmt::format("  {}  {}: {}\n    {}\n", format_rfc3339(member.first_seen), member.feed, member.title,
                               member.link);
    }
  }
  return exit_ok;
}

int show_alerts(store::Store& store, const StateOptions& options) {
  store::AlertFilter filter;
  filter.limit = options.limit;
  if (!options.since.empty()) {
    filter.since = parse_since(options.since, "");
    if (!filter.since) {
      return exit_bad_input;
    }
  }
  if (!options.state.empty()) {
    filter.state = delivery_state_from_string(options.state);
  }
  auto alerts = store.list_alerts(filter);
  if (!alerts) {
    std::cerr << "newswatch state alerts: " << alerts.error().message << '\n';
    return exit_runtime_failure;
  }
  for (const auto& [alert, deliveries] : *alerts) {
    if (options.json) {
      Json targets = Json::array();
      for (const auto& delivery : deliveries) {
        targets.push_back(Json{{"target", delivery.target},
                               {"state", to_string(delivery.state)},
                               {"attempts", delivery.attempts},
                               {"next_attempt", optional_time(delivery.next_attempt)},
                               {"finished", optional_time(delivery.finished)},
                               {"last_error", delivery.last_error}});
      }
      print_json(Json{{"alert_id", alert.id},
                      {"rule", alert.rule},
                      {"story", alert.story},
                      {"feed", alert.feed},
                      {"title", alert.title},
                      {"link", alert.link},
                      {"published", optional_time(alert.published)},
                      {"created", format_rfc3339(alert.created)},
                      {"updated", alert.updated},
                      {"also", also_to_json(alert.also)},
                      {"deliveries", std::move(targets)}});
      continue;
    }
    std::cout << fmt::format("{}  [{}] {}: {}{}\n  {}\n  alert {} story {}\n", format_rfc3339(alert.created),
                             alert.rule, alert.feed, alert.updated ? "(updated) " : "", alert.title, alert.link,
                             alert.id, alert.story);
    for (const auto& delivery : deliveries) {
      std::cout << fmt::format("  -> {}: {}{}{}\n", delivery.target, to_string(delivery.state),
                               delivery.attempts > 0 ? fmt::format(" after {} attempt(s)", delivery.attempts) : "",
                               delivery.last_error.empty() ? "" : ": " + delivery.last_error);
    }
    if (deliveries.empty()) {
      std::cout << "  -> printed only (the rule has no targets)\n";
    }
  }
  return exit_ok;
}

int forget(store::Store& store, const StateOptions& options) {
  auto forgotten = store.forget_feed(options.feed);
  if (!forgotten) {
    std::cerr << "newswatch state forget: " << forgotten.error().message << '\n';
    return exit_runtime_failure;
  }
  if (!*forgotten) {
    std::cerr << fmt::format("newswatch state forget: nothing stored for feed \"{}\"\n", options.feed);
    return exit_bad_input;
  }
  std::cerr << fmt::format("forgot feed \"{}\": its next poll records its items again without alerting\n",
                           options.feed);
  return exit_ok;
}

using Show = int (*)(store::Store&, const StateOptions&);

int run_state(const GlobalOptions& globals, const StateOptions& options, Show show, bool writes) {
  const auto loaded = load_config_for_command(globals);
  if (!loaded) {
    return exit_bad_input;
  }
  auto store = writes ? store::SqliteStore::open(loaded->daemon.state_dir)
                      : store::SqliteStore::open_read_only(loaded->daemon.state_dir);
  if (!store) {
    std::cerr << "newswatch state: " << store.error().message << '\n';
    return exit_runtime_failure;
  }
  return show(**store, options);
}

}  // namespace

void register_state_command(CLI::App& root, const GlobalOptions& globals, int& exit_code) {
  auto* command = root.add_subcommand(
      "state",
      "Inspect what newswatch remembers (the store in [daemon] state_dir). Reading works while the daemon\n"
      "runs: the store is opened read-only beside it. Exit 0 ok, 1 bad arguments, 2 when the store cannot be read.");
  command->require_subcommand(1);
  auto options = std::make_shared<StateOptions>();
  const auto add = [&](const char* name, const char* help, Show show, bool writes) {
    auto* sub = command->add_subcommand(name, help);
    sub->add_flag("--json", options->json, "One JSON object per line");
    sub->callback(
        [&globals, &exit_code, options, show, writes] { exit_code = run_state(globals, *options, show, writes); });
    return sub;
  };
  add("feeds", "Every polled feed: URL, last and next poll, validators, failures, items stored", show_feeds, false);
  auto* items = add("items", "The newest items stored for one feed", show_items, false);
  items->add_option("FEED", options->feed, "Feed name")->required();
  items->add_option("--limit", options->limit, "At most this many (default 50)")->check(CLI::PositiveNumber);
  auto* stories = add("stories", "Stories that gained a member recently, with every member", show_stories, false);
  stories->add_option("--since", options->since, "How far back (default 24h)");
  stories->add_option("--limit", options->limit, "At most this many stories (default 50)")->check(CLI::PositiveNumber);
  auto* alerts = add("alerts", "Alerts, newest first, with each target's delivery state", show_alerts, false);
  alerts->add_option("--since", options->since, "How far back, e.g. 24h (default: all)");
  alerts->add_option("--state", options->state, "Only alerts with a delivery in this state")
      ->check(CLI::IsMember({"pending", "sent", "dead"}));
  alerts->add_option("--limit", options->limit, "At most this many (default 50)")->check(CLI::PositiveNumber);
  auto* forget_command =
      add("forget", "Forget a feed's state and items: its next poll baselines again (writes the store)", forget, true);
  forget_command->add_option("FEED", options->feed, "Feed name")->required();
}

}  // namespace newswatch::app
