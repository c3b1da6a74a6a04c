#include "newswatch/pipeline/feed_work.hpp"

#include <unordered_map>
#include <unordered_set>

namespace newswatch::pipeline {

std::string alert_excerpt(const Item& item) {
  const std::string& text = item.summary.empty() ? item.content : item.summary;
  if (text.size() <= alert_summary_bytes) {
    return text;
  }
  std::size_t end = alert_summary_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
    --end;
  }
  return text.substr(0, end) + "\u2026";
}

Item loop_side(Item&& item, bool matched) {
  Item kept;
  kept.id = std::move(item.id);
  kept.title = std::move(item.title);
  kept.link = std::move(item.link);
  kept.published = item.published;
  kept.updated = item.updated;
  if (matched) {
    kept.summary = alert_excerpt(item);
  }
  return kept;
}

FeedWork work_on_body(const Feed& feed, std::string_view body, const std::string& content_type, const std::string& url,
                      const std::vector<store::KnownItem>& known, TimePoint now, const WorkerStages& stages) {
  FeedWork work;
  auto parsed = stages.parse(body, content_type, url);
  if (!parsed) {
    work.parse_error = std::move(parsed).error();
    return work;
  }
  work.hints = std::move(parsed->hints);

  std::unordered_map<std::string_view, const store::KnownItem*> by_identity;
  std::unordered_map<std::string_view, const store::KnownItem*> by_url;
  by_identity.reserve(known.size());
  by_url.reserve(known.size());
  for (const auto& item : known) {
    by_identity.emplace(item.identity, &item);
    if (!item.canonical_url.empty()) {
      by_url.emplace(item.canonical_url, &item);
    }
  }

  std::size_t sampled = 0;  // Items whose term keys are collected.
  // An item's words, tokenised once for its identity and its matching; the room is reused from
  // item to item on this worker.
  thread_local text::FieldTokens tokens;
  std::unordered_set<std::string> keys_in_body;
  std::unordered_set<std::string> links_in_body;
  for (auto& item : parsed->items) {
    if (item.published) {
      work.hints.published.push_back(*item.published);
    }
    ItemWork entry;
    entry.identity = stages.identify(item);
    const store::KnownItem* stored = nullptr;
    if (const auto found = by_identity.find(entry.identity.key); found != by_identity.end()) {
      stored = found->second;
    } else if (!entry.identity.canonical_url.empty()) {
      if (const auto same_link = by_url.find(entry.identity.canonical_url); same_link != by_url.end()) {
        stored = same_link->second;
        entry.identity.key = stored->identity;
      }
    }
    // A feed that lists one item twice (or two unstable ids for one link) counts it once.
    if (!keys_in_body.insert(entry.identity.key).second) {
      continue;
    }
    if (!entry.identity.canonical_url.empty() && !links_in_body.insert(entry.identity.canonical_url).second) {
      continue;
    }
    ++work.seen;
    // The same bytes as stored need no normalising to be known unchanged; other bytes may still be
    // the same words.
    const bool same_source =
        stored != nullptr && stored->source_hash != 0 && stored->source_hash == entry.identity.source_hash;
    if (!same_source) {
      text::tokenize_fields(item.title, item.summary, item.content, tokens);
      dedup::complete_identity(item, entry.identity, tokens);
    }
    if (stored != nullptr) {
      entry.known_story = stored->story;
      if (same_source || stored->content_hash == entry.identity.content_hash) {
        entry.kind = ItemKind::unchanged;
        entry.refresh = now - stored->last_seen >= refresh_after;
        if (entry.refresh) {
          work.items.push_back(std::move(entry));
        }
        continue;
      }
      entry.kind = ItemKind::edited;
      entry.known_rules = stored->rules;
    }
    // Only an item whose identity was completed above gets this far: `tokens` hold its words.
    entry.matches = stages.match(item, feed, parsed->language, &tokens);
    if (stages.terms && sampled < term_samples_per_poll) {
      entry.term_keys = stages.terms(item);
      ++sampled;
    }
    entry.item = loop_side(std::move(item), !entry.matches.empty());
    work.items.push_back(std::move(entry));
  }
  return work;
}

}  // namespace newswatch::pipeline
