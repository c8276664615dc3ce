//! The fingerprint of a build's inputs: one hash over every input's path
//! and bytes, and one over those a warm build cannot follow.
//!
//! Hashing every input's bytes on every build costs more than anything else
//! the cache does, so, as git's index does, each input's metadata is
//! recorded beside its hash: a file whose length, modification and change
//! times, inode and device are as recorded is not read again, its hash is
//! the recorded one. Any other file is read and hashed, so a checkout or a
//! copy that keeps the bytes still fingerprints the same. A file changed
//! less than [`SETTLED`] before it was looked at is recorded without its
//! metadata: a second change within the filesystem's timestamp tick could
//! leave the metadata as it was, so the next build reads it again.

use crate::changes::ChangeKind;
use crate::inputs::Inputs;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long before being looked at a file must have last changed for its
/// metadata to stand for its bytes (filesystems with the coarsest
/// timestamps tick every two seconds).
const SETTLED: Duration = Duration::from_secs(3);

/// An input's hash with the metadata it had when hashed: its path
/// (relative to the root), length, modification and change times (seconds
/// and nanoseconds), inode, device, and the blake3 hash of its bytes.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub(super) struct Hashed(PathBuf, Meta, [u8; 32]);

/// What identifies a file's bytes without reading them.
type Meta = (u64, (i64, i64), (i64, i64), u64, u64);

/// The inputs' fingerprint, and what to record of each for the next one.
pub(super) struct Fingerprint {
    /// Over every input.
    pub all: String,
    /// Over the inputs that are not content or static files.
    pub shape: String,
    /// The inputs whose metadata stands for their bytes.
    pub hashed: Vec<Hashed>,
}

/// The fingerprint of `inputs`, taking the hash of each file that is as
/// `known` records it; `None` when one cannot be read.
pub(super) fn of(inputs: &Inputs, known: &[Hashed]) -> Option<Fingerprint> {
    let files = inputs.files();
    let known: FxHashMap<&Path, &Hashed> = known.iter().map(|h| (h.0.as_path(), h)).collect();
    let looked_at = SystemTime::now();
    let rel = |file: &Path| file.strip_prefix(inputs.root()).unwrap_or(file).to_path_buf();
    let found: Vec<Option<(blake3::Hash, Option<Hashed>)>> =
        files.par_iter().map(|f| hash_of(f, rel(f), &known, looked_at)).collect();
    let (mut all, mut shape) = (blake3::Hasher::new(), blake3::Hasher::new());
    let mut hashed = Vec::with_capacity(files.len());
    for (file, found) in files.iter().zip(found) {
        let (hash, seen) = found?;
        let followed = matches!(inputs.classify(file), ChangeKind::Content | ChangeKind::Static);
        let rel = rel(file);
        for h in std::iter::once(&mut all).chain((!followed).then_some(&mut shape)) {
            h.update(rel.as_os_str().as_encoded_bytes());
            h.update(&[0]);
            h.update(hash.as_bytes());
        }
        hashed.extend(seen);
    }
    Some(Fingerprint { all: all.finalize().to_hex().to_string(), shape: shape.finalize().to_hex().to_string(), hashed })
}

/// The hash of one input, and its record when its metadata stands for it.
fn hash_of(
    file: &Path,
    rel: PathBuf,
    known: &FxHashMap<&Path, &Hashed>,
    looked_at: SystemTime,
) -> Option<(blake3::Hash, Option<Hashed>)> {
    match std::fs::metadata(file) {
        // A file, or a link to one: its bytes, as the build reads them.
        Ok(m) if m.is_file() => {
            let meta = meta_of(&m);
            let recorded = known.get(rel.as_path()).filter(|k| meta.is_some_and(|m| m == k.1));
            if let Some(k) = recorded {
                return Some((blake3::Hash::from(k.2), Some((*k).clone())));
            }
            let hash = blake3::hash(&std::fs::read(file).ok()?);
            let settled = meta.filter(|_| changed_before(&m, looked_at));
            Some((hash, settled.map(|meta| Hashed(rel, meta, *hash.as_bytes()))))
        }
        // A link to anything else (a folder, a pipe, nothing): where it points.
        _ => std::fs::read_link(file).ok().map(|t| (blake3::hash(t.as_os_str().as_encoded_bytes()), None)),
    }
}

#[cfg(unix)]
fn meta_of(m: &std::fs::Metadata) -> Option<Meta> {
    use std::os::unix::fs::MetadataExt;
    Some((m.len(), (m.mtime(), m.mtime_nsec()), (m.ctime(), m.ctime_nsec()), m.ino(), m.dev()))
}

/// Without a change time, metadata never stands for the bytes.
#[cfg(not(unix))]
fn meta_of(_: &std::fs::Metadata) -> Option<Meta> {
    None
}

/// Whether the file last changed (its bytes or its metadata) at least
/// [`SETTLED`] before `looked_at`.
#[cfg(unix)]
fn changed_before(m: &std::fs::Metadata, looked_at: SystemTime) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(now) = looked_at.duration_since(SystemTime::UNIX_EPOCH) else { return false };
    let changed = Duration::new(m.ctime().max(0) as u64, m.ctime_nsec().clamp(0, 999_999_999) as u32);
    changed + SETTLED <= now
}

#[cfg(not(unix))]
fn changed_before(_: &std::fs::Metadata, _: SystemTime) -> bool {
    false
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn hash(found: Option<(blake3::Hash, Option<Hashed>)>) -> (String, Option<Hashed>) {
        let (hash, hashed) = found.expect("the file is read");
        (hash.to_hex().to_string(), hashed)
    }

    #[test]
    fn a_file_whose_metadata_is_as_recorded_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let later = SystemTime::now() + SETTLED * 2;
        let (real, recorded) = hash(hash_of(&file, "a.md".into(), &FxHashMap::default(), later));
        assert_eq!(real, blake3::hash(b"one").to_hex().as_str());
        let mut recorded = recorded.expect("a settled file is recorded with its metadata");
        // A recorded hash is taken as it is while the metadata stands...
        let says = blake3::hash(b"what the record says");
        recorded.2 = *says.as_bytes();
        let known = FxHashMap::from_iter([(Path::new("a.md"), &recorded)]);
        assert_eq!(hash(hash_of(&file, "a.md".into(), &known, later)).0, says.to_hex().as_str());
        // ...and the bytes are read again once it changes.
        std::fs::write(&file, "two!").unwrap();
        assert_eq!(hash(hash_of(&file, "a.md".into(), &known, later)).0, blake3::hash(b"two!").to_hex().as_str());
    }

    #[test]
    fn a_file_changed_just_before_it_is_looked_at_is_recorded_without_its_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let (real, recorded) = hash(hash_of(&file, "a.md".into(), &FxHashMap::default(), SystemTime::now()));
        assert_eq!(real, blake3::hash(b"one").to_hex().as_str());
        assert_eq!(recorded, None, "a second change within the timestamp tick could keep its metadata");
    }
}
