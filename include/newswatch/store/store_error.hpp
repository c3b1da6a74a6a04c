#pragma once

#include <string>
#include <variant>

#include "newswatch/model/expected.hpp"

namespace newswatch::store {

/// Why a store operation failed, worded for the operator: "store: /var/lib/newswatch/state.db: ...".
struct StoreError {
  std::string message;
};

/// The result of a store write: nothing, or why it failed.
using StoreStatus = Expected<std::monostate, StoreError>;

/// The success value of a StoreStatus.
inline StoreStatus store_ok() {
  return std::monostate{};
}

}  // namespace newswatch::store
