#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "newswatch/dedup/story_fingerprint.hpp"
#include "newswatch/model/time.hpp"

namespace newswatch::dedup {

/// Story index: fingerprints of recent items (window given by caller), each tagged with a 64-bit
/// story id and a time. Lookups are LSH over the fingerprints' MinHash values (one value per band):
/// each band is a table of 2^14 buckets keyed by 14 bits of the value, whose postings carry 8 more
/// bits of it and the entry's number; candidates that share a value in any band are checked with
/// same_story(). Buckets are stored back to back with some free room after each (a gapped array),
/// so adding shifts at most a few postings. About 62 bytes per entry; not thread-safe.
class StoryIndex {
 public:
  /// Most entries held; past this, add() forgets the oldest quarter.
  static constexpr std::size_t max_entries = (std::size_t{1} << 24U) - 1;
  /// Candidates checked per band and lookup, newest first: a word pair shared by very many
  /// items (a hot bucket) costs no more than this.
  static constexpr std::size_t max_candidates_per_band = 16;

  /// One item's fingerprint, story and time, as add() takes them.
  struct Entry {
    StoryFingerprint fingerprint;
    std::uint64_t story = 0;
    TimePoint seen;
  };

  /// Fills an index with many stored fingerprints; see below.
  class Loader;

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
  // What a lookup reads of a candidate, 28 bytes: the word-pair bits, numbers, outlet << 16 |
  // title, and kind << 30 | seconds after epoch_ (kind none once dropped).
  struct Probe {
    std::array<std::uint32_t, 4> shingles;
    std::uint32_t numbers;
    std::uint32_t outlet_title;
    std::uint32_t kind_seen;
  };
  // Entries live in blocks of block_size, so that memory grows by one block at a time.
  static constexpr std::size_t block_bits = 12;
  static constexpr std::size_t block_size = std::size_t{1} << block_bits;
  struct Block {
    std::array<Probe, block_size> probes;
    std::array<std::uint64_t, block_size> stories;
  };
  // Where bucket b's postings start and how many there are; it may grow up to the next one's start.
  struct Bucket {
    std::uint32_t start;
    std::uint32_t size;
  };
  // One band: bucket_count buckets and a sentinel whose start is the end of the postings.
  struct Band {
    std::vector<Bucket> buckets;
    std::vector<std::uint32_t> postings;
  };

  // A posting waiting to join its band: its bucket and its value (entry << tag_bits | tag).
  struct NewPosting {
    std::uint32_t bucket;
    std::uint32_t value;
  };

  [[nodiscard]] std::uint32_t append_entry(const StoryFingerprint& fingerprint, std::uint64_t story, TimePoint seen);
  void insert_posting(Band& band, std::uint32_t key, std::uint32_t entry);
  static bool borrow_room(Band& band, std::uint32_t bucket);
  // Lays the band out afresh: its postings (renumbered, dropped ones left out), then `added` after
  // those of their buckets, each bucket with room to grow.
  void rebuild(Band& band, const std::vector<std::uint32_t>& renumbered, std::span<const NewPosting> added = {});
  void compact();
  void forget_oldest(std::size_t count);
  [[nodiscard]] std::uint32_t time_offset(TimePoint seen);
  [[nodiscard]] Probe& probe(std::size_t entry) noexcept {
    return blocks_[entry >> block_bits]->probes[entry & (block_size - 1)];
  }
  [[nodiscard]] const Probe& probe(std::size_t entry) const noexcept {
    return blocks_[entry >> block_bits]->probes[entry & (block_size - 1)];
  }
  [[nodiscard]] std::uint64_t& story(std::size_t entry) noexcept {
    return blocks_[entry >> block_bits]->stories[entry & (block_size - 1)];
  }
  [[nodiscard]] static FingerprintKind kind_of(const Probe& probe) noexcept;
  [[nodiscard]] static StoryFingerprint stored(const Probe& probe) noexcept;

  std::vector<std::unique_ptr<Block>> blocks_;
  std::size_t entries_ = 0;  ///< Entries in blocks_, dropped ones included, in the order added.
  std::array<Band, anchor_count> bands_;
  std::optional<TimePoint> epoch_;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;
};

/// Fills an index with many stored fingerprints, as add() would one by one, but faster: each
/// entry takes its place at once, while its postings wait and join their bands in batches, each
/// band rebuilt once per batch instead of making room posting by posting. A batch is a quarter of
/// the entries already joined (at least `min_batch`), so loading n entries rebuilds about 5n
/// postings per band, and holds beside the index at most 24 bytes per waiting entry.
class StoryIndex::Loader {
 public:
  static constexpr std::size_t default_min_batch = std::size_t{1} << 14U;

  explicit Loader(StoryIndex index = {}, std::size_t min_batch = default_min_batch);
  /// As StoryIndex::add().
  void add(const StoryFingerprint& fingerprint, std::uint64_t story, TimePoint seen);
  /// The index with every entry added.
  [[nodiscard]] StoryIndex finish() &&;

 private:
  void join_waiting();

  StoryIndex index_;
  std::size_t min_batch_;
  std::uint32_t first_waiting_ = 0;  ///< The entry number of the first waiting entry.
  /// anchor_count keys per waiting entry, in entry order: bucket << 8 | tag, or a mark for a band
  /// the entry is not posted in.
  std::vector<std::uint32_t> waiting_;
};

}  // namespace newswatch::dedup
