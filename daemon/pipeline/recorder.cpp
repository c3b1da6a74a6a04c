#include "newswatch/pipeline/recorder.hpp"

#include <fmt/format.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "newswatch/dedup/story_fingerprint.hpp"

namespace newswatch::pipeline {
namespace {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::vector<std::string> rule_names(const std::vector<MatchRecord>& matches) {
  std::vector<std::string> names;
  for (const auto& match : matches) {
    if (std::find(names.begin(), names.end(), match.rule) == names.end()) {
      names.push_back(match.rule);
    }
  }
  return names;
}

}  // namespace

std::string make_alert_id(std::string_view rule, std::uint64_t story) {
  const std::string input = fmt::format("{}\n{}", rule, store::format_story_id(story));
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  // 128 bits: unique for every rule and story a deployment will ever see.
  std::string id;
  for (std::size_t i = 0; i < 16; ++i) {
    id += fmt::format("{:02x}", digest.at(i));
  }
  return id;
}

std::uint64_t make_story_id(std::string_view feed, std::string_view identity, TimePoint now) {
  const std::string seconds = std::to_string(now.time_since_epoch().count());
  const std::uint64_t hash =
      fnv1a(seconds, fnv1a("\n", fnv1a(identity, fnv1a("\n", fnv1a(feed))))) & 0x7fffffffffffffffULL;
  return hash == 0 ? 1 : hash;
}

std::optional<std::uint64_t> sequential_story_id(std::uint64_t next, TimePoint now) {
  static constexpr std::uint64_t largest = (std::uint64_t{1} << 63U) - 1;
  static constexpr std::int64_t last_second = (std::int64_t{1} << 32U) - 1;
  const auto seconds =
      static_cast<std::uint64_t>(std::clamp<std::int64_t>(now.time_since_epoch().count(), 0, last_second));
  const std::uint64_t id = std::max(next, seconds << 31U);
  if (id > largest) {
    return std::nullopt;
  }
  return id;
}

Recorder::Recorder(store::Store& store, RecorderSettings settings) : store_(store), settings_(std::move(settings)) {}

Expected<dedup::StoryIndex, store::StoreError> load_story_index(store::Store& store, TimePoint since) {
  // Each fingerprint goes straight into the index: beside it, loading holds only a batch of postings.
  dedup::StoryIndex::Loader loader;
  auto scanned = store.scan_fingerprints(since, [&loader](const store::FingerprintRecord& entry) {
    // A fingerprint from an older encoding is skipped: it only ever narrows what can fold.
    if (const auto fingerprint = dedup::decode_fingerprint(entry.fingerprint)) {
      loader.add(*fingerprint, entry.story, entry.seen);
    }
  });
  if (!scanned) {
    return make_unexpected(std::move(scanned).error());
  }
  return std::move(loader).finish();
}

Expected<std::optional<rules::TermFrequencies>, store::StoreError> load_term_frequencies(store::Store& store) {
  auto saved = store.load_term_frequencies();
  if (!saved) {
    return make_unexpected(std::move(saved).error());
  }
  if (!saved->has_value()) {
    return std::optional<rules::TermFrequencies>();
  }
  auto restored = rules::TermFrequencies::deserialize(**saved);
  if (!restored) {
    spdlog::warn("store: saved term frequencies unreadable; starting from the prior");
  }
  return restored;
}

store::StoreStatus Recorder::load(TimePoint now) {
  auto loaded = load_story_index(store_, window_start(now));
  if (!loaded) {
    return make_unexpected(std::move(loaded).error());
  }
  index_ = std::move(*loaded);
  return store::store_ok();
}

void Recorder::expire(TimePoint now) {
  index_.expire(now - settings_.story_window);
}

Expected<std::vector<store::KnownItem>, store::StoreError> Recorder::known_items(const Feed& feed) {
  return store_.load_known_items(feed.name);
}

std::vector<std::optional<std::uint64_t>> Recorder::stored_stories_of_links(const FeedWork& work,
                                                                            std::optional<std::string>& error) {
  // Links of fresh items that no staged item has: only the store can know them.
  std::vector<std::string_view> urls;
  urls.reserve(work.items.size());
  for (const auto& entry : work.items) {
    const std::string& url = entry.identity.canonical_url;
    const bool ask = entry.kind == ItemKind::fresh && !url.empty() && !pending_urls_.contains(url);
    urls.emplace_back(ask ? std::string_view(url) : std::string_view());
  }
  auto stored = store_.stories_of_urls(urls);
  if (!stored) {
    error = stored.error().message;
    return std::vector<std::optional<std::uint64_t>>(work.items.size());
  }
  return std::move(*stored);
}

bool Recorder::alerted(const std::string& rule, std::uint64_t story, std::optional<std::string>& error) {
  if (pending_alerted_.contains({rule, story})) {
    return true;
  }
  auto rules = store_.rules_alerted(story);
  if (!rules) {
    error = rules.error().message;
    return true;  // When in doubt, stay quiet: a lost alert is retried by the next poll, a flood is not.
  }
  return std::find(rules->begin(), rules->end(), rule) != rules->end();
}

std::uint64_t Recorder::start_story(std::string_view feed, std::string_view identity, TimePoint now,
                                    std::optional<std::string>& error) {
  if (!story_ids_read_) {
    if (auto largest = store_.largest_story_id(); largest) {
      next_story_ = std::max(next_story_, *largest + 1);
      story_ids_read_ = true;
    } else {
      error = largest.error().message;
    }
  }
  const auto id = sequential_story_id(next_story_, now);
  if (!id) {
    return make_story_id(feed, identity, now);
  }
  next_story_ = *id + 1;
  return *id;
}

bool Recorder::needs_story_index(const FeedWork& work) {
  return std::ranges::any_of(work.items, [](const ItemWork& item) { return item.kind == ItemKind::fresh; });
}

void Recorder::stage(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now) {
  RecordOutcome outcome;
  store::PollRecord record;
  record.now = now;
  last_staged_ = std::max(last_staged_, now);

  const bool fetched = verdict == PollVerdict::fetched;
  const bool baseline = fetched && feed.baseline && !settings_.no_baseline && !state.baselined;
  outcome.baselined = baseline;
  if (fetched) {
    state.baselined = true;
  }
  const auto max_age = feed.max_item_age.value_or(settings_.max_item_age);
  std::optional<std::string> error;
  // What this poll adds to the batch's pending links, alerts and index entries starts here; it is
  // taken back should deciding the poll fail.
  const std::size_t urls_mark = current_.urls_.size();
  const std::size_t alerted_mark = current_.alerted_.size();
  const std::size_t indexed_mark = current_.indexed_.size();

  outcome.counts.seen = work.seen;
  const auto stored_stories = stored_stories_of_links(work, error);
  std::size_t position = 0;
  for (auto& entry : work.items) {
    const std::optional<std::uint64_t> stored_story = stored_stories[position++];
    if (entry.kind == ItemKind::unchanged) {
      record.refreshed.push_back(entry.identity.key);
      continue;
    }
    if (frequencies_ != nullptr && !entry.term_keys.empty()) {
      frequencies_->observe(entry.term_keys);
      ++terms_observed_;
    }
    // What the record and the alerts need of the item is moved into `seen`, not copied.
    Item& item = entry.item;
    store::SeenItem seen{feed.name,
                         std::move(entry.identity.key),
                         std::move(entry.identity.canonical_url),
                         entry.identity.content_hash,
                         entry.identity.source_hash,
                         dedup::encode_fingerprint(entry.identity.fingerprint),
                         now,
                         now,
                         item.published,
                         entry.known_story,
                         std::move(item.title),
                         std::move(item.link),
                         rule_names(entry.matches)};
    std::vector<std::string> alerting_rules;
    if (entry.kind == ItemKind::edited) {
      ++outcome.counts.updated;
      for (const auto& rule : seen.rules) {
        if (std::find(entry.known_rules.begin(), entry.known_rules.end(), rule) == entry.known_rules.end()) {
          alerting_rules.push_back(rule);
        }
      }
    } else {
      ++outcome.counts.fresh;
      // A link staged earlier (in this poll too) wins over the store; empty links are never staged.
      const auto staged = pending_urls_.find(seen.canonical_url);
      std::optional<std::uint64_t> story = staged != pending_urls_.end() ? std::optional(staged->second) : stored_story;
      if (!story) {
        story = index_.find(entry.identity.fingerprint);
      }
      if (story) {
        ++outcome.counts.folded;
        seen.story = *story;
      } else {
        seen.story = start_story(feed.name, seen.identity, now, error);
        record.stories.push_back(store::StoryRecord{seen.story, now, seen.title});
      }
      // It joins the index now, for the items staged after it; a failed write rebuilds the index.
      index_.add(entry.identity.fingerprint, seen.story, now);
      current_.indexed_.emplace_back(current_.records_.size(), record.items.size());
      if (!seen.canonical_url.empty() && pending_urls_.emplace(seen.canonical_url, seen.story).second) {
        current_.urls_.push_back(seen.canonical_url);
      }
      const bool too_old = item.published && *item.published < now - max_age;
      if (!too_old) {
        alerting_rules = seen.rules;
      }
    }
    if (baseline) {
      alerting_rules.clear();
    }
    for (const auto& match : entry.matches) {
      if (std::find(alerting_rules.begin(), alerting_rules.end(), match.rule) == alerting_rules.end() ||
          alerted(match.rule, seen.story, error)) {
        continue;
      }
      if (pending_alerted_.insert({match.rule, seen.story}).second) {
        current_.alerted_.emplace_back(match.rule, seen.story);
      }
      Alert alert;
      alert.id = make_alert_id(match.rule, seen.story);
      alert.rule = match.rule;
      alert.story = store::format_story_id(seen.story);
      alert.feed = feed.name;
      alert.item_identity = seen.identity;
      alert.item_id = item.id;
      alert.title = seen.title;
      alert.link = seen.link;
      alert.published = item.published;
      alert.summary = item.summary;  // The worker's alert_excerpt() (loop_side()).
      alert.why = match.why;
      alert.updated = entry.kind == ItemKind::edited;
      alert.created = now;
      if (const auto targets = settings_.rule_targets.find(match.rule); targets != settings_.rule_targets.end()) {
        alert.targets = targets->second;
      }
      outcome.alert_ids.push_back(alert.id);
      record.alerts.push_back(std::move(alert));
    }
    if (settings_.dry_run) {
      dry_members_[seen.story].push_back(
          DryMember{feed.name, seen.identity, StoryMember{feed.name, seen.title, seen.link}});
    }
    record.items.push_back(std::move(seen));
  }
  outcome.counts.alerts = record.alerts.size();

  if (error) {
    for (std::size_t i = urls_mark; i < current_.urls_.size(); ++i) {
      pending_urls_.erase(current_.urls_[i]);
    }
    for (std::size_t i = alerted_mark; i < current_.alerted_.size(); ++i) {
      pending_alerted_.erase(current_.alerted_[i]);
    }
    current_.urls_.resize(urls_mark);
    current_.alerted_.resize(alerted_mark);
    current_.indexed_.resize(indexed_mark);
    outcome.store_error = error;
    index_stale_ = true;
    current_.staged_.push_back(Staged{std::move(outcome), std::nullopt});
    return;
  }
  record.state = std::move(state);
  outcome.state = record.state;
  current_.staged_.push_back(Staged{std::move(outcome), current_.records_.size()});
  current_.records_.push_back(std::move(record));
}

std::vector<RecordOutcome> Recorder::commit() {
  Batch batch = take();
  const WriteErrors errors = settings_.dry_run ? WriteErrors(batch.records().size()) : write(store_, batch.records());
  return settle(std::move(batch), errors);
}

Recorder::Batch Recorder::take() {
  writing_ = true;
  return std::exchange(current_, Batch{});
}

Recorder::WriteErrors Recorder::write(store::Store& store, std::span<const store::PollRecord> records) {
  WriteErrors errors(records.size());
  if (records.empty() || store.record_polls(records)) {
    return errors;
  }
  // One transaction for all failed: write each poll alone, so only the bad one fails.
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (auto written = store.record_poll(records[i]); !written) {
      errors[i] = std::move(written).error().message;
    }
  }
  return errors;
}

std::vector<RecordOutcome> Recorder::settle(Batch batch, const WriteErrors& errors) {
  writing_ = false;
  if (settings_.dry_run) {
    for (auto& record : batch.records_) {
      for (auto& alert : record.alerts) {
        auto id = alert.id;
        dry_alerts_.emplace(std::move(id), std::move(alert));
      }
    }
  } else {
    for (auto& staged : batch.staged_) {
      if (staged.record && errors.at(*staged.record)) {
        staged.outcome.store_error = errors.at(*staged.record);
        index_stale_ = true;
        story_ids_read_ = false;  // Another process may have taken the ids this poll wanted.
      }
    }
    // What was written, the store now answers for; what was not comes back as new.
    for (const auto& url : batch.urls_) {
      pending_urls_.erase(url);
    }
    for (const auto& rule_story : batch.alerted_) {
      pending_alerted_.erase(rule_story);
    }
  }
  if (index_stale_) {
    rebuild_index();
    index_stale_ = false;
  }
  std::vector<RecordOutcome> outcomes;
  outcomes.reserve(batch.staged_.size());
  for (auto& staged : batch.staged_) {
    if (staged.outcome.store_error) {
      staged.outcome.alert_ids.clear();
      staged.outcome.counts.alerts = 0;
      staged.outcome.state.reset();
    }
    outcomes.push_back(std::move(staged.outcome));
  }
  return outcomes;
}

void Recorder::rebuild_index() {
  // Forget what was decided for unwritten polls: they come back as new items and decide again. The
  // polls staged since still count, as they will be written.
  index_ = dedup::StoryIndex{};
  if (auto loaded = load(last_staged_); !loaded) {
    spdlog::error("{}", loaded.error().message);
  }
  for (const auto& [record, item] : current_.indexed_) {
    const store::SeenItem& seen = current_.records_.at(record).items.at(item);
    if (const auto fingerprint = dedup::decode_fingerprint(seen.fingerprint)) {
      index_.add(*fingerprint, seen.story, seen.first_seen);
    }
  }
}

RecordOutcome Recorder::record(const Feed& feed, FeedState state, FeedWork work, PollVerdict verdict, TimePoint now) {
  stage(feed, std::move(state), std::move(work), verdict, now);
  auto outcomes = commit();
  return std::move(outcomes.back());
}

Expected<std::vector<Alert>, store::StoreError> Recorder::alerts(const std::vector<std::string>& ids) {
  if (!settings_.dry_run) {
    return store_.load_alerts(ids);
  }
  std::vector<Alert> alerts;
  for (const auto& id : ids) {
    const auto found = dry_alerts_.find(id);
    if (found == dry_alerts_.end()) {
      continue;
    }
    Alert alert = found->second;
    const auto story = store::parse_story_id(alert.story).value_or(0);
    for (const auto& member : dry_members_[story]) {
      if (member.feed != alert.feed || member.identity != alert.item_identity) {
        alert.also.push_back(member.member);
      }
    }
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

}  // namespace newswatch::pipeline
