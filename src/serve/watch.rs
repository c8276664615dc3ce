//! Watching the site: every filesystem event is classified before anything
//! acts on it, and bursts (editor saves, `git checkout`) coalesce into one
//! rebuild. The output folder is never watched, so a build cannot trigger itself.

use crate::load::is_ignored_name;
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Ignored,
    Content,
    Static,
    Template,
    Config,
}

/// What a path means to the site.
pub fn classify(root: &Path, output: &Path, path: &Path) -> ChangeKind {
    if path.starts_with(output) {
        return ChangeKind::Ignored;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return ChangeKind::Ignored;
    };
    let hidden = rel.components().any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    if hidden {
        return ChangeKind::Ignored;
    }
    let first = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    match first.as_str() {
        "site.toml" => ChangeKind::Config,
        "content" => ChangeKind::Content,
        "static" => ChangeKind::Static,
        "templates" | "syntaxes" => ChangeKind::Template,
        "themes" if rel.components().any(|c| c.as_os_str() == "static") => ChangeKind::Static,
        "themes" => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

/// A batch of relevant changes, after the burst went quiet.
#[derive(Debug, Default)]
pub struct Batch {
    /// Each changed path once, with what it is.
    pub changes: Vec<(PathBuf, ChangeKind)>,
    /// The watcher lost events or failed: only a full rebuild is safe.
    pub rescan: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.rescan
    }
}

pub struct SiteWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    output: PathBuf,
}

impl SiteWatcher {
    pub fn new(root: &Path, output: &Path) -> notify::Result<SiteWatcher> {
        let (tx, events) = std::sync::mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        for dir in ["content", "templates", "themes", "static", "syntaxes"] {
            let p = root.join(dir);
            if p.is_dir() {
                watcher.watch(&p, RecursiveMode::Recursive)?;
            }
        }
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let output = output.canonicalize().unwrap_or_else(|_| output.to_path_buf());
        Ok(SiteWatcher { _watcher: watcher, events, root, output })
    }

    /// Blocks until a relevant change arrives, then gathers everything that
    /// follows within `quiet` of the previous event.
    pub fn next_batch(&self, quiet: Duration) -> Option<Batch> {
        let mut batch = Batch::default();
        loop {
            let event = if batch.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(quiet) {
                    Ok(e) => e,
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            self.add(&mut batch, event);
        }
    }

    fn add(&self, batch: &mut Batch, event: notify::Result<notify::Event>) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
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
            let kind = classify(&self.root, &self.output, &path);
            if kind != ChangeKind::Ignored && !batch.changes.iter().any(|(p, _)| *p == path) {
                batch.changes.push((path, kind));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let root = Path::new("/s");
        let out = Path::new("/s/public");
        assert_eq!(classify(root, out, Path::new("/s/content/a.md")), ChangeKind::Content);
        assert_eq!(classify(root, out, Path::new("/s/content/.a.md.swp")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/content/4913")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/public/index.html")), ChangeKind::Ignored);
        assert_eq!(classify(root, out, Path::new("/s/site.toml")), ChangeKind::Config);
        assert_eq!(classify(root, out, Path::new("/s/themes/t/templates/page.html")), ChangeKind::Template);
        assert_eq!(classify(root, out, Path::new("/s/themes/t/static/style.css")), ChangeKind::Static);
        assert_eq!(classify(root, out, Path::new("/s/content/a.md~")), ChangeKind::Ignored);
    }
}
