//! Work left over after a change: outputs queued behind the ones browsers
//! show, rendered in slices between later changes, and the search index,
//! built once edits pause.

use super::{LiveSite, Pending, Update};
use crate::error::{Error, Result};
use crate::output::Output;
use crate::render::{self, Target, TargetKey};
use rustc_hash::FxHashSet;

impl LiveSite {
    /// Queues targets to render after the ones rendered now.
    pub(super) fn queue(&mut self, later: Vec<TargetKey>) {
        let queued: FxHashSet<TargetKey> =
            self.pending.iter().filter_map(|p| if let Pending::Target(k) = p { Some(*k) } else { None }).collect();
        let fresh: Vec<Pending> = later.into_iter().filter(|k| !queued.contains(k)).map(Pending::Target).collect();
        let search = self.pending.first() == Some(&Pending::Search);
        let at = usize::from(search);
        self.pending.splice(at..at, fresh.into_iter().rev());
    }

    /// True while outputs of an earlier change are still queued.
    pub fn has_pending(&self) -> bool {
        self.deferred.is_some() || !self.pending.is_empty()
    }

    /// True when only the search index waits (worth doing once edits pause).
    pub fn only_search_pending(&self) -> bool {
        self.deferred.is_none() && self.pending == [Pending::Search]
    }

    /// When only the search index waits: takes it off the queue and returns
    /// what building it reads, for another thread; [`LiveSite::merge_search`]
    /// serves the result.
    pub fn take_search(&mut self) -> Option<crate::search::Snapshot> {
        if !self.only_search_pending() {
            return None;
        }
        self.pending.clear();
        let mut clock = crate::progress::StageClock::new();
        let snapshot = crate::search::Snapshot::of(&self.site);
        clock.lap("s:snapshot");
        Some(snapshot)
    }

    /// Serves a search index built from a [`LiveSite::take_search`] snapshot.
    pub fn merge_search(&mut self, outputs: Vec<Output>) -> Update {
        self.merge("search index", outputs)
    }

    /// Serves the index files an incremental update changed, and stops
    /// serving the ones it says are gone (the rest stay as they are).
    pub fn patch_search(&mut self, write: Vec<Output>, delete: &[String]) -> Update {
        let mut update = Update { how: "search index", ..Update::default() };
        for o in write {
            if self.outputs.get(&o.path).is_none_or(|old| **old != o.bytes) {
                update.written.push(o.path.clone());
                self.outputs.insert(o.path, std::sync::Arc::new(o.bytes));
            }
        }
        for path in delete.iter().map(std::path::PathBuf::from) {
            if self.outputs.remove(&path).is_some() {
                update.removed.push(path);
            }
        }
        update
    }

    pub(super) fn queue_search(&mut self) {
        if !self.pending.contains(&Pending::Search) {
            self.pending.insert(0, Pending::Search);
        }
    }

    /// Renders up to `budget` queued outputs, or first runs the stages of
    /// a batch whose pages were shown early. A budgeted slice leaves the
    /// search index queued on its own, for `serve` to build on another
    /// thread once edits pause.
    pub fn render_pending(&mut self, budget: usize) -> Result<Update> {
        if let Some(deferred) = self.deferred.take() {
            let batch = crate::changes::Batch { changes: deferred.changes, rescan: false };
            return self.run_batch(batch, &deferred.visited);
        }
        let search_last = budget != usize::MAX && self.pending.len() > 1 && self.pending[0] == Pending::Search;
        let take = budget.min(self.pending.len() - usize::from(search_last));
        let batch: Vec<Pending> = self.pending.split_off(self.pending.len() - take);
        // The targets as the last change listed them (the site has not changed since).
        let mut targets: Vec<Target> = batch
            .iter()
            .filter_map(|p| if let Pending::Target(k) = p { self.targets.get(k).copied() } else { None })
            .collect();
        targets.sort();
        let mut clock = crate::progress::StageClock::new();
        let made = render::render_targets(&self.site, &self.templates, &targets).map_err(Error::Site)?;
        clock.lap_with(|| format!("queued {} {:?}", targets.len(), &targets[..targets.len().min(4)]));
        let mut update = self.store(super::QUEUED, &made);
        if batch.contains(&Pending::Search) {
            let index = self.merge("search index", crate::search::outputs(&self.site));
            update.written.extend(index.written);
            update.removed.extend(index.removed);
        }
        Ok(update)
    }
}
