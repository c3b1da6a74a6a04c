#include "newswatch/schedule/host_limiter.hpp"

#include <algorithm>

#include "newswatch/url/host.hpp"
#include "newswatch/url/url.hpp"

namespace newswatch::schedule {

std::string host_key(std::string_view feed_url) {
  const auto parsed = url::Url::parse(feed_url, url::Syntax::lenient);
  if (!parsed || !url::is_http_scheme(parsed->scheme())) {
    return {};
  }
  std::string key = url::host_name(*parsed);
  if (key.empty()) {
    return {};
  }
  // RFC 3986 §6.2.3: no port, an empty one and the scheme's default one all name the same server.
  const std::string_view port = parsed->port();
  if (!port.empty() && port != url::default_port(parsed->scheme())) {
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
  if (!free_host_slot(host)) {
    return {};
  }
  --active_total_;
  return admit();
}

std::vector<HostLimiter::Job> HostLimiter::release_host(const std::string& host) {
  if (!free_host_slot(host)) {
    return {};
  }
  ++kept_global_;
  return admit();
}

std::vector<HostLimiter::Job> HostLimiter::release_global() {
  if (kept_global_ == 0) {
    return {};
  }
  --kept_global_;
  --active_total_;
  return admit();
}

bool HostLimiter::free_host_slot(const std::string& host) {
  const auto found = hosts_.find(host);
  if (found == hosts_.end() || found->second.active == 0) {
    return false;
  }
  unlist(host, found->second);
  --found->second.active;
  list(host, found->second);
  if (found->second.active == 0 && found->second.queue.empty()) {
    hosts_.erase(found);  // Idle: it has no queue, so ready_ does not list it.
  }
  return true;
}

std::vector<HostLimiter::Job> HostLimiter::admit() {
  std::vector<Job> started;
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
