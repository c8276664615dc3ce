//! Writing the built site: safe, atomic per file, and only what changed.
//!
//! Rules (DESIGN.md): the output folder is never the site root, home or `/`,
//! and never overlaps `content/`, `themes/`, `templates/` or `static/`.
//! rapport only ever deletes files listed in its previous manifest, never
//! overwrites a file it did not write, and writes each file to a temporary
//! name first, then renames it, so no reader sees half a file. Everything is
//! rendered before the first write, so a failed build leaves the old output as it was.
//! Nothing under the output folder is written or removed through a symbolic link.

mod folder;
mod prune;
mod staging;
mod symlinks;

pub use folder::check_output_dir;

use crate::error::{Error, IoContext, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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

pub const MANIFEST: &str = ".rapport-manifest";

/// What a write did, for the one-line summary.
#[derive(Debug, Default, Clone)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Stale files left in place, and why.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

/// Writes `outputs` into `out`, prunes files the previous build wrote that
/// this one did not, and records the new manifest. Files are written in
/// parallel: creating files dominates a fresh build on slow filesystems.
pub fn write_site(out: &Path, outputs: &[Output]) -> Result<WriteStats> {
    let leftovers = staging::remove_dead_staging(out);
    let mut stats = if out.exists() { write_existing(out, outputs)? } else { staging::write_fresh(out, outputs)? };
    stats.warnings.extend(leftovers);
    Ok(stats)
}

/// An incremental write into an existing output folder.
fn write_existing(out: &Path, outputs: &[Output]) -> Result<WriteStats> {
    symlinks::refuse_links(out, outputs)?;
    let previous = read_manifest(out);
    let plans: Vec<(String, String, bool)> = outputs
        .par_iter()
        .map(|o| {
            let key = slashed(&o.path);
            let hash = blake3::hash(&o.bytes).to_hex().to_string();
            let target = out.join(&o.path);
            let same = previous.get(&key) == Some(&hash)
                && std::fs::metadata(&target).is_ok_and(|m| m.len() == o.bytes.len() as u64);
            (key, hash, same)
        })
        .collect();
    for ((key, _, _), o) in plans.iter().zip(outputs) {
        let target = out.join(&o.path);
        if !previous.contains_key(key) && std::fs::symlink_metadata(&target).is_ok() {
            return Err(Error::Refused(format!(
                "refusing to overwrite {}: rapport did not write it (move it away, or choose another output folder)",
                target.display()
            )));
        }
    }
    let dirs: BTreeSet<&Path> = outputs.iter().filter_map(|o| o.path.parent()).collect();
    for dir in dirs {
        let d = out.join(dir);
        std::fs::create_dir_all(&d).at_path(&d)?;
    }
    let to_write: Vec<&Output> = plans.iter().zip(outputs).filter(|((_, _, same), _)| !same).map(|(_, o)| o).collect();
    to_write.par_iter().map(|o| write_atomic(&out.join(&o.path), &o.bytes)).collect::<Result<Vec<()>>>()?;
    let mut stats =
        WriteStats { written: to_write.len(), unchanged: outputs.len() - to_write.len(), ..WriteStats::default() };
    let manifest: BTreeMap<String, String> = plans.into_iter().map(|(k, h, _)| (k, h)).collect();
    for (stale, hash) in previous.iter().filter(|(k, _)| !manifest.contains_key(*k)) {
        match prune::remove_stale(out, stale, hash)? {
            prune::Pruned::Removed => stats.removed += 1,
            prune::Pruned::Absent => {}
            prune::Pruned::Kept(why) => stats.warnings.push(why),
        }
    }
    // Like every other output, the manifest is only rewritten when it changed.
    let text = manifest_text(&manifest);
    if std::fs::read_to_string(out.join(MANIFEST)).ok().as_deref() != Some(text.as_str()) {
        write_atomic(&out.join(MANIFEST), text.as_bytes())?;
    }
    Ok(stats)
}

/// Writes via a temporary sibling and a rename (which replaces a link, never
/// writes through it).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().expect("output files live in a folder");
    let name = path.file_name().expect("output files have names").to_string_lossy();
    let tmp = dir.join(format!(".{name}.rapport-tmp"));
    // A leftover (or planted) temporary name may be a link: drop the entry
    // itself, then create the file exclusively, so the write cannot follow one.
    if std::fs::symlink_metadata(&tmp).is_ok_and(|m| !m.is_dir()) {
        std::fs::remove_file(&tmp).at_path(&tmp)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).at_path(&tmp)?;
    file.write_all(bytes).at_path(&tmp)?;
    drop(file);
    std::fs::rename(&tmp, path).at_path(path)
}

fn read_manifest(out: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    text.lines().filter_map(|l| l.split_once('\t')).map(|(hash, path)| (path.to_string(), hash.to_string())).collect()
}

pub(crate) fn manifest_text(m: &BTreeMap<String, String>) -> String {
    let mut s = String::from("# files written by rapport; only these are ever pruned\n");
    for (path, hash) in m {
        s.push_str(hash);
        s.push('\t');
        s.push_str(path);
        s.push('\n');
    }
    s
}

pub(crate) fn slashed(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
