#include "newswatch/dedup/story_index.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <limits>

#include "newswatch/dedup/stable_hash.hpp"

namespace newswatch::dedup {
namespace {

// Buckets per band: 16,384 keep a bucket near 60 postings (four cache lines) at a million entries.
constexpr std::uint32_t bucket_bits = 14;
constexpr std::uint32_t bucket_count = std::uint32_t{1} << bucket_bits;
// A posting is entry << 8 | tag: the tag is 8 more bits of the key, so one in 256 postings of a
// bucket that do not share the key reaches same_story().
constexpr std::uint32_t tag_bits = 8;
constexpr std::uint32_t tag_mask = (std::uint32_t{1} << tag_bits) - 1;
constexpr std::uint32_t dropped = std::numeric_limits<std::uint32_t>::max();
// A band a loaded entry waits for no posting in (an exact fingerprint's bands past the first);
// no bucket << tag_bits | tag reaches it.
constexpr std::uint32_t not_posted = std::numeric_limits<std::uint32_t>::max();
// How far borrow_room() looks for a bucket with free room before the band is rebuilt.
constexpr std::uint32_t max_borrow_distance = 64;
// Probe::kind_seen: the kind in the top two bits, seconds after the epoch below them. The epoch is
// 2^29 s (17 years) before the first time added, so earlier times fit as well as later ones.
constexpr std::uint32_t seen_bits = 30;
constexpr std::uint32_t seen_mask = (std::uint32_t{1} << seen_bits) - 1;
constexpr std::int64_t epoch_margin = std::int64_t{1} << 29U;

// MinHash values are minima, so their high bits are mostly zero: mixed again before they pick a
// bucket.
std::uint32_t band_key(std::uint32_t anchor) noexcept {
  return static_cast<std::uint32_t>(mix64(anchor) >> 32U);
}
std::uint32_t bucket_of(std::uint32_t key) noexcept {
  return key >> (32 - bucket_bits);
}
std::uint32_t tag_of(std::uint32_t key) noexcept {
  return (key >> (32 - bucket_bits - tag_bits)) & tag_mask;
}
// Room a bucket gets when its band is rebuilt, beyond what it holds.
std::uint32_t slack(std::uint32_t size) noexcept {
  return size / 32 + 1;
}
// Bands an entry of this kind is posted in: an exact fingerprint's values all come from one hash,
// so one band finds it as well as six would.
std::size_t bands_of(FingerprintKind kind) noexcept {
  return kind == FingerprintKind::exact ? 1 : anchor_count;
}
std::uint32_t seen_of(std::uint32_t kind_seen) noexcept {
  return kind_seen & seen_mask;
}

}  // namespace

StoryIndex::StoryIndex() {
  for (Band& band : bands_) {
    band.buckets.assign(bucket_count + 1, Bucket{0, 0});
  }
}

FingerprintKind StoryIndex::kind_of(const Probe& probe) noexcept {
  return static_cast<FingerprintKind>(probe.kind_seen >> seen_bits);
}

StoryFingerprint StoryIndex::stored(const Probe& probe) noexcept {
  StoryFingerprint fingerprint;
  fingerprint.kind = kind_of(probe);
  fingerprint.outlet = static_cast<std::uint16_t>(probe.outlet_title >> 16U);
  fingerprint.title = static_cast<std::uint16_t>(probe.outlet_title & 0xFFFFU);
  fingerprint.numbers = probe.numbers;
  fingerprint.shingles = {std::uint64_t{probe.shingles[1]} << 32U | probe.shingles[0],
                          std::uint64_t{probe.shingles[3]} << 32U | probe.shingles[2]};
  return fingerprint;
}

std::uint32_t StoryIndex::time_offset(TimePoint seen) {
  if (!epoch_) {
    epoch_ = seen - std::chrono::seconds{epoch_margin};
  }
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>((seen - *epoch_).count(), 0, seen_mask));
}

std::uint32_t StoryIndex::append_entry(const StoryFingerprint& fingerprint, std::uint64_t story_id, TimePoint seen) {
  if ((entries_ >> block_bits) == blocks_.size()) {
    blocks_.push_back(std::make_unique<Block>());
  }
  const auto entry = static_cast<std::uint32_t>(entries_++);
  probe(entry) = Probe{
      {static_cast<std::uint32_t>(fingerprint.shingles[0]), static_cast<std::uint32_t>(fingerprint.shingles[0] >> 32U),
       static_cast<std::uint32_t>(fingerprint.shingles[1]), static_cast<std::uint32_t>(fingerprint.shingles[1] >> 32U)},
      fingerprint.numbers,
      static_cast<std::uint32_t>(fingerprint.outlet) << 16U | fingerprint.title,
      static_cast<std::uint32_t>(fingerprint.kind) << seen_bits | time_offset(seen)};
  story(entry) = story_id;
  ++live_;
  return entry;
}

void StoryIndex::add(const StoryFingerprint& fingerprint, std::uint64_t story_id, TimePoint seen) {
  if (fingerprint.kind == FingerprintKind::none) {
    return;
  }
  if (entries_ > max_entries) {
    compact();
  }
  if (entries_ > max_entries) {
    forget_oldest(max_entries / 4);
  }
  const std::uint32_t entry = append_entry(fingerprint, story_id, seen);
  for (std::size_t band = 0; band < bands_of(fingerprint.kind); ++band) {
    insert_posting(bands_[band], band_key(fingerprint.anchors[band]), entry);
  }
}

StoryIndex::Loader::Loader(StoryIndex index, std::size_t min_batch)
    : index_(std::move(index)), min_batch_(std::max<std::size_t>(min_batch, 1)) {}

void StoryIndex::Loader::add(const StoryFingerprint& fingerprint, std::uint64_t story, TimePoint seen) {
  if (fingerprint.kind == FingerprintKind::none) {
    return;
  }
  if (index_.entries_ >= max_entries) {
    // At the cap, add() decides what to forget as it goes.
    join_waiting();
    index_.add(fingerprint, story, seen);
    return;
  }
  const std::uint32_t entry = index_.append_entry(fingerprint, story, seen);
  if (waiting_.empty()) {
    first_waiting_ = entry;
  }
  for (std::size_t band = 0; band < anchor_count; ++band) {
    const std::uint32_t key = band_key(fingerprint.anchors[band]);
    waiting_.push_back(band < bands_of(fingerprint.kind) ? bucket_of(key) << tag_bits | tag_of(key) : not_posted);
  }
  const std::size_t waiting = waiting_.size() / anchor_count;
  if (waiting >= std::max(min_batch_, (index_.entries_ - waiting) / 4)) {
    join_waiting();
  }
}

void StoryIndex::Loader::join_waiting() {
  const std::size_t waiting = waiting_.size() / anchor_count;
  std::vector<NewPosting> added;
  added.reserve(waiting);
  for (std::size_t band = 0; band < anchor_count; ++band) {
    added.clear();
    for (std::size_t i = 0; i < waiting; ++i) {
      const std::uint32_t key = waiting_[i * anchor_count + band];
      if (key != not_posted) {
        const auto entry = static_cast<std::uint32_t>(first_waiting_ + i);
        added.push_back(NewPosting{key >> tag_bits, entry << tag_bits | (key & tag_mask)});
      }
    }
    if (!added.empty()) {
      index_.rebuild(index_.bands_[band], {}, added);
    }
  }
  waiting_.clear();
}

StoryIndex StoryIndex::Loader::finish() && {
  join_waiting();
  return std::move(index_);
}

void StoryIndex::insert_posting(Band& band, std::uint32_t key, std::uint32_t entry) {
  const std::uint32_t bucket = bucket_of(key);
  const Bucket& span = band.buckets[bucket];
  if (span.start + span.size == band.buckets[bucket + 1].start && !borrow_room(band, bucket)) {
    rebuild(band, {});
  }
  Bucket& room = band.buckets[bucket];
  band.postings[room.start + room.size++] = entry << tag_bits | tag_of(key);
}

bool StoryIndex::borrow_room(Band& band, std::uint32_t bucket) {
  // The nearest bucket with a free slot hands it over: the postings in between move by one.
  std::vector<Bucket>& buckets = band.buckets;
  const auto has_room = [&buckets](std::uint32_t b) {
    return buckets[b].start + buckets[b].size < buckets[b + 1].start;
  };
  for (std::uint32_t distance = 1; distance <= max_borrow_distance; ++distance) {
    if (bucket + distance < bucket_count && has_room(bucket + distance)) {
      const std::uint32_t lender = bucket + distance;
      const std::uint32_t from = buckets[bucket + 1].start;
      const std::uint32_t to = buckets[lender].start + buckets[lender].size;
      std::memmove(band.postings.data() + from + 1, band.postings.data() + from, (to - from) * sizeof(std::uint32_t));
      for (std::uint32_t b = bucket + 1; b <= lender; ++b) {
        ++buckets[b].start;
      }
      return true;
    }
    if (distance <= bucket && has_room(bucket - distance)) {
      const std::uint32_t lender = bucket - distance;
      const std::uint32_t from = buckets[lender + 1].start;
      const std::uint32_t to = buckets[bucket].start + buckets[bucket].size;
      std::memmove(band.postings.data() + from - 1, band.postings.data() + from, (to - from) * sizeof(std::uint32_t));
      for (std::uint32_t b = lender + 1; b <= bucket; ++b) {
        --buckets[b].start;
      }
      return true;
    }
  }
  return false;
}

void StoryIndex::rebuild(Band& band, const std::vector<std::uint32_t>& renumbered, std::span<const NewPosting> added) {
  // Postings of dropped entries go; every bucket gets fresh room; order within a bucket stays (the
  // newest last, the added ones after all others).
  // With nothing dropped since the last compaction, no posting needs its entry looked at.
  const bool keep_all = renumbered.empty() && dead_ == 0;
  const auto new_entry = [&](std::uint32_t posting) {
    const std::uint32_t entry = posting >> tag_bits;
    if (!renumbered.empty()) {
      return renumbered[entry];
    }
    return keep_all || kind_of(probe(entry)) != FingerprintKind::none ? entry : dropped;
  };
  std::vector<std::uint32_t> added_to(added.empty() ? 0 : bucket_count, 0);
  for (const NewPosting& posting : added) {
    ++added_to[posting.bucket];
  }
  std::vector<Bucket> buckets(bucket_count + 1, Bucket{0, 0});
  for (std::uint32_t bucket = 0; bucket < bucket_count; ++bucket) {
    const Bucket& old = band.buckets[bucket];
    for (std::uint32_t i = old.start; i < old.start + old.size; ++i) {
      buckets[bucket].size += new_entry(band.postings[i]) != dropped ? 1 : 0;
    }
    const std::uint32_t size = buckets[bucket].size + (added.empty() ? 0 : added_to[bucket]);
    buckets[bucket + 1].start = buckets[bucket].start + size + slack(size);
  }
  std::vector<std::uint32_t> postings(buckets[bucket_count].start, 0);
  for (std::uint32_t bucket = 0; bucket < bucket_count; ++bucket) {
    const Bucket& old = band.buckets[bucket];
    std::uint32_t at = buckets[bucket].start;
    for (std::uint32_t i = old.start; i < old.start + old.size; ++i) {
      const std::uint32_t entry = new_entry(band.postings[i]);
      if (entry != dropped) {
        postings[at++] = entry << tag_bits | (band.postings[i] & tag_mask);
      }
    }
  }
  for (const NewPosting& posting : added) {
    Bucket& bucket = buckets[posting.bucket];
    postings[bucket.start + bucket.size++] = posting.value;
  }
  band.buckets = std::move(buckets);
  band.postings = std::move(postings);
}

void StoryIndex::compact() {
  std::vector<std::uint32_t> renumbered(entries_, dropped);
  std::uint32_t next = 0;
  for (std::size_t entry = 0; entry < entries_; ++entry) {
    if (kind_of(probe(entry)) == FingerprintKind::none) {
      continue;
    }
    probe(next) = probe(entry);
    story(next) = story(entry);
    renumbered[entry] = next++;
  }
  for (Band& band : bands_) {
    rebuild(band, renumbered);
  }
  entries_ = next;
  blocks_.resize((entries_ + block_size - 1) >> block_bits);
  dead_ = 0;
}

void StoryIndex::forget_oldest(std::size_t count) {
  for (std::size_t entry = 0; entry < entries_ && count > 0; ++entry) {
    Probe& dropping = probe(entry);
    if (kind_of(dropping) != FingerprintKind::none) {
      dropping.kind_seen = seen_of(dropping.kind_seen);
      --live_;
      --count;
    }
  }
  compact();
}

void StoryIndex::expire(TimePoint oldest_kept) {
  if (!epoch_ || live_ == 0) {
    return;
  }
  const std::int64_t offset = (oldest_kept - *epoch_).count();
  if (offset <= 0) {
    return;
  }
  for (std::size_t entry = 0; entry < entries_; ++entry) {
    Probe& candidate = probe(entry);
    if (kind_of(candidate) != FingerprintKind::none &&
        static_cast<std::int64_t>(seen_of(candidate.kind_seen)) < offset) {
      candidate.kind_seen = seen_of(candidate.kind_seen);
      --live_;
      ++dead_;
    }
  }
  // Dropped entries cost memory and lookups until they are compacted away; once they are as many as
  // the live ones, compacting costs no more than the adds that made them.
  if (dead_ > 0 && dead_ >= live_) {
    compact();
  }
}

std::optional<std::uint64_t> StoryIndex::find(const StoryFingerprint& fingerprint) const {
  if (fingerprint.kind == FingerprintKind::none || live_ == 0) {
    return std::nullopt;
  }
  // Three rounds, each of which asks for all the memory it needs before reading any, so that the
  // cache misses of the six bands overlap: bucket spans, postings, then candidates.
  const std::size_t bands = bands_of(fingerprint.kind);
  std::array<const Bucket*, anchor_count> spans{};
  std::array<std::uint32_t, anchor_count> tags{};
  for (std::size_t band = 0; band < bands; ++band) {
    const std::uint32_t key = band_key(fingerprint.anchors[band]);
    spans[band] = &bands_[band].buckets[bucket_of(key)];
    tags[band] = tag_of(key);
    __builtin_prefetch(spans[band]);
  }
  for (std::size_t band = 0; band < bands; ++band) {
    const Bucket& bucket = *spans[band];
    if (bucket.size > 0) {
      __builtin_prefetch(bands_[band].postings.data() + bucket.start + bucket.size - 1);
    }
  }
  // Candidates, each with the number of bands it turned up in (bands in which it shares the key).
  // `where` finds a candidate's place by its entry number (open addressing; place + 1, 0 empty): a
  // bucket crowded by a common word pair hands over max_candidates_per_band postings in every band,
  // too many to search the list for each.
  std::array<std::uint32_t, anchor_count * max_candidates_per_band> candidates{};
  std::array<std::uint8_t, anchor_count * max_candidates_per_band> hits{};
  static_assert(candidates.size() < 128, "`where` is kept at most half full");
  std::array<std::uint8_t, 256> where{};
  std::size_t count = 0;
  for (std::size_t band = 0; band < bands; ++band) {
    const Bucket& bucket = *spans[band];
    const std::uint32_t* postings = bands_[band].postings.data();
    std::size_t taken = 0;
    for (std::uint32_t i = bucket.start + bucket.size; i > bucket.start && taken < max_candidates_per_band; --i) {
      const std::uint32_t posting = postings[i - 1];
      if ((posting & tag_mask) != tags[band]) {
        continue;
      }
      ++taken;
      const std::uint32_t entry = posting >> tag_bits;
      std::uint32_t slot = (entry * 0x9E3779B1U) >> 24U;
      while (where[slot] != 0 && candidates[where[slot] - 1U] != entry) {
        slot = (slot + 1) & 0xFFU;
      }
      if (where[slot] != 0) {
        ++hits[where[slot] - 1U];
        continue;
      }
      __builtin_prefetch(&probe(entry));
      where[slot] = static_cast<std::uint8_t>(count + 1);
      candidates[count] = entry;
      hits[count++] = 1;
    }
  }
  std::uint32_t best = dropped;
  std::uint32_t best_seen = 0;
  double best_similarity = -1;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t entry = candidates[i];
    const Probe& candidate = probe(entry);
    if (kind_of(candidate) == FingerprintKind::none) {
      continue;
    }
    const std::optional<double> similarity = story_match(fingerprint, stored(candidate), hits[i]);
    if (!similarity) {
      continue;
    }
    const std::uint32_t seen = seen_of(candidate.kind_seen);
    if (best == dropped || *similarity > best_similarity ||
        (*similarity == best_similarity && (seen > best_seen || (seen == best_seen && entry > best)))) {
      best = entry;
      best_seen = seen;
      best_similarity = *similarity;
    }
  }
  if (best == dropped) {
    return std::nullopt;
  }
  return blocks_[best >> block_bits]->stories[best & (block_size - 1)];
}

std::size_t StoryIndex::memory_bytes() const noexcept {
  std::size_t total = blocks_.capacity() * sizeof(blocks_[0]) + blocks_.size() * sizeof(Block);
  for (const Band& band : bands_) {
    total += band.buckets.capacity() * sizeof(Bucket) + band.postings.capacity() * sizeof(std::uint32_t);
  }
  return total;
}

}  // namespace newswatch::dedup
