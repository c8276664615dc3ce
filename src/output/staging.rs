//! The first build: every file goes into a staging folder beside the output
//! folder, which is renamed into place at the end. Readers see no site or the
//! whole site, and no file needs its own temporary name. A build opens its
//! stage before rendering ([`Stage::open`]), so each page goes to disk as it
//! is rendered, and each search index file as the index makes it, and their
//! bytes need not be held until the end.
//!
//! A build killed mid-way (SIGKILL, power loss) cannot clean up after itself,
//! so every build first removes the staging folders of processes that are gone.

use super::Output;
use super::{slashed, Entries, WriteStats};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A first build's staging folder while the site is built: outputs are put
/// into it as they are made, and [`Stage::finish`] renames it into place.
/// Dropped unfinished (the build failed or panicked), it is removed.
pub struct Stage {
    folder: PathBuf,
    /// The folders made in it so far.
    dirs: Mutex<FxHashSet<PathBuf>>,
    /// Each file put, with the blake3 hash of its bytes.
    entries: Mutex<Entries>,
    /// What tidying dead builds' staging folders found, before this one opened.
    pub(super) leftovers: Vec<Diagnostic>,
    finished: bool,
}

impl Stage {
    /// A stage for `out` under a name no live process uses (a dead one's is
    /// removed first).
    pub(super) fn open(out: &Path, leftovers: Vec<Diagnostic>) -> Result<Stage> {
        let folder = staging_folder(out, std::process::id());
        if std::fs::symlink_metadata(&folder).is_ok() {
            return Err(Error::Refused(format!("{} already exists; move it away and build again", folder.display())));
        }
        std::fs::create_dir_all(&folder).at_path(&folder)?;
        let stage = Stage { folder, dirs: Mutex::default(), entries: Mutex::default(), leftovers, finished: false };
        Ok(stage)
    }

    /// Writes `o` into the stage (replacing a file put at its path before).
    pub fn put(&self, o: &Output) -> Result<()> {
        let path = self.folder.join(&o.path);
        let dir = path.parent().expect("staged files live in a folder");
        if !self.dirs.lock().expect("not poisoned").contains(dir) {
            std::fs::create_dir_all(dir).at_path(dir)?;
            self.dirs.lock().expect("not poisoned").insert(dir.to_path_buf());
        }
        std::fs::write(&path, &o.bytes).at_path(&path)?;
        let hash = blake3::hash(&o.bytes).to_hex().to_string();
        self.entries.lock().expect("not poisoned").insert(slashed(&o.path), hash);
        Ok(())
    }

    /// Puts `outputs` (the files not put while rendering), renames the
    /// stage to `out`, and returns every file it holds.
    pub(super) fn finish(mut self, out: &Path, outputs: &[Output]) -> Result<(WriteStats, Entries)> {
        crate::progress::set_total(outputs.len());
        outputs.par_iter().map(|o| self.put(o)).inspect(|_| crate::progress::step()).collect::<Result<Vec<()>>>()?;
        std::fs::rename(&self.folder, out).at_path(out)?;
        self.finished = true;
        let entries = std::mem::take(&mut *self.entries.lock().expect("not poisoned"));
        Ok((WriteStats { written: entries.len(), ..WriteStats::default() }, entries))
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.finished {
            // The folder is this run's own (it did not exist when opened): nothing else is in it.
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

/// Stages every output, renames the stage into place, and returns what it wrote.
pub(super) fn write_fresh(out: &Path, outputs: &[Output]) -> Result<(WriteStats, Entries)> {
    Stage::open(out, Vec::new())?.finish(out, outputs)
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
