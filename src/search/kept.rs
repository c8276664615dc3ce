//! The inverted index kept between edits (for [`super::live`]): word forms
//! and stems get ids that never change, each document keeps its impacts by
//! those ids, and a form counts the documents using it. An edit then touches
//! only the edited documents; the [`Index`] the writers read is put together
//! from what is kept (forms in use sorted, stems ranked), equal to what
//! [`index::build`] makes of the same documents.

use super::index::{self, Counts, Index, Words};
use super::tokenize::Analyzer;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

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
}

struct Doc {
    /// (stem id, per-field counts) of each form.
    forms: Vec<(u32, u32, Counts)>,
    len: u32,
    /// (stem id, impact) at `Kept::avgdl`.
    impacts: Vec<(u32, u8)>,
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
                (id, info.1, *counts)
            })
            .collect();
        self.total_len += u64::from(words.len());
        let doc = Doc { forms, len: words.len(), impacts: Vec::new() };
        self.docs.insert(url.to_string(), doc);
    }

    pub fn remove(&mut self, url: &str) {
        let Some(doc) = self.docs.remove(url) else { return };
        for (form, _, _) in doc.forms {
            self.form_info[form as usize].2 -= 1;
        }
        self.total_len -= u64::from(doc.len);
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

    /// The index of the documents kept, as [`index::build`] makes it.
    pub fn index(&mut self) -> Index {
        let avgdl = index::quantised(self.total_len, self.docs.len());
        let stale = avgdl != self.avgdl;
        self.avgdl = avgdl;
        for doc in self.docs.values_mut().filter(|d| stale || d.impacts.is_empty()) {
            doc.impacts = index::impacts_of(doc.forms.iter().map(|(_, s, c)| (*s, c)), doc.len, avgdl);
        }
        // Forms in use, sorted; their stems ranked in sorted order.
        let mut used: Vec<(&str, u32)> =
            self.form_info.iter().filter(|f| f.2 > 0).map(|(f, s, _)| (f.as_str(), *s)).collect();
        used.sort_unstable();
        let mut stems: Vec<u32> = used.iter().map(|&(_, s)| s).collect();
        stems.sort_unstable_by(|&a, &b| self.stems[a as usize].cmp(&self.stems[b as usize]));
        stems.dedup();
        let mut rank = vec![u32::MAX; self.stems.len()];
        for (r, &s) in stems.iter().enumerate() {
            rank[s as usize] = r as u32;
        }
        let mut postings: Vec<Vec<(u32, u8)>> = vec![Vec::new(); stems.len()];
        let ids = index::assign_ids(self.docs.keys().map(String::as_str));
        for (id, doc) in ids.iter().zip(self.docs.values()) {
            for &(stem, impact) in &doc.impacts {
                postings[rank[stem as usize] as usize].push((*id, impact));
            }
        }
        Index {
            forms: used.into_iter().map(|(f, s)| (f.to_string(), rank[s as usize])).collect(),
            stems: stems.into_iter().map(|s| self.stems[s as usize].clone()).collect(),
            ids,
            postings,
            avgdl,
        }
    }
}
