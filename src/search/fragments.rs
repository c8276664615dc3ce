//! Per-document fragments and tag filters.
//!
//! A fragment holds what a result shows and what the client needs to check
//! a candidate: URL, title, tags and the plain text of each heading section
//! (so it can pick the best `#heading`, verify phrases and cut an excerpt).
//! The client fetches fragments only for the results it shows. A tag file
//! lists the documents carrying that tag, for `tags` filters.

use super::encoding::{gzip, put_varint};
use super::index::{fnv1a64, Entry, Index};
use super::tokenize::fold;
use crate::markdown::TextSection;
use crate::output::Output;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub(super) struct Fragment<'a> {
    u: &'a str,
    t: &'a str,
    /// Other names (aliases), matched like the title.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    a: &'a [&'a str],
    /// The site section the page is in.
    #[serde(skip_serializing_if = "str::is_empty")]
    c: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    g: &'a [String],
    /// (heading id, heading, text); the first may have no heading.
    pub(super) s: Vec<(&'a str, &'a str, String)>,
    /// On a card: whether words were cut from before and after its one section's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) e: Option<(bool, bool)>,
}

pub(super) fn fragment(e: &Entry<'_>, id: u32) -> Output {
    let f = Fragment::of(e, e.sections.iter(), true);
    Output::new(path(id), gzip(&serde_json::to_vec(&f).expect("fragment serialises")))
}

/// The path of document `id`'s fragment.
pub(super) fn path(id: u32) -> String {
    format!("{FOLDER}{id}.frag")
}

/// Where fragment files live.
pub(super) const FOLDER: &str = "search/f/";

/// The document id a fragment file's path names (`None`: not a fragment's path).
pub(super) fn id_of(path: &str) -> Option<u32> {
    path.strip_prefix(FOLDER)?.strip_suffix(".frag")?.parse().ok()
}

impl<'a> Fragment<'a> {
    /// The fragment of `e` with the `sections` given, and its description
    /// when `described` (otherwise left out).
    pub(super) fn of(e: &'a Entry<'a>, sections: impl Iterator<Item = &'a TextSection>, described: bool) -> Self {
        Fragment {
            u: &e.url,
            t: &e.title,
            a: &e.aliases,
            c: &e.group,
            d: described.then(|| e.description.unwrap_or("")),
            g: e.tags,
            s: sections.map(|s| (s.id.as_deref().unwrap_or(""), s.heading.as_str(), squeeze(&s.text))).collect(),
            e: None,
        }
    }
}

/// Section text with runs of white space (between paragraphs) made one space.
pub(super) fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `tags.json` (folded tag → file) and one file of sorted document ids per tag.
pub(super) fn tags(index: &Index, entries: &[Entry<'_>]) -> Vec<Output> {
    let mut by_tag: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (e, &id) in entries.iter().zip(&index.ids) {
        for tag in e.tags {
            let key = fold(tag.trim());
            if !key.is_empty() {
                by_tag.entry(key).or_default().push(id);
            }
        }
    }
    let mut names: BTreeMap<&str, String> = BTreeMap::new();
    let mut out = Vec::new();
    for (tag, ids) in &mut by_tag {
        ids.sort_unstable();
        ids.dedup();
        let name = format!("{:016x}", fnv1a64(tag.as_bytes()));
        let mut buf = Vec::with_capacity(ids.len() * 2 + 4);
        put_varint(&mut buf, ids.len() as u64);
        let mut last = 0;
        for &id in ids.iter() {
            put_varint(&mut buf, u64::from(id - last));
            last = id;
        }
        out.push(Output::new(format!("search/g/{name}.tag"), gzip(&buf)));
        names.insert(tag, name);
    }
    out.push(Output::new("search/tags.json", serde_json::to_vec(&names).expect("tags serialise")));
    out
}
