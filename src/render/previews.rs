//! Link previews: small JSON records of every page and section, which the
//! theme's script fetches when a reader hovers an internal link.
//!
//! Records are grouped into [`bucket_count`] files, `previews/<n>.json`, by a
//! hash of the target's output path (`a/b/index.html`), so the script finds a
//! link's file from its `href` and the count on `<html data-previews>`, with
//! no index to download first. Buckets rather than one file per page: a fresh
//! build creates a few hundred files instead of ten thousand files and
//! folders, and an edit still rewrites one small file. The JSON holds plain
//! text only; the script shows it with DOM text nodes.

use super::{Output, View};
use crate::model::Site;
use serde::Serialize;
use std::collections::BTreeMap;

/// Records per bucket file on average, at most (the count is a power of two).
const PER_BUCKET: usize = 32;

/// A bound that keeps the count a valid power of two whatever the site's size.
const MAX_BUCKETS: u32 = 1 << 20;

/// Longest preview text, in characters, before it is cut at a word.
pub const SUMMARY_CHARS: usize = 280;

#[derive(Serialize)]
struct Preview<'a> {
    title: String,
    /// The description, else the first paragraph, as plain text.
    summary: String,
    /// Title of the section a page belongs to (`None` for sections).
    section: Option<String>,
    reading_time: usize,
    reviewed: Option<&'a str>,
}

/// How many bucket files the previews of `site` are spread over: a power of
/// two that changes only when pages or sections are added or removed.
pub fn bucket_count(site: &Site) -> u32 {
    let items = site.pages.len() + site.sections.len() + site.cited.works.len();
    let wanted = u32::try_from(items / PER_BUCKET).unwrap_or(u32::MAX).min(MAX_BUCKETS);
    wanted.next_power_of_two()
}

/// The bucket of the record keyed `key` (an output path, `a/b/index.html`).
/// FNV-1a over the UTF-8 bytes, as theme.js computes it.
pub fn bucket_of(key: &str, count: u32) -> u32 {
    fnv1a(key.bytes()) & (count - 1)
}

fn fnv1a(bytes: impl Iterator<Item = u8>) -> u32 {
    bytes.fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The output path of a site URL (`a/b/` → `a/b/index.html`), which is the
/// record's key, in two parts so it can be hashed without allocating.
fn key_parts(url: &str) -> (&str, &str) {
    (url, if url.is_empty() || url.ends_with('/') { "index.html" } else { "" })
}

/// A page or a section with a preview record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    Page(usize),
    Section(usize),
    /// A cited work's reference page (the preview of its in-text citations).
    Work(usize),
}

/// The pages and sections each bucket holds, in URL order.
pub fn all_members(site: &Site) -> Vec<Vec<Item>> {
    let count = bucket_count(site);
    let mut buckets: Vec<Vec<(&str, Item)>> = vec![Vec::new(); count as usize];
    for (url, item) in items(site) {
        let (head, tail) = key_parts(url);
        if crate::urls::output_file(url).is_some() {
            buckets[(fnv1a(head.bytes().chain(tail.bytes())) & (count - 1)) as usize].push((url, item));
        }
    }
    buckets
        .into_iter()
        .map(|mut b| {
            b.sort_by(|x, y| x.0.cmp(y.0));
            b.into_iter().map(|(_, item)| item).collect()
        })
        .collect()
}

/// The pages and sections bucket `b` holds, in URL order (one pass over
/// the site, for an edit that rewrites a bucket or two).
pub fn members(site: &Site, b: u32) -> Vec<Item> {
    let count = bucket_count(site);
    let mut found: Vec<(&str, Item)> = items(site)
        .filter(|(url, _)| {
            let (head, tail) = key_parts(url);
            fnv1a(head.bytes().chain(tail.bytes())) & (count - 1) == b && crate::urls::output_file(url).is_some()
        })
        .collect();
    found.sort_by(|x, y| x.0.cmp(y.0));
    found.into_iter().map(|(_, item)| item).collect()
}

/// The keys of every bucket's members (which say whether a bucket's membership moved).
pub fn all_member_keys(site: &Site) -> Vec<Vec<crate::model::Key>> {
    let key = |item: &Item| match *item {
        Item::Page(i) => site.pages[i].key,
        Item::Section(i) => site.sections[i].key,
        Item::Work(i) => crate::citations::key_hash(&site.cited.works[i].key),
    };
    all_members(site).iter().map(|b| b.iter().map(key).collect()).collect()
}

/// Bucket file `b` (none when no record falls in it).
pub fn bucket(v: &View<'_>, members: &[Item], b: u32) -> Option<Output> {
    let records: BTreeMap<String, Preview<'_>> = v
        .preview_bucket(members, b)
        .iter()
        .map(|&item| {
            let url = match item {
                Item::Page(i) => &v.page(i).url,
                Item::Section(i) => &v.section(i).url,
                Item::Work(i) => &v.work(i).url,
            };
            let (head, tail) = key_parts(url);
            (format!("{head}{tail}"), preview(v, item))
        })
        .collect();
    if records.is_empty() {
        return None;
    }
    Some(Output::new(format!("previews/{b}.json"), serde_json::to_vec(&records).expect("previews serialise")))
}

/// Every page, and every section that renders a listing, with its URL.
fn items(site: &Site) -> impl Iterator<Item = (&str, Item)> {
    let pages = site.pages.iter().enumerate().map(|(i, p)| (p.url.as_str(), Item::Page(i)));
    let listed = site.sections.iter().enumerate().filter(|(_, s)| !s.folder_note && s.doc.fm.redirect_to.is_none());
    let works = site.cited.works.iter().enumerate().map(|(i, w)| (w.url.as_str(), Item::Work(i)));
    pages.chain(listed.map(|(i, s)| (s.url.as_str(), Item::Section(i)))).chain(works)
}

fn preview<'a>(v: &View<'a>, item: Item) -> Preview<'a> {
    match item {
        Item::Page(i) => {
            let p = v.page(i);
            Preview {
                title: p.doc.title(),
                summary: summary(p.doc.fm.description.as_deref(), &p.rendered.first_paragraph),
                section: Some(v.section_link(p.section).0.title),
                reading_time: p.rendered.reading_time,
                reviewed: p.doc.fm.reviewed.as_deref(),
            }
        }
        Item::Work(i) => {
            let w = v.work(i);
            Preview {
                title: w.title.clone(),
                summary: cut_at_word(&w.reference.text, SUMMARY_CHARS),
                section: Some(v.config().labels.get("references").cloned().unwrap_or_else(|| "References".into())),
                reading_time: 0,
                reviewed: None,
            }
        }
        Item::Section(i) => {
            let s = v.section(i);
            Preview {
                title: s.doc.title(),
                summary: summary(s.doc.fm.description.as_deref(), &s.rendered.first_paragraph),
                section: None,
                reading_time: s.rendered.reading_time,
                reviewed: s.doc.fm.reviewed.as_deref(),
            }
        }
    }
}

fn summary(description: Option<&str>, first_paragraph: &str) -> String {
    let text = description.filter(|d| !d.trim().is_empty()).unwrap_or(first_paragraph);
    cut_at_word(text.trim(), SUMMARY_CHARS)
}

/// `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same function runs in theme.js: these are FNV-1a's published
    /// 32-bit test vectors, masked to the bucket count.
    #[test]
    fn buckets_use_fnv1a_32() {
        assert_eq!(bucket_of("", u32::MAX / 2 + 1), 0x811c_9dc5 & (u32::MAX / 2));
        assert_eq!(bucket_of("a", 1 << 31), 0xe40c_292c & 0x7fff_ffff);
        assert_eq!(bucket_of("foobar", 1 << 31), 0xbf9c_f968 & 0x7fff_ffff);
        assert_eq!(bucket_of("guides/first/index.html", 1), 0);
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(cut_at_word("short", 10), "short");
        assert_eq!(cut_at_word("one two three four", 10), "one two…");
        assert_eq!(cut_at_word("élan élan élan", 7), "élan…");
        assert_eq!(summary(Some("  "), "first"), "first");
        assert_eq!(summary(Some("desc"), "first"), "desc");
    }
}
