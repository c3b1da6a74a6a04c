#include "large_heap.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstdlib>

namespace newswatch::config::detail {
namespace {

constexpr std::uintptr_t huge_page_bytes = std::uintptr_t{2} << 20U;
/// glibc's HEAP_MAX_SIZE on 64-bit systems: a thread arena's heaps are this size and alignment.
constexpr std::uintptr_t thread_heap_bytes = std::uintptr_t{64} << 20U;
/// glibc's default M_TOP_PAD, restored once the heap has grown.
constexpr int default_top_pad = 128 * 1024;
/// Blocks below glibc's default mmap threshold, so they come from the heap.
constexpr std::size_t probe_bytes = std::size_t{64} * 1024;

/// How far `pointer` is past the last multiple of `alignment` (a power of two).
std::uintptr_t misalignment(char* pointer, std::uintptr_t alignment) {
  return reinterpret_cast<std::uintptr_t>(pointer) & (alignment - 1);
}

}  // namespace

std::size_t reserve_huge_heap(std::size_t bytes) {
  const int room = static_cast<int>(std::min<std::size_t>(bytes, INT_MAX / 2));
  char* const before = static_cast<char*>(sbrk(0));
  // The heap grows when an allocation does not fit its top, by M_TOP_PAD beyond what it needs:
  // allocate until it has grown (a few blocks at most), then free the blocks into the new top.
  mallopt(M_TRIM_THRESHOLD, 2 * room);
  mallopt(M_TOP_PAD, room);
  std::array<void*, 64> probes{};
  std::size_t count = 0;
  while (count < probes.size() && static_cast<char*>(sbrk(0)) == before) {
    probes.at(count++) = std::malloc(probe_bytes);
  }
  char* const after = static_cast<char*>(sbrk(0));
  for (std::size_t i = 0; i < count; ++i) {
    std::free(probes.at(i));
  }
  mallopt(M_TOP_PAD, default_top_pad);
  const std::uintptr_t skip = misalignment(before, huge_page_bytes);
  char* const begin = skip == 0 ? before : before + (huge_page_bytes - skip);
  if (after <= begin) {
    return 0;
  }
  // The pages are only reserved: memory the loading never touches is never faulted in.
  const auto advised = static_cast<std::size_t>(after - begin);
  return madvise(begin, advised, MADV_HUGEPAGE) == 0 ? advised : 0;
}

void advise_thread_heap() {
  auto* const probe = static_cast<char*>(std::malloc(1));
  if (probe == nullptr) {
    return;
  }
  char* const heap = probe - misalignment(probe, thread_heap_bytes);
  // Advice on a range glibc does not own (the thread fell back to the main arena) only changes
  // the page size there, so a wrong guess costs nothing but memory.
  madvise(heap, thread_heap_bytes, MADV_HUGEPAGE);
  std::free(probe);
}

}  // namespace newswatch::config::detail
