//! Writing the built site: safe, atomic per file, and only what changed.
//!
//! Rules (DESIGN.md): the output folder is never the site root, home or `/`,
//! and never overlaps `content/`, `themes/`, `templates/` or `static/`.
//! rapport only ever deletes files listed in its previous manifest (kept in
//! the site's `.rapport/`, never in the output), never
//! overwrites a file it did not write, and writes each file to a temporary
//! name first, then renames it, so no reader sees half a file. Into an
//! existing folder, everything is rendered before the first write, so a
//! failed build leaves the old output as it was; a first build writes pages
//! and search files into a staging folder as it makes them ([`Stage`]), renamed into place
//! only when the build succeeds and removed when it fails.
//! Nothing under the output folder is written or removed through a symbolic link.

mod folder;
mod manifest;
mod prune;
mod staging;
mod symlinks;

pub(crate) use folder::absolute;
pub use folder::check_output_dir;
pub use manifest::STATE_DIR;
pub use staging::Stage;

use manifest::{Entries, Previous, Trust};

use crate::error::{Error, IoContext, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use std::path::PathBuf;

/// One file of the built site: where it goes and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output { path: path.into(), bytes: bytes.into() }
    }
}

/// Where a build puts each file as soon as it is made (a first build's
/// staging folder, [`Stage`]), so the bytes are not held until the end; an
/// error names the file that could not be put.
pub type Sink<'a> = &'a (dyn Fn(&Output) -> std::result::Result<(), crate::diagnostic::Diagnostic> + Sync);

/// What a write did, for the one-line summary.
#[derive(Debug, Default, Clone)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Stale files left in place, and why.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

/// A stage for a first build into `out` ([`Stage`]), opened before the site
/// renders so pages go to disk as they are made; `None` when `out` exists
/// (the build then writes only what changed, once everything is rendered).
pub fn open_stage(root: &Path, out: &Path) -> Result<Option<Stage>> {
    manifest::Store::new(root, out).refuse_links()?;
    let leftovers = staging::remove_dead_staging(out);
    match out.exists() {
        true => Ok(None),
        false => staging::Stage::open(out, leftovers).map(Some),
    }
}

/// Writes `outputs` into `out` (through `stage`, which holds what was put
/// while rendering, when the build opened one), keeps the files at `kept`
/// (written by the previous build and left as they are), prunes files the
/// previous build wrote that this one neither wrote nor kept, and records
/// what it wrote under `root`'s `.rapport/`. Files are written in parallel:
/// creating files dominates a fresh build on slow filesystems.
pub fn write_site(
    root: &Path,
    out: &Path,
    outputs: &[Output],
    kept: &[PathBuf],
    stage: Option<Stage>,
) -> Result<WriteStats> {
    let store = manifest::Store::new(root, out);
    store.refuse_links()?;
    let (leftovers, (mut stats, entries)) = match stage {
        Some(mut stage) if kept.is_empty() => (std::mem::take(&mut stage.leftovers), stage.finish(out, outputs)?),
        Some(_) => return Err(unrecorded(out, &kept[0])),
        None => {
            let leftovers = staging::remove_dead_staging(out);
            let written = match out.exists() {
                true => write_existing(&store, out, outputs, kept)?,
                false if kept.is_empty() => staging::write_fresh(out, outputs)?,
                false => return Err(unrecorded(out, &kept[0])),
            };
            (leftovers, written)
        }
    };
    // Recorded last: a build killed before this leaves the old record, which
    // still names only files rapport wrote.
    store.write(out, &entries)?;
    stats.warnings.extend(leftovers);
    Ok(stats)
}

/// Removes the staging folders killed builds left beside `out` (their
/// process gone), as every build does first; says what it could not remove.
pub fn remove_dead_staging(out: &Path) -> Vec<crate::diagnostic::Diagnostic> {
    staging::remove_dead_staging(out)
}

/// Where the record of what rapport wrote to `out` lives (see [`manifest`]).
pub fn manifest_file(root: &Path, out: &Path) -> PathBuf {
    manifest::Store::new(root, out).file()
}

/// One output's planned write: its manifest key and hash, and whether the
/// file there already holds exactly these bytes.
struct Plan {
    key: String,
    hash: String,
    same: bool,
}

/// An incremental write into an existing output folder.
fn write_existing(
    store: &manifest::Store,
    out: &Path,
    outputs: &[Output],
    kept: &[PathBuf],
) -> Result<(WriteStats, Entries)> {
    symlinks::refuse_links(out, outputs)?;
    let (previous, note) = store.read(out);
    let mut carried = Vec::with_capacity(kept.len());
    for file in kept {
        let key = slashed(file);
        match previous.entries.get(&key).filter(|_| previous.trust == Trust::Own) {
            Some(hash) => carried.push((key, hash.clone())),
            None => return Err(unrecorded(out, file)),
        }
    }
    let plans: Vec<Plan> = outputs.par_iter().map(|o| plan(out, &previous, o)).collect();
    for (p, o) in plans.iter().zip(outputs) {
        refuse_foreign(out, &previous, p, o)?;
    }
    let dirs: BTreeSet<&Path> = outputs.iter().filter_map(|o| o.path.parent()).collect();
    for dir in dirs {
        let d = out.join(dir);
        std::fs::create_dir_all(&d).at_path(&d)?;
    }
    let to_write: Vec<&Output> = plans.iter().zip(outputs).filter(|(p, _)| !p.same).map(|(_, o)| o).collect();
    crate::progress::set_total(to_write.len());
    let written = to_write.par_iter().map(|o| write_atomic(&out.join(&o.path), &o.bytes));
    written.inspect(|_| crate::progress::step()).collect::<Result<Vec<()>>>()?;
    let mut stats =
        WriteStats { written: to_write.len(), unchanged: outputs.len() - to_write.len(), ..WriteStats::default() };
    stats.warnings.extend(note);
    stats.unchanged += carried.len();
    // A kept file's entry wins over an output's at the same path, as it always has.
    let mut pairs: Vec<(String, String)> = plans.into_iter().map(|p| (p.key, p.hash)).collect();
    pairs.extend(carried);
    let entries = manifest::entries_of(pairs);
    if previous.trust == Trust::Own {
        for (stale, hash) in manifest::missing(&previous.entries, &entries) {
            match prune::remove_stale(out, stale, hash)? {
                prune::Pruned::Removed => stats.removed += 1,
                prune::Pruned::Absent => {}
                prune::Pruned::Kept(why) => stats.warnings.push(why),
            }
        }
    }
    Ok((stats, entries))
}

/// A file to keep that rapport's record of `out` does not list (the record
/// was replaced since the build cache checked it).
fn unrecorded(out: &Path, file: &Path) -> Error {
    Error::Refused(format!(
        "{} is not in rapport's record of {}; build again with --no-cache",
        file.display(),
        out.display()
    ))
}

/// Whether `o` is already on disk. rapport's own record is trusted on hash
/// and length (as for any incremental build); otherwise the file is read.
fn plan(out: &Path, previous: &Previous, o: &Output) -> Plan {
    let key = slashed(&o.path);
    let hash = blake3::hash(&o.bytes).to_hex().to_string();
    let target = out.join(&o.path);
    let same = match (previous.trust, previous.entries.get(&key)) {
        (Trust::Own, Some(recorded)) => {
            *recorded == hash && std::fs::metadata(&target).is_ok_and(|m| m.len() == o.bytes.len() as u64)
        }
        // Unrecorded: the file may still hold exactly these bytes (a file left
        // unpruned before, or a copied build), and then it is left as it is.
        _ => file_hash(&target).as_ref() == Some(&hash),
    };
    Plan { key, hash, same }
}

/// Refuses to replace a file rapport did not write: one its own record does
/// not list, whose bytes are neither what it would write nor what an older
/// record says it wrote.
fn refuse_foreign(out: &Path, previous: &Previous, p: &Plan, o: &Output) -> Result<()> {
    let target = out.join(&o.path);
    let recorded = previous.entries.get(&p.key);
    let ours = p.same
        || match previous.trust {
            Trust::Own => recorded.is_some(),
            Trust::Verified => recorded.is_some() && file_hash(&target).as_ref() == recorded,
        };
    if ours || std::fs::symlink_metadata(&target).is_err() {
        return Ok(());
    }
    let hint = match previous.trust {
        Trust::Own => "move it away, or choose another output folder",
        // A copied or moved build, or a checkout of a committed one.
        Trust::Verified => {
            "rapport has no record of this folder: if it is an old build, delete it and build again; otherwise move \
             the file away, or choose another output folder"
        }
    };
    Err(Error::Refused(format!("refusing to overwrite {}: rapport did not write it ({hint})", target.display())))
}

/// The blake3 hash of a regular file's bytes (never through a final link).
fn file_hash(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| std::fs::read(path).ok()).flatten().map(|b| blake3::hash(&b).to_hex().to_string())
}

/// Writes via a temporary sibling and a rename (which replaces a link, never
/// writes through it).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`], the bytes written by `write` (unbuffered: many small
/// writes want a [`std::io::BufWriter`]), so they need not all be in memory
/// at once.
pub fn write_atomic_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let dir = path.parent().expect("output files live in a folder");
    let name = path.file_name().expect("output files have names").to_string_lossy();
    let tmp = dir.join(format!(".{name}.rapport-tmp"));
    // A leftover (or planted) temporary name may be a link: drop the entry
    // itself, then create the file exclusively, so the write cannot follow one.
    if std::fs::symlink_metadata(&tmp).is_ok_and(|m| !m.is_dir()) {
        std::fs::remove_file(&tmp).at_path(&tmp)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).at_path(&tmp)?;
    write(&mut file).at_path(&tmp)?;
    drop(file);
    std::fs::rename(&tmp, path).at_path(path)
}

pub(crate) fn slashed(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
