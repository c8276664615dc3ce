//! The search index kept between builds, for the dev server: an edit
//! re-analyses only the pages it changed (analysis is most of the cost of a
//! full index) and yields only the index files whose bytes changed. It is a
//! pure function of the previous state and the changed pages: no files are
//! read or written here.

use super::index::{self, analyse, Words};
use super::kept::{Changed, Kept};
use super::shards::{Layout, Touched};
use super::synonyms::Synonyms;
use super::tokenize::Analyzer;
use super::{cards, fragments, shards, OwnedEntry, Snapshot, CLIENT_JS};
use crate::output::Output;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

/// The index of a site: each page's entry, the inverted index kept, and a hash of every file.
pub struct Live {
    language: String,
    synonyms: Vec<Vec<String>>,
    /// By URL.
    docs: BTreeMap<String, Doc>,
    /// Hash of each index file's bytes, by output path.
    files: BTreeMap<String, u64>,
    /// How the files were cut last time.
    layout: Layout,
    /// The inverted index, kept so an edit touches only its pages.
    kept: Kept,
    /// Each card's stem frequency and documents as last written, by stem.
    cards: BTreeMap<String, Card>,
}

/// A card as last written: its stem's document frequency and its documents (id, impact).
type Card = (usize, Vec<(u32, u8)>);

struct Doc {
    entry: OwnedEntry,
    /// The document id its fragment was last written under.
    id: Option<u32>,
}

/// What an update changes on disk.
#[derive(Default)]
pub struct Changes {
    /// Files that are new or whose bytes changed.
    pub write: Vec<Output>,
    /// Paths of index files that no longer exist.
    pub delete: Vec<String>,
    /// How many files were made to find these (the cost of the update).
    pub made: usize,
}

impl Live {
    /// The index of every page in `snapshot`, and all its files (those
    /// [`Snapshot::outputs`] makes).
    pub fn new(snapshot: Snapshot) -> (Live, Vec<Output>) {
        let Snapshot { language, synonyms, entries } = snapshot;
        let mut live = Live {
            language,
            synonyms,
            docs: BTreeMap::new(),
            files: BTreeMap::new(),
            layout: Layout::default(),
            kept: Kept::default(),
            cards: BTreeMap::new(),
        };
        live.put(entries);
        let changes = live.refresh(&BTreeSet::new(), true);
        (live, changes.write)
    }

    /// The index after `changed` pages (added or edited, matched by URL) and
    /// without the pages at `removed` URLs, with the files that differ from
    /// before. A change of language or synonyms re-analyses every page.
    pub fn update(mut self, changed: Snapshot, removed: &[String]) -> (Live, Changes) {
        let Snapshot { language, synonyms, entries } = changed;
        let settings_changed = language != self.language || synonyms != self.synonyms;
        if settings_changed {
            self.language = language;
            self.synonyms = synonyms;
            let all: Vec<OwnedEntry> = std::mem::take(&mut self.docs).into_values().map(|d| d.entry).collect();
            self.kept = Kept::default();
            self.put(all);
        }
        let dirty: BTreeSet<String> = entries.iter().map(|e| e.url.clone()).collect();
        for url in removed {
            self.docs.remove(url);
            self.kept.remove(url);
        }
        let mut clock = crate::progress::StageClock::new();
        self.put(entries);
        clock.lap("s:put");
        let changes = self.refresh(&dirty, settings_changed);
        (self, changes)
    }

    /// The index of the site `snapshot` shows now: the pages that differ
    /// from the ones it holds are analysed again, the ones gone removed.
    pub fn follow(self, snapshot: Snapshot) -> (Live, Changes) {
        let mut clock = crate::progress::StageClock::new();
        let Snapshot { language, synonyms, entries } = snapshot;
        let now: BTreeSet<&str> = entries.iter().map(|e| e.url.as_str()).collect();
        let removed: Vec<String> = self.docs.keys().filter(|u| !now.contains(u.as_str())).cloned().collect();
        let changed: Vec<OwnedEntry> =
            entries.into_iter().filter(|e| !self.docs.get(&e.url).is_some_and(|d| d.entry.same_as(e))).collect();
        clock.lap("s:diff");
        self.update(Snapshot { language, synonyms, entries: changed }, &removed)
    }

    /// Analyses `entries` (in parallel) and files them by URL.
    fn put(&mut self, entries: Vec<OwnedEntry>) {
        let synonyms = Synonyms::new(&self.synonyms);
        let words: Vec<Words> = entries.par_iter().map(|e| analyse(&e.as_entry(), &synonyms)).collect();
        let analyzer = Analyzer::for_language(&self.language);
        for (entry, words) in entries.into_iter().zip(words) {
            self.kept.put(&entry.url, &words, &analyzer);
            let id = self.docs.get(&entry.url).and_then(|d| d.id);
            self.docs.insert(entry.url.clone(), Doc { entry, id });
        }
    }

    /// Puts the index together from what is kept, writes the shards of what
    /// changed since (all when `everything`), the tag files and the fragments of
    /// `dirty` pages and of pages whose id moved, and keeps the files whose
    /// bytes differ from the last ones.
    fn refresh(&mut self, dirty: &BTreeSet<String>, everything: bool) -> Changes {
        let mut clock = crate::progress::StageClock::new();
        let changed = self.kept.index();
        let index = self.kept.built();
        let touched = changed.filter(|_| !everything);
        let everything = touched.is_none();
        let docs: Vec<&Doc> = self.docs.values().collect();
        clock.lap("s:rebuild");
        let entries: Vec<_> = docs.iter().map(|d| d.entry.as_entry()).collect();
        let (mut out, mut scope) = Self::shards(&mut self.layout, index, touched.as_ref());
        clock.lap("s:shards");
        let stale: FxHashSet<u32> = docs
            .iter()
            .zip(&index.ids)
            .filter(|(d, &id)| d.id != Some(id) || dirty.contains(&d.entry.url))
            .map(|(_, &id)| id)
            .collect();
        let changed = touched.as_ref().filter(|_| scope.is_some());
        let (card_out, card_paths) =
            Self::cards(&mut self.cards, self.layout.split(), &self.kept, &entries, changed, &stale);
        out.extend(card_out);
        if let (Some(scope), Some(paths)) = (scope.as_mut(), card_paths) {
            scope.extend(paths);
        }
        clock.lap("s:cards");
        out.extend(fragments::tags(index, &entries));
        clock.lap("s:tags");
        out.extend(docs.iter().zip(&entries).zip(&index.ids).filter_map(|((d, e), &id)| {
            let stale = everything || d.id != Some(id) || dirty.contains(&d.entry.url);
            stale.then(|| fragments::fragment(e, id))
        }));
        out.push(Output::new("search/search.js", CLIENT_JS));
        let in_use: FxHashSet<u32> = index.ids.iter().copied().collect();
        let ids: Vec<u32> = index.ids.clone();
        drop(entries);
        for (doc, id) in self.docs.values_mut().zip(ids) {
            doc.id = Some(id);
        }
        if let Some(scope) = scope.as_mut() {
            // Tag files are written whole each time (any not written is
            // gone), and the fragments of ids no page has now are gone.
            scope.extend(under(&self.files, "search/g/").cloned());
            scope.extend(under(&self.files, fragments::FOLDER).filter(|p| !fragment_in_use(p, &in_use)).cloned());
        }
        clock.lap("s:frags");
        let changes = self.keep_changed(out, &in_use, scope.as_ref());
        clock.lap("s:keep");
        changes
    }

    /// The shard files of what changed: the forms that came or went, the
    /// stems whose postings differ, and every form of the stems whose
    /// document frequency moved (the dictionary shows it); or all of them when nothing says
    /// what changed or the layout changed. Also the paths those files could
    /// have (`None`: every path).
    fn shards(
        last: &mut Layout,
        index: &index::Index,
        changed: Option<&Changed>,
    ) -> (Vec<Output>, Option<BTreeSet<String>>) {
        let Some(changed) = changed else {
            let (out, layout, _) = shards::write_some(index, None);
            *last = layout;
            return (out, None);
        };
        let stems = &changed.stems;
        let counted = changed.counted.iter().filter_map(|s| index.stems.binary_search(s).ok());
        let ids: FxHashSet<u32> = counted.map(|s| s as u32).collect();
        let mut forms = changed.forms.clone();
        forms.extend(index.forms.iter().filter(|(_, s)| ids.contains(s)).map(|(f, _)| f.clone()));
        let (out, layout, paths) = shards::write_some(index, Some(&Touched { forms: &forms, stems }));
        if layout != *last {
            return Self::shards(last, index, None);
        }
        (out, Some(paths))
    }

    /// The cards an update changed (all without `changed`), and the paths
    /// those cards could have (`None`: every path); `written` is each card's stem
    /// frequency and documents as last written. A card holds its documents' text, so one
    /// is due when its documents, their impacts or its stem's frequency
    /// moved, or when it shows a `stale` page (edited or renumbered); those
    /// pages' stems and the stems whose postings differ are the only ones
    /// whose cards can have moved.
    fn cards(
        written: &mut BTreeMap<String, Card>,
        split: &BTreeSet<String>,
        kept: &Kept,
        entries: &[index::Entry<'_>],
        changed: Option<&Changed>,
        stale: &FxHashSet<u32>,
    ) -> (Vec<Output>, Option<BTreeSet<String>>) {
        let index = kept.built();
        let Some(changed) = changed else {
            let chosen = cards::choose(index, split, None);
            let out = cards::write_chosen(index, entries, &chosen).collect::<Vec<_>>();
            let df = |s: u32| index.postings[s as usize].len();
            *written = chosen.into_iter().map(|(s, top)| (index.stems[s as usize].clone(), (df(s), top))).collect();
            return (out, None);
        };
        let mut clock = crate::progress::StageClock::new();
        let mut candidates = kept.stems_of(stale);
        candidates.extend(changed.stems.iter().cloned());
        clock.lap("c:stems");
        let chosen = cards::choose(index, split, Some(&candidates));
        clock.lap_with(|| format!("c:choose {}", chosen.len()));
        let mut paths = BTreeSet::new();
        let carded: BTreeSet<&str> = chosen.iter().map(|(s, _)| index.stems[*s as usize].as_str()).collect();
        for name in &candidates {
            if !carded.contains(name.as_str()) && written.remove(name).is_some() {
                paths.insert(cards::path(name));
            }
        }
        let mut due = Vec::new();
        for (s, top) in chosen {
            let name = &index.stems[s as usize];
            let card = (index.postings[s as usize].len(), top);
            if card.1.iter().any(|(id, _)| stale.contains(id)) || written.get(name) != Some(&card) {
                paths.insert(cards::path(name));
                due.push((s, card.1.clone()));
                written.insert(name.clone(), card);
            }
        }
        clock.lap_with(|| format!("c:due {}", due.len()));
        let out = cards::write_chosen(index, entries, &due).collect::<Vec<_>>();
        clock.lap("c:write");
        (out, Some(paths))
    }

    /// The outputs whose bytes are new, and the files that are gone: every
    /// file in `scope` (all files without one) not written this time, except
    /// the fragments of the ids `in_use`.
    fn keep_changed(&mut self, out: Vec<Output>, in_use: &FxHashSet<u32>, scope: Option<&BTreeSet<String>>) -> Changes {
        let mut changes = Changes { made: out.len(), ..Changes::default() };
        let mut seen = FxHashSet::default();
        for o in out {
            let path = o.path.to_string_lossy().into_owned();
            let hash = index::fnv1a64(&o.bytes);
            seen.insert(path.clone());
            if self.files.insert(path, hash) != Some(hash) {
                changes.write.push(o);
            }
        }
        let candidates: Vec<&String> = match scope {
            Some(scope) => scope.iter().filter(|p| self.files.contains_key(*p)).collect(),
            None => self.files.keys().collect(),
        };
        let gone: Vec<String> =
            candidates.into_iter().filter(|p| !seen.contains(*p) && !fragment_in_use(p, in_use)).cloned().collect();
        for path in gone {
            self.files.remove(&path);
            changes.delete.push(path);
        }
        changes
    }
}

/// The paths in `files` under `folder` (which ends in `/`): a range of the sorted map.
fn under<'f>(files: &'f BTreeMap<String, u64>, folder: &'f str) -> impl Iterator<Item = &'f String> {
    let from = files.range::<str, _>((Bound::Included(folder), Bound::Unbounded));
    from.map(|(p, _)| p).take_while(move |p| p.starts_with(folder))
}

/// True when `path` is the fragment file of one of the ids `in_use`.
fn fragment_in_use(path: &str, in_use: &FxHashSet<u32>) -> bool {
    fragments::id_of(path).is_some_and(|id| in_use.contains(&id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::TextSection;

    fn page(url: &str, title: &str, text: &str) -> OwnedEntry {
        OwnedEntry {
            url: url.into(),
            title: title.into(),
            aliases: vec![],
            group: String::new(),
            description: None,
            tags: vec!["notes".into()],
            sections: super::super::Text::Own(vec![TextSection {
                id: None,
                heading: String::new(),
                text: text.into(),
            }]),
        }
    }

    fn snapshot(entries: Vec<OwnedEntry>) -> Snapshot {
        Snapshot { language: "en".into(), synonyms: vec![vec!["ct".into(), "countertransference".into()]], entries }
    }

    fn site(extra: &[OwnedEntry]) -> Vec<OwnedEntry> {
        let mut pages: Vec<OwnedEntry> = (0..40)
            .map(|i| page(&format!("/p{i}/"), &format!("Page {i}"), &format!("rupture repair word{i} session {i}")))
            .collect();
        pages.extend(extra.iter().map(|e| page(&e.url, &e.title, &e.text()[0].text)));
        pages
    }

    fn full(entries: Vec<OwnedEntry>) -> BTreeMap<String, Vec<u8>> {
        snapshot(entries).outputs().into_iter().map(|o| (o.path.to_string_lossy().into_owned(), o.bytes)).collect()
    }

    #[test]
    fn an_update_writes_exactly_the_files_a_full_build_changes() {
        let (live, first) = Live::new(snapshot(site(&[])));
        let first: BTreeMap<String, Vec<u8>> =
            first.into_iter().map(|o| (o.path.to_string_lossy().into_owned(), o.bytes)).collect();
        let before = full(site(&[]));
        assert_eq!(first, before, "a new Live writes what a full build writes");

        // Edit one page (a new word), add one, remove one.
        let edited = page("/p3/", "Page 3", "rupture repair word3 session 3 zebrafinch countertransference");
        let added = page("/new/", "New page", "a brand new quillwort page");
        let mut pages = site(std::slice::from_ref(&added));
        pages[3] = page(&edited.url, &edited.title, &edited.text()[0].text);
        pages.retain(|p| p.url != "/p7/");
        let after = full(pages);

        let (_, changes) = live.update(snapshot(vec![edited, added]), &["/p7/".to_string()]);
        let written: BTreeMap<String, Vec<u8>> =
            changes.write.into_iter().map(|o| (o.path.to_string_lossy().into_owned(), o.bytes)).collect();
        let expected: BTreeSet<&String> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
        assert_eq!(written.keys().collect::<BTreeSet<_>>(), expected, "only the files whose bytes changed");
        for (path, bytes) in &written {
            assert_eq!(Some(bytes), after.get(path), "{path} as a full build writes it");
        }
        let gone: BTreeSet<String> = before.keys().filter(|p| !after.contains_key(*p)).cloned().collect();
        assert_eq!(changes.delete.into_iter().collect::<BTreeSet<_>>(), gone, "the removed page's files go");
        assert!(written.len() < after.len() / 4, "{} of {} files rewritten", written.len(), after.len());
    }

    #[test]
    fn following_a_whole_snapshot_finds_the_changed_and_removed_pages_itself() {
        let (live, _) = Live::new(snapshot(site(&[])));
        let now = || {
            let mut pages = site(&[]);
            pages[2] = page("/p2/", "Page 2", "rupture repair word2 session 2 quillwort");
            pages.retain(|p| p.url != "/p9/");
            pages
        };
        let (after, pages) = (full(now()), now());
        let (_, changes) = live.follow(snapshot(pages));
        for o in &changes.write {
            assert_eq!(Some(&o.bytes), after.get(&*o.path.to_string_lossy()), "{}", o.path.display());
        }
        assert!(changes.write.iter().any(|o| o.path.to_string_lossy().starts_with("search/d/qu")));
        assert!(!changes.delete.is_empty(), "the removed page's fragment goes");
        assert!(changes.made < 40, "made {} files", changes.made);
    }

    /// Many updates in a row (edits, new words, pages added and removed, ids
    /// moving) leave exactly the files a full build of the same pages writes.
    #[test]
    fn a_run_of_updates_keeps_the_files_equal_to_a_full_build() {
        let words = ["rupture", "repair", "alliance", "boundary", "quillwort", "zebrafinch", "tasks", "goals"];
        let mut seed: u64 = 7;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let text = |k: usize, v: usize| format!("session {k} {} {} word{v}", words[k % 8], words[v % 8]);
        let mut pages: BTreeMap<String, (String, String)> =
            (0..30).map(|i| (format!("/p{i}/"), (format!("Page {i}"), text(i, i)))).collect();
        let make = |pages: &BTreeMap<String, (String, String)>| {
            pages.iter().map(|(u, (t, b))| page(u, t, b)).collect::<Vec<_>>()
        };
        let (mut live, first) = Live::new(snapshot(make(&pages)));
        let mut served: BTreeMap<String, Vec<u8>> =
            first.into_iter().map(|o| (o.path.to_string_lossy().into_owned(), o.bytes)).collect();
        for step in 0..40 {
            match next(3) {
                0 => {
                    let url = format!("/p{}/", next(30));
                    pages.insert(url, (format!("Page {step}"), text(next(50), step)));
                }
                1 => {
                    let url = format!("/n{step}/");
                    pages.insert(url, (format!("New {step}"), text(step, next(50))));
                }
                _ => {
                    let url = pages.keys().nth(next(pages.len())).cloned().unwrap();
                    pages.remove(&url);
                }
            }
            let changes;
            (live, changes) = live.follow(snapshot(make(&pages)));
            for o in changes.write {
                served.insert(o.path.to_string_lossy().into_owned(), o.bytes);
            }
            for path in changes.delete {
                served.remove(&path);
            }
            assert_eq!(served, full(make(&pages)), "after step {step}");
        }
    }

    #[test]
    fn a_new_word_makes_only_the_files_of_its_forms() {
        let (live, all) = Live::new(snapshot(site(&[])));
        let edited = page("/p5/", "Page 5", "rupture repair word5 session 5 quillwort");
        let mut pages = site(&[]);
        pages[5] = page(&edited.url, &edited.title, &edited.text()[0].text);
        let after = full(pages);
        let (_, changes) = live.update(snapshot(vec![edited]), &[]);
        for o in &changes.write {
            assert_eq!(Some(&o.bytes), after.get(&*o.path.to_string_lossy()), "{}", o.path.display());
        }
        let paths: BTreeSet<String> = changes.write.iter().map(|o| o.path.to_string_lossy().into_owned()).collect();
        assert!(paths.iter().any(|p| p.starts_with("search/f/")), "the page's fragment: {paths:?}");
        assert!(paths.iter().any(|p| p.starts_with("search/d/qu")), "the new word's shard: {paths:?}");
        assert!(changes.made < all.len() / 2, "made {} files of {}", changes.made, all.len());
        assert!(changes.delete.is_empty());
    }
}
