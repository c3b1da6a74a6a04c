#include "newswatch/store/reconcile.hpp"

namespace newswatch::store {

FeedState reconcile_feed_state(const std::optional<FeedState>& stored, const Feed& feed) {
  if (stored && stored->configured_url == feed.url) {
    FeedState state = *stored;
    state.feed_name = feed.name;
    return state;
  }
  FeedState fresh;
  fresh.feed_name = feed.name;
  fresh.url = feed.url;
  fresh.configured_url = feed.url;
  return fresh;
}

}  // namespace newswatch::store
