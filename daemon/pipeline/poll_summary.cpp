#include "newswatch/pipeline/poll_summary.hpp"

#include <algorithm>

namespace newswatch::pipeline {

std::size_t PollSummary::count(PollVerdict verdict) const {
  return static_cast<std::size_t>(
      std::count_if(feeds.begin(), feeds.end(), [verdict](const FeedReport& feed) { return feed.verdict == verdict; }));
}

}  // namespace newswatch::pipeline
