#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "newswatch/alert/clock.hpp"
#include "newswatch/alert/courier.hpp"
#include "newswatch/alert/outgoing_request.hpp"
#include "newswatch/net/http_client.hpp"

namespace newswatch::alert {

/// The Courier for every target type: build_requests() makes a message's requests, the shared
/// HttpClient sends them one after another, classify() judges each answer. A Matrix room alias is
/// resolved once per target and remembered; console text goes to `print`.
class HttpCourier final : public Courier {
 public:
  /// Prints a console target's text.
  using Print = std::function<void(const std::string&)>;

  /// `client` and `clock` must outlive the courier.
  HttpCourier(net::HttpClient& client, Clock& clock, Print print = {});
  ~HttpCourier() override;
  HttpCourier(const HttpCourier&) = delete;
  HttpCourier& operator=(const HttpCourier&) = delete;
  HttpCourier(HttpCourier&&) = delete;
  HttpCourier& operator=(HttpCourier&&) = delete;

  void send(const config::Target& target, const Message& message, Done done) override;
  [[nodiscard]] Pace pace(const config::Target& target) const override;

 private:
  struct Transfer;
  void do_resolve_room(std::shared_ptr<Transfer> transfer);
  void on_resolve_room(std::shared_ptr<Transfer> transfer, const net::HttpResponse& response);
  void do_build(std::shared_ptr<Transfer> transfer);
  void do_request(std::shared_ptr<Transfer> transfer);
  void on_response(std::shared_ptr<Transfer> transfer, const net::HttpResponse& response);

  net::HttpClient& client_;
  Clock& clock_;
  Print print_;
  std::map<std::string, std::string, std::less<>> room_ids_;  ///< Matrix alias → room id, per target.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// The limits a delivery request runs under: no redirects (a webhook that moves is a
/// configuration error), a short total time, a small answer.
net::HttpRequest delivery_request(const OutgoingRequest& request);

}  // namespace newswatch::alert
