//! Each doc's rendered markdown, saved beside the warm state for the next
//! build: a warm build takes a doc's rendering from here when the doc's
//! print is the same and every link lookup it made answers as before
//! ([`crate::pipeline::Saved`]), instead of rendering it again (markdown is
//! the largest stage of a warm build).
//!
//! Renderings are kept in [`BUCKETS`] files by a hash of the doc's path, in
//! a folder beside the state (`<name>.md/`), each file named by the hash of
//! its bytes ([`crate::prints::checked_name`]): an edit rewrites the one bucket its doc is in,
//! and a file whose bytes do not match its name (damaged, truncated) is not
//! used, which costs only its docs a fresh render. A warm build maps the
//! files and leaves each page's HTML and section text in them
//! ([`crate::shared_text`]) rather than copying 180 MB at 10,000 pages.

use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::pipeline::{self, Asked, Memo, Saved, SavedMap, SavedRendering};
use bincode::Options as _;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files the renderings are spread over.
const BUCKETS: u64 = 64;

/// What a build saved: each bucket's file (by its hash) and the docs in it,
/// in path order.
#[derive(Serialize, Deserialize, Default, Clone)]
pub(super) struct Index {
    buckets: Vec<Option<(String, Vec<PathBuf>)>>,
}

/// One doc's saved rendering: its path and print, the rendering's print,
/// the rendering with the findings it made (not part of its serialised
/// form), and what it asked.
type Entry = (PathBuf, u64, u64, Rendered, Findings, Vec<Asked>);
type Findings = (Vec<Diagnostic>, Vec<Keyed>, Vec<Keyed>);
/// A finding with what it is about (see [`Rendered::once`]).
type Keyed = (String, Diagnostic);
/// An [`Entry`] borrowed from this build's renderings, to write.
type EntryRef<'a> = (&'a Path, u64, u64, &'a Rendered, (&'a [Diagnostic], &'a [Keyed], &'a [Keyed]), &'a [Asked]);

fn encoding() -> impl bincode::Options {
    bincode::DefaultOptions::new().with_varint_encoding()
}

fn bucket_of(rel: &Path) -> usize {
    (crate::prints::hash_of(&rel) % BUCKETS) as usize
}

/// The renderings `index` names in `dir`, read on another thread; a bucket
/// that is missing or damaged is left out (its docs render again).
pub(super) fn load(dir: PathBuf, index: Index) -> Saved {
    Saved::loading(std::thread::spawn(move || {
        let buckets: Vec<Result<Vec<Entry>, PathBuf>> = index
            .buckets
            .par_iter()
            .flatten()
            .map(|(hash, _)| read_bucket(&dir, hash).ok_or_else(|| dir.join(hash)))
            .collect();
        let (read, unusable): (Vec<_>, Vec<_>) = buckets.into_iter().partition(Result::is_ok);
        let map = read
            .into_iter()
            .flat_map(Result::unwrap_or_default)
            .map(|(rel, print, rendered_print, mut rendered, (diagnostics, once, foreign), asked)| {
                (rendered.diagnostics, rendered.once, rendered.foreign_shortcodes) = (diagnostics, once, foreign);
                let rendered = Arc::new(rendered);
                (rel, SavedRendering { print, rendered, rendered_print, asked: asked.into() })
            })
            .collect::<SavedMap>();
        (map, unusable.into_iter().filter_map(Result::err).collect())
    }))
}

/// A bucket's renderings, their HTML and section text left in the file's
/// bytes ([`crate::shared_text`]); `None` when it is missing or damaged.
fn read_bucket(dir: &Path, hash: &str) -> Option<Vec<Entry>> {
    let bytes = mapped(&dir.join(hash))?;
    (crate::prints::checked_name(&bytes) == hash).then_some(())?;
    crate::shared_text::decode_from(&bytes, |b| encoding().deserialize(b).ok())
}

/// The bytes of `file`, mapped rather than copied: a warm build reads 180 MB
/// of renderings at 10,000 pages, and the pages they are shared with live
/// until it ends.
fn mapped(file: &Path) -> Option<bytes::Bytes> {
    let file = std::fs::File::open(file).ok()?;
    // SAFETY: a bucket file is written whole under another name and renamed
    // into place (`write_atomic`), and removed only by unlinking, which
    // leaves a mapping intact; nothing rewrites one in place. A bucket
    // truncated behind rapport's back is the one case left, as with any
    // mapped file.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(bytes::Bytes::from_owner(map))
}

/// Saves the renderings of `memo` (this build's) into `dir`, keeping each
/// bucket whose docs all took their rendering from the saved one it
/// started with (`last`), and removes the files no bucket names any more.
pub(super) fn save(dir: &Path, memo: &Memo, last: &Index) -> std::io::Result<Index> {
    let (renderings, saved) = memo.renderings();
    let mut buckets: Vec<Vec<pipeline::SavedView<'_>>> = (0..BUCKETS).map(|_| Vec::new()).collect();
    for r in renderings {
        buckets[bucket_of(&r.doc.rel)].push(r);
    }
    buckets.iter_mut().for_each(|b| b.sort_by(|x, y| x.doc.rel.cmp(&y.doc.rel)));
    std::fs::create_dir_all(dir)?;
    let saved = saved.get();
    let kept = |b: usize, views: &[pipeline::SavedView<'_>]| {
        let (hash, docs) = last.buckets.get(b)?.as_ref()?;
        let same_docs = docs.len() == views.len() && docs.iter().zip(views).all(|(d, v)| *d == v.doc.rel);
        let all_taken =
            views.iter().all(|v| saved.get(&v.doc.rel).is_some_and(|s| Arc::ptr_eq(&s.rendered, v.rendered)));
        (same_docs && all_taken && dir.join(hash).is_file()).then(|| hash.clone())
    };
    let hashes: Vec<std::io::Result<Option<String>>> = buckets
        .par_iter()
        .enumerate()
        .map(|(b, views)| match kept(b, views) {
            _ if views.is_empty() => Ok(None),
            Some(hash) => Ok(Some(hash)),
            None => write_bucket(dir, views).map(Some),
        })
        .collect();
    let mut index = Index::default();
    for (hash, views) in hashes.into_iter().zip(&buckets) {
        index.buckets.push(hash?.map(|h| (h, views.iter().map(|v| v.doc.rel.clone()).collect())));
    }
    prune(dir, &index);
    Ok(index)
}

fn write_bucket(dir: &Path, views: &[pipeline::SavedView<'_>]) -> std::io::Result<String> {
    let entries: Vec<EntryRef<'_>> = views
        .iter()
        .map(|v| {
            let r = &**v.rendered;
            let findings = (&r.diagnostics[..], &r.once[..], &r.foreign_shortcodes[..]);
            let rendered_print = crate::prints::compact_print_of(r);
            (v.doc.rel.as_path(), pipeline::doc_print(v.doc), rendered_print, r, findings, &v.asked[..])
        })
        .collect();
    let bytes = encoding().serialize(&entries).map_err(std::io::Error::other)?;
    let hash = crate::prints::checked_name(&bytes);
    // Written even when a file of that name is there: it may be damaged.
    crate::output::write_atomic(&dir.join(&hash), &bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(hash)
}

/// Removes the files in `dir` that `index` does not name (older buckets).
fn prune(dir: &Path, index: &Index) {
    let named: std::collections::HashSet<&str> = index.buckets.iter().flatten().map(|(h, _)| h.as_str()).collect();
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| named.contains(n)) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
