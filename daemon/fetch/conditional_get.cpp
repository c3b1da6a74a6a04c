#include "newswatch/fetch/conditional_get.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "newswatch/fetch/cache_headers.hpp"
#include "newswatch/net/http_headers.hpp"

namespace newswatch::fetch {
namespace {

bool is_permanent_redirect(const net::HttpHop& hop) {
  // RFC 9110 §15.4.2 (301) and §15.4.9 (308); 302, 303 and 307 leave the URL as it is.
  return hop.status == 301 || hop.status == 308;
}

std::string describe_status(long status) {
  const auto reason = net::reason_phrase(status);
  return reason.empty() ? fmt::format("HTTP {}", status) : fmt::format("HTTP {} {}", status, reason);
}

}  // namespace

net::HttpRequest build_conditional_get(const FetchRequest& request) {
  net::HttpRequest http;
  http.method = "GET";
  http.url = request.url;
  http.limits = request.limits;
  http.allow_file = request.allow_file;
  const bool has_accept = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& header) {
    return net::equals_ignore_case(header.first, "Accept");
  });
  if (!has_accept) {
    http.headers.emplace_back("Accept", feed_accept_header);
  }
  // Validators go back exactly as received (RFC 9110 §8.8.3 compares ETags byte for byte, and
  // §13.1.3 wants the Last-Modified value, not a date we rebuilt).
  if (!request.etag.empty()) {
    http.headers.emplace_back("If-None-Match", request.etag);
  }
  if (!request.last_modified.empty()) {
    http.headers.emplace_back("If-Modified-Since", request.last_modified);
  }
  for (const auto& [name, value] : request.headers) {
    http.headers.emplace_back(name, value.reveal());
  }
  return http;
}

FetchResult interpret_response(const FetchRequest& request, net::HttpResponse response, TimePoint now) {
  FetchResult result;
  result.status = response.status;
  result.final_url = response.effective_url.empty() ? request.url : response.effective_url;
  result.redirects = static_cast<int>(response.redirects.size());
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(response.timing.total);
  const CacheHints hints = read_cache_hints(response.headers, now);
  result.server_date = hints.server_date;

  if (!response.completed()) {
    result.outcome = FetchOutcome::transport_error;
    result.error = std::move(response.error_text);
    return result;
  }

  const long status = response.status;
  // A file:// URL completes without an HTTP status.
  const bool success = (status >= 200 && status < 300) || (status == 0 && request.allow_file);
  if (success || status == 304) {
    result.outcome = success ? FetchOutcome::ok : FetchOutcome::not_modified;
    result.etag = response.headers.find("ETag").value_or(success ? std::string() : request.etag);
    result.last_modified =
        response.headers.find("Last-Modified").value_or(success ? std::string() : request.last_modified);
    result.max_age = hints.max_age;
    result.expires = hints.expires;
    result.content_type = response.headers.find("Content-Type").value_or("");
    if (success) {
      result.body = std::move(response.body);
    }
    if (!response.redirects.empty() &&
        std::all_of(response.redirects.begin(), response.redirects.end(), is_permanent_redirect)) {
      result.permanent_redirect = result.final_url;
    }
    return result;
  }

  if (status == 410) {
    // RFC 9110 §15.5.11: gone on purpose and for good.
    result.outcome = FetchOutcome::gone;
    result.error = describe_status(status) + ": the server says the feed was removed for good";
    return result;
  }

  result.outcome = FetchOutcome::http_error;
  result.retry_after = hints.retry_after;
  result.error = describe_status(status);
  if (result.retry_after) {
    result.error += ", retry after " + format_rfc3339(*result.retry_after);
  }
  return result;
}

void fetch(net::HttpClient& client, const FetchRequest& request, std::function<void(FetchResult)> on_done) {
  client.request(build_conditional_get(request), [request, on_done = std::move(on_done)](net::HttpResponse response) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    on_done(interpret_response(request, std::move(response), now));
  });
}

}  // namespace newswatch::fetch
