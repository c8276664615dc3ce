//! The served files: rendered outputs stored where their bytes changed,
//! copied files winning over generated ones at the same path (as in a
//! build), a new search index replacing the old one whole, and the files of
//! outputs that went dropped.

use super::{LiveSite, Update, SEARCH_MANIFEST, SEARCH_PAGE};
use crate::output::Output;
use crate::render::{self, Made};
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl LiveSite {
    /// Records rendered targets and serves their files; files a target
    /// wrote before and no longer writes are dropped.
    pub(super) fn store(&mut self, how: &'static str, made: &[Made]) -> Update {
        let mut dropped = Vec::new();
        for m in made {
            let key = render::target_key(&self.site, m.target);
            let now: FxHashSet<&PathBuf> = m.outputs.iter().map(|o| &o.path).collect();
            dropped.extend(self.records.files_of(&key).iter().filter(|f| !now.contains(f)).cloned());
        }
        self.records.record(&self.site, made);
        let outputs: Vec<Output> = made.iter().flat_map(|m| m.outputs.iter().cloned()).collect();
        let mut update = self.merge(how, outputs);
        update.removed.extend(self.drop_files(dropped));
        update
    }

    /// Stops serving generated files (a copied file at the same path stays).
    pub(super) fn drop_files(&mut self, files: Vec<PathBuf>) -> Vec<PathBuf> {
        let copied = |p: &PathBuf| self.theme.static_files.contains_key(p) || self.site.links.assets.contains(p);
        let gone: Vec<PathBuf> = files.into_iter().filter(|p| !copied(p)).collect();
        gone.into_iter().filter(|p| self.outputs.remove(p).is_some()).collect()
    }

    /// Stores generated outputs whose bytes changed; returns their paths. A
    /// copied file at the same path wins (`static/robots.txt`), as in a build.
    /// A new search index replaces the old one whole: shards it no longer has
    /// are dropped.
    pub(super) fn merge(&mut self, how: &'static str, mut outputs: Vec<Output>) -> Update {
        outputs.retain(|o| !self.theme.static_files.contains_key(&o.path) && !self.site.links.assets.contains(&o.path));
        self.merge_copied(how, outputs)
    }

    /// Stores outputs whose bytes changed, copied files included.
    pub(super) fn merge_copied(&mut self, how: &'static str, outputs: Vec<Output>) -> Update {
        let mut update = Update { how, ..Update::default() };
        if outputs.iter().any(|o| o.path == Path::new(SEARCH_MANIFEST)) {
            let fresh: BTreeSet<&PathBuf> = outputs.iter().map(|o| &o.path).collect();
            let stale: Vec<PathBuf> = self
                .outputs
                .keys()
                .filter(|p| p.starts_with("search") && *p != Path::new(SEARCH_PAGE) && !fresh.contains(p))
                .cloned()
                .collect();
            for p in stale {
                self.outputs.remove(&p);
                update.removed.push(p);
            }
        }
        for o in outputs {
            if self.outputs.get(&o.path).is_none_or(|old| **old != o.bytes) {
                update.written.push(o.path.clone());
                self.outputs.insert(o.path, Arc::new(o.bytes));
            }
        }
        update
    }
}
