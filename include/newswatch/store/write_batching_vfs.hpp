#pragma once

namespace newswatch::store {

/// The name of an SQLite VFS that is the platform's own but gathers the write-ahead log's appends
/// into a few system calls per commit, registered on the first call (thread-safe); nullptr if it
/// could not be registered (SQLite then uses its default).
///
/// SQLite appends a page to the log in two writes (a 24-byte frame header, then the page): tens
/// of thousands of system calls for a cycle of 1,000 feeds. This VFS holds appends back until the
/// commit frame's page has been written, then writes them at once: every byte of a transaction is
/// in the file before SQLite publishes the commit to readers, as without it. A frame written again
/// (a page dirtied after it spilled to the log, or the checksums SQLite rewrites after the commit
/// frame) goes to the file at once, after what is held. Anything else that touches the file (a
/// read, a sync, its size, a truncation, a file control, closing it) writes out what is held first,
/// and a write that fails stays held, so the next of those fails too. A process killed while
/// appends are held loses only a transaction that had not committed, as without the VFS.
const char* write_batching_vfs();

}  // namespace newswatch::store
