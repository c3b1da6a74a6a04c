#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "newswatch/alert/dispatcher.hpp"

namespace newswatch::app {

/// What delivery did per target during one run, for the stderr summary.
class DeliveryReport {
 public:
  /// Counts one dispatcher event.
  void add(const alert::DeliveryEvent& event);
  /// Alerts still pending after the run, per target (from the store, once delivery has stopped).
  void set_waiting(const std::string& target, std::size_t count);

  /// "deliver: desk (webhook): 3 sent, 1 dead (HTTP 404 ...)" lines, one per target; "" when
  /// nothing was delivered or due.
  [[nodiscard]] std::string to_text() const;

 private:
  struct TargetCounts {
    std::string type;
    std::size_t sent = 0;
    std::size_t dead = 0;
    std::size_t waiting = 0;
    std::string last_problem;
  };
  std::map<std::string, TargetCounts> targets_;
};

}  // namespace newswatch::app
