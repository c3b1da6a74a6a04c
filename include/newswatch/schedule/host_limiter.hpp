#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace newswatch::schedule {

/// The politeness key of a URL: its host as url::host_name() gives it (lower case, IDNA A-labels,
/// no trailing dot) plus a non-default port ("example.org", "example.org:8080"); "" for file://
/// and for what does not parse as a URL.
std::string host_key(std::string_view url);

/// Admission control for fetches: at most `global_limit` at once and at most `per_host_limit` per
/// host. Jobs that cannot start wait in one FIFO; a freed slot goes to the oldest waiting job whose
/// host has room, so a busy host never blocks the others and no job waits forever. Pure data
/// structure: it starts nothing itself, it says which jobs may start.
class HostLimiter {
 public:
  /// A caller-chosen job id (e.g. an index into the feed list).
  using Job = std::size_t;

  /// Limits below 1 are raised to 1.
  HostLimiter(std::size_t global_limit, std::size_t per_host_limit);

  /// True when `job` may start now (a slot is taken); false when it was queued.
  bool try_acquire(Job job, const std::string& host);
  /// Frees the slot of a finished job on `host`; returns the waiting jobs that may start now (their
  /// slots are already taken), oldest first.
  std::vector<Job> release(const std::string& host);
  /// Frees a job's slot on `host` but keeps its global one, for a job done with the host that still
  /// holds what the global limit bounds (a body waiting to be parsed); returns as release() does.
  std::vector<Job> release_host(const std::string& host);
  /// Frees one global slot kept by release_host(); returns as release() does.
  std::vector<Job> release_global();

  /// Jobs holding a global slot now, those kept by release_host() included.
  [[nodiscard]] std::size_t active() const noexcept { return active_total_; }
  /// Jobs waiting for a slot.
  [[nodiscard]] std::size_t waiting() const noexcept { return waiting_total_; }
  /// Jobs running now on `host`.
  [[nodiscard]] std::size_t active_on(const std::string& host) const;

 private:
  struct Waiting {
    std::uint64_t sequence;
    Job job;
  };
  struct HostSlots {
    std::size_t active = 0;
    std::deque<Waiting> queue;
  };

  /// `ready_` lists a host's oldest waiting job iff the host has room: unlist before changing the
  /// host's slots, list after.
  void unlist(const std::string& host, const HostSlots& slots);
  void list(const std::string& host, const HostSlots& slots);
  /// Frees one slot on `host`, forgetting the host once it is idle; false when it holds none (a
  /// release without an acquire).
  bool free_host_slot(const std::string& host);
  /// Starts waiting jobs while global slots are free, oldest first.
  std::vector<Job> admit();

  std::size_t global_limit_;
  std::size_t per_host_limit_;
  std::size_t active_total_ = 0;
  std::size_t kept_global_ = 0;  ///< Global slots of jobs that gave their host slot back.
  std::size_t waiting_total_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::map<std::string, HostSlots, std::less<>> hosts_;
  /// (sequence of the host's oldest waiting job, host) for every host with room and a queue.
  std::set<std::pair<std::uint64_t, std::string>> ready_;
};

}  // namespace newswatch::schedule
