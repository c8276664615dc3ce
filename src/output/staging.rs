//! The first build: every file goes into a staging folder beside the output
//! folder, which is renamed into place at the end. Readers see no site or the
//! whole site, and no file needs its own temporary name.
//!
//! A build killed mid-way (SIGKILL, power loss) cannot clean up after itself,
//! so every build first removes the staging folders of processes that are gone.

use super::Output;
use super::{slashed, Entries, WriteStats};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Stages every output, renames the stage into place, and returns what it wrote.
pub(super) fn write_fresh(out: &Path, outputs: &[Output]) -> Result<(WriteStats, Entries)> {
    // A name no live process uses (a dead one's was removed before).
    let stage = staging_folder(out, std::process::id());
    if std::fs::symlink_metadata(&stage).is_ok() {
        return Err(Error::Refused(format!("{} already exists; move it away and build again", stage.display())));
    }
    let staged = stage_all(&stage, outputs).and_then(|()| std::fs::rename(&stage, out).at_path(out));
    if staged.is_err() {
        // The folder is this run's own (it did not exist above): nothing else is in it.
        let _ = std::fs::remove_dir_all(&stage);
    }
    staged?;
    let entries = outputs.par_iter().map(|o| (slashed(&o.path), blake3::hash(&o.bytes).to_hex().to_string())).collect();
    Ok((WriteStats { written: outputs.len(), ..WriteStats::default() }, entries))
}

/// Removes `out`'s staging folders left by processes that no longer run; a
/// warning says what was removed or could not be.
pub(super) fn remove_dead_staging(out: &Path) -> Vec<Diagnostic> {
    let prefix = staging_prefix(out);
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let dead = entries.flatten().filter_map(|e| {
        let pid: u32 = e.file_name().to_str()?.strip_prefix(&prefix)?.parse().ok()?;
        (!process_alive(pid)).then(|| (e.path(), pid))
    });
    dead.filter_map(|(path, pid)| remove_staging(&path, pid)).collect()
}

fn remove_staging(path: &Path, pid: u32) -> Option<Diagnostic> {
    // Only a real folder: a link with a staging name is not rapport's.
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    // std's remove_dir_all removes links inside the folder, never their targets.
    let why = match std::fs::remove_dir_all(path) {
        Ok(()) => format!("removed the staging folder of a build (process {pid}) that was killed before it finished"),
        Err(e) => format!("cannot remove the staging folder of a killed build (process {pid}): {e}"),
    };
    Some(Diagnostic::warning(path, why))
}

/// Whether process `pid` may still run. Our own PID counts as gone: this
/// process has not staged anything yet, so such a folder is a dead
/// predecessor's (containers often reuse one PID for every run). Without
/// `/proc` there is no dependency-free answer, so every process counts as alive.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if pid == std::process::id() {
        return false;
    }
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
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

/// Writes every output under `stage`.
fn stage_all(stage: &Path, outputs: &[Output]) -> Result<()> {
    let dirs: BTreeSet<PathBuf> = outputs.iter().filter_map(|o| o.path.parent()).map(|d| stage.join(d)).collect();
    std::fs::create_dir_all(stage).at_path(stage)?;
    for dir in &dirs {
        std::fs::create_dir_all(dir).at_path(dir)?;
    }
    crate::progress::set_total(outputs.len());
    outputs
        .par_iter()
        .map(|o| std::fs::write(stage.join(&o.path), &o.bytes).at_path(stage.join(&o.path)))
        .inspect(|_| crate::progress::step())
        .collect::<Result<Vec<()>>>()?;
    Ok(())
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

    /// A folder with this process's PID predates it (a container reusing one
    /// PID for every run), so it is a dead build's, not ours.
    #[test]
    fn a_leftover_with_our_own_pid_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(staging_folder(&out, std::process::id()).join("a")).unwrap();
        assert_eq!(remove_dead_staging(&out).len(), 1);
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}
