#include "newswatch/store/reader_pool.hpp"

namespace newswatch::store {

ReaderPool::Lease::~Lease() {
  if (reader_) {
    pool_->give_back(std::move(reader_));
  }
}

Expected<ReaderPool::Lease, StoreError> ReaderPool::lease() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto reader = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(reader));
    }
  }
  // Opened outside the lock: another thread may borrow or return meanwhile.
  auto opened = open_();
  if (!opened) {
    return make_unexpected(std::move(opened).error());
  }
  {
    const std::lock_guard lock(mutex_);
    ++opened_;
  }
  return Lease(*this, std::move(*opened));
}

std::size_t ReaderPool::opened() const {
  const std::lock_guard lock(mutex_);
  return opened_;
}

void ReaderPool::give_back(std::unique_ptr<Store> reader) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(reader));
}

}  // namespace newswatch::store
