//! The first build: every file goes into a staging folder beside the output
//! folder, which is renamed into place at the end. Readers see no site or the
//! whole site, and no file needs its own temporary name.

use super::{manifest_text, slashed, WriteStats, MANIFEST};
use crate::error::{Error, IoContext, Result};
use crate::render::Output;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub fn write_fresh(out: &Path, outputs: &[Output]) -> Result<WriteStats> {
    // A name no one else uses; nothing is ever deleted to make room for it.
    let stage = staging_folder(out, std::process::id());
    if std::fs::symlink_metadata(&stage).is_ok() {
        return Err(Error::Refused(format!("{} already exists; move it away and build again", stage.display())));
    }
    let staged = stage_all(&stage, outputs).and_then(|()| std::fs::rename(&stage, out).at_path(out));
    if staged.is_err() {
        // The folder is this run's own (it did not exist above): nothing else is in it.
        let _ = std::fs::remove_dir_all(&stage);
    }
    staged.map(|()| WriteStats { written: outputs.len(), ..WriteStats::default() })
}

/// `<parent>/.<name>.rapport-staging-<pid>`: where process `pid` stages `out`.
fn staging_folder(out: &Path, pid: u32) -> PathBuf {
    out.with_file_name(format!("{}{pid}", staging_prefix(out)))
}

/// `.<name>.rapport-staging-`: the name of `out`'s staging folders, minus the PID.
fn staging_prefix(out: &Path) -> String {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    format!(".{name}.rapport-staging-")
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

#[cfg(test)]
mod tests {
    use super::*;

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
