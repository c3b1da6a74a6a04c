#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "newswatch/app/command.hpp"
#include "newswatch/app/exit_code.hpp"
#include "newswatch/config/units.hpp"
#include "newswatch/fetch/conditional_get.hpp"
#include "newswatch/net/http_client.hpp"
#include "newswatch/net/http_headers.hpp"
#include "newswatch/parse/parse_feed.hpp"

namespace newswatch::app {
namespace {

/// What `newswatch fetch` was asked for on its command line.
struct FetchOptions {
  std::string url;
  std::vector<std::string> headers;  ///< "Name: value".
  std::string timeout = "30s";
  std::string max_size = "16MiB";
  std::string user_agent;
  std::string etag;
  std::string last_modified;
};

/// The response headers that say how to poll again, in the order they are shown.
constexpr const char* cache_header_names[] = {"ETag",         "Last-Modified",    "Cache-Control",
                                              "Expires",      "Retry-After",      "Date",
                                              "Content-Type", "Content-Encoding", "Content-Length"};

std::string milliseconds_text(std::chrono::microseconds duration) {
  return fmt::format("{:.1f} ms", static_cast<double>(duration.count()) / 1000.0);
}

/// "Name: value" -> {"Name", "value"}; nullopt when there is no name before a colon.
std::optional<std::pair<std::string, std::string>> split_header(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  const auto name = net::trim_http_whitespace(std::string_view(text).substr(0, colon));
  if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
    return std::nullopt;
  }
  return std::make_pair(std::string(name),
                        std::string(net::trim_http_whitespace(std::string_view(text).substr(colon + 1))));
}

void print_cache_headers(const net::HttpHeaders& headers, std::ostream& out) {
  for (const char* name : cache_header_names) {
    if (const auto value = headers.find_combined(name)) {
      out << fmt::format("  {}: {}\n", name, *value);
    }
  }
}

/// Status line, every redirect hop, the cache headers, timing and sizes.
void print_transfer(const net::HttpResponse& response, std::ostream& out) {
  out << fmt::format("GET {}\n", response.url);
  for (const auto& hop : response.redirects) {
    out << fmt::format("< {} {}  Location: {}\n", hop.status, net::reason_phrase(hop.status),
                       hop.location.empty() ? "(none)" : hop.location);
    if (!hop.target.empty()) {
      out << fmt::format("  -> {}\n", hop.target);
    }
  }
  if (response.status != 0) {
    out << fmt::format("< {} {}  {}  from {}\n", response.status, net::reason_phrase(response.status),
                       response.http_version, response.remote_address.empty() ? "-" : response.remote_address);
    print_cache_headers(response.headers, out);
  }
  if (!response.effective_url.empty() && response.effective_url != response.url) {
    out << fmt::format("final URL: {}\n", response.effective_url);
  }
  const auto& timing = response.timing;
  out << fmt::format(
      "timing: dns {}, connect {}, tls {}, first byte {}, redirects {}, total {}\n",
      milliseconds_text(timing.name_lookup), milliseconds_text(timing.connect),
      timing.tls_handshake_done.count() == 0 ? std::string("-") : milliseconds_text(timing.tls_handshake_done),
      milliseconds_text(timing.first_byte), milliseconds_text(timing.redirects), milliseconds_text(timing.total));
  out << fmt::format("size: {} bytes on the wire, {} bytes decoded\n", response.bytes_received, response.body.size());
}

std::string_view outcome_name(fetch::FetchOutcome outcome) {
  switch (outcome) {
    case fetch::FetchOutcome::ok: return "ok";
    case fetch::FetchOutcome::not_modified: return "not modified";
    case fetch::FetchOutcome::gone: return "gone";
    case fetch::FetchOutcome::http_error: return "HTTP error";
    case fetch::FetchOutcome::transport_error: return "transport error";
  }
  return "unknown";
}

void print_result(const fetch::FetchResult& result, std::ostream& out) {
  if (result.permanent_redirect) {
    out << fmt::format("moved permanently: a poll would store the new URL {}\n", *result.permanent_redirect);
  } else if (result.redirects > 0) {
    out << "redirects were not all permanent (301/308): the stored URL would stay\n";
  }
  if (result.max_age) {
    out << fmt::format("cache: fresh for {}\n", config::format_duration(*result.max_age));
  } else if (result.expires) {
    out << fmt::format("cache: expires {}\n", format_rfc3339(*result.expires));
  }
  if (result.retry_after) {
    out << fmt::format("retry after: {}\n", format_rfc3339(*result.retry_after));
  }
  out << fmt::format("result: {}{}\n", outcome_name(result.outcome), result.error.empty() ? "" : ": " + result.error);
}

/// How many item titles the summary lists.
constexpr std::size_t summary_titles = 5;

/// Parses the body as the pipeline would and prints format, title, item count and first titles;
/// false when the body is not a feed.
bool print_feed_summary(const fetch::FetchResult& result, std::ostream& out) {
  const auto parsed = parse::parse_feed(result.body, parse::ParseHints{result.content_type, result.final_url});
  if (!parsed) {
    out << fmt::format("feed: not a feed: {}\n", parsed.error().message);
    return false;
  }
  out << fmt::format("feed: {} \"{}\", {} item{}\n", parse::format_name(parsed->format), parsed->title,
                     parsed->items.size(), parsed->items.size() == 1 ? "" : "s");
  for (std::size_t index = 0; index < parsed->items.size() && index < summary_titles; ++index) {
    out << fmt::format("  - {}\n", parsed->items[index].title);
  }
  if (parsed->items.size() > summary_titles) {
    out << fmt::format("  ... and {} more\n", parsed->items.size() - summary_titles);
  }
  for (const auto& warning : parsed->warnings) {
    out << fmt::format("  warning: {}\n", warning);
  }
  return true;
}

int run_fetch(const FetchOptions& options) {
  fetch::FetchRequest request;
  request.url = options.url;
  request.allow_file = options.url.starts_with("file://");  // Asked for explicitly on the command line.
  request.etag = options.etag;
  request.last_modified = options.last_modified;
  for (const auto& text : options.headers) {
    const auto header = split_header(text);
    if (!header) {
      std::cerr << fmt::format("newswatch fetch: bad --header \"{}\": expected \"Name: value\"\n", text);
      return exit_bad_input;
    }
    request.headers.emplace_back(header->first, Secret(header->second, "--header"));
  }
  const auto timeout = config::parse_duration(options.timeout);
  if (!timeout) {
    std::cerr << fmt::format("newswatch fetch: bad --timeout \"{}\": expected a duration like 10s or 2m\n",
                             options.timeout);
    return exit_bad_input;
  }
  const auto max_size = config::parse_size(options.max_size);
  if (!max_size) {
    std::cerr << fmt::format("newswatch fetch: bad --max-size \"{}\": expected a size like 16MiB\n", options.max_size);
    return exit_bad_input;
  }
  request.limits.total_timeout = *timeout;
  request.limits.connect_timeout = std::min<std::chrono::milliseconds>(*timeout, request.limits.connect_timeout);
  request.limits.max_body_bytes = static_cast<std::size_t>(*max_size);

  boost::asio::io_context io;
  net::HttpClientOptions client_options;
  client_options.user_agent = options.user_agent;
  net::HttpClient client(io, client_options);
  std::optional<net::HttpResponse> response;
  client.request(fetch::build_conditional_get(request),
                 [&response](net::HttpResponse done) { response = std::move(done); });
  io.run();
  if (!response) {
    std::cerr << "newswatch fetch: the transfer ended without a result\n";
    return exit_runtime_failure;
  }

  print_transfer(*response, std::cout);
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto result = fetch::interpret_response(request, *response, now);
  print_result(result, std::cout);
  if (result.outcome != fetch::FetchOutcome::ok && result.outcome != fetch::FetchOutcome::not_modified) {
    std::cerr << fmt::format("newswatch fetch: {}: {}\n", options.url, result.error);
    return exit_runtime_failure;
  }
  if (result.outcome == fetch::FetchOutcome::ok && !print_feed_summary(result, std::cout)) {
    std::cerr << fmt::format("newswatch fetch: {}: the body is not a feed\n", options.url);
    return exit_bad_input;
  }
  return exit_ok;
}

}  // namespace

void register_fetch_command(CLI::App& root, const GlobalOptions& /*globals*/, int& exit_code) {
  auto* command = root.add_subcommand(
      "fetch",
      "Fetch one feed URL verbosely: status, every redirect, cache headers, timing, sizes, and the parsed\n"
      "feed's summary. Uses the same limits and headers as polling; reads no config.\n"
      "Exit 0 when fetched, 1 on bad options or a body that is not a feed, 2 when the fetch failed.");
  auto options = std::make_shared<FetchOptions>();
  command->add_option("url", options->url, "http://, https:// or file:// URL")->required();
  command->add_option("-H,--header", options->headers, "Extra request header \"Name: value\" (repeatable)");
  command->add_option("--timeout", options->timeout, "Total timeout, e.g. 10s (default 30s)");
  command->add_option("--max-size", options->max_size, "Body cap after decompression (default 16MiB)");
  command->add_option("--user-agent", options->user_agent, "User-Agent (default newswatch/VERSION (+URL))");
  command->add_option("--etag", options->etag, "Send If-None-Match with this stored ETag");
  command->add_option("--last-modified", options->last_modified, "Send If-Modified-Since with this value");
  command->callback([options, &exit_code] { exit_code = run_fetch(*options); });
}

}  // namespace newswatch::app
