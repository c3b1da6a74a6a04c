#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace newswatch {

/// The error side of an Expected, built with make_unexpected().
template <typename E>
struct Unexpected {
  E error;
};

/// Wraps an error value so that it converts into any Expected<T, E>.
template <typename E>
Unexpected<std::decay_t<E>> make_unexpected(E&& error) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(error)};
}

/// A value or an error: expected failures travel as values (C++23 std::expected, reduced).
template <typename T, typename E>
class Expected {
 public:
  Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  template <typename F>
  Expected(Unexpected<F> error)  // NOLINT(google-explicit-constructor)
      : storage_(std::in_place_index<1>, E(std::move(error.error))) {}

  /// True when a value is held.
  [[nodiscard]] bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// The value; only valid when has_value().
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The error; only valid when !has_value().
  E& error() & { return std::get<1>(storage_); }
  const E& error() const& { return std::get<1>(storage_); }
  E&& error() && { return std::get<1>(std::move(storage_)); }

 private:
  std::variant<T, E> storage_;
};

}  // namespace newswatch
