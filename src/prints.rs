//! Prints: 64-bit hashes of values, for telling whether something changed
//! between renders or between builds. Each depends only on the value (never
//! on an address or a random seed), so a print means the same in every run of
//! one build of rapport: the build cache's warm state stores them
//! ([`crate::incremental::warm`]), and `serve`'s records compare them.

use rustc_hash::FxHasher;
use serde::Serialize;
use std::hash::{Hash, Hasher};

/// The name a file of the build cache is checked by: the XXH3 128-bit hash
/// of its bytes, in hex. The check is against damage, not tampering, and
/// runs over every saved rendering and the whole warm state in each warm
/// build, where blake3 took about 50 ms of CPU for the 180 MB of renderings
/// at 10,000 pages and XXH3 is many times faster.
pub fn checked_name(bytes: &[u8]) -> String {
    checked_name_of(xxhash_rust::xxh3::xxh3_128(bytes))
}

/// [`checked_name`] from the digest of a streaming XXH3 hasher.
pub fn checked_name_of(digest: u128) -> String {
    format!("{digest:032x}")
}

/// The print of a value by its `Hash`.
pub fn hash_of(value: &impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// The print of a value by its JSON form (for values that only serialise).
pub fn print_of(value: &impl Serialize) -> u64 {
    let mut h = FxHasher::default();
    serde_json::to_writer(HashWriter(&mut h), value).expect("printed values serialise");
    h.finish()
}

/// [`print_of`] by a compact binary form, without JSON's escaping: for
/// large values (a page's rendered markdown).
pub fn compact_print_of(value: &impl Serialize) -> u64 {
    let mut h = FxHasher::default();
    bincode::serialize_into(HashWriter(&mut h), value).expect("printed values serialise");
    h.finish()
}

/// Feeds serialised bytes into a hasher.
struct HashWriter<'h>(&'h mut FxHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
