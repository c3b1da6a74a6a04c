#pragma once

#include <string_view>

#include <optional>
#include <string>

#include "newswatch/fetch/fetch_result.hpp"
#include "newswatch/model/feed_state.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/schedule/next_poll.hpp"

namespace newswatch::pipeline {

/// How one poll of a feed ended, as the summary counts it.
enum class PollVerdict {
  fetched,       ///< 2xx and the body parsed as a feed.
  not_modified,  ///< 304.
  gone,          ///< 410: the feed is now disabled.
  failed,        ///< HTTP error, transport error, or a body that is not a feed.
  skipped,       ///< Not polled: disabled after a 410, or a server's Retry-After is pending.
};

/// "fetched", "not_modified", "gone", "failed" or "skipped" (log lines and metric labels).
std::string_view to_string(PollVerdict verdict);

/// What update_feed_state() changed that deserves a log line of its own.
struct FeedStateChange {
  PollVerdict verdict = PollVerdict::failed;
  std::optional<std::string> moved_to;  ///< Set when a 301/308 chain moved the stored URL.
  std::string error;                    ///< Why the poll failed or the feed was disabled.
};

/// Applies one poll to a feed's state (pure). `parse_error` is set when a 2xx body was not a feed.
///  - Validators are stored byte for byte and each independently (RFC 9110 §8.8): a 200 replaces
///    both with what it carried; a 304 updates only those it carried (RFC 9111 §4.3.4). A 2xx body
///    that is not a feed keeps the old validators, so the next poll fetches it again in full.
///  - A permanent redirect (301/308 only) moves `url`; 302/307 do not (RFC 9110 §15.4).
///  - 410 Gone disables the feed until its configured URL changes.
///  - Failures count up (the schedule backs off) and keep a 429/503's Retry-After; success clears both.
FeedStateChange update_feed_state(FeedState& state, const fetch::FetchResult& result,
                                  const std::optional<std::string>& parse_error, TimePoint now);

/// Adds what the HTTP response says about freshness (max-age, Expires, Date, Retry-After) and the
/// state's failure count to `hints`, which already carries the feed's interval and parsed hints.
schedule::PollHints with_response_hints(schedule::PollHints hints, const fetch::FetchResult& result,
                                        const FeedState& state);

}  // namespace newswatch::pipeline
