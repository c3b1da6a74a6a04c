#include "newswatch/dedup/story_index.hpp"

#include <algorithm>
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
// How far borrow_room() looks for a bucket with free room before rebuilding the band.
constexpr std::uint32_t max_borrow_distance = 64;
// Seconds from epoch_ to the first time added: times up to 68 years earlier still fit.
constexpr std::int64_t epoch_margin = std::int64_t{1} << 31;

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
// Room each bucket gets when a band is rebuilt, beyond what it holds.
std::uint32_t slack(std::uint32_t size) noexcept {
  return size / 16 + 1;
}
// Bands an entry of this kind is posted in: an exact fingerprint's values all come from one hash,
// so one band finds it as well as six would.
std::size_t bands_of(FingerprintKind kind) noexcept {
  return kind == FingerprintKind::exact ? 1 : anchor_count;
}

}  // namespace

StoryIndex::StoryIndex() {
  for (Band& band : bands_) {
    band.starts.assign(bucket_count + 1, 0);
    band.sizes.assign(bucket_count, 0);
  }
}

std::uint32_t StoryIndex::time_offset(TimePoint seen) {
  if (!epoch_) {
    epoch_ = seen - std::chrono::seconds{epoch_margin};
  }
  const std::int64_t offset = (seen - *epoch_).count();
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(offset, 0, std::numeric_limits<std::uint32_t>::max()));
}

void StoryIndex::add(const StoryFingerprint& fingerprint, std::uint64_t story, TimePoint seen) {
  if (fingerprint.kind == FingerprintKind::none) {
    return;
  }
  if (stories_.size() > max_entries) {
    compact();
  }
  if (stories_.size() > max_entries) {
    forget_oldest(max_entries / 4);
  }
  const auto entry = static_cast<std::uint32_t>(stories_.size());
  stories_.push_back(story);
  seen_.push_back(time_offset(seen));
  shingles_.push_back(fingerprint.shingles);
  numbers_.push_back(fingerprint.numbers);
  outlet_titles_.push_back(static_cast<std::uint32_t>(fingerprint.outlet) << 16U | fingerprint.title);
  kinds_.push_back(fingerprint.kind);
  ++live_;
  for (std::size_t band = 0; band < bands_of(fingerprint.kind); ++band) {
    insert_posting(bands_[band], band_key(fingerprint.anchors[band]), entry);
  }
}

void StoryIndex::insert_posting(Band& band, std::uint32_t key, std::uint32_t entry) {
  const std::uint32_t bucket = bucket_of(key);
  if (band.starts[bucket] + band.sizes[bucket] == band.starts[bucket + 1] && !borrow_room(band, bucket)) {
    rebuild(band, {});
  }
  band.postings[band.starts[bucket] + band.sizes[bucket]++] = entry << tag_bits | tag_of(key);
}

bool StoryIndex::borrow_room(Band& band, std::uint32_t bucket) {
  // The nearest bucket with a free slot hands it over: the postings in between move by one.
  for (std::uint32_t distance = 1; distance <= max_borrow_distance; ++distance) {
    if (bucket + distance < bucket_count) {
      const std::uint32_t lender = bucket + distance;
      const std::uint32_t lender_end = band.starts[lender] + band.sizes[lender];
      if (lender_end < band.starts[lender + 1]) {
        const std::uint32_t from = band.starts[bucket + 1];
        std::memmove(band.postings.data() + from + 1, band.postings.data() + from,
                     (lender_end - from) * sizeof(std::uint32_t));
        for (std::uint32_t b = bucket + 1; b <= lender; ++b) {
          ++band.starts[b];
        }
        return true;
      }
    }
    if (distance <= bucket) {
      const std::uint32_t lender = bucket - distance;
      const std::uint32_t lender_end = band.starts[lender] + band.sizes[lender];
      if (lender_end < band.starts[lender + 1]) {
        const std::uint32_t from = band.starts[lender + 1];
        const std::uint32_t to = band.starts[bucket] + band.sizes[bucket];
        std::memmove(band.postings.data() + from - 1, band.postings.data() + from, (to - from) * sizeof(std::uint32_t));
        for (std::uint32_t b = lender + 1; b <= bucket; ++b) {
          --band.starts[b];
        }
        return true;
      }
    }
  }
  return false;
}

void StoryIndex::rebuild(Band& band, const std::vector<std::uint32_t>& renumbered) {
  // Postings of dropped entries go; every bucket gets fresh room; order within a bucket stays (the
  // newest last).
  const auto new_entry = [&](std::uint32_t posting) {
    const std::uint32_t entry = posting >> tag_bits;
    return renumbered.empty() ? (kinds_[entry] == FingerprintKind::none ? dropped : entry) : renumbered[entry];
  };
  std::vector<std::uint32_t> starts(bucket_count + 1, 0);
  std::vector<std::uint32_t> sizes(bucket_count, 0);
  for (std::uint32_t bucket = 0; bucket < bucket_count; ++bucket) {
    for (std::uint32_t i = band.starts[bucket]; i < band.starts[bucket] + band.sizes[bucket]; ++i) {
      sizes[bucket] += new_entry(band.postings[i]) != dropped ? 1 : 0;
    }
    starts[bucket + 1] = starts[bucket] + sizes[bucket] + slack(sizes[bucket]);
  }
  std::vector<std::uint32_t> postings(starts[bucket_count], 0);
  for (std::uint32_t bucket = 0; bucket < bucket_count; ++bucket) {
    std::uint32_t at = starts[bucket];
    for (std::uint32_t i = band.starts[bucket]; i < band.starts[bucket] + band.sizes[bucket]; ++i) {
      const std::uint32_t entry = new_entry(band.postings[i]);
      if (entry != dropped) {
        postings[at++] = entry << tag_bits | (band.postings[i] & tag_mask);
      }
    }
  }
  band.starts = std::move(starts);
  band.sizes = std::move(sizes);
  band.postings = std::move(postings);
}

void StoryIndex::compact() {
  std::vector<std::uint32_t> renumbered(stories_.size(), dropped);
  std::uint32_t next = 0;
  for (std::size_t entry = 0; entry < stories_.size(); ++entry) {
    if (kinds_[entry] == FingerprintKind::none) {
      continue;
    }
    stories_[next] = stories_[entry];
    seen_[next] = seen_[entry];
    shingles_[next] = shingles_[entry];
    numbers_[next] = numbers_[entry];
    outlet_titles_[next] = outlet_titles_[entry];
    kinds_[next] = kinds_[entry];
    renumbered[entry] = next++;
  }
  for (Band& band : bands_) {
    rebuild(band, renumbered);
  }
  const auto shrink = [next](auto& entries) {
    entries.resize(next);
    if (entries.capacity() > 2 * entries.size()) {
      entries.shrink_to_fit();
    }
  };
  shrink(stories_);
  shrink(seen_);
  shrink(shingles_);
  shrink(numbers_);
  shrink(outlet_titles_);
  shrink(kinds_);
  dead_ = 0;
}

void StoryIndex::forget_oldest(std::size_t count) {
  for (std::size_t entry = 0; entry < kinds_.size() && count > 0; ++entry) {
    if (kinds_[entry] != FingerprintKind::none) {
      kinds_[entry] = FingerprintKind::none;
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
  for (std::size_t entry = 0; entry < kinds_.size(); ++entry) {
    if (kinds_[entry] != FingerprintKind::none && static_cast<std::int64_t>(seen_[entry]) < offset) {
      kinds_[entry] = FingerprintKind::none;
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

StoryFingerprint StoryIndex::stored(std::uint32_t entry) const {
  StoryFingerprint fingerprint;
  fingerprint.kind = kinds_[entry];
  fingerprint.outlet = static_cast<std::uint16_t>(outlet_titles_[entry] >> 16U);
  fingerprint.title = static_cast<std::uint16_t>(outlet_titles_[entry] & 0xFFFFU);
  fingerprint.numbers = numbers_[entry];
  fingerprint.shingles = shingles_[entry];
  return fingerprint;
}

std::optional<std::uint64_t> StoryIndex::find(const StoryFingerprint& fingerprint) const {
  if (fingerprint.kind == FingerprintKind::none || live_ == 0) {
    return std::nullopt;
  }
  std::uint32_t best = dropped;
  double best_similarity = -1;
  for (std::size_t band_number = 0; band_number < bands_of(fingerprint.kind); ++band_number) {
    const Band& band = bands_[band_number];
    const std::uint32_t key = band_key(fingerprint.anchors[band_number]);
    const std::uint32_t bucket = bucket_of(key);
    const std::uint32_t tag = tag_of(key);
    std::size_t checked = 0;
    for (std::uint32_t i = band.starts[bucket] + band.sizes[bucket];
         i > band.starts[bucket] && checked < max_candidates_per_band; --i) {
      const std::uint32_t posting = band.postings[i - 1];
      const std::uint32_t entry = posting >> tag_bits;
      if ((posting & tag_mask) != tag || kinds_[entry] == FingerprintKind::none) {
        continue;
      }
      ++checked;
      if (entry == best) {
        continue;
      }
      const StoryFingerprint candidate = stored(entry);
      if (!same_story(fingerprint, candidate)) {
        continue;
      }
      const double similarity = story_similarity(fingerprint, candidate);
      const bool better = best == dropped || similarity > best_similarity ||
                          (similarity == best_similarity &&
                           (seen_[entry] > seen_[best] || (seen_[entry] == seen_[best] && entry > best)));
      if (better) {
        best = entry;
        best_similarity = similarity;
      }
    }
  }
  if (best == dropped) {
    return std::nullopt;
  }
  return stories_[best];
}

std::size_t StoryIndex::memory_bytes() const noexcept {
  const auto bytes = [](const auto& entries) { return entries.capacity() * sizeof(entries[0]); };
  std::size_t total =
      bytes(stories_) + bytes(seen_) + bytes(shingles_) + bytes(numbers_) + bytes(outlet_titles_) + bytes(kinds_);
  for (const Band& band : bands_) {
    total += bytes(band.starts) + bytes(band.sizes) + bytes(band.postings);
  }
  return total;
}

}  // namespace newswatch::dedup
