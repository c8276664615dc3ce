//! No write or removal inside the output folder goes through a symbolic link.
//!
//! A repository can commit `public/h -> ~` (and a forged manifest); the OS
//! follows such a link silently, so every path rapport touches under the
//! output folder is checked component by component with `lstat` first.

use super::Output;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The first symbolic link on the way from `out` to `out/rel`, `rel`'s last
/// component included. Stops at the first component that does not exist.
pub(super) fn first_symlink(out: &Path, rel: &Path) -> Option<PathBuf> {
    let mut path = out.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Some(path),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Refuses the whole write, before anything is written, when a file this
/// build writes would land on or behind a symbolic link.
/// Refusing beats replacing the link: the link is not rapport's to delete, and
/// a linked folder (`public/a -> /tmp/x`) cannot be replaced without deleting it.
pub(super) fn refuse_links(out: &Path, outputs: &[Output]) -> Result<()> {
    let mut prefixes = BTreeSet::new();
    for file in outputs.iter().map(|o| o.path.as_path()) {
        prefixes.extend(file.ancestors().filter(|a| !a.as_os_str().is_empty()));
    }
    let is_link = |rel: &&Path| std::fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.file_type().is_symlink());
    // Shortest first, so the message names the link nearest the output folder.
    let mut sorted: Vec<&Path> = prefixes.into_iter().collect();
    sorted.sort_by_key(|p| p.components().count());
    match sorted.into_iter().find(is_link) {
        Some(rel) => Err(Error::Refused(format!(
            "refusing to write through {}: it is a symbolic link, and rapport never writes through links in the \
             output folder (remove it, or choose another output folder)",
            out.join(rel).display()
        ))),
        None => Ok(()),
    }
}
