//! Watching the site: every filesystem event is classified before anything
//! acts on it, and bursts (editor saves, `git checkout`) coalesce into one
//! rebuild. The output folder is never watched, so a build cannot trigger itself.

pub use crate::changes::{Batch, ChangeKind};
use crate::inputs::{Inputs, FOLDERS};
use crate::load::Exclusions;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

pub struct SiteWatcher {
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<notify::Event>>,
    /// An event taken by [`SiteWatcher::events_waiting`], not yet batched.
    early: Option<notify::Result<notify::Event>>,
    root: PathBuf,
    /// What each path means to the site, re-read when its settings change.
    inputs: Inputs,
}

impl SiteWatcher {
    /// Native events (inotify) where possible; when the system's watch limit
    /// is reached, says so and polls instead of serving a stale site. `poll`
    /// asks for polling from the start (network and container mounts, where
    /// native events do not arrive).
    pub fn new(root: &Path, output: &Path, exclusions: Exclusions, poll: bool) -> notify::Result<SiteWatcher> {
        let (tx, events) = std::sync::mpsc::channel();
        let watcher = if poll {
            watch_site(poller(tx)?, root)?
        } else {
            let native_tx = tx.clone();
            let native = notify::recommended_watcher(move |e| {
                let _ = native_tx.send(e);
            })?;
            match watch_native(Box::new(native), root) {
                Ok(w) => w,
                Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                    eprintln!("warning: the system's file watch limit is reached (fs.inotify.max_user_watches); polling every {POLL:?} instead");
                    watch_site(poller(tx)?, root)?
                }
                Err(e) => return Err(e),
            }
        };
        let inputs = Inputs::new(root, output, exclusions);
        Ok(SiteWatcher { watcher, events, early: None, root: inputs.root().to_path_buf(), inputs })
    }

    /// True when an event is waiting (without blocking).
    /// Reads (our own included) are skipped: they change nothing.
    pub fn events_waiting(&mut self) -> bool {
        while self.early.is_none() {
            match self.events.try_recv() {
                Ok(Ok(e)) if matches!(e.kind, notify::EventKind::Access(_)) => continue,
                Ok(e) => self.early = Some(e),
                Err(_) => break,
            }
        }
        self.early.is_some()
    }

    /// Waits up to `timeout` for an event (reads skipped); true if one came.
    pub fn wait_for_event(&mut self, timeout: Duration) -> bool {
        let deadline = std::time::Instant::now() + timeout;
        while !self.events_waiting() {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.events.recv_timeout(left) {
                Ok(Ok(e)) if matches!(e.kind, notify::EventKind::Access(_)) => {}
                Ok(e) => self.early = Some(e),
                Err(_) => return false,
            }
        }
        true
    }

    /// Blocks until a relevant change arrives, then gathers everything that
    /// follows within `quiet` of the previous event.
    ///
    /// The batch may be empty when every event was for ignored files (a swap
    /// file, a write into the output), so the caller can get back to its
    /// queued work instead of waiting here for the next real change.
    pub fn next_batch(&mut self, quiet: Duration) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut got_any = false;
        loop {
            let event = if let Some(e) = self.early.take() {
                e
            } else if batch.is_empty() && !got_any {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(quiet) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            got_any = true;
            self.add(&mut batch, event);
        }
    }

    fn add(&mut self, batch: &mut Batch, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                let e = crate::diagnostic::terminal_safe(&e.to_string()).into_owned();
                eprintln!("warning: file watcher error ({e}); rebuilding everything");
                batch.rescan = true;
                return;
            }
        };
        if event.need_rescan() {
            eprintln!("warning: the file watcher lost events; rebuilding everything");
            batch.rescan = true;
        }
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            let path = self.root.join(path.strip_prefix(&self.root).unwrap_or(&path));
            for found in self.watch_if_new_folder(&path) {
                let kind = self.classify(&found);
                batch.changes.push((found, kind));
            }
            let kind = self.classify(&path);
            if kind == ChangeKind::Config {
                self.inputs.reload();
            }
            if kind != ChangeKind::Ignored && !batch.changes.iter().any(|(p, _)| *p == path) {
                batch.changes.push((path, kind));
            }
        }
    }

    fn classify(&self, path: &Path) -> ChangeKind {
        self.inputs.classify(path)
    }
}

/// Polling interval when native events are not available.
const POLL: Duration = Duration::from_millis(300);

type Events = std::sync::mpsc::Sender<notify::Result<notify::Event>>;

/// A watcher that compares the tree every [`POLL`] instead of using inotify.
/// It compares contents too: notify's poller keeps modification times to the
/// second, so an edit within the second of the previous scan would be missed.
fn poller(tx: Events) -> notify::Result<Box<dyn Watcher + Send>> {
    let config = notify::Config::default().with_poll_interval(POLL).with_compare_contents(true);
    let poll = notify::PollWatcher::new(
        move |e| {
            let _ = tx.send(e);
        },
        config,
    )?;
    Ok(Box::new(poll))
}

/// [`watch_site`] with native events. `RAPPORT_TEST_INOTIFY_LIMIT` set (for
/// tests only: the limit is system-wide, so a test cannot lower it) answers as
/// a system at its watch limit does, so the fallback is tested as it runs.
fn watch_native(watcher: Box<dyn Watcher + Send>, root: &Path) -> notify::Result<Box<dyn Watcher + Send>> {
    if std::env::var_os("RAPPORT_TEST_INOTIFY_LIMIT").is_some() {
        return Err(notify::Error::new(notify::ErrorKind::MaxFilesWatch));
    }
    watch_site(watcher, root)
}

fn watch_site(mut watcher: Box<dyn Watcher + Send>, root: &Path) -> notify::Result<Box<dyn Watcher + Send>> {
    for dir in FOLDERS {
        let p = root.join(dir);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    Ok(watcher)
}

impl SiteWatcher {
    /// `templates/`, `static/`... created after start-up are watched from then
    /// on; files written into them before the watch took hold are returned.
    fn watch_if_new_folder(&mut self, path: &Path) -> Vec<PathBuf> {
        let top_level = path.parent() == Some(self.root.as_path());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !(top_level && FOLDERS.contains(&name) && path.is_dir()) {
            return vec![];
        }
        if let Err(e) = self.watcher.watch(path, RecursiveMode::Recursive) {
            let what = crate::diagnostic::terminal_safe(&format!("{}: {e}", path.display())).into_owned();
            eprintln!("warning: cannot watch {what}");
        }
        walkdir::WalkDir::new(path)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A watcher that lost events (inotify queue overflow) or failed asks for
    /// a full rebuild instead of leaving the served site stale.
    #[test]
    fn lost_events_and_watcher_errors_ask_for_a_rescan() {
        let dir = tempfile::tempdir().unwrap();
        let mut watcher =
            SiteWatcher::new(dir.path(), &dir.path().join("public"), Exclusions::default(), false).unwrap();
        let mut batch = Batch::default();
        watcher.add(&mut batch, Ok(notify::Event::new(notify::EventKind::Other)));
        assert!(batch.is_empty(), "an ordinary event with no paths changes nothing");
        let lost = notify::Event::new(notify::EventKind::Other).set_flag(notify::event::Flag::Rescan);
        watcher.add(&mut batch, Ok(lost));
        assert!(batch.rescan && !batch.is_empty());
        let mut batch = Batch::default();
        watcher.add(&mut batch, Err(notify::Error::generic("queue overflow")));
        assert!(batch.rescan);
    }
}
