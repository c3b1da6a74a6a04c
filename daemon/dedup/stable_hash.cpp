#include "newswatch/dedup/stable_hash.hpp"

#include <bit>
#include <cstring>

namespace newswatch::dedup {
namespace {

static_assert(std::endian::native == std::endian::little,
              "stable_hash reads words as little-endian; a big-endian build must swap bytes to keep stored values");

std::uint64_t load64(const char* bytes) noexcept {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

constexpr std::uint64_t multiplier = 0x9FB21C651E98DF25ULL;

}  // namespace

std::uint64_t stable_hash(std::string_view bytes, std::uint64_t seed) noexcept {
  // Eight bytes per step, multiply-rotate-multiply; the tail is read as one zero-padded word. The
  // length goes into the start value, so inputs that differ only by trailing zero bytes differ.
  std::uint64_t state = mix64(seed ^ (bytes.size() * multiplier));
  std::size_t offset = 0;
  for (; offset + 8 <= bytes.size(); offset += 8) {
    state = (std::rotl(state ^ (load64(bytes.data() + offset) * multiplier), 29) + seed) * 0xC2B2AE3D27D4EB4FULL;
  }
  if (offset < bytes.size()) {
    char tail[8] = {};
    std::memcpy(tail, bytes.data() + offset, bytes.size() - offset);
    state = (std::rotl(state ^ (load64(tail) * multiplier), 29) + seed) * 0xC2B2AE3D27D4EB4FULL;
  }
  return mix64(state);
}

}  // namespace newswatch::dedup
