//! Citations in Pandoc syntax (`[@key]`, `[@key, p. 33]`, `[@a; @b]`,
//! narrative `@key`) against the site's bibliography, formatted by hayagriva
//! in the site's CSL style.
//!
//! Markdown finds and formats a page's citations (see
//! `markdown::citing`), asking the link index for each key's fingerprint so
//! a bibliography edit renders again only the pages citing a changed entry.
//! Once every page is rendered, [`Cited`] gathers which pages cite which
//! work, with the citing sentence, for the `/references/` pages.

pub mod bibliography;
pub mod csl_json;
pub mod format;
pub mod memo;
pub mod parse;

pub use bibliography::Bibliography;

use serde::Serialize;
use std::collections::BTreeMap;

/// One use of a work on a page: its key and the sentence around it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CiteUse {
    pub key: String,
    pub context: String,
}

/// A page or section that cites a work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Citer {
    Page(usize),
    Section(usize),
}

/// A work some page cites, with its reference page's data.
#[derive(Debug, Clone)]
pub struct Work {
    pub key: String,
    /// The key as a URL segment and an HTML id (`ref-<slug>`).
    pub slug: String,
    pub url: String,
    pub title: String,
    pub authors: Vec<String>,
    /// The full reference, formatted in the site's style.
    pub reference: format::ListedReference,
    pub doi: Option<String>,
    pub pmid: Option<String>,
    pub link: Option<String>,
    /// The pages citing it, each once, with the first citing sentence.
    pub cited_by: Vec<(Citer, String)>,
    /// Fingerprint of its entry (with the style), for the incremental engine.
    pub print: u64,
}

/// Every cited work, by key.
#[derive(Debug, Clone, Default)]
pub struct Cited {
    pub works: Vec<Work>,
    by_key: BTreeMap<String, usize>,
}

impl Cited {
    /// The cited keys, in order.
    pub fn keys(&self) -> Vec<String> {
        self.works.iter().map(|w| w.key.clone()).collect()
    }

    pub fn get(&self, key: &str) -> Option<&Work> {
        self.by_key.get(key).map(|&i| &self.works[i])
    }

    /// Adds a work, found by its key from then on.
    pub fn push(&mut self, work: Work) {
        self.by_key.insert(work.key.clone(), self.works.len());
        self.works.push(work);
    }

    /// The index of the work whose key hashes to `hash` (see [`key_hash`]).
    pub fn position_of_hash(&self, hash: u64) -> Option<usize> {
        self.works.iter().position(|w| key_hash(&w.key) == hash)
    }
}

/// A work's key as a URL segment and id: letters, digits, `-`, `_` and `.`
/// kept, anything else a `-`.
pub fn slug_of(key: &str) -> String {
    key.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect()
}

/// A stable hash of a key, naming its reference page across rebuilds.
pub fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    key.hash(&mut h);
    h.finish()
}
