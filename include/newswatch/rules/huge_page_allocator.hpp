#pragma once

#include <cstddef>

namespace newswatch::rules {

namespace detail {
/// At least `bytes` of memory; from one huge page (2 MB) on, mapped on its own, aligned to huge
/// pages and advised for them.
void* allocate_in_huge_pages(std::size_t bytes);
/// Gives back what allocate_in_huge_pages(bytes) returned.
void release_huge_pages(void* pointer, std::size_t bytes) noexcept;
}  // namespace detail

/// An allocator for a large table read and written at random all over, such as a count-min sketch.
/// With transparent huge pages in their default "madvise" mode, a 2 MB table then costs one page
/// fault instead of 512 and few TLB misses. Below one huge page it is operator new.
template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() noexcept = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}

  T* allocate(std::size_t count) { return static_cast<T*>(detail::allocate_in_huge_pages(count * sizeof(T))); }
  void deallocate(T* pointer, std::size_t count) noexcept { detail::release_huge_pages(pointer, count * sizeof(T)); }

  template <typename U>
  friend bool operator==(const HugePageAllocator& /*left*/, const HugePageAllocator<U>& /*right*/) noexcept {
    return true;
  }
};

}  // namespace newswatch::rules
