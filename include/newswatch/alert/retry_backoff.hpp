#pragma once

#include <chrono>

namespace newswatch::alert {

/// The shortest wait before a retry.
inline constexpr std::chrono::milliseconds first_retry_delay{std::chrono::seconds{1}};
/// The longest wait before a retry.
inline constexpr std::chrono::milliseconds last_retry_delay{std::chrono::hours{1}};

/// How long to wait after the `attempts`-th failed attempt (1 = the first): 1 s doubling each time
/// up to 1 h, stretched by `jitter` (a draw from [0, 1)) by up to half, so many targets failing at
/// once do not all retry in the same second (AWS Architecture Blog, "Exponential Backoff And
/// Jitter"); never past 1 h.
std::chrono::milliseconds retry_delay(int attempts, double jitter) noexcept;

}  // namespace newswatch::alert
