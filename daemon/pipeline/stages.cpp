#include "newswatch/pipeline/stages.hpp"

#include <algorithm>
#include <string_view>

#include "newswatch/fetch/conditional_get.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/parse/parse_feed.hpp"
#include "newswatch/rules/term_frequencies.hpp"
#include "newswatch/url/canonical.hpp"

namespace newswatch::pipeline {

FetchFunction make_fetch_function(net::HttpClient& client, const config::DaemonSettings& daemon) {
  net::HttpLimits limits;
  limits.total_timeout = daemon.fetch_timeout;
  limits.max_body_bytes = static_cast<std::size_t>(daemon.max_feed_bytes);
  return [&client, limits](fetch::FetchRequest request, std::function<void(fetch::FetchResult)> on_done) {
    request.limits = limits;
    fetch::fetch(client, request, std::move(on_done));
  };
}

ParseFunction make_parse_function() {
  return [](std::string_view body, const std::string& content_type,
            const std::string& url) -> Expected<ParsedBody, std::string> {
    auto parsed = parse::parse_feed(body, parse::ParseHints{content_type, url});
    if (!parsed) {
      return make_unexpected(std::move(parsed).error().message);
    }
    ParsedBody result;
    result.items = std::move(parsed->items);
    result.language = std::move(parsed->language);
    if (parsed->ttl) {
      result.hints.ttl = std::chrono::duration_cast<std::chrono::seconds>(*parsed->ttl);
    }
    result.hints.update_period = parsed->update_period;
    result.hints.skip_hours = std::move(parsed->skip_hours);
    result.hints.skip_days = std::move(parsed->skip_days);
    result.warnings = std::move(parsed->warnings);
    return result;
  };
}

namespace {

std::vector<MatchRecord> match_records(const rules::RuleSet& rules, const Item& item, const Feed& feed,
                                       const std::string& language, const text::FieldTokens* tokens) {
  std::vector<MatchRecord> records;
  for (auto& match : rules.match(rules::MatchInput{item, feed.name, feed.tags, language, tokens})) {
    MatchRecord record{std::move(match.rule), feed.name, item.id.empty() ? item.link : item.id, item.title, item.link,
                       item.published,        {}};
    for (auto& spans : match.why) {
      MatchEvidence evidence{std::move(spans.field), std::move(spans.spans), {}};
      const std::string* text = field_text(item, evidence.field);
      for (const auto& [begin, end] : evidence.spans) {
        const bool inside = text != nullptr && begin <= end && end <= text->size();
        evidence.text.push_back(inside ? text->substr(begin, end - begin) : std::string());
      }
      record.why.push_back(std::move(evidence));
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

MatchFunction make_match_function(const rules::RuleSet& rules) {
  return [&rules](const Item& item, const Feed& feed, const std::string& language, const text::FieldTokens* tokens) {
    return match_records(rules, item, feed, language, tokens);
  };
}

MatchFunction make_match_function(const rules::LiveRuleSet& rules) {
  return [&rules](const Item& item, const Feed& feed, const std::string& language, const text::FieldTokens* tokens) {
    const std::shared_ptr<const rules::RuleSet> current = rules.load();
    return match_records(*current, item, feed, language, tokens);
  };
}

IdentifyFunction make_identify_function(const config::DaemonSettings& daemon) {
  url::CanonicalOptions options;
  options.extra_strip_params = daemon.strip_query_params;
  return [options = std::move(options)](const Item& item) {
    return dedup::identify_key(item, url::canonical_identity(item.link, options));
  };
}

TermFunction make_term_function() {
  return [](const Item& item) {
    // Its buffers are reused from item to item; a worker thread is the only user of its own.
    thread_local rules::DocumentTerms terms;
    const std::span<const std::uint64_t> keys = terms.extract(item);
    return std::vector<std::uint64_t>(keys.begin(), keys.end());
  };
}

WorkerStages make_worker_stages(const config::DaemonSettings& daemon, const rules::RuleSet& rules) {
  return WorkerStages{make_parse_function(), make_identify_function(daemon), make_match_function(rules),
                      make_term_function()};
}  // NOLINT(clang-analyzer-cplusplus.NewDeleteLeaks): the analyzer loses std::function's own storage

WorkerStages make_worker_stages(const config::DaemonSettings& daemon, std::shared_ptr<const rules::RuleSet> rules) {
  auto stages = make_worker_stages(daemon, *rules);
  // The function holds the rule set, so a poll still on a worker keeps the set it started with
  // after a reload swapped in another.
  stages.match = [match = std::move(stages.match), rules = std::move(rules)](
                     const Item& item, const Feed& feed, const std::string& language, const text::FieldTokens* tokens) {
    return match(item, feed, language, tokens);
  };
  return stages;
}

std::vector<rules::RuleDefinition> rule_definitions(const config::Config& config) {
  std::vector<rules::RuleDefinition> definitions;
  for (const auto& rule : config.rules) {
    if (rule.enabled) {
      definitions.push_back(rules::RuleDefinition{rule.name, rule.query, rule.feeds});
    }
  }
  return definitions;
}

RecorderSettings recorder_settings(const config::Config& config) {
  RecorderSettings settings;
  settings.max_item_age = config.daemon.max_item_age;
  settings.story_window = config.daemon.story_window;
  for (const auto& rule : config.rules) {
    if (rule.enabled) {
      settings.rule_targets.emplace(rule.name, rule.targets);
    }
  }
  return settings;
}

PollCycleSettings poll_cycle_settings(const config::DaemonSettings& daemon) {
  PollCycleSettings settings;
  settings.max_concurrent_fetches = static_cast<std::size_t>(std::max(1, daemon.max_concurrent_fetches));
  settings.per_host_concurrency = static_cast<std::size_t>(std::max(1, daemon.per_host_concurrency));
  settings.default_interval = daemon.default_interval;
  settings.policy.min_interval = daemon.min_interval;
  settings.policy.max_interval = daemon.max_interval;
  settings.policy.adaptive = daemon.adaptive;
  return settings;
}

}  // namespace newswatch::pipeline
