#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "newswatch/model/expected.hpp"
#include "newswatch/store/store.hpp"
#include "newswatch/store/store_error.hpp"

namespace newswatch::store {

/// Connections for reading the store from threads other than its owner's: worker threads read a
/// feed's stored items there, so the loop thread does not. Each read borrows a connection no other
/// thread uses meanwhile, opening one when every connection is busy; there are never more than the
/// threads that read at once. A reader sees what was committed before its read began (WAL), which
/// is all a feed's poll needs: its previous poll was committed before the next one started.
///
/// Threads: any; lease() and the Lease's destructor lock a mutex, the reads themselves do not.
class ReaderPool {
 public:
  /// Opens one more connection to the same store; called from the thread that needs it.
  using Open = std::function<Expected<std::unique_ptr<Store>, StoreError>()>;

  /// A borrowed connection, returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Store> reader) : pool_(&pool), reader_(std::move(reader)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) = delete;
    ~Lease();

    Store& operator*() const noexcept { return *reader_; }
    Store* operator->() const noexcept { return reader_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Store> reader_;
  };

  explicit ReaderPool(Open open) : open_(std::move(open)) {}

  /// An idle connection, or a new one; the error (from opening) names the database.
  Expected<Lease, StoreError> lease();
  /// Connections opened so far.
  [[nodiscard]] std::size_t opened() const;

 private:
  void give_back(std::unique_ptr<Store> reader);

  Open open_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace newswatch::store
