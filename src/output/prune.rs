//! Removing what the previous build wrote and this one did not.
//!
//! The manifest is a file in the site's `.rapport/`, so anyone who can commit
//! to the site could still forge it: an entry alone proves nothing. A file is removed only
//! when it is a regular file reached without any symbolic link and its bytes
//! still hash to what the manifest says rapport wrote.

use super::symlinks::first_symlink;
use crate::diagnostic::Diagnostic;
use crate::error::{IoContext, Result};
use std::path::Path;

/// What pruning one manifest entry did.
pub(super) enum Pruned {
    Removed,
    /// Nothing there (already gone, or a key that names no file).
    Absent,
    /// Left in place: a warning naming the file and why.
    Kept(Diagnostic),
}

pub(super) fn remove_stale(out: &Path, key: &str, hash: &str) -> Result<Pruned> {
    let Some(rel) = crate::urls::output_file(key).filter(|_| !key.ends_with('/')) else {
        return Ok(Pruned::Absent);
    };
    let path = out.join(&rel);
    if let Some(link) = first_symlink(out, &rel) {
        let why = format!("not pruned: {} is a symbolic link, and rapport never removes through links", link.display());
        return Ok(Pruned::Kept(Diagnostic::warning(path, why)));
    }
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return Ok(Pruned::Absent);
    };
    if !meta.is_file() {
        return Ok(Pruned::Kept(Diagnostic::warning(path, "not pruned: it is not a regular file")));
    }
    let bytes = std::fs::read(&path).at_path(&path)?;
    if blake3::hash(&bytes).to_hex().as_str() != hash {
        let why = "not pruned: its bytes differ from what the manifest says rapport wrote";
        return Ok(Pruned::Kept(Diagnostic::warning(path, why)));
    }
    std::fs::remove_file(&path).at_path(&path)?;
    remove_emptied_dirs(out, &path);
    Ok(Pruned::Removed)
}

/// Drops folders the removal emptied (never recursively, never the root).
fn remove_emptied_dirs(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir.filter(|d| *d != out) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
