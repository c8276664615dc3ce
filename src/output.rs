//! Writing the built site: safe, atomic per file, and only what changed.
//!
//! Rules (DESIGN.md): the output folder is never the site root, home or `/`,
//! and never overlaps `content/`, `themes/`, `templates/` or `static/`.
//! rapport only ever deletes files listed in its previous manifest, never
//! overwrites a file it did not write, and writes each file to a temporary
//! name first, then renames it, so no reader sees half a file. Everything is
//! rendered before the first write, so a failed build leaves the old output as it was.

use crate::error::{Error, IoContext, Result};
use crate::render::Output;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const MANIFEST: &str = ".rapport-manifest";

/// What a write did, for the one-line summary.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuses output folders that could destroy sources or unrelated data.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root = absolute(root);
    let out = absolute(out);
    let refuse =
        |why: &str| Err(Error::Refused(format!("refusing to use {} as the output folder: {why}", out.display())));
    if out.parent().is_none() {
        return refuse("it is the filesystem root");
    }
    if out == root {
        return refuse("it is the site root");
    }
    if std::env::var_os("HOME").is_some_and(|h| absolute(Path::new(&h)) == out) {
        return refuse("it is your home folder");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for protected in ["content", "themes", "templates", "static", "syntaxes"] {
        let p = root.join(protected);
        if out.starts_with(&p) || p.starts_with(&out) {
            return refuse(&format!("it overlaps the site's `{protected}/` folder"));
        }
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file, not a folder");
    }
    Ok(())
}

/// An absolute, lexically normalised path; symlinks in existing parents are resolved.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve the longest existing prefix so `out/../x` and symlinks compare right.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

/// Writes `outputs` into `out`, prunes files the previous build wrote that
/// this one did not, and records the new manifest. Files are written in
/// parallel: creating files dominates a fresh build on slow filesystems.
pub fn write_site(out: &Path, outputs: &[Output]) -> Result<WriteStats> {
    if !out.exists() {
        return write_fresh(out, outputs);
    }
    std::fs::create_dir_all(out).at_path(out)?;
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
    let mut stats = WriteStats { written: to_write.len(), unchanged: outputs.len() - to_write.len(), removed: 0 };
    let manifest: BTreeMap<String, String> = plans.into_iter().map(|(k, h, _)| (k, h)).collect();
    for stale in previous.keys().filter(|k| !manifest.contains_key(*k)) {
        stats.removed += remove_stale(out, stale)?;
    }
    // Like every other output, the manifest is only rewritten when it changed.
    let text = manifest_text(&manifest);
    if std::fs::read_to_string(out.join(MANIFEST)).ok().as_deref() != Some(text.as_str()) {
        write_atomic(&out.join(MANIFEST), text.as_bytes())?;
    }
    Ok(stats)
}

/// A first build: every file goes into a staging folder beside `out`, which is
/// renamed into place at the end. Readers see no site or the whole site, and
/// no file needs its own temporary name.
fn write_fresh(out: &Path, outputs: &[Output]) -> Result<WriteStats> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    // A name no one else uses; nothing is ever deleted to make room for it.
    let stage = out.with_file_name(format!(".{name}.rapport-staging-{}", std::process::id()));
    if stage.exists() {
        return Err(Error::Refused(format!("{} already exists; move it away and build again", stage.display())));
    }
    let staged = stage_all(&stage, outputs).and_then(|()| std::fs::rename(&stage, out).at_path(out));
    if staged.is_err() {
        // The folder is this run's own (it did not exist above): nothing else is in it.
        let _ = std::fs::remove_dir_all(&stage);
    }
    staged.map(|()| WriteStats { written: outputs.len(), unchanged: 0, removed: 0 })
}

/// Writes every output and the manifest under `stage`.
fn stage_all(stage: &Path, outputs: &[Output]) -> Result<()> {
    let dirs: BTreeSet<PathBuf> = outputs.iter().filter_map(|o| o.path.parent()).map(|d| stage.join(d)).collect();
    std::fs::create_dir_all(stage).at_path(stage)?;
    for dir in &dirs {
        std::fs::create_dir_all(dir).at_path(dir)?;
    }
    outputs
        .par_iter()
        .map(|o| std::fs::write(stage.join(&o.path), &o.bytes).at_path(stage.join(&o.path)))
        .collect::<Result<Vec<()>>>()?;
    let manifest: BTreeMap<String, String> =
        outputs.par_iter().map(|o| (slashed(&o.path), blake3::hash(&o.bytes).to_hex().to_string())).collect();
    std::fs::write(stage.join(MANIFEST), manifest_text(&manifest)).at_path(stage.join(MANIFEST))
}

fn remove_stale(out: &Path, key: &str) -> Result<usize> {
    let Some(rel) = crate::urls::output_file(key).filter(|_| !key.ends_with('/')) else {
        return Ok(0);
    };
    let path = out.join(rel);
    let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
    if !is_file {
        return Ok(0);
    }
    std::fs::remove_file(&path).at_path(&path)?;
    // Drop folders the removal emptied (never recursively, never the root).
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(1)
}

/// Writes via a temporary sibling and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().expect("output files live in a folder");
    let name = path.file_name().expect("output files have names").to_string_lossy();
    let tmp = dir.join(format!(".{name}.rapport-tmp"));
    std::fs::write(&tmp, bytes).at_path(&tmp)?;
    std::fs::rename(&tmp, path).at_path(path)
}

fn read_manifest(out: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    text.lines().filter_map(|l| l.split_once('\t')).map(|(hash, path)| (path.to_string(), hash.to_string())).collect()
}

fn manifest_text(m: &BTreeMap<String, String>) -> String {
    let mut s = String::from("# files written by rapport; only these are ever pruned\n");
    for (path, hash) in m {
        s.push_str(hash);
        s.push('\t');
        s.push_str(path);
        s.push('\n');
    }
    s
}

fn slashed(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The integration tests try every other refusal through the binary; this
    // one is checked here so a regression can never write into `/`.
    #[test]
    fn filesystem_root_is_refused() {
        let root = std::env::temp_dir().join("rapport-site");
        assert!(matches!(check_output_dir(&root, Path::new("/")), Err(Error::Refused(_))));
        assert!(matches!(check_output_dir(&root, &root.join("content/../..")), Err(Error::Refused(_))));
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }

    /// A first build that fails halfway (here a file name no file system
    /// allows) removes its staging folder and leaves no output folder.
    #[test]
    fn a_failed_first_build_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outputs = [Output::new("fine/index.html", "ok"), Output::new(format!("{}.html", "x".repeat(300)), "no")];
        assert!(write_fresh(&out, &outputs).is_err());
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}
