//! Result cards: for each stem common enough that its results would cost
//! many fragment fetches, the documents a one-word query for it shows, each
//! cut down to the section the client would pick for the excerpt.
//!
//! A query of one word that resolves to one stem then costs two files (its
//! dictionary shard and the card) instead of a bucket and ten fragments.
//! The client ranks and presents a card with the same code as fragments, so
//! the card holds what that code would have chosen: the top documents by
//! impact (ties by id, as the candidates are ordered), and per document the
//! section whose heading and text hold the most of the stem's forms (the
//! first on ties), counted over the words the client itself sees (its word
//! pattern, not the index's UAX #29 words: they differ on `1,314`). A stem
//! whose forms sit in more than one dictionary shard has no card, since
//! the client knows only the forms of the shard its query word is in.

use super::fragments::Fragment;
use super::index::{fnv1a64, Entry, Index};
use super::shards::{df_class, gzip, shard_key};
use super::tokenize::{fold, is_cjk};
use crate::output::Output;
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// The client's words (`WORD_RE` in client/index.js): letters, marks, digits
/// and `_`, joined across an apostrophe, a full stop, a colon or a middle dot.
static WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{M}\p{N}_]+(?:['\x{2019}.:\x{00b7}][\p{L}\p{M}\p{N}_]+)*").expect("word pattern")
});

/// Documents on a card: enough for a results list of ten.
pub const CARD_DOCS: usize = 10;
/// The smallest document-frequency class (see the dictionary) with a card:
/// four documents, below which the fragments cost as little.
pub const CARD_CLASS: u32 = 4;

#[derive(Serialize)]
struct Card<'a> {
    /// The stem's document frequency (its idf, without the bucket).
    df: usize,
    /// (document id, impact, fragment with the best section), best first.
    d: Vec<(u32, u8, Fragment<'a>)>,
}

/// The path of a stem's card.
pub fn path(stem: &str) -> String {
    format!("search/c/{:016x}.card", fnv1a64(stem.as_bytes()))
}

/// Whether a stem with `df` documents has a card.
pub fn has_card(df: usize) -> bool {
    df_class(df) >= CARD_CLASS
}

/// The cards of every stem that has one, or only of the stems in `scope`;
/// `split` is the dictionary's split prefixes.
pub fn write(
    index: &Index,
    entries: &[Entry<'_>],
    split: &BTreeSet<String>,
    scope: Option<&BTreeSet<String>>,
) -> Vec<Output> {
    let chosen = choose(index, split, scope);
    let by_id: FxHashMap<u32, usize> = index.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut wanted: Vec<Vec<u32>> = vec![Vec::new(); entries.len()];
    for (stem, docs) in &chosen {
        for &(id, _) in docs {
            wanted[by_id[&id]].push(*stem);
        }
    }
    let stem_of: FxHashMap<&str, u32> = index.forms.iter().map(|(f, s)| (f.as_str(), *s)).collect();
    let best: Vec<FxHashMap<u32, usize>> =
        entries.par_iter().zip(&wanted).map(|(e, stems)| best_sections(e, stems, &stem_of)).collect();
    chosen
        .par_iter()
        .map(|(stem, docs)| {
            let stem = *stem;
            let d = docs
                .iter()
                .map(|&(id, impact)| {
                    let i = by_id[&id];
                    (id, impact, lite(&entries[i], best[i].get(&stem).copied()))
                })
                .collect();
            let card = Card { df: index.postings[stem as usize].len(), d };
            let json = serde_json::to_vec(&card).expect("card serialises");
            Output::new(path(&index.stems[stem as usize]), gzip(&json))
        })
        .collect()
}

/// The stems of the documents `ids`.
pub fn stems_of(index: &Index, ids: &FxHashSet<u32>) -> BTreeSet<String> {
    if ids.is_empty() {
        return BTreeSet::new();
    }
    index
        .postings
        .par_iter()
        .enumerate()
        .filter(|(_, list)| list.iter().any(|(id, _)| ids.contains(id)))
        .map(|(s, _)| index.stems[s].clone())
        .collect()
}

/// Each stem with a card (in `scope`), with its top documents: highest impact first, then lowest id.
fn choose(index: &Index, split: &BTreeSet<String>, scope: Option<&BTreeSet<String>>) -> Vec<(u32, Vec<(u32, u8)>)> {
    let split_stems = split_stems(index, split);
    index
        .postings
        .par_iter()
        .enumerate()
        .filter(|(s, list)| has_card(list.len()) && !split_stems.contains(&(*s as u32)))
        .filter(|(s, _)| scope.is_none_or(|sc| sc.contains(&index.stems[*s])))
        .map(|(s, list)| {
            let mut top = list.clone();
            top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(CARD_DOCS);
            (s as u32, top)
        })
        .collect()
}

/// Stems whose forms are in more than one dictionary shard.
fn split_stems(index: &Index, split: &BTreeSet<String>) -> FxHashSet<u32> {
    let mut shard_of: FxHashMap<u32, String> = FxHashMap::default();
    let mut out = FxHashSet::default();
    for (form, stem) in &index.forms {
        let key = shard_key(form, split);
        match shard_of.get(stem) {
            Some(k) if *k != key => {
                out.insert(*stem);
            }
            Some(_) => {}
            None => {
                shard_of.insert(*stem, key);
            }
        }
    }
    out
}

/// Calls `f` with each folded word of `text` as the client reads it
/// (`eachWord` in client/index.js): runs of CJK characters as pairs.
fn client_words(text: &str, f: &mut impl FnMut(&str)) {
    for m in WORD.find_iter(text) {
        let word = m.as_str();
        if word.is_ascii() || !word.chars().any(is_cjk) {
            f(&fold(word));
            continue;
        }
        let mut rest = word;
        while let Some(c) = rest.chars().next() {
            let cjk = is_cjk(c);
            let end = rest.find(|c: char| is_cjk(c) != cjk).unwrap_or(rest.len());
            if cjk {
                pairs(&rest[..end], f);
            } else {
                WORD.find_iter(&rest[..end]).for_each(|w| f(&fold(w.as_str())));
            }
            rest = &rest[end..];
        }
    }
}

/// A run of CJK characters as overlapping pairs (a lone character as itself).
fn pairs(run: &str, f: &mut impl FnMut(&str)) {
    let starts: Vec<usize> = run.char_indices().map(|(i, _)| i).chain([run.len()]).collect();
    if starts.len() == 2 {
        return f(&fold(run));
    }
    for w in starts.windows(3) {
        f(&fold(&run[w[0]..w[2]]));
    }
}

/// The fragment of `e` with only its section `best` (none when it has no
/// sections), and its description only where the excerpt falls back on it.
fn lite<'a>(e: &'a Entry<'a>, best: Option<usize>) -> Fragment<'a> {
    let section = best.and_then(|i| e.sections.get(i));
    let described = section.is_none_or(|s| s.text.trim().is_empty());
    Fragment::of(e, section.into_iter(), described)
}

/// For each of `stems`, the section of `e` the client's excerpt would use:
/// the most of the stem's words (headings counted three times), a section
/// with words in its text before one with them only in its heading, the
/// first on ties (and the first when none has any).
fn best_sections(e: &Entry<'_>, stems: &[u32], stem_of: &FxHashMap<&str, u32>) -> FxHashMap<u32, usize> {
    if stems.is_empty() {
        return FxHashMap::default();
    }
    let mut best: FxHashMap<u32, (usize, u64)> = stems.iter().map(|&s| (s, (0, 0))).collect();
    let mut counts: FxHashMap<u32, (u64, u64)> = FxHashMap::default();
    for (i, section) in e.sections.iter().enumerate() {
        counts.clear();
        let mut tally = |text: &str, heading: bool| {
            client_words(text, &mut |w| {
                let Some(&s) = stem_of.get(w).filter(|s| best.contains_key(s)) else {
                    return;
                };
                let c = counts.entry(s).or_default();
                if heading {
                    c.1 += 1;
                } else {
                    c.0 += 1;
                }
            })
        };
        tally(&section.heading, true);
        tally(&section.text, false);
        for (s, &(text, heading)) in &counts {
            let value = 1_000_000 + if text > 0 { 100_000 } else { 0 } + text + 3 * heading;
            let slot = best.get_mut(s).expect("counted stems are wanted");
            if value > slot.1 {
                *slot = (i, value);
            }
        }
    }
    best.into_iter().map(|(s, (i, _))| (s, i)).collect()
}
