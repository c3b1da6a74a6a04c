#include "newswatch/model/huge_pages.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace newswatch {
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

/// `bytes` rounded up to whole huge pages.
std::size_t whole_huge_pages(std::size_t bytes) {
  return (bytes + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
}

}  // namespace

namespace detail {

void* allocate_in_huge_pages(std::size_t bytes) {
  if (bytes < huge_page_bytes) {
    return ::operator new(bytes);
  }
  const std::size_t size = whole_huge_pages(bytes);
  // Mapped with a huge page to spare, then trimmed to the aligned part: the kernel only backs an
  // aligned 2 MB range with a huge page.
  void* const mapped =
      mmap(nullptr, size + huge_page_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) {
    throw std::bad_alloc();
  }
  auto* const start = static_cast<char*>(mapped);
  const std::size_t head = (huge_page_bytes - misalignment(start, huge_page_bytes)) & (huge_page_bytes - 1);
  if (head > 0) {
    munmap(start, head);
  }
  // The spare huge page less what went before the aligned part: never empty, as head < 2 MB.
  munmap(start + head + size, huge_page_bytes - head);
  madvise(start + head, size, MADV_HUGEPAGE);
  return start + head;
}

void release_huge_pages(void* pointer, std::size_t bytes) noexcept {
  if (bytes < huge_page_bytes) {
    ::operator delete(pointer);
    return;
  }
  munmap(pointer, whole_huge_pages(bytes));
}

}  // namespace detail

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

}  // namespace newswatch
