#pragma once

#include "newswatch/alert/clock.hpp"
#include "newswatch/alert/pace.hpp"

namespace newswatch::alert {

/// A token bucket for a Pace (RFC 2697's single-rate meter, reduced): `burst` tokens at first,
/// `messages` tokens back per `period`, one taken per message.
class TokenBucket {
 public:
  /// A full bucket for `pace`.
  TokenBucket(const Pace& pace, Instant now);

  /// Takes a token when one is there.
  bool try_take(Instant now);
  /// When the next token is there (`now` when one is).
  [[nodiscard]] Instant next_token(Instant now) const;

 private:
  void refill(Instant now);

  bool unlimited_;
  double capacity_;
  Instant::duration interval_;  ///< Time for one token.
  double tokens_;
  Instant refilled_;
};

}  // namespace newswatch::alert
