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

std::uint64_t load32(const char* bytes) noexcept {
  std::uint32_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

constexpr std::uint64_t multiplier = 0x9FB21C651E98DF25ULL;
constexpr std::uint64_t second_multiplier = 0xC2B2AE3D27D4EB4FULL;

constexpr std::uint64_t step(std::uint64_t state, std::uint64_t word) noexcept {
  return std::rotl(state ^ (word * multiplier), 29) * second_multiplier;
}

}  // namespace

std::uint64_t stable_hash(std::string_view bytes, std::uint64_t seed) noexcept {
  // Two lanes of eight bytes each per step (multiply-rotate-multiply), so that their multiplies
  // overlap; the last 1..15 bytes are read with loads that may overlap bytes already read, never
  // past the end. The length goes into the start, so such overlaps and trailing zeros cannot make
  // two inputs of different lengths collide.
  const char* data = bytes.data();
  const std::size_t length = bytes.size();
  if (length <= 16) {
    // Words and word pairs, the most frequent inputs: the first and last eight bytes (or fewer),
    // one multiply each and one mix.
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    if (length >= 8) {
      head = load64(data);
      tail = load64(data + length - 8);
    } else if (length >= 4) {
      head = load32(data);
      tail = load32(data + length - 4);
    } else if (length > 0) {
      head = static_cast<unsigned char>(data[0]);
      tail = std::uint64_t{static_cast<unsigned char>(data[length / 2])} << 8U |
             static_cast<unsigned char>(data[length - 1]);
    }
    return mix64((head * multiplier) ^ std::rotl(tail * second_multiplier, 31) ^
                 (seed + length * 0x9E3779B97F4A7C15ULL));
  }
  std::uint64_t first = mix64(seed ^ (length * multiplier));
  std::uint64_t second = first ^ 0x243F6A8885A308D3ULL;
  std::size_t offset = 0;
  for (; offset + 16 <= length; offset += 16) {
    first = step(first, load64(data + offset));
    second = step(second, load64(data + offset + 8));
  }
  if (length - offset >= 8) {
    first = step(first, load64(data + offset));
    offset += 8;
  }
  const std::size_t rest = length - offset;
  if (rest > 0) {
    std::uint64_t last = 0;
    if (length >= 8) {
      last = load64(data + length - 8);
    } else if (rest >= 4) {
      last = load32(data) | load32(data + rest - 4) << 32U;
    } else {
      const auto byte = [data](std::size_t i) { return std::uint64_t{static_cast<unsigned char>(data[i])}; };
      last = byte(0) | byte(rest / 2) << 8U | byte(rest - 1) << 16U;
    }
    second = step(second, last);
  }
  return mix64(first ^ std::rotl(second, 32));
}

}  // namespace newswatch::dedup
