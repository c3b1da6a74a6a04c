#include "newswatch/store/write_batching_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace newswatch::store {
namespace {

constexpr const char* vfs_name = "newswatch";
/// A frame of the write-ahead log starts with a header of this size, written on its own; bytes 4-7
/// hold, big-endian, the database's size in pages after a commit, or 0 in a frame that commits
/// nothing (https://www.sqlite.org/fileformat2.html#walformat).
constexpr int frame_header_bytes = 24;
/// Most bytes held back: a larger transaction reaches the log in pieces of this size.
constexpr std::size_t held_capacity = std::size_t{1} << 20U;
/// Most bytes the platform's VFS writes in one call: SQLite's unix VFS keeps only the low 17 bits
/// of a write's size, as no page is larger than 64 KB.
constexpr std::size_t platform_write_limit = (std::size_t{1} << 17U) - 4096;

/// The platform's VFS, whose files this one wraps.
sqlite3_vfs* platform = nullptr;

/// What SQLite allocates for an open write-ahead log (szOsFile bytes): this, then the platform's
/// file. Any other file fills those bytes with the platform's file alone.
struct BatchingFile {
  sqlite3_file base;  ///< First: SQLite sees a pointer to this.
  sqlite3_file* real = nullptr;
  bool commit_page_next = false;  ///< The last write was the header of a commit frame.
  sqlite3_int64 log_end = 0;      ///< Where the log written through this file ends, held bytes included.
  sqlite3_int64 held_at = 0;      ///< Where in the file the held bytes go.
  std::vector<char> held;
};

constexpr std::size_t real_offset =
    (sizeof(BatchingFile) + alignof(std::max_align_t) - 1) / alignof(std::max_align_t) * alignof(std::max_align_t);

BatchingFile& batching(sqlite3_file* file) {
  return *reinterpret_cast<BatchingFile*>(file);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

/// Writes out what is held, in one system call. What fails to be written stays held, so that the
/// next call that would depend on it fails too.
int write_held(BatchingFile& file) {
  if (file.held.empty()) {
    return SQLITE_OK;
  }
  std::size_t done = 0;
  while (done < file.held.size()) {
    const std::size_t piece = std::min(file.held.size() - done, platform_write_limit);
    const int status = file.real->pMethods->xWrite(file.real, file.held.data() + done, static_cast<int>(piece),
                                                   file.held_at + static_cast<sqlite3_int64>(done));
    if (status != SQLITE_OK) {
      // What was written need not be written again.
      file.held.erase(file.held.begin(), file.held.begin() + static_cast<std::ptrdiff_t>(done));
      file.held_at += static_cast<sqlite3_int64>(done);
      return status;
    }
    done += piece;
  }
  file.held.clear();
  return SQLITE_OK;
}

std::uint32_t commit_size(const void* frame_header) {
  const auto* bytes = static_cast<const unsigned char*>(frame_header);
  std::uint32_t pages = 0;
  for (std::size_t i = 4; i < 8; ++i) {
    pages = pages << 8U | bytes[i];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  }
  return pages;
}

/// Writes out what is held, then hands the platform's file to `call`.
template <typename Call>
int after_held(sqlite3_file* file, Call call) {
  BatchingFile& self = batching(file);
  if (const int written = write_held(self); written != SQLITE_OK) {
    return written;
  }
  return call(self.real);
}

int batching_close(sqlite3_file* file) {
  BatchingFile& self = batching(file);
  const int written = write_held(self);
  sqlite3_file* real = self.real;
  self.~BatchingFile();
  const int closed = real->pMethods->xClose(real);
  return written != SQLITE_OK ? written : closed;
}

int batching_read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xRead(real, buffer, amount, offset); });
}

int batching_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  BatchingFile& self = batching(file);
  if (offset == 0) {
    self.log_end = 0;  // A log starts (again) with its header.
  }
  if (offset < self.log_end) {
    // A frame written before, written again: a page dirtied again after it went to the log, or the
    // checksums SQLite rewrites after the commit frame. In place and at once, after what is held.
    if (const int written = write_held(self); written != SQLITE_OK) {
      return written;
    }
    return self.real->pMethods->xWrite(self.real, data, amount, offset);
  }
  self.log_end = offset + amount;
  const auto size = static_cast<std::size_t>(amount);
  const bool continues = !self.held.empty() && offset == self.held_at + static_cast<sqlite3_int64>(self.held.size());
  if (!self.held.empty() && (!continues || self.held.size() + size > held_capacity)) {
    if (const int written = write_held(self); written != SQLITE_OK) {
      return written;
    }
  }
  if (self.held.empty()) {
    self.held_at = offset;
  }
  const auto* bytes = static_cast<const char*>(data);
  self.held.insert(self.held.end(), bytes, bytes + size);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  if (amount == frame_header_bytes) {
    self.commit_page_next = commit_size(data) != 0;
    return SQLITE_OK;
  }
  // The commit frame's page: SQLite publishes the commit once this call returns.
  if (self.commit_page_next) {
    self.commit_page_next = false;
    return write_held(self);
  }
  return SQLITE_OK;
}

int batching_truncate(sqlite3_file* file, sqlite3_int64 size) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xTruncate(real, size); });
}

int batching_sync(sqlite3_file* file, int flags) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xSync(real, flags); });
}

int batching_file_size(sqlite3_file* file, sqlite3_int64* size) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xFileSize(real, size); });
}

int batching_lock(sqlite3_file* file, int level) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xLock(real, level);
}

int batching_unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xUnlock(real, level);
}

int batching_check_reserved_lock(sqlite3_file* file, int* reserved) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xCheckReservedLock(real, reserved);
}

int batching_file_control(sqlite3_file* file, int operation, void* argument) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xFileControl(real, operation, argument); });
}

int batching_sector_size(sqlite3_file* file) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xSectorSize(real);
}

int batching_device_characteristics(sqlite3_file* file) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xDeviceCharacteristics(real);
}

int batching_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** mapped) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xShmMap(real, region, size, extend, mapped);
}

int batching_shm_lock(sqlite3_file* file, int offset, int count, int flags) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xShmLock(real, offset, count, flags);
}

void batching_shm_barrier(sqlite3_file* file) {
  sqlite3_file* real = batching(file).real;
  real->pMethods->xShmBarrier(real);
}

int batching_shm_unmap(sqlite3_file* file, int remove) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xShmUnmap(real, remove);
}

int batching_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** pages) {
  return after_held(file, [&](sqlite3_file* real) { return real->pMethods->xFetch(real, offset, amount, pages); });
}

int batching_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = batching(file).real;
  return real->pMethods->xUnfetch(real, offset, page);
}

const sqlite3_io_methods batching_methods = {
    3,
    batching_close,
    batching_read,
    batching_write,
    batching_truncate,
    batching_sync,
    batching_file_size,
    batching_lock,
    batching_unlock,
    batching_check_reserved_lock,
    batching_file_control,
    batching_sector_size,
    batching_device_characteristics,
    batching_shm_map,
    batching_shm_lock,
    batching_shm_barrier,
    batching_shm_unmap,
    batching_fetch,
    batching_unfetch,
};

int batching_open(sqlite3_vfs* /*vfs*/, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Only a log's writes are held back: any other file is the platform's own, with no call between.
    return platform->xOpen(platform, name, file, flags, out_flags);
  }
  auto* self = new (file) BatchingFile{};
  self->real = reinterpret_cast<sqlite3_file*>(  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
      reinterpret_cast<char*>(file) +
      real_offset);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast,cppcoreguidelines-pro-bounds-pointer-arithmetic)
  const int status = platform->xOpen(platform, name, self->real, flags, out_flags);
  // The platform's file must speak version 3 (shared memory, memory maps), as ours forwards it.
  if (status != SQLITE_OK || self->real->pMethods == nullptr || self->real->pMethods->iVersion < 3) {
    if (status == SQLITE_OK && self->real->pMethods != nullptr) {
      self->real->pMethods->xClose(self->real);
    }
    self->~BatchingFile();
    file->pMethods = nullptr;  // SQLite then closes nothing.
    return status != SQLITE_OK ? status : SQLITE_CANTOPEN;
  }
  self->base.pMethods = &batching_methods;
  return SQLITE_OK;
}

sqlite3_vfs batching_vfs{};

}  // namespace

const char* write_batching_vfs() {
  static const bool registered = [] {
    platform = sqlite3_vfs_find(nullptr);
    if (platform == nullptr) {
      return false;
    }
    // Everything but opening a file is the platform's own.
    batching_vfs = *platform;
    batching_vfs.pNext = nullptr;
    batching_vfs.szOsFile = static_cast<int>(real_offset) + platform->szOsFile;
    batching_vfs.zName = vfs_name;
    batching_vfs.xOpen = batching_open;
    return sqlite3_vfs_register(&batching_vfs, 0) == SQLITE_OK;
  }();
  return registered ? vfs_name : nullptr;
}

}  // namespace newswatch::store
