//! The warm state's files beside a record. A state is named by the hash of
//! its bytes (`<name>.<hash>.warm`), which the record holds. A new state is
//! written under a temporary name and renamed to its own, never over the
//! last one: replacing a large file whose blocks ext4 has not yet allocated
//! makes the rename wait for them (`auto_da_alloc`), about 25 ms for the
//! 33 MB state of 10,000 pages, where unlinking the old one takes about
//! 2 ms. The last state is removed once the record names the new one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The extension of a state written but not yet named by a record.
const NEXT: &str = "warm-next";

/// The state with hash `hash` beside `record`.
pub(super) fn file(record: &Path, hash: &str) -> PathBuf {
    record.with_extension(format!("{hash}.warm"))
}

/// Where a state is written before a record names it.
pub(super) fn next(record: &Path) -> PathBuf {
    record.with_extension(NEXT)
}

/// The states beside `record` but the one named `keep` (and the one being
/// written): with `None`, all of them.
pub(super) fn stale(record: &Path, keep: Option<&str>) -> Vec<PathBuf> {
    let (Some(dir), Some(stem)) = (record.parent(), record.file_stem().and_then(|s| s.to_str())) else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let kept = keep.map(|hash| file(record, hash));
    let a_state =
        |name: &str| name.strip_prefix(stem).is_some_and(|rest| rest.starts_with('.') && rest.ends_with(".warm"));
    let paths = entries.flatten().map(|e| e.path());
    paths.filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(a_state) && kept.as_ref() != Some(p)).collect()
}

/// Removes the states beside `record` but the one named `keep`.
pub(super) fn remove_stale(record: &Path, keep: Option<&str>) {
    stale(record, keep).iter().for_each(|f| drop(std::fs::remove_file(f)));
}

/// A writer that hashes what passes through it, for [`crate::prints::checked_name_of`].
pub(super) struct Hashing<'a> {
    pub(super) inner: &'a mut dyn Write,
    pub(super) hasher: &'a mut xxhash_rust::xxh3::Xxh3,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prints::{checked_name, checked_name_of};

    #[test]
    fn only_the_named_state_and_the_one_being_written_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let record = dir.path().join("0123456789abcdef.json");
        let other = dir.path().join("fedcba9876543210.json");
        let (keep, old) = (checked_name(b"new"), checked_name(b"old"));
        for f in [file(&record, &keep), file(&record, &old), record.with_extension("warm"), next(&record)] {
            std::fs::write(f, b"state").unwrap();
        }
        std::fs::write(file(&other, &old), b"another output's state").unwrap();
        remove_stale(&record, Some(&keep));
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        left.sort();
        let expected = [file(&record, &keep), next(&record), file(&other, &old)];
        let mut expected: Vec<String> =
            expected.iter().map(|p| p.file_name().unwrap().to_str().unwrap().to_string()).collect();
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(
            stale(&record, None),
            [file(&record, &keep)],
            "with no state to keep, every state of the record goes"
        );
    }

    #[test]
    fn the_hashing_writer_hashes_as_checked_name_does() {
        let bytes = b"a warm state, written in pieces".repeat(1000);
        let (mut out, mut hasher) = (Vec::new(), xxhash_rust::xxh3::Xxh3::new());
        let mut w = Hashing { inner: &mut out, hasher: &mut hasher };
        for piece in bytes.chunks(777) {
            w.write_all(piece).unwrap();
        }
        assert_eq!(out, bytes);
        assert_eq!(checked_name_of(hasher.digest128()), checked_name(&bytes));
    }
}
