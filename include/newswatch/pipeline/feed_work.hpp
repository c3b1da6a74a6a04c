#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newswatch/dedup/item_identity.hpp"
#include "newswatch/fetch/fetch_result.hpp"
#include "newswatch/model/expected.hpp"
#include "newswatch/model/feed.hpp"
#include "newswatch/model/item.hpp"
#include "newswatch/model/match.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/schedule/next_poll.hpp"
#include "newswatch/store/poll_record.hpp"
#include "newswatch/text/tokenizer.hpp"

namespace newswatch::pipeline {

/// Starts a conditional GET and calls back exactly once, on the io_context thread.
using FetchFunction = std::function<void(fetch::FetchRequest, std::function<void(fetch::FetchResult)>)>;

/// Feed bytes turned into items and polling hints.
struct ParsedBody {
  std::vector<Item> items;
  std::string language;
  schedule::PollHints hints;  ///< ttl, update_period, skip_hours, skip_days filled in.
  std::vector<std::string> warnings;
};
/// Parses feed bytes (worker threads).
using ParseFunction = std::function<Expected<ParsedBody, std::string>(
    std::string_view body, const std::string& content_type, const std::string& url)>;
/// Gives an item its identity, canonical link and hashes (worker threads; pure).
using IdentifyFunction = std::function<dedup::ItemIdentity(const Item& item)>;
/// Matches one item against the rules and quotes each match's evidence (worker threads; a const
/// RuleSet is thread-safe).
/// `tokens`: the item's title, summary and content tokenised already, or null.
using MatchFunction = std::function<std::vector<MatchRecord>(
    const Item& item, const Feed& feed, const std::string& language, const text::FieldTokens* tokens)>;

/// The distinct term keys of an item (rules::DocumentTerms), which the loop thread counts into its
/// rules::TermFrequencies (worker threads; pure).
using TermFunction = std::function<std::vector<std::uint64_t>(const Item& item)>;

/// The CPU stages a worker runs for one fetched body.
struct WorkerStages {
  ParseFunction parse;
  IdentifyFunction identify;
  MatchFunction match;
  TermFunction terms;  ///< Empty: term keys are not collected.
};

/// What an item is, next to what the store knew of its feed.
enum class ItemKind {
  fresh,      ///< Never seen in this feed.
  edited,     ///< Seen, but its title, summary or content changed.
  unchanged,  ///< Seen as it is.
};

/// One item of a fetched feed, after identification and (when fresh or edited) matching.
struct ItemWork {
  /// What the loop needs of the item (loop_side()); empty for unchanged items.
  Item item;
  dedup::ItemIdentity identity;
  ItemKind kind = ItemKind::fresh;
  std::uint64_t known_story = 0;         ///< The stored item's story (edited and unchanged items).
  std::vector<std::string> known_rules;  ///< Rules the stored version matched (edited items).
  bool refresh = false;                  ///< Unchanged, and its stored last_seen is old enough to move.
  std::vector<MatchRecord> matches;
  /// Fresh and edited items, when WorkerStages::terms is set: the first term_samples_per_poll of a body.
  std::vector<std::uint64_t> term_keys;
};

/// The worker's result for one body.
struct FeedWork {
  std::optional<std::string> parse_error;
  std::optional<std::string> store_error;  ///< The feed's stored items could not be read; nothing was done.
  schedule::PollHints hints;
  std::vector<ItemWork> items;  ///< Fresh and edited items, and unchanged ones to refresh; feed order.
  std::size_t seen = 0;         ///< Items in the feed (distinct identities).
};

/// The term-frequency sketch counts at most this many new or edited items of one body: a sample, as
/// it estimates shares of documents, and shares need no more than one document per poll. A steady
/// daemon polls often enough to count thousands a day; a first poll of a thousand 30-item feeds
/// (30,000 items at once) counts 1,000 of them, enough to tell the common words, which rules must
/// not be indexed under, from the rare ones. Counting an item costs about as much as matching it.
inline constexpr std::size_t term_samples_per_poll = 1;

/// How stale a stored last_seen may be before a poll that sees the item again rewrites it. Retention
/// counts in days, so a daily refresh keeps it right without a write per item per poll.
inline constexpr std::chrono::hours refresh_after{24};

/// How much of an item's summary an alert keeps: a message shows a short excerpt, not the article.
inline constexpr std::size_t alert_summary_bytes = 500;

/// The excerpt an alert quotes: the summary, or else the content, cut at a code point boundary to
/// at most alert_summary_bytes, with "…" when it was cut.
std::string alert_excerpt(const Item& item);

/// What the loop keeps of a fresh or edited item: id, title, link, dates and, when it matched a
/// rule, alert_excerpt() as its summary. The rest of its text is freed on the worker that parsed it,
/// not copied to the loop and freed there.
Item loop_side(Item&& item, bool matched);

/// The worker side of one feed poll (pure apart from the stages): parses the body, identifies every
/// item, compares it with `known` (the store's items of this feed) and matches only fresh and edited
/// items. An item with a new id but a link already stored for this feed is the stored item: some
/// CMSs put a timestamp or session token in every guid.
FeedWork work_on_body(const Feed& feed, std::string_view body, const std::string& content_type, const std::string& url,
                      const std::vector<store::KnownItem>& known, TimePoint now, const WorkerStages& stages);

}  // namespace newswatch::pipeline
