#pragma once

#include <cstdint>
#include <string_view>

namespace newswatch::dedup {

// Content hashes, identity keys and story fingerprints are written to the store, so these
// functions are part of its format: they must give the same value on every machine, in every build
// and in every version. Changing them means migrating what was stored.

/// Spreads every bit of `value` over all 64 output bits (MurmurHash3's fmix64 finaliser).
constexpr std::uint64_t mix64(std::uint64_t value) noexcept {
  value ^= value >> 33U;
  value *= 0xFF51AFD7ED558CCDULL;
  value ^= value >> 33U;
  value *= 0xC4CEB9FE1A85EC53ULL;
  return value ^ (value >> 33U);
}

/// Combines two hashes into one that depends on their order.
constexpr std::uint64_t combine_hashes(std::uint64_t first, std::uint64_t second) noexcept {
  return mix64(first ^ (second * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL));
}

/// A 64-bit hash of `bytes` that never changes (see above); different seeds give independent hashes.
std::uint64_t stable_hash(std::string_view bytes, std::uint64_t seed = 0) noexcept;

}  // namespace newswatch::dedup
