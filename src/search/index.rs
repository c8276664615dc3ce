//! The inverted index in memory: every indexed document's words counted per
//! field, word forms mapped to stem groups, and per stem the documents with a
//! one-byte BM25F impact.
//!
//! Impacts depend only on the document itself and on a coarsely quantised
//! average length, so editing one page changes the postings of that page's
//! stems and nothing else; the client adds idf at query time from the stem's
//! document frequency. Document ids are hashed from URLs (with probing) for
//! the same reason: adding a page does not renumber the others.

use super::synonyms::Synonyms;
use super::tokenize::{for_each_word, Analyzer, Kind};
use crate::markdown::TextSection;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Fields of a document, in the order of [`WEIGHTS`].
#[derive(Clone, Copy)]
pub enum Field {
    Title = 0,
    Heading = 1,
    Tags = 2,
    Description = 3,
    Body = 4,
}

/// Field weights (BM25F): title > headings > tags/description > body.
pub const WEIGHTS: [f32; 5] = [3.0, 3.0, 2.0, 2.0, 1.0];
/// Added once, outside the saturation, when the title holds the term, so a
/// page named after the query outranks pages that merely repeat the word.
pub const TITLE_BONUS: f32 = 1.0;
pub const K1: f32 = 1.2;
pub const B: f32 = 0.75;
/// The largest impact, which the byte 255 stands for.
pub const MAX_IMPACT: f32 = K1 + 1.0 + TITLE_BONUS;
/// Documents analysed at once by [`build`].
const CHUNK: usize = 128;

/// One searchable document (a page, or a section page with text).
pub struct Entry<'a> {
    /// Full URL path with the base path: `/a/b/`.
    pub url: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// Other names of the page (Obsidian `aliases` that are not paths), indexed as titles.
    pub aliases: Vec<&'a str>,
    /// The title of the site section the page belongs to ("" at the top).
    pub group: Cow<'a, str>,
    pub description: Option<&'a str>,
    pub tags: &'a [String],
    /// The page's text by heading, then the text of the include fragments it embeds.
    pub sections: Cow<'a, [TextSection]>,
}

/// Per-field counts of one word form in one document.
pub type Counts = [u16; 5];

/// A document's words, and its length in words.
enum Analysed {
    /// Analysed by this build: (form id, counts) of each form.
    Counted { counts: Vec<(u32, Counts)>, len: u32 },
    /// As the last build summed it (see [`Analyses`]): its forms, and its
    /// impacts, each by one of the forms of its stem.
    Summed(super::packed::Doc),
}

impl Analysed {
    fn len(&self) -> u32 {
        match self {
            Analysed::Counted { len, .. } | Analysed::Summed((_, _, len)) => *len,
        }
    }
}

pub struct Index {
    /// Document id of each entry, same order as the entries.
    pub ids: Vec<u32>,
    /// (folded word form, index into `stems`), sorted by form.
    pub forms: Vec<(String, u32)>,
    /// Stems, sorted.
    pub stems: Vec<String>,
    /// Per stem: (document id, impact), in no particular order.
    pub postings: Vec<Vec<(u32, u8)>>,
    /// Quantised average document length the impacts were computed with.
    pub avgdl: f32,
}

pub fn build(entries: &[Entry<'_>], analyzer: &Analyzer, synonyms: &Synonyms) -> Index {
    build_reusing(entries, None, analyzer, synonyms, &Analyses::default()).0
}

/// Each document's analysis by a print of its entry (its form ids, its
/// impacts by form and its length), with the forms the ids name and their
/// stems: a later build takes the analysis of an entry with the same print
/// (analysis is a pure function of the entry and the synonyms) instead of
/// analysing it again, and the stem of a form it knows (stemming depends on
/// the language only). An impact depends on the document and the average
/// length alone, so it is kept by one of the forms of its stem, and holds
/// while the (quantised) average length does.
#[derive(Default, Serialize, Deserialize)]
pub struct Analyses {
    /// A print of the synonyms and the language.
    settings: u64,
    /// The average length the impacts were computed with.
    avgdl: f32,
    forms: Vec<String>,
    /// The stem of each of `forms`.
    stems: Vec<String>,
    #[serde(with = "super::packed")]
    docs: FxHashMap<u64, super::packed::Doc>,
}

/// [`build`], taking from `last` the analysis of each entry whose print
/// (`prints`, in entry order) it holds; returns the analyses for the next
/// (none without prints).
pub fn build_reusing(
    entries: &[Entry<'_>],
    printed: Option<&[u64]>,
    analyzer: &Analyzer,
    synonyms: &Synonyms,
    last: &Analyses,
) -> (Index, Analyses) {
    let mut clock = crate::progress::StageClock::new();
    let settings = crate::prints::hash_of(&(synonyms.print(), analyzer.language()));
    let known = |p: &u64| last.docs.get(p).filter(|_| last.settings == settings);
    let mut vocabulary = Vocabulary::default();
    let mut renumbered: Vec<Option<u32>> = vec![None; last.forms.len()];
    let mut numbered: Vec<Option<Analysed>> = Vec::with_capacity(entries.len());
    let unprinted = vec![0; entries.len()];
    let prints = printed.unwrap_or(&unprinted);
    // A chunk at a time: bounds the memory of per-document word maps. Forms
    // are numbered in order of first appearance, one document after another;
    // a known analysis is only scanned for forms new to the vocabulary here,
    // and renumbered below, in parallel.
    for (chunk, prints) in entries.chunks(CHUNK).zip(prints.chunks(CHUNK)) {
        let words: Vec<Option<Words>> =
            chunk.par_iter().zip(prints).map(|(e, p)| known(p).is_none().then(|| analyse(e, synonyms))).collect();
        for (words, p) in words.into_iter().zip(prints) {
            numbered.push(match (words, known(p)) {
                (Some(w), _) => Some(vocabulary.number(&w)),
                (None, Some((forms, _, _))) => {
                    vocabulary.meet(forms, &last.forms, &mut renumbered);
                    None
                }
                (None, None) => unreachable!("an entry is either analysed or known"),
            });
        }
    }
    let renumber = |(a, p): (Option<Analysed>, &u64)| {
        a.unwrap_or_else(|| renumbered_analysis(known(p).expect("an entry not analysed is known"), &renumbered))
    };
    let analysed: Vec<Analysed> = numbered.into_par_iter().zip(prints).map(renumber).collect();
    let avgdl = quantised_avgdl(&analysed);
    if avgdl != last.avgdl && analysed.iter().any(|a| matches!(a, Analysed::Summed(_))) {
        // Every kept impact is stale: analyse every entry again.
        return build_reusing(entries, printed, analyzer, synonyms, &Analyses::default());
    }
    clock.lap("i:analyse");
    // Forms met only through a known analysis have their stem from `last`.
    let mut known_stems: Vec<Option<&str>> = vec![None; vocabulary.forms.len()];
    for (old, new) in renumbered.iter().enumerate().filter(|_| last.settings == settings) {
        if let (Some(new), Some(stem)) = (new, last.stems.get(old)) {
            known_stems[*new as usize] = Some(stem.as_str());
        }
    }
    let urls = entries.iter().map(|e| &*e.url);
    let (index, stems, docs) = assemble(&vocabulary, analysed, avgdl, urls, analyzer, &known_stems);
    let next = match printed {
        Some(prints) => Analyses {
            settings,
            avgdl: index.avgdl,
            forms: vocabulary.forms,
            stems,
            docs: prints.iter().copied().zip(docs).collect(),
        },
        None => Analyses::default(),
    };
    clock.lap("i:assemble");
    (index, next)
}

/// The index of the analysed documents (their quantised average length
/// `avgdl`), the stem of each vocabulary form, and each document's analysis
/// summed (for [`Analyses`]).
fn assemble<'u>(
    vocabulary: &Vocabulary,
    analysed: Vec<Analysed>,
    avgdl: f32,
    urls: impl Iterator<Item = &'u str>,
    analyzer: &Analyzer,
    known_stems: &[Option<&str>],
) -> (Index, Vec<String>, Vec<super::packed::Doc>) {
    let (forms, stems, stem_of, stemmed) = stem_forms(vocabulary.forms.clone(), analyzer, known_stems);
    let ids = assign_ids(urls);
    let docs: Vec<super::packed::Doc> = analysed.into_par_iter().map(|a| summed(a, &stem_of, avgdl)).collect();
    let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); stems.len()];
    for (id, (_, impacts, _)) in ids.iter().zip(&docs) {
        for &(form, impact) in impacts {
            postings[stem_of[form as usize] as usize].push((*id, impact));
        }
    }
    (Index { ids, forms, stems, postings, avgdl }, stemmed, docs)
}

/// A document's word forms with their per-field counts, and its length in words.
#[derive(Clone)]
pub struct Words {
    counts: FxHashMap<String, Counts>,
    len: u32,
}

impl Words {
    /// The word forms of the document.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        self.counts.keys().map(String::as_str)
    }

    /// Each form with its per-field counts.
    pub fn counts(&self) -> impl Iterator<Item = (&str, &Counts)> {
        self.counts.iter().map(|(f, c)| (f.as_str(), c))
    }

    /// Its length in words.
    pub fn word_count(&self) -> u32 {
        self.len
    }
}

/// Every distinct form, numbered in order of first appearance.
#[derive(Default)]
struct Vocabulary {
    ids: FxHashMap<String, u32>,
    forms: Vec<String>,
}

impl Vocabulary {
    fn number(&mut self, words: &Words) -> Analysed {
        // In no particular order: impacts are summed by stem (see [`impacts_of`]).
        let counts = words.counts.iter().map(|(form, c)| (self.id_of(form), *c)).collect();
        Analysed::Counted { counts, len: words.len }
    }

    /// Numbers the forms of an analysis numbered by another vocabulary
    /// (`forms`) that this one has not met; `renumbered` maps the other's
    /// ids to this one's.
    fn meet(&mut self, ids: &[u32], forms: &[String], renumbered: &mut [Option<u32>]) {
        for &old in ids {
            if renumbered[old as usize].is_none() {
                renumbered[old as usize] = Some(self.id_of(&forms[old as usize]));
            }
        }
    }

    fn id_of(&mut self, form: &str) -> u32 {
        match self.ids.get(form) {
            Some(&id) => id,
            None => {
                let id = self.forms.len() as u32;
                self.forms.push(form.to_string());
                self.ids.insert(form.to_string(), id);
                id
            }
        }
    }
}

/// An analysis numbered by another vocabulary, numbered by this one
/// (`renumbered`, after [`Vocabulary::meet`] met all its forms).
fn renumbered_analysis((forms, impacts, len): &super::packed::Doc, renumbered: &[Option<u32>]) -> Analysed {
    let id = |old: u32| renumbered[old as usize].expect("every form of a known analysis was met");
    let impacts = impacts.iter().map(|&(form, impact)| (id(form), impact)).collect();
    Analysed::Summed((forms.iter().map(|&f| id(f)).collect(), impacts, *len))
}

/// Counts a document's words per field (synonyms added, see [`Synonyms`]).
pub fn analyse(e: &Entry<'_>, synonyms: &Synonyms) -> Words {
    let mut counts: FxHashMap<String, Counts> = FxHashMap::default();
    let mut len = 0;
    // (synonym group, field) of every member the document says.
    let mut said: Vec<(usize, usize)> = Vec::new();
    let mut recent: Vec<String> = Vec::new();
    let keep = synonyms.longest();
    let mut add = |field: Field, text: &str| {
        recent.clear();
        for_each_word(text, |w, kind| {
            count(&mut counts, w, field as usize);
            if kind == Kind::Extra {
                return;
            }
            len += 1;
            if keep > 0 {
                if recent.len() == keep {
                    recent.remove(0);
                }
                recent.push(w.to_string());
                said.extend(synonyms.ending_at(&recent).map(|g| (g, field as usize)));
            }
        })
    };
    add(Field::Title, &e.title);
    for alias in &e.aliases {
        add(Field::Title, alias);
    }
    add(Field::Description, e.description.unwrap_or(""));
    for tag in e.tags {
        add(Field::Tags, tag);
    }
    for s in e.sections.iter() {
        add(Field::Heading, &s.heading);
        add(Field::Body, &s.text);
    }
    said.sort_unstable();
    said.dedup();
    for (group, field) in said {
        for w in synonyms.words_of(group) {
            count(&mut counts, w, field);
        }
    }
    Words { counts, len }
}

fn count(counts: &mut FxHashMap<String, Counts>, w: &str, field: usize) {
    let c = match counts.get_mut(w) {
        Some(c) => c,
        None => counts.entry(w.to_string()).or_default(),
    };
    c[field] = c[field].saturating_add(1);
}

/// Stems every distinct form once (in parallel), unless `known` gives its
/// stem. Returns the sorted (form, stem index) list, the sorted stems, each
/// form id's stem index, and each form id's stem.
fn stem_forms(vocabulary: Vec<String>, analyzer: &Analyzer, known: &[Option<&str>]) -> Stemmed {
    let stem = |(i, f): (usize, &String)| match known.get(i).copied().flatten() {
        Some(s) => s.to_string(),
        None => analyzer.stem(f),
    };
    let stemmed: Vec<String> = vocabulary.par_iter().enumerate().map(stem).collect();
    let mut stems: Vec<String> = stemmed.iter().cloned().collect::<FxHashSet<_>>().into_iter().collect();
    stems.par_sort_unstable();
    let index: FxHashMap<&str, u32> = stems.iter().enumerate().map(|(i, s)| (s.as_str(), i as u32)).collect();
    let stem_of: Vec<u32> = stemmed.iter().map(|s| index[s.as_str()]).collect();
    let mut forms: Vec<(String, u32)> = vocabulary.into_iter().zip(stem_of.iter().copied()).collect();
    forms.par_sort_unstable();
    (forms, stems, stem_of, stemmed)
}

/// What [`stem_forms`] returns.
type Stemmed = (Vec<(String, u32)>, Vec<String>, Vec<u32>, Vec<String>);

/// The mean document length rounded to a quarter power of two, so that
/// ordinary edits leave it (and with it every other page's impacts) alone.
fn quantised_avgdl(analysed: &[Analysed]) -> f32 {
    let total: u64 = analysed.iter().map(|a| u64::from(a.len())).sum();
    quantised(total, analysed.len())
}

/// [`quantised_avgdl`] of `docs` documents `total` words long together.
pub fn quantised(total: u64, docs: usize) -> f32 {
    let mean = (total as f64 / docs.max(1) as f64).max(1.0);
    (2f64.powf((mean.log2() * 4.0).round() / 4.0)) as f32
}

/// BM25F saturation of a weighted term frequency, plus the title bonus,
/// scaled to a byte (1..=255). The client mirrors this formula.
pub fn impact(weighted_tf: f32, in_title: bool, len: u32, avgdl: f32) -> u8 {
    let norm = K1 * (1.0 - B + B * len as f32 / avgdl);
    let bonus = if in_title { TITLE_BONUS } else { 0.0 };
    let score = weighted_tf * (K1 + 1.0) / (weighted_tf + norm) + bonus;
    (score / MAX_IMPACT * 255.0).ceil().clamp(1.0, 255.0) as u8
}

/// A document's analysis as [`Analyses`] keeps it: its forms, and its
/// impact per stem by one of the stem's forms (`stem_of` maps a form to
/// its stem).
fn summed(a: Analysed, stem_of: &[u32], avgdl: f32) -> super::packed::Doc {
    match a {
        Analysed::Summed(doc) => doc,
        Analysed::Counted { counts, len } => {
            // Collected from slices, not in place: a warm state of 10,000
            // pages holds these, so they keep no room of the counts.
            let by_stem = counts.iter().map(|(form, c)| (stem_of[*form as usize], *form, c));
            let grouped = grouped_impacts(by_stem, len, avgdl);
            let impacts = grouped.iter().map(|&(_, form, impact)| (form, impact)).collect();
            (counts.iter().map(|&(form, _)| form).collect(), impacts, len)
        }
    }
}

/// A document's (stem, impact) list from its (stem, per-field counts) of
/// each form and its length. The weighted counts of a stem's forms are added
/// in value order, so the sum (and the byte) is the same whatever order the
/// forms came in: an index kept between edits numbers forms differently
/// from a fresh one, and must give the same impacts.
pub fn impacts_of<'c>(forms: impl Iterator<Item = (u32, &'c Counts)>, len: u32, avgdl: f32) -> Vec<(u32, u8)> {
    let grouped = grouped_impacts(forms.map(|(stem, c)| (stem, (), c)), len, avgdl);
    grouped.iter().map(|&(stem, (), impact)| (stem, impact)).collect()
}

/// [`impacts_of`], each stem's impact with the `T` of one of its forms.
fn grouped_impacts<'c, T: Copy>(
    forms: impl Iterator<Item = (u32, T, &'c Counts)>,
    len: u32,
    avgdl: f32,
) -> Vec<(u32, T, u8)> {
    let mut tf: Vec<(u32, f32, bool, T)> = forms
        .map(|(stem, t, counts)| {
            let weighted: f32 = counts.iter().zip(WEIGHTS).map(|(&c, w)| f32::from(c) * w).sum();
            (stem, weighted, counts[Field::Title as usize] > 0, t)
        })
        .collect();
    // By stem, then (within a stem of several forms, which is rare) by value:
    // the same order as one sort by the whole triple, for less.
    tf.sort_unstable_by_key(|f| f.0);
    let mut out: Vec<(u32, T, u8)> = Vec::with_capacity(tf.len());
    for group in tf.chunk_by_mut(|a, b| a.0 == b.0) {
        if group.len() > 1 {
            group.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.2.cmp(&b.2)));
        }
        let (weighted, title) = group.iter().fold((0.0, false), |(w, t), f| (w + f.1, t | f.2));
        out.push((group[0].0, group[0].3, impact(weighted, title, len, avgdl)));
    }
    out
}

/// Stable document ids: a hash of the URL in a space 8 to 16 times the page
/// count (still 3-byte varints at 10,000 pages), linear probing in URL order
/// on collision, so a new page rarely moves another.
pub fn assign_ids<'u>(urls: impl Iterator<Item = &'u str>) -> Vec<u32> {
    let urls: Vec<&str> = urls.collect();
    let space = (urls.len().next_power_of_two() * 8).max(64) as u64;
    let mut order: Vec<usize> = (0..urls.len()).collect();
    order.sort_by_key(|&i| urls[i]);
    let mut taken = FxHashSet::default();
    let mut ids = vec![0; urls.len()];
    for i in order {
        let mut id = fnv1a64(urls[i].as_bytes()) % space;
        while !taken.insert(id) {
            id = (id + 1) % space;
        }
        ids[i] = id as u32;
    }
    ids
}

pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_stable_when_a_page_is_added() {
        let urls: Vec<String> = (0..500).map(|i| format!("/p{i}/")).collect();
        let ids = assign_ids(urls.iter().map(String::as_str));
        assert_eq!(ids.iter().collect::<FxHashSet<_>>().len(), urls.len());
        let mut more = urls.clone();
        more.push("/new/".into());
        let again = assign_ids(more.iter().map(String::as_str));
        let moved = ids.iter().zip(&again).filter(|(a, b)| a != b).count();
        assert!(moved <= 2, "{moved} ids moved");
    }

    fn entry<'a>(url: &'a str, text: &str) -> Entry<'a> {
        let section = TextSection { id: None, heading: String::new(), text: text.into() };
        Entry {
            url: url.into(),
            title: "A note".into(),
            aliases: vec![],
            group: "".into(),
            description: None,
            tags: &[],
            sections: vec![section].into(),
        }
    }

    /// An index that reuses the last build's analyses (and stems) equals
    /// one built afresh, after an entry changes, one goes and one comes.
    #[test]
    fn reused_analyses_give_the_index_a_fresh_build_gives() {
        let (analyzer, synonyms) = (Analyzer::for_language("en"), Synonyms::new(&[]));
        let texts = ["running runners ran", "the alliance ruptures", "repairing a rupture", "boundaries held"];
        let urls = ["/a/", "/b/", "/c/", "/d/"];
        let before: Vec<Entry> = urls.iter().zip(texts).map(|(u, t)| entry(u, t)).collect();
        let prints = |es: &[Entry]| es.iter().map(super::super::reuse::entry_print).collect::<Vec<u64>>();
        let (_, last) = build_reusing(&before, Some(&prints(&before)), &analyzer, &synonyms, &Analyses::default());
        let mut after: Vec<Entry> = urls.iter().zip(texts).take(3).map(|(u, t)| entry(u, t)).collect();
        after[1] = entry("/b/", "the alliance ruptured and was repaired");
        after.push(entry("/e/", "runs of rupture"));
        let (reused, _) = build_reusing(&after, Some(&prints(&after)), &analyzer, &synonyms, &last);
        let fresh = build(&after, &analyzer, &synonyms);
        assert_eq!((&reused.ids, &reused.forms, &reused.stems), (&fresh.ids, &fresh.forms, &fresh.stems));
        let sorted =
            |i: &Index| i.postings.iter().map(|p| p.iter().copied().collect::<BTreeSet<_>>()).collect::<Vec<_>>();
        assert_eq!(sorted(&reused), sorted(&fresh));
        assert_eq!(reused.avgdl, fresh.avgdl);
    }

    #[test]
    fn impact_saturates_and_favours_short_documents() {
        assert!(impact(1.0, false, 100, 100.0) < impact(6.0, false, 100, 100.0));
        assert!(impact(1.0, false, 50, 100.0) > impact(1.0, false, 400, 100.0));
        assert!(impact(3.0, true, 100, 100.0) > impact(30.0, false, 100, 100.0));
        assert_eq!(impact(1e9, true, 1, 100.0), 255);
    }
}
