//! The inverted index kept between edits (for [`super::live`]): word forms
//! and stems get ids that never change, each document keeps its impacts by
//! those ids, and a form counts the documents using it. The [`Index`] the
//! writers read is kept too and patched: an edit moves the postings lists to
//! their stems' new ranks and touches only the entries of the documents put,
//! removed or renumbered, so the result equals what [`index::build`] makes
//! of the same documents (a test runs many updates against full builds).

use super::index::{self, Counts, Index, Words};
use super::tokenize::Analyzer;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Default)]
pub struct Kept {
    forms: FxHashMap<String, u32>,
    /// By form id: the form, its stem id, and how many documents use it.
    form_info: Vec<(String, u32, u32)>,
    stem_ids: FxHashMap<String, u32>,
    stems: Vec<String>,
    /// By URL (the order the index lists documents in).
    docs: BTreeMap<String, Doc>,
    total_len: u64,
    /// The average length the kept impacts were computed with.
    avgdl: f32,
    /// Since the last index: each document put or removed, with its
    /// impacts and id as they were (none for a new one).
    before: BTreeMap<String, Was>,
    /// Since the last index: forms that came into use or went out of it.
    flipped: FxHashSet<u32>,
    /// The forms in use (form → stem id) and their stems (name → stem id,
    /// forms in use), in sorted order: the index lists them so.
    used_forms: BTreeMap<String, u32>,
    used_stems: BTreeMap<String, (u32, u32)>,
    /// The index as last put together, patched by the next, and the stem
    /// id at each of its ranks.
    built: Option<Index>,
    ranked: Vec<u32>,
}

/// Beyond this many forms coming into use or going out of it, the index
/// lists its forms and stems again rather than patching them.
const RELIST_AT_MOST: usize = 256;

/// A document's (stem id, impact) list and its id, as the last index had them.
type Was = (Vec<(u32, u8)>, Option<u32>);

struct Doc {
    /// (form id, stem id, per-field counts) of each form.
    forms: Vec<(u32, u32, Counts)>,
    len: u32,
    /// (stem id, impact) at `Kept::avgdl`, by stem id.
    impacts: Vec<(u32, u8)>,
    /// Its document id in the last index.
    id: Option<u32>,
}

/// What changed since the last index: the forms that came or went, the
/// stems whose postings differ (a document in or out, an impact, an id),
/// and of those the stems whose document frequency moved (a document in or
/// out: what the dictionary shows of a stem).
pub struct Changed {
    pub forms: BTreeSet<String>,
    pub stems: BTreeSet<String>,
    pub counted: BTreeSet<String>,
}

impl Kept {
    /// Puts a document's words in place of what `url` had.
    pub fn put(&mut self, url: &str, words: &Words, analyzer: &Analyzer) {
        self.remove(url);
        let forms: Vec<(u32, u32, Counts)> = words
            .counts()
            .map(|(form, counts)| {
                let id = self.form_id(form, analyzer);
                let info = &mut self.form_info[id as usize];
                info.2 += 1;
                if info.2 == 1 {
                    self.flipped.insert(id);
                }
                (id, info.1, *counts)
            })
            .collect();
        self.total_len += u64::from(words.word_count());
        let doc = Doc { forms, len: words.word_count(), impacts: Vec::new(), id: None };
        self.docs.insert(url.to_string(), doc);
    }

    pub fn remove(&mut self, url: &str) {
        let Some(doc) = self.docs.remove(url) else {
            self.before.entry(url.to_string()).or_default();
            return;
        };
        for &(form, _, _) in &doc.forms {
            let info = &mut self.form_info[form as usize];
            info.2 -= 1;
            if info.2 == 0 {
                self.flipped.insert(form);
            }
        }
        self.total_len -= u64::from(doc.len);
        self.before.entry(url.to_string()).or_insert((doc.impacts, doc.id));
    }

    fn form_id(&mut self, form: &str, analyzer: &Analyzer) -> u32 {
        if let Some(&id) = self.forms.get(form) {
            return id;
        }
        let stem = analyzer.stem(form);
        let stem_id = match self.stem_ids.get(&stem) {
            Some(&s) => s,
            None => {
                let s = self.stems.len() as u32;
                self.stem_ids.insert(stem.clone(), s);
                self.stems.push(stem);
                s
            }
        };
        let id = self.form_info.len() as u32;
        self.forms.insert(form.to_string(), id);
        self.form_info.push((form.to_string(), stem_id, 0));
        id
    }

    /// Brings the index of the documents kept ([`Kept::built`]) up to date,
    /// as [`index::build`] makes it, and says what changed since the last
    /// one (`None`: anything may have, as when the average length moved and
    /// with it every impact). The index is patched in place: only the
    /// postings of the documents put, removed or renumbered since are touched.
    pub fn index(&mut self) -> Option<Changed> {
        let avgdl = index::quantised(self.total_len, self.docs.len());
        let stale = avgdl != self.avgdl || self.built.is_none();
        self.avgdl = avgdl;
        for doc in self.docs.values_mut().filter(|d| stale || d.impacts.is_empty()) {
            doc.impacts = index::impacts_of(doc.forms.iter().map(|(_, s, c)| (*s, c)), doc.len, avgdl);
        }
        let relisted = !self.flipped.is_empty();
        self.settle_flipped();
        let rank = self.ranks();
        let ids = index::assign_ids(self.docs.keys().map(String::as_str));
        let changed = (!stale).then(|| self.changed(&ids));
        let mut built = self.built.take().unwrap_or_else(|| Index {
            ids: Vec::new(),
            forms: Vec::new(),
            stems: Vec::new(),
            postings: Vec::new(),
            avgdl,
        });
        if stale {
            built.postings = self.postings(&rank, &ids);
        } else {
            self.patch_postings(&mut built, &rank, &ids);
        }
        if stale || self.flipped.len() > RELIST_AT_MOST {
            built.forms = self.used_forms.iter().map(|(f, &s)| (f.clone(), rank[s as usize])).collect();
            built.stems = self.used_stems.keys().cloned().collect();
        } else if relisted {
            self.relist(&mut built, &rank);
        }
        for (doc, &id) in self.docs.values_mut().zip(&ids) {
            doc.id = Some(id);
        }
        (self.before, self.flipped) = Default::default();
        (built.ids, built.avgdl) = (ids, avgdl);
        self.ranked = self.used_stems.values().map(|&(s, _)| s).collect();
        self.built = Some(built);
        changed
    }

    /// The index as [`Kept::index`] last brought it up to date.
    pub fn built(&self) -> &Index {
        self.built.as_ref().expect("Kept::index runs before Kept::built")
    }

    /// The stems of the documents whose id in the last index is one of `ids`.
    pub fn stems_of(&self, ids: &FxHashSet<u32>) -> BTreeSet<String> {
        let docs = self.docs.values().filter(|d| d.id.is_some_and(|id| ids.contains(&id)));
        docs.flat_map(|d| d.impacts.iter().map(|&(s, _)| self.stems[s as usize].clone())).collect()
    }

    /// Patches the sorted forms and stems of `built` with the forms that came
    /// into use or went out of it (a few, so moving the rest in place is
    /// cheaper than listing them all again), and gives every form its stem's
    /// new `rank`.
    fn relist(&self, built: &mut Index, rank: &[u32]) {
        let find = |forms: &[(String, u32)], form: &str| forms.binary_search_by(|(g, _)| g.as_str().cmp(form));
        let mut came = Vec::new();
        for &f in &self.flipped {
            let (form, stem, used) = &self.form_info[f as usize];
            match (find(&built.forms, form), *used > 0) {
                (Ok(at), false) => drop(built.forms.remove(at)),
                (Err(_), true) => came.push((form, *stem)),
                _ => {}
            }
            let name = &self.stems[*stem as usize];
            match (built.stems.binary_search(name), self.used_stems.contains_key(name)) {
                (Ok(at), false) => drop(built.stems.remove(at)),
                (Err(at), true) => built.stems.insert(at, name.clone()),
                _ => {}
            }
        }
        // Ranks moved with the stems that came or went; a stem leaves only with its last form.
        let moved: Vec<u32> = self.ranked.iter().map(|&stem| rank[stem as usize]).collect();
        for (_, r) in built.forms.iter_mut() {
            *r = moved[*r as usize];
        }
        for (form, stem) in came {
            let at = find(&built.forms, form).expect_err("a form that came into use is not listed");
            built.forms.insert(at, (form.clone(), rank[stem as usize]));
        }
    }

    /// Each stem id's rank among the stems in use (`u32::MAX` for others).
    fn ranks(&self) -> Vec<u32> {
        let mut rank = vec![u32::MAX; self.stems.len()];
        for (r, &(s, _)) in self.used_stems.values().enumerate() {
            rank[s as usize] = r as u32;
        }
        rank
    }

    /// Moves the lists to the stems' new ranks, then takes out the entries
    /// of the documents put, removed or renumbered and adds their new ones.
    /// (Lists are in no particular order: writers sort them.)
    fn patch_postings(&self, built: &mut Index, rank: &[u32], ids: &[u32]) {
        let mut lists = std::mem::take(&mut built.postings);
        let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); self.used_stems.len()];
        for (old, &stem) in self.ranked.iter().enumerate() {
            if let Some(&r) = rank.get(stem as usize).filter(|&&r| r != u32::MAX) {
                postings[r as usize] = std::mem::take(&mut lists[old]);
            }
        }
        let mut out: Vec<(&[(u32, u8)], u32)> = Vec::new();
        let mut into: Vec<(&[(u32, u8)], u32)> = Vec::new();
        let by_url: FxHashMap<&str, u32> = self.docs.keys().map(String::as_str).zip(ids.iter().copied()).collect();
        for (url, (old, old_id)) in &self.before {
            if let Some(id) = old_id {
                out.push((old, *id));
            }
            if let (Some(doc), Some(&id)) = (self.docs.get(url), by_url.get(url.as_str())) {
                into.push((&doc.impacts, id));
            }
        }
        for ((url, doc), &id) in self.docs.iter().zip(ids) {
            if !self.before.contains_key(url) && doc.id.is_some_and(|old| old != id) {
                out.push((&doc.impacts, doc.id.expect("checked")));
                into.push((&doc.impacts, id));
            }
        }
        for (impacts, id) in out {
            for &(stem, _) in impacts {
                let Some(list) = rank.get(stem as usize).and_then(|&r| postings.get_mut(r as usize)) else { continue };
                if let Some(at) = list.iter().position(|&(d, _)| d == id) {
                    list.swap_remove(at);
                }
            }
        }
        for (impacts, id) in into {
            for &(stem, impact) in impacts {
                postings[rank[stem as usize] as usize].push((id, impact));
            }
        }
        built.postings = postings;
    }

    /// Brings the sorted forms and stems in use up to date with the forms
    /// that came into use or went out of it.
    fn settle_flipped(&mut self) {
        for &f in &self.flipped {
            let (form, stem, used) = &self.form_info[f as usize];
            let name = &self.stems[*stem as usize];
            let listed = self.used_forms.contains_key(form);
            if *used > 0 && !listed {
                self.used_forms.insert(form.clone(), *stem);
                self.used_stems.entry(name.clone()).or_insert((*stem, 0)).1 += 1;
            } else if *used == 0 && listed {
                self.used_forms.remove(form);
                let entry = self.used_stems.get_mut(name).expect("a listed form's stem is listed");
                entry.1 -= 1;
                if entry.1 == 0 {
                    self.used_stems.remove(name);
                }
            }
        }
    }

    /// Per stem (by rank): (document id, impact) of each document using it,
    /// in document order; each list allocated once at its length.
    fn postings(&self, rank: &[u32], ids: &[u32]) -> Vec<Vec<(u32, u8)>> {
        let mut lengths = vec![0usize; self.used_stems.len()];
        for doc in self.docs.values() {
            for &(stem, _) in &doc.impacts {
                lengths[rank[stem as usize] as usize] += 1;
            }
        }
        let mut postings: Vec<Vec<(u32, u8)>> = lengths.into_iter().map(Vec::with_capacity).collect();
        for (id, doc) in ids.iter().zip(self.docs.values()) {
            for &(stem, impact) in &doc.impacts {
                postings[rank[stem as usize] as usize].push((*id, impact));
            }
        }
        postings
    }

    /// The forms that came or went and the stems whose postings differ,
    /// given the new `ids` (in document order).
    fn changed(&self, ids: &[u32]) -> Changed {
        let mut stems: FxHashSet<u32> = FxHashSet::default();
        let mut counted: FxHashSet<u32> = FxHashSet::default();
        let all_of = |stems: &mut FxHashSet<u32>, impacts: &[(u32, u8)]| stems.extend(impacts.iter().map(|&(s, _)| s));
        let mut new_ids: FxHashMap<&str, u32> = FxHashMap::default();
        for ((url, doc), &id) in self.docs.iter().zip(ids) {
            if self.before.contains_key(url) {
                new_ids.insert(url, id);
            } else if doc.id != Some(id) {
                // Not edited, but its id moved (a new page took its slot): all its postings moved.
                all_of(&mut stems, &doc.impacts);
            }
        }
        for (url, (old, old_id)) in &self.before {
            let new = self.docs.get(url).map_or(&[][..], |d| &d.impacts[..]);
            counted.extend(one_sided(old, new));
            if *old_id != new_ids.get(url.as_str()).copied() {
                all_of(&mut stems, old);
                all_of(&mut stems, new);
            } else {
                // The stems in one and not the other, or with another impact.
                let old: FxHashSet<&(u32, u8)> = old.iter().collect();
                let new_set: FxHashSet<&(u32, u8)> = new.iter().collect();
                stems.extend(old.symmetric_difference(&new_set).map(|(s, _)| *s));
            }
        }
        Changed {
            forms: self.flipped.iter().map(|&f| self.form_info[f as usize].0.clone()).collect(),
            stems: stems.into_iter().map(|s| self.stems[s as usize].clone()).collect(),
            counted: counted.into_iter().map(|s| self.stems[s as usize].clone()).collect(),
        }
    }
}

/// The stem ids in one of two (stem id, impact) lists and not in the other.
fn one_sided(a: &[(u32, u8)], b: &[(u32, u8)]) -> Vec<u32> {
    let ids = |list: &[(u32, u8)]| list.iter().map(|&(s, _)| s).collect::<FxHashSet<u32>>();
    ids(a).symmetric_difference(&ids(b)).copied().collect()
}
