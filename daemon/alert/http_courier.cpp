#include "newswatch/alert/http_courier.hpp"

#include <fmt/format.h>

#include "newswatch/alert/matrix_room.hpp"
#include "newswatch/alert/request_builder.hpp"
#include "newswatch/alert/response_classifier.hpp"

namespace newswatch::alert {
namespace {

TimePoint whole_seconds(Instant instant) {
  return std::chrono::floor<std::chrono::seconds>(instant);
}

SendResult to_send_result(const DeliveryOutcome& outcome, const net::HttpResponse& response, TimePoint now) {
  SendResult result;
  switch (outcome.verdict) {
    case Verdict::delivered: result.kind = SendResult::Kind::delivered; break;
    case Verdict::retry: result.kind = SendResult::Kind::retry; break;
    case Verdict::permanent: result.kind = SendResult::Kind::permanent; break;
  }
  result.status = response.completed() ? response.status : 0;
  result.detail = outcome.error;
  result.answer = response.body;
  if (outcome.retry_after) {
    // Rounded up: the store keeps whole seconds, and nothing may go before the platform's time.
    result.not_before = now + std::chrono::ceil<std::chrono::seconds>(*outcome.retry_after);
  }
  result.pause = outcome.pause;
  return result;
}

}  // namespace

/// One message on its way: its target, its requests, how far it got.
struct HttpCourier::Transfer {
  config::Target target;  ///< A copy: a Matrix alias is swapped for its room id.
  Message message;
  std::vector<OutgoingRequest> requests;
  std::size_t next = 0;
  Done done;
};

net::HttpRequest delivery_request(const OutgoingRequest& request) {
  auto http = request.to_http_request();
  http.limits.total_timeout = std::chrono::seconds{20};
  http.limits.max_body_bytes = std::size_t{1} << 20U;
  http.limits.max_redirects = 0;
  return http;
}

HttpCourier::HttpCourier(net::HttpClient& client, Clock& clock, Print print)
    : client_(client), clock_(clock), print_(std::move(print)) {}

HttpCourier::~HttpCourier() {
  *alive_ = false;
}

Pace HttpCourier::pace(const config::Target& target) const {
  return default_pace(target);
}

void HttpCourier::send(const config::Target& target, const Message& message, Done done) {
  auto transfer = std::make_shared<Transfer>(Transfer{target, message, {}, 0, std::move(done)});
  if (target.type == config::TargetType::matrix && is_room_alias(target.room)) {
    if (const auto found = room_ids_.find(target.name); found != room_ids_.end()) {
      transfer->target.room = found->second;
    } else {
      do_resolve_room(std::move(transfer));
      return;
    }
  }
  do_build(std::move(transfer));
}

void HttpCourier::do_resolve_room(std::shared_ptr<Transfer> transfer) {
  client_.request(delivery_request(room_alias_request(transfer->target)),
                  [this, alive = std::weak_ptr<bool>(alive_), transfer](net::HttpResponse response) mutable {
                    if (alive.expired()) {
                      return;
                    }
                    on_resolve_room(std::move(transfer), response);
                  });
}

void HttpCourier::on_resolve_room(std::shared_ptr<Transfer> transfer, const net::HttpResponse& response) {
  const auto now = whole_seconds(clock_.now());
  if (!response.completed() || response.status >= 500 || response.status == 429) {
    // The homeserver is down or busy: the same as a failed send, retried later.
    transfer->done(to_send_result(classify(transfer->target.type, response, now), response, now));
    return;
  }
  auto room = parse_room_alias_response(response.status, response.body);
  if (!room) {
    transfer->done(SendResult{SendResult::Kind::permanent, response.status,
                              fmt::format("room alias {}: {}", transfer->target.room, room.error()), response.body,
                              std::nullopt, std::nullopt});
    return;
  }
  room_ids_[transfer->target.name] = *room;
  transfer->target.room = std::move(*room);
  do_build(std::move(transfer));
}

void HttpCourier::do_build(std::shared_ptr<Transfer> transfer) {
  auto requests = build_requests(transfer->target, transfer->message, whole_seconds(clock_.now()));
  if (!requests || requests->empty()) {
    // A message the target can never take as configured (a template that fails, a missing token).
    transfer->done(SendResult{SendResult::Kind::permanent,
                              0,
                              requests ? "nothing to send" : requests.error(),
                              {},
                              std::nullopt,
                              std::nullopt});
    return;
  }
  transfer->requests = std::move(*requests);
  if (transfer->requests.front().is_console()) {
    if (print_) {
      for (const auto& request : transfer->requests) {
        print_(request.body);
      }
    }
    transfer->done(SendResult{});
    return;
  }
  do_request(std::move(transfer));
}

void HttpCourier::do_request(std::shared_ptr<Transfer> transfer) {
  auto request = delivery_request(transfer->requests[transfer->next]);
  client_.request(std::move(request),
                  [this, alive = std::weak_ptr<bool>(alive_), transfer](net::HttpResponse response) mutable {
                    if (alive.expired()) {
                      return;
                    }
                    on_response(std::move(transfer), response);
                  });
}

void HttpCourier::on_response(std::shared_ptr<Transfer> transfer, const net::HttpResponse& response) {
  const auto now = whole_seconds(clock_.now());
  auto result = to_send_result(classify(transfer->target.type, response, now), response, now);
  ++transfer->next;
  // A digest split over several requests is delivered when the last one is; a failure part way
  // sends the whole message again (the id keeps it one message to idempotent receivers).
  if (result.kind != SendResult::Kind::delivered || transfer->next == transfer->requests.size()) {
    transfer->done(std::move(result));
    return;
  }
  do_request(std::move(transfer));
}

}  // namespace newswatch::alert
