#pragma once

#include <cstddef>

namespace newswatch {

// Memory in transparent huge pages, for the kernel's default "madvise" mode. On a virtual machine
// a page fault costs microseconds; a 2 MB huge page takes one fault where 4 KB pages take 512, and
// saves TLB misses on tables read at random. Everything here is only advice: where the kernel has
// huge pages off, or another allocator (a sanitizer's) stands in for glibc's, nothing changes.

namespace detail {
/// At least `bytes` of memory; from one huge page (2 MB) on, mapped on its own, aligned to huge
/// pages and advised for them.
void* allocate_in_huge_pages(std::size_t bytes);
/// Gives back what allocate_in_huge_pages(bytes) returned.
void release_huge_pages(void* pointer, std::size_t bytes) noexcept;
}  // namespace detail

/// An allocator for a large table read and written at random all over, such as a count-min sketch.
/// Below one huge page it is operator new.
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

/// Grows the main heap by `bytes` at once, advises huge pages for that room, and keeps the heap
/// from being trimmed below it, so what the main thread allocates next lands there. The pages are
/// only reserved: what is never touched is never faulted in. Returns the bytes advised (0 when the
/// heap did not grow, as under a sanitizer's allocator). malloc_trim() gives the room back.
std::size_t reserve_huge_heap(std::size_t bytes);

/// Advises huge pages for the heap this thread's allocations come from: a helper thread has an
/// arena of its own, whose heaps glibc aligns to 64 MB.
void advise_thread_heap();

}  // namespace newswatch
