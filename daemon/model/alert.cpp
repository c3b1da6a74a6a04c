#include "newswatch/model/alert.hpp"

namespace newswatch {

const char* to_string(DeliveryState state) noexcept {
  switch (state) {
    case DeliveryState::pending: return "pending";
    case DeliveryState::sent: return "sent";
    case DeliveryState::dead: return "dead";
  }
  return "pending";
}

std::optional<DeliveryState> delivery_state_from_string(std::string_view text) noexcept {
  for (const auto state : {DeliveryState::pending, DeliveryState::sent, DeliveryState::dead}) {
    if (text == to_string(state)) {
      return state;
    }
  }
  return std::nullopt;
}

}  // namespace newswatch
