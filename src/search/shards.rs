//! The index on disk: a tiny manifest, a term dictionary cut into shards by
//! word prefix, and postings cut into hash buckets with a tail file per
//! frequent stem. A query fetches the manifest, one dictionary shard per
//! word, one bucket per stem, and a tail only when the head is not enough.
//!
//! Every file is a deterministic function of the index (sorted, no
//! timestamps), so a rebuild rewrites only the files whose terms changed.
//! Binary files use little-endian base-128 varints; all but the manifest are
//! gzip-compressed (the client inflates them with `DecompressionStream`).

use super::encoding::{gzip, put_varint};
use super::index::{fnv1a64, Index, B, K1, MAX_IMPACT, TITLE_BONUS, WEIGHTS};
use super::keys::{df_class, key_chars, shard_key, shard_key_of};
use crate::output::Output;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Postings per stem in its bucket, highest impact first; the rest go to its tail.
pub const HEAD: usize = 384;
/// Target bytes of one postings bucket (before compression).
const BUCKET_BYTES: usize = 12 * 1024;
/// A dictionary shard with more forms than this is split by one more letter.
const SHARD_FORMS: usize = 700;

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    docs: usize,
    /// Prefixes that are split into longer prefixes.
    split: &'a BTreeSet<String>,
    avgdl: f32,
    k1: f32,
    b: f32,
    weights: [f32; 5],
    title_bonus: f32,
    /// The impact the byte 255 stands for.
    max_impact: f32,
    head: usize,
    /// Stems of this document-frequency class and above have a card of their top documents.
    card_class: u32,
    card_docs: usize,
}

/// The forms and stems an edit touched: only their files need writing.
pub struct Touched<'a> {
    pub forms: &'a BTreeSet<String>,
    pub stems: &'a BTreeSet<String>,
}

/// How the index is cut into files, and the average length every impact
/// depends on: when it changes, every file may change.
#[derive(Clone, PartialEq, Default)]
pub struct Layout {
    split: BTreeSet<String>,
    buckets: u32,
    avgdl: u32,
}

impl Layout {
    /// The dictionary's split prefixes (see [`shard_key`]).
    pub fn split(&self) -> &BTreeSet<String> {
        &self.split
    }
}

/// The manifest, and the dictionary shards and postings files of the
/// `touched` forms and stems (all of them without). Also returns the layout,
/// and the paths of every file the touched forms and stems could have (those
/// not written are gone).
pub fn write_some(index: &Index, touched: Option<&Touched<'_>>) -> (Vec<Output>, Layout, BTreeSet<String>) {
    let (made, layout, paths) = made_since(index, touched, None);
    (made.raw.into_par_iter().map(Raw::output).collect(), layout, paths)
}

/// One of the files [`write_some`] makes, before compression.
pub struct Raw {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Served gzip-compressed (all but the manifest).
    compressed: bool,
    /// What the bytes are made from, when that is cheaper to hash than the
    /// bytes themselves (postings): the same print makes the same bytes.
    pub print: Option<u64>,
}

/// Whether the last build made the file at a path from the same print.
pub type Same<'a> = &'a (dyn Fn(&str, u64) -> bool + Sync);

/// The files [`made_since`] made, and those it left unmade because the
/// last build made them from the same print: (path, print).
#[derive(Default)]
pub struct Made {
    pub raw: Vec<Raw>,
    pub same: Vec<(String, u64)>,
}

impl Raw {
    fn gzipped(path: String, bytes: Vec<u8>) -> Raw {
        Raw { path, bytes, compressed: true, print: None }
    }

    /// The file as written.
    pub fn output(self) -> Output {
        let bytes = if self.compressed { gzip(&self.bytes) } else { self.bytes };
        Output::new(self.path, bytes)
    }
}

/// [`write_some`], its files not yet compressed (so a build can keep those
/// whose bytes did not change without compressing them again); with
/// `same`, the postings files the last build made from the same print are
/// not made again but listed.
pub fn made_since(
    index: &Index,
    touched: Option<&Touched<'_>>,
    same: Option<Same<'_>>,
) -> (Made, Layout, BTreeSet<String>) {
    let split = split_prefixes(index.forms.iter().map(|(f, _)| f.as_str()));
    let buckets = bucket_count(index);
    let scope = Scope::of(touched, &split, buckets);
    let manifest = Manifest {
        version: 1,
        docs: index.ids.len(),
        split: &split,
        avgdl: index.avgdl,
        k1: K1,
        b: B,
        weights: WEIGHTS,
        title_bonus: TITLE_BONUS,
        max_impact: MAX_IMPACT,
        head: HEAD,
        card_class: super::cards::CARD_CLASS,
        card_docs: super::cards::CARD_DOCS,
    };
    let manifest = serde_json::to_vec(&manifest).expect("manifest serialises");
    let mut made = Made::default();
    made.raw.push(Raw { path: "search/index.json".into(), bytes: manifest, compressed: false, print: None });
    made.raw.extend(dictionary(index, &split, buckets, scope.as_ref()));
    postings(index, buckets, scope.as_ref(), same, &mut made);
    let paths = scope.map(|s| s.paths()).unwrap_or_default();
    (made, Layout { split, buckets, avgdl: index.avgdl.to_bits() }, paths)
}

/// The shard keys, stems and buckets of an edit.
struct Scope {
    keys: BTreeSet<String>,
    stems: BTreeSet<String>,
    buckets: BTreeSet<u32>,
}

impl Scope {
    fn of(touched: Option<&Touched<'_>>, split: &BTreeSet<String>, buckets: u32) -> Option<Scope> {
        let t = touched?;
        Some(Scope {
            keys: t.forms.iter().map(|f| shard_key(f, split)).collect(),
            stems: t.stems.clone(),
            buckets: t.stems.iter().map(|s| bucket_of(s, buckets)).collect(),
        })
    }

    fn paths(&self) -> BTreeSet<String> {
        let dict = self.keys.iter().map(|k| format!("search/d/{}.dict", key_file(k)));
        let tails = self.stems.iter().map(|s| tail_path(s));
        let buckets = self.buckets.iter().map(|b| format!("search/p/{b}.post"));
        dict.chain(tails).chain(buckets).collect()
    }
}

/// File-name-safe shard name: ASCII keys as they are, others as `_` + hex.
pub fn key_file(key: &str) -> String {
    if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        key.to_string()
    } else {
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("_{hex}")
    }
}

/// Prefixes with too many forms, split until every shard is small enough.
fn split_prefixes<'f>(forms: impl Iterator<Item = &'f str>) -> BTreeSet<String> {
    let forms: Vec<&str> = forms.collect();
    let mut split = BTreeSet::new();
    loop {
        let mut sizes: rustc_hash::FxHashMap<&str, usize> = Default::default();
        for f in &forms {
            *sizes.entry(shard_key_of(f, &split)).or_default() += 1;
        }
        let big: Vec<String> = sizes
            .into_iter()
            .filter(|(key, n)| *n > SHARD_FORMS && key.chars().count() >= key_chars(key))
            .map(|(key, _)| key.to_string())
            .collect();
        if big.is_empty() {
            return split;
        }
        split.extend(big);
    }
}

fn bucket_count(index: &Index) -> u32 {
    let bytes: usize =
        index.stems.iter().zip(&index.postings).map(|(stem, list)| stem.len() + 8 + list.len().min(HEAD) * 4).sum();
    (bytes / BUCKET_BYTES).max(1).next_power_of_two() as u32
}

fn bucket_of(stem: &str, buckets: u32) -> u32 {
    (fnv1a64(stem.as_bytes()) % u64::from(buckets)) as u32
}

#[derive(Serialize)]
struct DictShard<'a> {
    /// (folded form, index into `s`), sorted by form.
    w: Vec<(&'a str, usize)>,
    /// (stem, bucket, document-frequency class).
    s: Vec<(&'a str, u32, u32)>,
}

fn dictionary(index: &Index, split: &BTreeSet<String>, buckets: u32, scope: Option<&Scope>) -> Vec<Raw> {
    let mut shards: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
    for (form, stem) in &index.forms {
        let key = shard_key_of(form, split);
        if scope.is_none_or(|s| s.keys.contains(key)) {
            shards.entry(key).or_default().push((form, *stem));
        }
    }
    let shards: Vec<(&str, Vec<(&str, u32)>)> = shards.into_iter().collect();
    shards
        .par_iter()
        .map(|(key, forms)| {
            // Stem ids are ranks in the sorted stem list: sorting them sorts the stems.
            let stems: Vec<u32> = forms.iter().map(|(_, s)| *s).collect::<BTreeSet<_>>().into_iter().collect();
            let shard = DictShard {
                w: forms.iter().map(|(f, s)| (*f, stems.binary_search(s).expect("stem listed"))).collect(),
                s: stems
                    .iter()
                    .map(|&s| {
                        let stem = index.stems[s as usize].as_str();
                        (stem, bucket_of(stem, buckets), df_class(index.postings[s as usize].len()))
                    })
                    .collect(),
            };
            let json = serde_json::to_vec(&shard).expect("shard serialises");
            Raw::gzipped(format!("search/d/{}.dict", key_file(key)), json)
        })
        .collect()
}

/// The postings buckets (of the stems in `scope`'s buckets) and the tails
/// (of its stems), a bucket at a time in parallel, into `made`. A tail is
/// printed by its stem and postings list, a bucket by those of its stems in
/// order: the bytes are a function of them, and hashing them costs a fraction
/// of sorting and encoding every list (so `same` can spare a warm build that).
fn postings(index: &Index, buckets: u32, scope: Option<&Scope>, same: Option<Same<'_>>, made: &mut Made) {
    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, stem) in index.stems.iter().enumerate() {
        let bucket = bucket_of(stem, buckets);
        if scope.is_none_or(|s| s.buckets.contains(&bucket)) {
            members.entry(bucket).or_default().push(i);
        }
    }
    let members: Vec<(u32, Vec<usize>)> = members.into_iter().collect();
    let files: Vec<Made> = members.par_iter().map(|(b, stems)| bucket_files(index, (*b, stems), scope, same)).collect();
    for files in files {
        made.raw.extend(files.raw);
        made.same.extend(files.same);
    }
}

/// One bucket's file and its stems' tails (see [`postings`]).
fn bucket_files(
    index: &Index,
    (bucket, stems): (u32, &[usize]),
    scope: Option<&Scope>,
    same: Option<Same<'_>>,
) -> Made {
    let mut made = Made::default();
    let printed = |i: usize| crate::prints::hash_of(&(&index.stems[i], &index.postings[i]));
    let prints: Vec<u64> = same.map(|_| stems.iter().map(|&i| printed(i)).collect()).unwrap_or_default();
    let path = format!("search/p/{bucket}.post");
    let print = crate::prints::hash_of(&prints);
    let unchanged = |path: &str, print: u64| same.is_some_and(|same| same(path, print));
    let bucket_same = unchanged(&path, print);
    let mut body = Vec::new();
    for (k, &i) in stems.iter().enumerate() {
        let (stem, list) = (index.stems[i].as_str(), &index.postings[i][..]);
        let tail = (list.len() > HEAD && scope.is_none_or(|s| s.stems.contains(stem))).then(|| tail_path(stem));
        let tail_print = prints.get(k).copied().unwrap_or_default();
        let tail_same = tail.as_ref().is_some_and(|t| unchanged(t, tail_print));
        if let (Some(t), true) = (&tail, tail_same) {
            made.same.push((t.clone(), tail_print));
        }
        if bucket_same && (tail.is_none() || tail_same) {
            continue;
        }
        let (entry, tail_bytes) = posting_entry(stem, list, tail.is_some() && !tail_same);
        body.extend(entry);
        if let (Some(path), Some(bytes)) = (tail, tail_bytes) {
            made.raw.push(Raw { print: same.map(|_| tail_print), ..Raw::gzipped(path, bytes) });
        }
    }
    if bucket_same {
        made.same.push((path, print));
    } else {
        let mut buf = Vec::with_capacity(body.len() + 4);
        put_varint(&mut buf, stems.len() as u64);
        buf.extend(body);
        made.raw.push(Raw { print: same.map(|_| print), ..Raw::gzipped(path, buf) });
    }
    made
}

/// The path of a stem's tail file.
fn tail_path(stem: &str) -> String {
    format!("search/t/{}.post", tail_name(stem))
}

fn tail_name(stem: &str) -> String {
    format!("{:016x}", fnv1a64(stem.as_bytes()))
}

/// A stem's entry in its bucket: the stem, its document frequency, the name
/// of its tail file (empty without one) and its [`HEAD`] best postings; and
/// the tail's bytes, when the rest does not fit and `with_tail`.
fn posting_entry(stem: &str, list: &[(u32, u8)], with_tail: bool) -> (Vec<u8>, Option<Vec<u8>>) {
    // Best impact first, then by id: sorted as one integer each, which is
    // several times faster than comparing pairs.
    let mut keys: Vec<u64> = list.iter().map(|&(id, impact)| u64::from(255 - impact) << 32 | u64::from(id)).collect();
    keys.sort_unstable();
    let sorted: Vec<(u32, u8)> = keys.into_iter().map(|k| (k as u32, 255 - (k >> 32) as u8)).collect();
    let (head, tail) = sorted.split_at(sorted.len().min(HEAD));
    let tail_name = if tail.is_empty() { String::new() } else { tail_name(stem) };
    let mut buf = Vec::with_capacity(stem.len() + head.len() * 3 + 24);
    put_str(&mut buf, stem);
    put_varint(&mut buf, list.len() as u64);
    put_str(&mut buf, &tail_name);
    put_varint(&mut buf, head.len() as u64);
    for &(id, impact) in head {
        put_varint(&mut buf, u64::from(id));
        buf.push(impact);
    }
    (buf, (with_tail && !tail.is_empty()).then(|| tail_bytes(tail)))
}

/// A tail: (document id delta, impact) pairs in id order.
fn tail_bytes(tail: &[(u32, u8)]) -> Vec<u8> {
    let mut keys: Vec<u64> = tail.iter().map(|&(id, impact)| u64::from(id) << 8 | u64::from(impact)).collect();
    keys.sort_unstable();
    let tail = keys.into_iter().map(|k| ((k >> 8) as u32, k as u8));
    let mut buf = Vec::with_capacity(tail.len() * 3 + 4);
    put_varint(&mut buf, tail.len() as u64);
    let mut last = 0;
    for (id, impact) in tail {
        put_varint(&mut buf, u64::from(id - last));
        buf.push(impact);
        last = id;
    }
    buf
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_varint(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_keys_follow_splits() {
        let split: BTreeSet<String> = ["co".to_string(), "con".to_string()].into();
        assert_eq!(shard_key("rupture", &split), "ru");
        assert_eq!(shard_key("contract", &split), "cont");
        assert_eq!(shard_key("cost", &split), "cos");
        assert_eq!(shard_key("co", &split), "co");
        assert_eq!(shard_key("a", &split), "a");
        assert_eq!(key_file("ru"), "ru");
        assert_eq!(key_file("çé"), "_c3a7c3a9");
        assert_eq!(shard_key("学习", &split), "学", "CJK bigrams share a shard per first character");
    }

    #[test]
    fn big_prefixes_are_split() {
        let forms: Vec<String> = (0..2000).map(|i| format!("co{}x{i}", (b'a' + (i % 26) as u8) as char)).collect();
        let split = split_prefixes(forms.iter().map(String::as_str));
        assert!(split.contains("co"));
        assert!(!split.contains("coa"));
    }
}
