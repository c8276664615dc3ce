//! What changed on disk, as the watcher reports it and the incremental
//! engine takes it: each path once, with what it means to the site.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Ignored,
    Content,
    Static,
    Template,
    /// A `.sublime-syntax` file under `syntaxes/`: code is highlighted again.
    Syntaxes,
    /// The bibliography site.toml names.
    Bibliography,
    Config,
}

/// A batch of relevant changes, after the burst went quiet.
#[derive(Debug, Default, Clone)]
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
