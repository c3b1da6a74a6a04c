#pragma once

#include <functional>

#include "newswatch/fetch/fetch_result.hpp"
#include "newswatch/model/time.hpp"
#include "newswatch/net/http_client.hpp"
#include "newswatch/net/http_request.hpp"
#include "newswatch/net/http_response.hpp"

namespace newswatch::fetch {

/// The Accept header sent for feeds: the feed types first, then anything.
inline constexpr const char* feed_accept_header =
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/// The HTTP request for a conditional GET (RFC 9110 §13.1): If-None-Match and If-Modified-Since
/// carry the stored validators byte for byte; the feed's own headers follow.
net::HttpRequest build_conditional_get(const FetchRequest& request);

/// Maps a finished transfer to a FetchResult; `now` is when it finished (for Retry-After).
FetchResult interpret_response(const FetchRequest& request, net::HttpResponse response, TimePoint now);

/// Fetches `request` with `client` and posts the result to `on_done` on the client's loop.
void fetch(net::HttpClient& client, const FetchRequest& request, std::function<void(FetchResult)> on_done);

}  // namespace newswatch::fetch
