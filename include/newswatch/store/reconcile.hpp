#pragma once

#include <optional>

#include "newswatch/model/feed.hpp"
#include "newswatch/model/feed_state.hpp"

namespace newswatch::store {

/// The state to poll `feed` with: the stored one while the config still names the URL it was
/// built for; a fresh one when nothing is stored or the configured URL changed (a new URL is a new
/// resource: its validators, redirect target, failures and 410 no longer apply).
FeedState reconcile_feed_state(const std::optional<FeedState>& stored, const Feed& feed);

}  // namespace newswatch::store
