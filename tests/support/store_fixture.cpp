#include "support/store_fixture.hpp"

#include <gtest/gtest.h>

namespace newswatch::testing {

std::unique_ptr<store::SqliteStore> open_store(const std::filesystem::path& state_dir) {
  auto store = store::SqliteStore::open(state_dir);
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

FeedState feed_state(const std::string& name) {
  FeedState state;
  state.feed_name = name;
  state.url = "https://example.org/" + name;
  state.configured_url = state.url;
  return state;
}

}  // namespace newswatch::testing
