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

use super::encoding::gzip;
use super::fragments::{squeeze, Fragment};
use super::index::{fnv1a64, Entry, Index};
use super::keys::{df_class, shard_key_of};
use super::tokenize::{fold, fold_into, is_cjk};
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

/// A stem with a card (its id) and the card's documents: (id, impact), best first.
pub type Chosen = (u32, Vec<(u32, u8)>);

/// The cards of the stems `chosen`.
pub fn write_chosen<'a>(
    index: &'a Index,
    entries: &'a [Entry<'_>],
    chosen: &'a [Chosen],
) -> impl IndexedParallelIterator<Item = Output> + 'a {
    let by_id: FxHashMap<u32, usize> = index.ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut wanted: Vec<Vec<u32>> = vec![Vec::new(); entries.len()];
    for (stem, docs) in chosen {
        for &(id, _) in docs {
            wanted[by_id[&id]].push(*stem);
        }
    }
    // Only the forms of the stems carded: an edit's few cards need few.
    let carded: FxHashSet<u32> = chosen.iter().map(|(s, _)| *s).collect();
    let stem_of: FxHashMap<&str, u32> =
        index.forms.iter().filter(|(_, s)| carded.contains(s)).map(|(f, s)| (f.as_str(), *s)).collect();
    let cuts: Vec<FxHashMap<u32, Cut>> =
        entries.par_iter().zip(&wanted).map(|(e, stems)| cuts_of(e, stems, &stem_of)).collect();
    chosen.par_iter().map(move |(stem, docs)| {
        let stem = *stem;
        let d = docs
            .iter()
            .map(|&(id, impact)| {
                let i = by_id[&id];
                (id, impact, lite(&entries[i], cuts[i].get(&stem).copied()))
            })
            .collect();
        let card = Card { df: index.postings[stem as usize].len(), d };
        let json = serde_json::to_vec(&card).expect("card serialises");
        Output::new(path(&index.stems[stem as usize]), gzip(&json))
    })
}

/// Each stem with a card (only those named in `scope`, when given), with
/// its top documents: highest impact first, then lowest id.
pub fn choose(index: &Index, split: &BTreeSet<String>, scope: Option<&BTreeSet<String>>) -> Vec<Chosen> {
    let carded = |s: u32| has_card(index.postings[s as usize].len());
    let stems: Vec<u32> = match scope {
        None => (0..index.stems.len() as u32).filter(|&s| carded(s)).collect(),
        Some(names) => names
            .iter()
            .filter_map(|n| index.stems.binary_search(n).ok().map(|s| s as u32))
            .filter(|&s| carded(s))
            .collect(),
    };
    let split_stems = split_stems(index, split, &stems);
    stems.into_par_iter().filter(|s| !split_stems.contains(s)).map(|s| (s, top(&index.postings[s as usize]))).collect()
}

/// A stem's [`CARD_DOCS`] best postings: highest impact first, then lowest id.
fn top(list: &[(u32, u8)]) -> Vec<(u32, u8)> {
    let order = |a: &(u32, u8), b: &(u32, u8)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
    let mut top = list.to_vec();
    if top.len() > CARD_DOCS {
        top.select_nth_unstable_by(CARD_DOCS - 1, order);
        top.truncate(CARD_DOCS);
    }
    top.sort_unstable_by(order);
    top
}

/// Those of `stems` whose forms are in more than one dictionary shard.
fn split_stems(index: &Index, split: &BTreeSet<String>, stems: &[u32]) -> FxHashSet<u32> {
    let wanted: FxHashSet<u32> = stems.iter().copied().collect();
    let mut shard_of: FxHashMap<u32, &str> = FxHashMap::default();
    let mut out = FxHashSet::default();
    for (form, stem) in index.forms.iter().filter(|(_, s)| wanted.contains(s)) {
        let key = shard_key_of(form, split);
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
/// (`eachWord` in client/index.js), and its byte range: runs of CJK
/// characters as overlapping pairs.
fn client_words(text: &str, f: &mut impl FnMut(&str, usize, usize)) {
    let mut buf = String::new();
    if text.is_ascii() {
        return ascii_words(text, &mut buf, f);
    }
    for m in WORD.find_iter(text) {
        let word = m.as_str();
        if word.is_ascii() || !word.chars().any(is_cjk) {
            // A word of marks alone (a lone U+FE0F after an emoji) folds to nothing: no word.
            fold_into(word, &mut buf);
            if !buf.is_empty() {
                f(&buf, m.start(), m.end());
            }
            continue;
        }
        let mut at = m.start();
        while let Some(c) = text[at..m.end()].chars().next() {
            let cjk = is_cjk(c);
            let end = text[at..m.end()].find(|c: char| is_cjk(c) != cjk).map_or(m.end(), |i| at + i);
            if cjk {
                pairs(text, at, end, f);
            } else {
                WORD.find_iter(&text[at..end]).for_each(|w| f(&fold(w.as_str()), at + w.start(), at + w.end()));
            }
            at = end;
        }
    }
}

/// [`client_words`] of ASCII text, byte by byte (the pattern's ASCII case:
/// letters, digits and `_`, joined across `'`, `.` or `:` before another).
fn ascii_words(text: &str, buf: &mut String, f: &mut impl FnMut(&str, usize, usize)) {
    let bytes = text.as_bytes();
    let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let mut i = 0;
    while i < bytes.len() {
        if !word(i) {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while word(i) {
                i += 1;
            }
            if matches!(bytes.get(i), Some(b'\'' | b'.' | b':')) && word(i + 1) {
                i += 1;
            } else {
                break;
            }
        }
        buf.clear();
        buf.push_str(&text[start..i]);
        buf.make_ascii_lowercase();
        f(buf, start, i);
    }
}

/// The CJK run `text[start..end]` as overlapping pairs (a lone character as itself).
fn pairs(text: &str, start: usize, end: usize, f: &mut impl FnMut(&str, usize, usize)) {
    let starts: Vec<usize> = text[start..end].char_indices().map(|(i, _)| start + i).chain([end]).collect();
    if starts.len() == 2 {
        return f(&fold(&text[start..end]), start, end);
    }
    for w in starts.windows(3) {
        f(&fold(&text[w[0]..w[2]]), w[0], w[2]);
    }
}

/// Words in an excerpt (`EXCERPT_WORDS` in client/index.js).
const EXCERPT_WORDS: usize = 28;

/// Where a card shows a document: its section `section`, cut to
/// `text[from..to]` of that section's own text.
#[derive(Clone, Copy)]
struct Cut {
    section: usize,
    from: usize,
    to: usize,
}

/// The fragment of `e` with only the section of `cut` (none when it has no
/// sections), its text cut there, and its description only where the
/// excerpt falls back on it.
///
/// The client cuts the fragment's text, whose white space is squeezed; the
/// cut is found in the section's own text and only it is squeezed. The two
/// agree: no word holds white space, so squeezing keeps every word and the
/// words' order, and a cut from one word to another squeezes to the same text.
fn lite<'a>(e: &'a Entry<'a>, cut: Option<Cut>) -> Fragment<'a> {
    let section = cut.and_then(|c| Some((e.sections.get(c.section)?, c)));
    let described = section.is_none_or(|(s, _)| s.text.trim().is_empty());
    let mut fragment = Fragment::of(e, std::iter::empty(), described);
    if let Some((s, Cut { from, to, .. })) = section {
        if (from, to) != (0, s.text.len()) {
            fragment.e = Some((from > 0, to < s.text.len()));
        }
        fragment.s.push((s.id.as_deref().unwrap_or(""), s.heading.as_str(), squeeze(&s.text[from..to])));
    }
    fragment
}

/// The byte range the client's `cut` shows of a text `text_len` bytes long
/// whose words are `toks` (start, end, whether it is a hit): the first
/// window of [`EXCERPT_WORDS`] words with the most hits, moved to start
/// three words before its first hit (but not past the end).
fn excerpt_of(text_len: usize, toks: &[(usize, usize, bool)]) -> (usize, usize) {
    let len = toks.len();
    let n = EXCERPT_WORDS.min(len);
    if n == 0 {
        return (0, text_len);
    }
    let (mut count, mut best_value, mut best_start) = (0i64, -1i64, 0usize);
    for i in 0..len {
        count += i64::from(toks[i].2);
        if i >= n {
            count -= i64::from(toks[i - n].2);
        }
        let value = if count > 0 { 1000 + count } else { 0 };
        if i + 1 >= n && value > best_value {
            (best_value, best_start) = (value, i + 1 - n);
        }
    }
    let start = match toks[best_start..best_start + n].iter().position(|t| t.2) {
        None => best_start,
        Some(first) => (best_start + first).saturating_sub(3).min(len - n),
    };
    let end = len.min(start + n);
    let from = if start == 0 { 0 } else { toks[start].0 };
    let to = if end == len { text_len } else { toks[end - 1].1 };
    (from, to)
}

/// For each of `stems`, where a card shows `e` (none when it has no
/// sections): the section the client's excerpt would use, the most of the
/// stem's words (headings counted three times), a section with words in its
/// text before one with them only in its heading, the first on ties (and
/// the first when none has any); and the excerpt [`excerpt_of`] cuts from
/// its text around the stem's words. Each section's words are read once for
/// all the stems.
fn cuts_of(e: &Entry<'_>, stems: &[u32], stem_of: &FxHashMap<&str, u32>) -> FxHashMap<u32, Cut> {
    if stems.is_empty() || e.sections.is_empty() {
        return FxHashMap::default();
    }
    let mut best: FxHashMap<u32, (usize, u64)> = stems.iter().map(|&s| (s, (0, 0))).collect();
    let mut counts: FxHashMap<u32, (u64, u64)> = FxHashMap::default();
    // Each section's words: (start, end, the wanted stem it is a form of).
    let mut words: Vec<Vec<(usize, usize, Option<u32>)>> = Vec::with_capacity(e.sections.len());
    for (i, section) in e.sections.iter().enumerate() {
        counts.clear();
        let mut text_words = Vec::new();
        let wanted = |w: &str| stem_of.get(w).copied().filter(|s| best.contains_key(s));
        client_words(&section.heading, &mut |w, _, _| {
            if let Some(s) = wanted(w) {
                counts.entry(s).or_default().1 += 1;
            }
        });
        client_words(&section.text, &mut |w, start, end| {
            let stem = wanted(w);
            if let Some(s) = stem {
                counts.entry(s).or_default().0 += 1;
            }
            text_words.push((start, end, stem));
        });
        words.push(text_words);
        for (s, &(text, heading)) in &counts {
            let value = 1_000_000 + if text > 0 { 100_000 } else { 0 } + text + 3 * heading;
            let slot = best.get_mut(s).expect("counted stems are wanted");
            if value > slot.1 {
                *slot = (i, value);
            }
        }
    }
    let mut toks = Vec::new();
    best.into_iter()
        .map(|(s, (i, _))| {
            toks.clear();
            toks.extend(words[i].iter().map(|&(start, end, stem)| (start, end, stem == Some(s))));
            let (from, to) = excerpt_of(e.sections[i].text.len(), &toks);
            (s, Cut { section: i, from, to })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`excerpt_of`] of `text`, its hits the words `hit` accepts.
    fn excerpt(text: &str, hit: impl Fn(&str) -> bool) -> (usize, usize) {
        let mut toks: Vec<(usize, usize, bool)> = Vec::new();
        client_words(text, &mut |w, start, end| toks.push((start, end, hit(w))));
        excerpt_of(text.len(), &toks)
    }

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        client_words(text, &mut |w, start, end| out.push(format!("{w}@{start}-{end}")));
        out
    }

    #[test]
    fn words_are_the_clients_not_the_indexs() {
        // UAX #29 keeps `1,314` whole; the client's pattern does not.
        assert_eq!(words("1,314 x.Y"), ["1@0-1", "314@2-5", "x.y@6-9"]);
        assert_eq!(words("Café 学习中文"), ["cafe@0-5", "学习@6-12", "习中@9-15", "中文@12-18"]);
        assert_eq!(words("ab学c"), ["ab@0-2", "学@2-5", "c@5-6"]);
        assert_eq!(words("It's a.b: c:d 'e' f_g"), ["it's@0-4", "a.b@5-8", "c:d@10-13", "e@15-16", "f_g@18-21"]);
        assert_eq!(words("low \u{23ec}\u{fe0f} lowest"), ["low@0-3", "lowest@11-17"], "a mark alone is no word");
    }

    #[test]
    fn the_excerpt_starts_three_words_before_the_first_hit() {
        let text: String = (0..100).map(|i| format!("w{i} ")).collect::<String>().trim_end().to_string();
        let text = text.replace("w40", "hit");
        let (from, to) = excerpt(&text, |w| w == "hit");
        assert!(text[from..].starts_with("w37 w38 w39 hit"), "{}", &text[from..to]);
        assert_eq!(text[from..to].split(' ').count(), EXCERPT_WORDS);
        let short = "a few words with a hit";
        assert_eq!(excerpt(short, |w| w == "hit"), (0, short.len()), "short text is kept whole");
        let (from, to) = excerpt(&text.replace("hit", "w40").replace("w98", "hit"), |w| w == "hit");
        assert_eq!((from > 0, to), (true, text.len()), "a hit near the end shows the last words");
    }
}
