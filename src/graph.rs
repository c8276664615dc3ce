//! The link graph: every internal link between pages, built once from the
//! rendered pages and shared by backlinks, related pages, `check` (orphans)
//! and the dev server's dependency tracking.

use crate::model::Site;
use rayon::prelude::*;
use std::collections::HashMap;

/// A page that links here, with the sentence around the link.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlink {
    pub from: usize,
    pub context: String,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// For each page: pages that link to it (one entry per source page).
    pub backlinks: Vec<Vec<Backlink>>,
    /// For each page: the pages it links to (deduplicated).
    pub outbound: Vec<Vec<usize>>,
    /// For each page: up to [`RELATED`] pages, best first.
    pub related: Vec<Vec<usize>>,
    /// Sections that link to each page (home and section pages count as inbound links).
    pub linked_from_sections: Vec<bool>,
}

pub const RELATED: usize = 5;
/// A tag shared with this many pages or more says little about relatedness.
const TAG_CAP: usize = 300;

pub fn build(site: &Site) -> Graph {
    let index: HashMap<&std::path::Path, usize> =
        site.pages.iter().enumerate().map(|(i, p)| (p.doc.rel.as_path(), i)).collect();
    let n = site.pages.len();
    let mut g = Graph {
        backlinks: vec![vec![]; n],
        outbound: vec![vec![]; n],
        related: vec![],
        linked_from_sections: vec![false; n],
    };
    for (from, page) in site.pages.iter().enumerate() {
        for link in &page.rendered.links {
            let Some(&to) = index.get(link.target.as_path()) else { continue };
            if to == from || g.outbound[from].contains(&to) {
                continue;
            }
            g.outbound[from].push(to);
            g.backlinks[to].push(Backlink { from, context: link.context.clone() });
        }
    }
    for section in &site.sections {
        for link in &section.rendered.links {
            if let Some(&to) = index.get(link.target.as_path()) {
                g.linked_from_sections[to] = true;
            }
        }
    }
    let page_terms = terms_by_page(site);
    g.related = (0..n).into_par_iter().map(|p| related(site, &g, &page_terms[p], p)).collect();
    g
}

/// For each page, the `tags` terms it carries that are small enough to mean something.
fn terms_by_page(site: &Site) -> Vec<Vec<&[usize]>> {
    let mut out = vec![Vec::new(); site.pages.len()];
    for tax in site.taxonomies.iter().filter(|t| t.name == "tags") {
        for term in tax.terms.iter().filter(|t| t.pages.len() < TAG_CAP) {
            for &p in &term.pages {
                out[p].push(term.pages.as_slice());
            }
        }
    }
    out
}

/// Pages ranked by links between them (3 each way), shared link targets (1
/// each) and shared tags (1 each); ties broken by title.
fn related(site: &Site, g: &Graph, terms: &[&[usize]], p: usize) -> Vec<usize> {
    let mut score: HashMap<usize, u32> = HashMap::new();
    for &q in &g.outbound[p] {
        *score.entry(q).or_default() += 3;
    }
    for b in &g.backlinks[p] {
        *score.entry(b.from).or_default() += 3;
    }
    for &t in &g.outbound[p] {
        for b in &g.backlinks[t] {
            *score.entry(b.from).or_default() += 1;
        }
    }
    for term in terms {
        for &q in term.iter() {
            *score.entry(q).or_default() += 1;
        }
    }
    score.remove(&p);
    let mut ranked: Vec<(usize, u32)> = score.into_iter().collect();
    let title = |i: usize| site.pages[i].doc.fm.title.as_deref().unwrap_or("");
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| title(a.0).cmp(title(b.0))).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(RELATED).map(|(i, _)| i).collect()
}

impl Graph {
    /// Pages nothing links to (neither a page nor a section page).
    pub fn orphans(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.backlinks.len()).filter(|&i| self.backlinks[i].is_empty() && !self.linked_from_sections[i])
    }
}
