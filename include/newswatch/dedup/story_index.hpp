#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::dedup {

/// Story index: fingerprints of recent items (window given by caller), each tagged with a 64-bit
/// story id and a time. Lookups are LSH over the fingerprints' MinHash values (one value per band):
/// each band is a table of 2^14 buckets keyed by 14 bits of the value, whose postings carry 8 more
/// bits of it and the entry's number; candidates that share a value in any band are checked with
/// same_story(). Buckets are stored back to back with some free room after each (a gapped array),
/// so adding shifts at most a few postings. About 61 bytes per entry; not thread-safe.
class StoryIndex {
 public:
  /// Most entries held; past this, add() forgets the oldest quarter.
  static constexpr std::size_t max_entries = (std::size_t{1} << 24U) - 1;
  /// Candidates checked per band and lookup, newest first: a word pair shared by very many
  /// items (a hot bucket) costs no more than this.
  static constexpr std::size_t max_candidates_per_band = 32;

  StoryIndex();

  /// Records that an item with this fingerprint belongs to `story`, seen at `seen`; fingerprints of
  /// kind none are not recorded.
  void add(const StoryFingerprint& fingerprint, std::uint64_t story, TimePoint seen);
  /// The story of a near-duplicate, if any (best = closest, then newest).
  [[nodiscard]] std::optional<std::uint64_t> find(const StoryFingerprint& fingerprint) const;
  /// Drops entries seen before `oldest_kept`.
  void expire(TimePoint oldest_kept);
  /// Entries held.
  [[nodiscard]] std::size_t size() const noexcept { return live_; }
  /// Bytes allocated for the entries and the bands.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

 private:
  // One band: postings grouped by bucket; bucket b holds sizes_[b] postings from starts_[b], and
  // may grow to starts_[b + 1].
  struct Band {
    std::vector<std::uint32_t> starts;
    std::vector<std::uint32_t> sizes;
    std::vector<std::uint32_t> postings;
  };

  void insert_posting(Band& band, std::uint32_t key, std::uint32_t entry);
  bool borrow_room(Band& band, std::uint32_t bucket);
  void rebuild(Band& band, const std::vector<std::uint32_t>& renumbered);
  void compact();
  void forget_oldest(std::size_t count);
  [[nodiscard]] std::uint32_t time_offset(TimePoint seen);
  [[nodiscard]] StoryFingerprint stored(std::uint32_t entry) const;

  // Entries, one element each, in the order added.
  std::vector<std::uint64_t> stories_;
  std::vector<std::uint32_t> seen_;  ///< Seconds after epoch_.
  std::vector<std::array<std::uint64_t, 2>> shingles_;
  std::vector<std::uint32_t> numbers_;
  std::vector<std::uint32_t> outlet_titles_;  ///< outlet << 16 | title.
  std::vector<FingerprintKind> kinds_;        ///< none once dropped.
  std::array<Band, anchor_count> bands_;
  std::optional<TimePoint> epoch_;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;
};

}  // namespace newswatch::dedup
