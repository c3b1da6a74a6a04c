#include "newswatch/store/store.hpp"

namespace newswatch::store {

Expected<PruneResult, StoreError> prune_all(Store& store, TimePoint items_before, TimePoint alerts_before,
                                            std::size_t slice) {
  PruneResult total;
  while (true) {
    auto pruned = store.prune(items_before, alerts_before, slice);
    if (!pruned) {
      return make_unexpected(std::move(pruned).error());
    }
    total.add(*pruned);
    if (!total.more) {
      return total;
    }
  }
}

}  // namespace newswatch::store
