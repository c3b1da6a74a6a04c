#include "newswatch/rules/huge_page_allocator.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace newswatch::rules::detail {
namespace {

constexpr std::size_t huge_page_bytes = std::size_t{2} << 20U;

std::size_t whole_huge_pages(std::size_t bytes) {
  return (bytes + huge_page_bytes - 1) & ~(huge_page_bytes - 1);
}

}  // namespace

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
  const std::size_t head =
      (huge_page_bytes - (reinterpret_cast<std::uintptr_t>(start) & (huge_page_bytes - 1))) & (huge_page_bytes - 1);
  if (head > 0) {
    munmap(start, head);
  }
  if (head < huge_page_bytes) {
    munmap(start + head + size, huge_page_bytes - head);
  }
  // Only advice: where huge pages are off, the memory is as good in small ones.
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

}  // namespace newswatch::rules::detail
