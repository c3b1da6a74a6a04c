#pragma once

#include <cstddef>

namespace newswatch::config::detail {

// Loading a config of 100,000 rules builds a tree of millions of small nodes, and on a virtual
// machine a fifth of the load went to faulting in their 4 KB pages one by one. Huge pages (the
// kernel's transparent ones, given on advice) cut those faults 512-fold. Only advice: where the
// kernel has them off, or another allocator replaces glibc's, nothing changes.

/// Grows the main heap by `bytes` at once, advises huge pages for that room, and keeps the heap
/// from being trimmed below it, so what the calling thread allocates next lands there. Returns the
/// bytes advised (0 when the heap did not grow, as under a sanitizer's allocator).
std::size_t reserve_huge_heap(std::size_t bytes);

/// Advises huge pages for the heap this thread's allocations come from: a helper thread has an
/// arena of its own, whose heaps glibc aligns to 64 MB.
void advise_thread_heap();

}  // namespace newswatch::config::detail
