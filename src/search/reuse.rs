//! What a warm build may keep of the last search index. Each fragment and
//! card file is listed with a print of everything it is made from: for a
//! fragment, its page's entry and document id; for a card, its stem, the
//! stem's document frequency and word forms, and its documents with their
//! impacts and entries. A file whose print is the one the last build
//! recorded is left as that build wrote it, without being made again; the
//! others, and every other index file, are made as a cold build makes them.
//! Making a file is a pure function of those inputs, so keeping it is exact.

use super::index::{self, Entry, Index};
use super::shards::{Made, Raw};
use super::{cards, fragments};
use crate::diagnostic::Diagnostic;
use crate::output::{Output, Sink};
use crate::prints::hash_of;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// Each fragment's and card's print, by output path, and each document's
/// analysis ([`index::Analyses`]).
#[derive(Default, Serialize, Deserialize)]
pub struct Sources {
    files: FxHashMap<String, u64>,
    pub(super) analyses: index::Analyses,
}

/// The index files of a build: those made (held, or handed to its sink as
/// they are made), those kept as the last build wrote them, and what the
/// next build may keep.
#[derive(Default)]
pub struct Files<'s> {
    pub outputs: Vec<Output>,
    /// The paths of the files handed to `sink` (not in `outputs`).
    pub sunk: Vec<PathBuf>,
    pub kept: Vec<PathBuf>,
    pub sources: Sources,
    sink: Option<Sink<'s>>,
}

impl Sources {
    /// Whether this build's sources made `path` from `print`.
    pub(super) fn made(&self, path: &str, print: u64) -> bool {
        self.files.get(path) == Some(&print)
    }

    /// Forgets a file that is no longer the index's own (a copied file took
    /// its path), so no later build keeps it.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(&crate::output::slashed(path));
    }
}

impl<'s> Files<'s> {
    /// Files whose outputs go to `sink` as they are made, when there is one.
    pub fn handed_to(sink: Option<Sink<'s>>) -> Files<'s> {
        Files { sink, ..Files::default() }
    }

    /// Adds files made: handed to the sink, or held.
    pub(super) fn add(&mut self, made: impl ParallelIterator<Item = Output>) -> Result<(), Diagnostic> {
        match self.sink {
            Some(put) => {
                let sunk: Result<Vec<PathBuf>, Diagnostic> = made.map(|o| put(&o).map(|()| o.path)).collect();
                self.sunk.extend(sunk?);
            }
            None => self.outputs.par_extend(made),
        }
        Ok(())
    }

    /// Keeps `path` when `last` made it from the same print; says whether it did.
    fn keep(&mut self, last: &Sources, path: String, print: u64) -> bool {
        let same = last.files.get(&path) == Some(&print);
        if same {
            self.kept.push(PathBuf::from(&path));
        }
        self.sources.files.insert(path, print);
        same
    }
}

/// Every field of an entry, hashed.
pub(super) fn entry_print(e: &Entry<'_>) -> u64 {
    let mut h = FxHasher::default();
    (&e.url, &e.title, &e.aliases, &e.group, e.description, e.tags).hash(&mut h);
    for s in e.sections.iter() {
        (&s.id, &s.heading, &s.text).hash(&mut h);
    }
    h.finish()
}

/// The manifest, dictionary shards and postings: each kept when its print
/// (or its bytes before compression, without one) is as last time
/// (compressing is most of their cost); those not even made are kept.
pub(super) fn shards(made: Made, last: &Sources, files: &mut Files<'_>) -> Result<(), Diagnostic> {
    for (path, print) in made.same {
        files.keep(last, path, print);
    }
    let print = |r: &Raw| r.print.unwrap_or_else(|| hash_of(&r.bytes));
    let due: Vec<Raw> = made.raw.into_iter().filter(|r| !files.keep(last, r.path.clone(), print(r))).collect();
    files.add(due.into_par_iter().map(Raw::output))
}

/// The fragments: those of entries whose print and id are as last time are kept.
pub(super) fn fragments(
    index: &Index,
    entries: &[Entry<'_>],
    prints: &[u64],
    last: &Sources,
    files: &mut Files<'_>,
) -> Result<(), Diagnostic> {
    let due: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            let id = index.ids[i];
            !files.keep(last, fragments::path(id), hash_of(&(prints[i], id)))
        })
        .collect();
    files.add(due.into_par_iter().map(|i| fragments::fragment(&entries[i], index.ids[i])))?;
    files.add(fragments::tags(index, entries).into_par_iter())
}

/// The cards: those whose stem, frequency, forms and documents are as last time are kept.
pub(super) fn cards(
    index: &Index,
    entries: &[Entry<'_>],
    split: &BTreeSet<String>,
    prints: &[u64],
    last: &Sources,
    files: &mut Files<'_>,
) -> Result<(), Diagnostic> {
    let chosen = cards::choose(index, split, None);
    let by_id: FxHashMap<u32, usize> = index.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let forms = forms_of(index, chosen.iter().map(|(s, _)| *s).collect());
    let card_prints: Vec<u64> = chosen
        .par_iter()
        .map(|(stem, docs)| {
            let docs: Vec<(u32, u8, u64)> = docs.iter().map(|&(id, imp)| (id, imp, prints[by_id[&id]])).collect();
            let stem_id = *stem as usize;
            hash_of(&(&index.stems[stem_id], index.postings[stem_id].len(), forms.get(stem), docs))
        })
        .collect();
    let due: Vec<cards::Chosen> = chosen
        .into_iter()
        .zip(card_prints)
        .filter(|((stem, _), print)| !files.keep(last, cards::path(&index.stems[*stem as usize]), *print))
        .map(|(c, _)| c)
        .collect();
    files.add(cards::write_chosen(index, entries, &due))
}

/// A print of each of `stems`' word forms, in the index's order.
fn forms_of(index: &Index, stems: FxHashSet<u32>) -> FxHashMap<u32, u64> {
    let mut hashers: FxHashMap<u32, FxHasher> = FxHashMap::default();
    for (form, stem) in index.forms.iter().filter(|(_, s)| stems.contains(s)) {
        form.hash(hashers.entry(*stem).or_default());
    }
    hashers.into_iter().map(|(s, h)| (s, h.finish())).collect()
}
