//! The inverted index in memory: every indexed document's words counted per
//! field, word forms mapped to stem groups, and per stem the documents with a
//! one-byte BM25F impact.
//!
//! Impacts depend only on the document itself and on a coarsely quantised
//! average length, so editing one page changes the postings of that page's
//! stems and nothing else; the client adds idf at query time from the stem's
//! document frequency. Document ids are hashed from URLs (with probing) for
//! the same reason: adding a page does not renumber the others.

use super::tokenize::{for_each_word, Analyzer};
use crate::markdown::TextSection;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// One searchable document (a page, or a section page with text).
pub struct Entry<'a> {
    /// Full URL path with the base path: `/a/b/`.
    pub url: String,
    pub title: String,
    pub description: Option<&'a str>,
    pub tags: &'a [String],
    pub sections: &'a [TextSection],
}

/// Per-field counts of one folded word form in one document.
type Counts = [u16; 5];

struct Analysed {
    counts: HashMap<String, Counts>,
    len: u32,
}

pub struct Index {
    /// Document id of each entry, same order as the entries.
    pub ids: Vec<u32>,
    /// Folded word form → stem.
    pub forms: BTreeMap<String, String>,
    /// Stem → (document id, impact), in no particular order.
    pub postings: BTreeMap<String, Vec<(u32, u8)>>,
    /// Quantised average document length the impacts were computed with.
    pub avgdl: f32,
}

pub fn build(entries: &[Entry<'_>], analyzer: &Analyzer) -> Index {
    let analysed: Vec<Analysed> = entries.par_iter().map(analyse).collect();
    let forms = stem_forms(&analysed, analyzer);
    let avgdl = quantised_avgdl(&analysed);
    let ids = assign_ids(entries.iter().map(|e| e.url.as_str()));
    let per_doc: Vec<Vec<(&str, u8)>> = analysed.par_iter().map(|a| impacts(a, &forms, avgdl)).collect();
    let mut postings: BTreeMap<String, Vec<(u32, u8)>> = BTreeMap::new();
    for (id, terms) in ids.iter().zip(per_doc) {
        for (stem, impact) in terms {
            match postings.get_mut(stem) {
                Some(list) => list.push((*id, impact)),
                None => {
                    postings.insert(stem.to_string(), vec![(*id, impact)]);
                }
            }
        }
    }
    Index { ids, forms, postings, avgdl }
}

fn analyse(e: &Entry<'_>) -> Analysed {
    let mut a = Analysed { counts: HashMap::new(), len: 0 };
    let mut add = |field: Field, text: &str| {
        for_each_word(text, |w| {
            let c = match a.counts.get_mut(w) {
                Some(c) => c,
                None => a.counts.entry(w.to_string()).or_default(),
            };
            c[field as usize] = c[field as usize].saturating_add(1);
            a.len += 1;
        })
    };
    add(Field::Title, &e.title);
    add(Field::Description, e.description.unwrap_or(""));
    for tag in e.tags {
        add(Field::Tags, tag);
    }
    for s in e.sections {
        add(Field::Heading, &s.heading);
        add(Field::Body, &s.text);
    }
    a
}

/// Every distinct form, stemmed once (in parallel).
fn stem_forms(analysed: &[Analysed], analyzer: &Analyzer) -> BTreeMap<String, String> {
    let distinct: HashSet<&str> = analysed.iter().flat_map(|a| a.counts.keys().map(String::as_str)).collect();
    let mut list: Vec<&str> = distinct.into_iter().collect();
    list.par_sort_unstable();
    let stems: Vec<String> = list.par_iter().map(|f| analyzer.stem(f)).collect();
    list.into_iter().map(str::to_string).zip(stems).collect()
}

/// The mean document length rounded to a quarter power of two, so that
/// ordinary edits leave it (and with it every other page's impacts) alone.
fn quantised_avgdl(analysed: &[Analysed]) -> f32 {
    let total: u64 = analysed.iter().map(|a| u64::from(a.len)).sum();
    let mean = (total as f64 / analysed.len().max(1) as f64).max(1.0);
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

fn impacts<'f>(a: &Analysed, forms: &'f BTreeMap<String, String>, avgdl: f32) -> Vec<(&'f str, u8)> {
    let mut tf: HashMap<&'f str, (f32, bool)> = HashMap::new();
    for (form, counts) in &a.counts {
        let stem = forms.get(form).map(String::as_str).expect("every form was stemmed");
        let weighted: f32 = counts.iter().zip(WEIGHTS).map(|(&c, w)| f32::from(c) * w).sum();
        let entry = tf.entry(stem).or_default();
        entry.0 += weighted;
        entry.1 |= counts[Field::Title as usize] > 0;
    }
    tf.into_iter().map(|(stem, (w, title))| (stem, impact(w, title, a.len, avgdl))).collect()
}

/// Stable document ids: a hash of the URL in a space 8 to 16 times the page
/// count (still 3-byte varints at 10,000 pages), linear probing in URL order
/// on collision, so a new page rarely moves another.
pub fn assign_ids<'u>(urls: impl Iterator<Item = &'u str>) -> Vec<u32> {
    let urls: Vec<&str> = urls.collect();
    let space = (urls.len().next_power_of_two() * 8).max(64) as u64;
    let mut order: Vec<usize> = (0..urls.len()).collect();
    order.sort_by_key(|&i| urls[i]);
    let mut taken = HashSet::with_capacity(urls.len());
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

    #[test]
    fn ids_are_unique_and_stable_when_a_page_is_added() {
        let urls: Vec<String> = (0..500).map(|i| format!("/p{i}/")).collect();
        let ids = assign_ids(urls.iter().map(String::as_str));
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), urls.len());
        let mut more = urls.clone();
        more.push("/new/".into());
        let again = assign_ids(more.iter().map(String::as_str));
        let moved = ids.iter().zip(&again).filter(|(a, b)| a != b).count();
        assert!(moved <= 2, "{moved} ids moved");
    }

    #[test]
    fn impact_saturates_and_favours_short_documents() {
        assert!(impact(1.0, false, 100, 100.0) < impact(6.0, false, 100, 100.0));
        assert!(impact(1.0, false, 50, 100.0) > impact(1.0, false, 400, 100.0));
        assert!(impact(3.0, true, 100, 100.0) > impact(30.0, false, 100, 100.0));
        assert_eq!(impact(1e9, true, 1, 100.0), 255);
    }
}
