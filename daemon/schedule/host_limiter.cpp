#include "newswatch/schedule/host_limiter.hpp"

#include <algorithm>
#include <cctype>

namespace newswatch::schedule {
namespace {

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

}  // namespace

std::string host_key(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return {};
  }
  const std::string scheme = lowercase(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return {};
  }
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // RFC 3986 §3.2.1: userinfo ends at the last '@' of the authority.
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  const auto bracket = authority.find(']');  // IPv6 literal, RFC 3986 §3.2.2.
  const auto colon = authority.find(':', bracket == std::string_view::npos ? 0 : bracket);
  if (colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  std::string key = lowercase(host);
  const bool default_port = port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (!default_port) {
    key += ':';
    key += port;
  }
  return key;
}

HostLimiter::HostLimiter(std::size_t global_limit, std::size_t per_host_limit)
    : global_limit_(std::max<std::size_t>(global_limit, 1)),
      per_host_limit_(std::max<std::size_t>(per_host_limit, 1)) {}

bool HostLimiter::try_acquire(Job job, const std::string& host) {
  auto& slots = hosts_[host];
  // Invariant between calls: while a global slot is free no host with room has waiting jobs, so a
  // free global slot and room on this host mean nobody older is waiting for it.
  if (active_total_ < global_limit_ && slots.active < per_host_limit_) {
    ++slots.active;
    ++active_total_;
    return true;
  }
  unlist(host, slots);
  slots.queue.push_back(Waiting{next_sequence_++, job});
  ++waiting_total_;
  list(host, slots);
  return false;
}

std::vector<HostLimiter::Job> HostLimiter::release(const std::string& host) {
  std::vector<Job> started;
  const auto found = hosts_.find(host);
  if (found == hosts_.end() || found->second.active == 0) {
    return started;
  }
  unlist(host, found->second);
  --found->second.active;
  --active_total_;
  list(host, found->second);

  while (active_total_ < global_limit_ && !ready_.empty()) {
    const std::string next_host = ready_.begin()->second;
    ready_.erase(ready_.begin());
    auto& slots = hosts_[next_host];
    started.push_back(slots.queue.front().job);
    slots.queue.pop_front();
    --waiting_total_;
    ++slots.active;
    ++active_total_;
    list(next_host, slots);
  }
  if (const auto idle = hosts_.find(host);
      idle != hosts_.end() && idle->second.active == 0 && idle->second.queue.empty()) {
    hosts_.erase(idle);
  }
  return started;
}

std::size_t HostLimiter::active_on(const std::string& host) const {
  const auto found = hosts_.find(host);
  return found == hosts_.end() ? 0 : found->second.active;
}

void HostLimiter::unlist(const std::string& host, const HostSlots& slots) {
  if (!slots.queue.empty()) {
    ready_.erase({slots.queue.front().sequence, host});
  }
}

void HostLimiter::list(const std::string& host, const HostSlots& slots) {
  if (!slots.queue.empty() && slots.active < per_host_limit_) {
    ready_.emplace(slots.queue.front().sequence, host);
  }
}

}  // namespace newswatch::schedule
