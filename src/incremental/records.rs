//! What every served output read when it was last rendered, the
//! fingerprint each read gave, and a stamp of every page's and section's
//! own data. After a change, [`Records::diff`] finds the reads that now give
//! another value; the outputs that made them are the ones to render again.
//! The engine names no field and no template variable: reads and their
//! fingerprints come from [`crate::render::reads`].

use crate::markdown::Rendered;
use crate::model::{Key, Site};
use crate::parse::Doc;
use crate::prints::{compact_print_of, hash_of};
use crate::render::reads::{self, Lookup, Read};
use crate::render::{Made, TargetKey};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Records {
    targets: FxHashMap<TargetKey, Record>,
    /// Read → the targets that made it. Entries of reads a target no longer
    /// makes stay until [`Records::compact`]: they only cost a re-render.
    readers: FxHashMap<Read, Vec<TargetKey>>,
    readers_len: usize,
    /// No reader index is kept (a build's records, used for one diff):
    /// [`Records::readers_of`] looks through every target's reads instead.
    unindexed: bool,
    prints: FxHashMap<Read, u64>,
    stamps: FxHashMap<Key, Stamp>,
}

struct Record {
    reads: Vec<Read>,
    files: Vec<PathBuf>,
}

/// A page's or section's own data as last rendered. The Arcs are kept, not
/// their addresses, so a freed and reused address cannot pass for the same
/// doc. A stamp read back from disk ([`Saved`]) holds only a print of that
/// data, and is compared by printing the new one.
#[derive(Clone)]
enum Stamp {
    Held { doc: Arc<Doc>, rendered: Arc<Rendered>, rest: u64 },
    Printed(u64),
}

/// Records as a later run reads them back: what each target read and
/// wrote, each read's fingerprint, and a print of each page's and
/// section's own data. Every value is a hash of content, never of an
/// address, so it means the same in another run of the same rapport.
#[derive(Serialize, Deserialize)]
pub(super) struct Saved {
    targets: Vec<(TargetKey, Vec<Read>, Vec<PathBuf>)>,
    prints: Vec<(Read, u64)>,
    stamps: Vec<(Key, u64)>,
}

/// [`Saved`] as it is written: the same fields, the records' reads and files
/// borrowed rather than copied (serde writes a slice as it writes a `Vec`).
#[derive(Serialize)]
pub(super) struct SavedRef<'a> {
    targets: Vec<(TargetKey, &'a [Read], &'a [PathBuf])>,
    prints: Vec<(Read, u64)>,
    stamps: Vec<(Key, u64)>,
}

/// What a change to the model may have altered, as the step that made it
/// knows: reads outside it keep their value and are not looked at.
pub(crate) enum Scope {
    /// The stages ran again (or the config changed): anything may differ.
    Everything,
    /// One doc replaced in place (same URL, aliases and publication state).
    Patched {
        /// Pages and sections whose doc or rendered markdown were replaced.
        docs: FxHashSet<Key>,
        /// Pages whose backlinks or related pages may differ.
        rows: FxHashSet<Key>,
        /// Front matter changed: orders, titles in the nav, dates may differ.
        reordered: bool,
        /// Tags or taxonomy terms changed.
        taxonomies: bool,
    },
}

impl Scope {
    /// Nothing in the model changed (only templates did).
    pub(super) fn nothing() -> Scope {
        Scope::Patched { docs: Default::default(), rows: Default::default(), reordered: false, taxonomies: false }
    }

    /// True when the site's set of outputs may differ (pages, sections or
    /// terms came or went), so the targets must be listed again.
    pub(super) fn reshapes(&self) -> bool {
        !matches!(self, Scope::Patched { taxonomies: false, .. })
    }

    /// False when `read` cannot have changed within this scope.
    fn reaches(&self, read: Read, touched: &FxHashSet<Key>) -> bool {
        let Scope::Patched { rows, reordered, taxonomies, .. } = self else { return true };
        if let Some(k) = read.subject() {
            return touched.contains(&k);
        }
        match read {
            Read::Backlinks(k) | Read::Related(k) => rows.contains(&k),
            Read::Neighbours(_)
            | Read::SectionPages(_)
            | Read::NavPages(_)
            | Read::Children(_)
            | Read::NavTree(..)
            | Read::Site => *reordered,
            Read::Taxonomy(_) | Read::Term(_) | Read::Intro(_) => *taxonomies,
            // The site's shape: which pages and sections exist, where, and their URLs.
            Read::PageCount(_) | Read::PreviewBucket(_) | Read::PageSet | Read::SectionSet | Read::Config => false,
            _ => true,
        }
    }
}

/// The reads a change altered, and the fingerprints and stamps to keep once
/// the outputs that made them are rendered.
#[derive(Default)]
pub(super) struct Delta {
    pub changed: FxHashSet<Read>,
    prints: Vec<(Read, Option<u64>)>,
    stamps: Vec<(Key, Option<Stamp>)>,
}

impl Records {
    /// The reads within `scope` whose value on `site` differs from when
    /// they were recorded.
    pub(super) fn diff(&self, site: &Site, scope: &Scope, known: Known<'_>) -> Delta {
        let mut delta = Delta::default();
        let touched = self.touched(site, scope, &mut delta, known);
        let look = Lookup::of(site);
        let changed: Vec<(Read, Option<u64>)> = self
            .candidates(scope, &touched)
            .into_par_iter()
            .filter(|&(read, _)| scope.reaches(read, &touched))
            .filter_map(|(read, old)| {
                let now = reads::print(site, &look, read);
                let own_changed = matches!(read, Read::Page(k) | Read::Section(k) if touched.contains(&k));
                (now != Some(old) || own_changed).then_some((read, now))
            })
            .collect();
        delta.changed.extend(changed.iter().map(|(read, _)| *read));
        delta.prints.extend(changed);
        delta
    }

    /// The recorded reads a change within `scope` may have altered: when
    /// only some docs and link rows changed, those found by their keys;
    /// otherwise all of them.
    fn candidates(&self, scope: &Scope, touched: &FxHashSet<Key>) -> Vec<(Read, u64)> {
        let recorded = |r: Read| self.prints.get(&r).map(|&old| (r, old));
        match scope {
            Scope::Patched { rows, reordered: false, taxonomies: false, .. } => {
                let own = touched.iter().flat_map(|&k| Read::about(k));
                let links = rows.iter().flat_map(|&k| [Read::Backlinks(k), Read::Related(k)]);
                own.chain(links).filter_map(recorded).collect()
            }
            _ => self.prints.iter().map(|(&r, &old)| (r, old)).collect(),
        }
    }

    /// Keys of the pages and sections whose own data differs from their stamp
    /// (or that appeared or went); their new stamps go into `delta`.
    fn touched(&self, site: &Site, scope: &Scope, delta: &mut Delta, known: Known<'_>) -> FxHashSet<Key> {
        let mut touched = FxHashSet::default();
        if let Scope::Patched { docs, .. } = scope {
            let pages = site.pages.iter().enumerate().filter(|(_, p)| docs.contains(&p.key));
            let sections = site.sections.iter().enumerate().filter(|(_, s)| docs.contains(&s.key));
            let stamps = pages.map(|(i, _)| page_stamp(site, i)).chain(sections.map(|(i, _)| section_stamp(site, i)));
            for (key, stamp) in stamps {
                if !self.stamps.get(&key).is_some_and(|old| old.same_as(&stamp, known)) {
                    touched.insert(key);
                    delta.stamps.push((key, Some(stamp)));
                }
            }
            return touched;
        }
        let now: Vec<(Key, Stamp)> = stamps_of(site).collect();
        let seen: FxHashSet<Key> = now.iter().map(|(k, _)| *k).collect();
        let differing = now
            .into_par_iter()
            .filter(|(key, stamp)| !self.stamps.get(key).is_some_and(|old| old.same_as(stamp, known)));
        for (key, stamp) in differing.collect::<Vec<_>>() {
            touched.insert(key);
            delta.stamps.push((key, Some(stamp)));
        }
        for &key in self.stamps.keys().filter(|k| !seen.contains(*k)) {
            touched.insert(key);
            delta.stamps.push((key, None));
        }
        touched
    }

    /// The targets that made any of `reads`.
    pub(super) fn readers_of<'r>(&self, reads: impl Iterator<Item = &'r Read>) -> FxHashSet<TargetKey> {
        if self.unindexed {
            let wanted: FxHashSet<Read> = reads.copied().collect();
            let targets: Vec<(&TargetKey, &Record)> = self.targets.iter().collect();
            let read_any = |r: &Record| r.reads.iter().any(|x| wanted.contains(x));
            return targets.into_par_iter().filter(|(_, r)| read_any(r)).map(|(k, _)| *k).collect();
        }
        reads.filter_map(|r| self.readers.get(r)).flatten().copied().collect()
    }

    pub(super) fn knows(&self, target: &TargetKey) -> bool {
        self.targets.contains_key(target)
    }

    pub(super) fn targets(&self) -> impl Iterator<Item = &TargetKey> {
        self.targets.keys()
    }

    /// The files target `key` wrote when last rendered.
    pub(super) fn files_of(&self, key: &TargetKey) -> &[PathBuf] {
        self.targets.get(key).map_or(&[], |r| &r.files)
    }

    /// Keeps the fingerprints and stamps of a change (once its outputs are
    /// rendered or queued).
    pub(super) fn commit(&mut self, delta: Delta) {
        for (read, print) in delta.prints {
            match print {
                Some(p) => drop(self.prints.insert(read, p)),
                None => drop(self.prints.remove(&read)),
            }
        }
        for (key, stamp) in delta.stamps {
            match stamp {
                Some(s) => drop(self.stamps.insert(key, s)),
                None => drop(self.stamps.remove(&key)),
            }
        }
    }

    /// Records what the rendered targets read and wrote. A read seen for
    /// the first time gets its fingerprint on `site`, the site they were
    /// rendered from.
    pub(super) fn record(&mut self, site: &Site, made: &[Made]) {
        let fresh: FxHashSet<Read> =
            made.iter().flat_map(|m| &m.reads).filter(|r| !self.prints.contains_key(r)).copied().collect();
        let look = Lookup::of(site);
        let printed: Vec<(Read, Option<u64>)> =
            fresh.into_par_iter().map(|read| (read, reads::print(site, &look, read))).collect();
        self.prints.extend(printed.into_iter().filter_map(|(read, p)| Some((read, p?))));
        for m in made {
            let key = crate::render::target_key(site, m.target);
            let old = self.targets.get(&key).map(|r| &r.reads);
            if !self.unindexed {
                let fresh = m.reads.iter().filter(|r| old.is_none_or(|o| o.binary_search(r).is_err()));
                for &read in fresh {
                    self.readers.entry(read).or_default().push(key);
                    self.readers_len += 1;
                }
            }
            let files = m.paths().cloned().collect();
            self.targets.insert(key, Record { reads: m.reads.clone(), files });
        }
        if self.stamps.is_empty() {
            self.stamps = stamps_of(site).collect();
        }
        self.compact();
    }

    /// Forgets a target that no longer exists; returns the files it wrote.
    pub(super) fn forget(&mut self, key: &TargetKey) -> Vec<PathBuf> {
        self.targets.remove(key).map(|r| r.files).unwrap_or_default()
    }

    /// Rebuilds the reader index when stale entries outnumber live ones.
    fn compact(&mut self) {
        if self.unindexed {
            return;
        }
        let live: usize = self.targets.values().map(|r| r.reads.len()).sum();
        if self.readers_len <= 2 * live + 1024 {
            return;
        }
        self.readers.clear();
        for (key, record) in &self.targets {
            for &read in &record.reads {
                self.readers.entry(read).or_default().push(*key);
            }
        }
        self.readers_len = live;
    }
}

impl Records {
    /// What to keep on disk for a later run ([`Records::from_saved`]).
    pub(super) fn save(&self) -> SavedRef<'_> {
        let targets = self.targets.iter().map(|(k, r)| (*k, &r.reads[..], &r.files[..])).collect();
        let prints = self.prints.iter().map(|(r, p)| (*r, *p)).collect();
        let stamps: Vec<(&Key, &Stamp)> = self.stamps.iter().collect();
        let stamps = stamps.into_par_iter().map(|(k, s)| (*k, s.print(&|_, _| None))).collect();
        SavedRef { targets, prints, stamps }
    }

    /// Records without a reader index, for a build that diffs them once
    /// and saves them ([`Records::save`]) rather than following many edits.
    pub(super) fn unindexed() -> Records {
        Records { unindexed: true, ..Records::default() }
    }

    /// Records read back from an earlier run (without a reader index).
    pub(super) fn from_saved(saved: Saved) -> Records {
        Records {
            targets: saved.targets.into_iter().map(|(k, reads, files)| (k, Record { reads, files })).collect(),
            prints: saved.prints.into_iter().collect(),
            stamps: saved.stamps.into_iter().map(|(k, p)| (k, Stamp::Printed(p))).collect(),
            ..Records::unindexed()
        }
    }
}

/// The prints of a doc and its rendering when known without computing them
/// ([`crate::pipeline::Memo::saved_prints`]).
pub(super) type Known<'a> = &'a (dyn Fn(&Doc, &Arc<Rendered>) -> Option<(u64, u64)> + Sync);

impl Stamp {
    fn same_as(&self, other: &Stamp, known: Known<'_>) -> bool {
        match (self, other) {
            (Stamp::Held { doc, rendered, rest }, Stamp::Held { doc: d, rendered: r, rest: rest2 }) => {
                rest == rest2
                    && (Arc::ptr_eq(doc, d) || same_doc(doc, d))
                    && (Arc::ptr_eq(rendered, r) || same_rendered(rendered, r))
            }
            _ => self.print(known) == other.print(known),
        }
    }

    /// A hash of everything [`Stamp::same_as`] compares (the prints `known`
    /// gives taken as they are).
    fn print(&self, known: Known<'_>) -> u64 {
        match self {
            Stamp::Held { doc, rendered, rest } => {
                let prints = known(doc, rendered);
                let prints = prints.unwrap_or_else(|| (crate::pipeline::doc_print(doc), compact_print_of(&**rendered)));
                hash_of(&(prints, rest))
            }
            Stamp::Printed(print) => *print,
        }
    }
}

fn same_doc(a: &Doc, b: &Doc) -> bool {
    a.rel == b.rel
        && a.file == b.file
        && a.kind == b.kind
        && a.source == b.source
        && a.body_offset == b.body_offset
        && a.fm == b.fm
        && a.lead_h1 == b.lead_h1
}

/// Rendered markdown compared by what outputs can read of it (its
/// serialised form; findings are not part of any output).
fn same_rendered(a: &Rendered, b: &Rendered) -> bool {
    serde_json::to_vec(a).ok() == serde_json::to_vec(b).ok()
}

/// The stamp of every page and section.
fn stamps_of(site: &Site) -> impl Iterator<Item = (Key, Stamp)> + '_ {
    let pages = (0..site.pages.len()).map(|i| page_stamp(site, i));
    pages.chain((0..site.sections.len()).map(|i| section_stamp(site, i)))
}

/// A page's doc, rendered markdown, and a hash of the rest of its own data.
fn page_stamp(site: &Site, i: usize) -> (Key, Stamp) {
    let p = &site.pages[i];
    let rest = hash_of(&(&p.url, &p.tags, &p.redirects, site.sections[p.section].key));
    (p.key, Stamp::Held { doc: p.doc.clone(), rendered: p.rendered.clone(), rest })
}

fn section_stamp(site: &Site, i: usize) -> (Key, Stamp) {
    let s = &site.sections[i];
    let parent = s.parent.map(|p| site.sections[p].key);
    let rest = hash_of(&(&s.url, &s.redirects, s.implicit, s.folder_note, s.home, parent));
    (s.key, Stamp::Held { doc: s.doc.clone(), rendered: s.rendered.clone(), rest })
}
