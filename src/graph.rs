//! The link graph: every internal link between pages, built once from the
//! rendered pages and shared by backlinks, related pages, `check` (orphans)
//! and the dev server, which updates it one page at a time.

use crate::markdown::PageLink;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// A page that links here, with the sentence around the link.
#[derive(Debug, Clone, PartialEq)]
pub struct Backlink {
    pub from: usize,
    pub context: String,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// For each page: pages that link to it, ordered by source page.
    pub backlinks: Vec<Vec<Backlink>>,
    /// For each page: the pages it links to (deduplicated, in link order).
    pub outbound: Vec<Vec<usize>>,
    /// For each page: up to [`RELATED`] pages, best first.
    pub related: Vec<Vec<usize>>,
    /// Pages that a section page links to (those count as linked, not orphans).
    pub linked_from_sections: Vec<bool>,
    index: HashMap<PathBuf, usize>,
}

/// What the graph is built from: the pages' and sections' links and the
/// pages' tags. The model provides it; the graph needs nothing else of it.
pub trait Linked: Sync {
    fn page_count(&self) -> usize;
    /// Page `i`'s source path relative to `content/`.
    fn page_rel(&self, i: usize) -> &Path;
    fn page_links(&self, i: usize) -> &[PageLink];
    /// Every link of every section page.
    fn section_links(&self) -> Vec<&PageLink>;
    /// The pages of each tag, for relatedness.
    fn tag_groups(&self) -> Vec<&[usize]>;
}

pub const RELATED: usize = 5;
/// A tag shared with this many pages or more says little about relatedness.
const TAG_CAP: usize = 300;

pub fn build(site: &dyn Linked) -> Graph {
    let n = site.page_count();
    let index = (0..n).map(|i| (site.page_rel(i).to_path_buf(), i)).collect();
    let mut g = Graph {
        backlinks: vec![vec![]; n],
        outbound: vec![vec![]; n],
        related: vec![],
        linked_from_sections: vec![],
        index,
    };
    let edges: Vec<Vec<(usize, String)>> = (0..n).into_par_iter().map(|from| g.edges(site, from)).collect();
    for (from, list) in edges.into_iter().enumerate() {
        for (to, context) in list {
            g.outbound[from].push(to);
            g.backlinks[to].push(Backlink { from, context });
        }
    }
    g.refresh_sections(site);
    let terms = terms_by_page(site);
    g.related = (0..n).into_par_iter().map(|p| g.rank_related(&terms[p], p)).collect();
    g
}

impl Graph {
    /// Room for one more page, with no links yet (a page shown before the
    /// graph is built again).
    pub fn add_page_slot(&mut self) {
        self.backlinks.push(vec![]);
        self.outbound.push(vec![]);
        self.related.push(vec![]);
        self.linked_from_sections.push(false);
    }

    /// Takes back [`Graph::add_page_slot`].
    pub fn remove_page_slot(&mut self) {
        self.backlinks.pop();
        self.outbound.pop();
        self.related.pop();
        self.linked_from_sections.pop();
    }

    /// The distinct pages `from` links to, each with the first link's context.
    fn edges(&self, site: &dyn Linked, from: usize) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = Vec::new();
        for link in site.page_links(from) {
            let Some(&to) = self.index.get(link.target.as_path()) else { continue };
            if to != from && !out.iter().any(|(t, _)| *t == to) {
                out.push((to, link.context.clone()));
            }
        }
        out
    }

    pub fn page_index(&self, rel: &Path) -> Option<usize> {
        self.index.get(rel).copied()
    }

    pub fn refresh_sections(&mut self, site: &dyn Linked) {
        self.linked_from_sections = vec![false; site.page_count()];
        for link in site.section_links() {
            if let Some(&to) = self.index.get(link.target.as_path()) {
                self.linked_from_sections[to] = true;
            }
        }
    }

    /// Re-reads page `p`'s links after its markdown changed. Returns every
    /// page whose backlinks or related pages changed (their outputs are stale).
    pub fn update_page(&mut self, site: &dyn Linked, p: usize) -> BTreeSet<usize> {
        let new_edges = self.edges(site, p);
        let old_targets = std::mem::take(&mut self.outbound[p]);
        let mut touched: BTreeSet<usize> = old_targets.iter().copied().collect();
        for &t in &old_targets {
            self.backlinks[t].retain(|b| b.from != p);
        }
        for (to, context) in new_edges {
            touched.insert(to);
            self.outbound[p].push(to);
            let at = self.backlinks[to].partition_point(|b| b.from < p);
            self.backlinks[to].insert(at, Backlink { from: p, context });
        }
        let mut stale = touched.clone();
        // Related pages read outbound links, backlinks and the backlinks of link targets.
        let mut rerank: BTreeSet<usize> = touched.clone();
        rerank.insert(p);
        for &t in &touched {
            rerank.extend(self.backlinks[t].iter().map(|b| b.from));
        }
        stale.extend(self.rerank(site, &rerank));
        stale
    }

    /// Recomputes related pages for `pages`; returns those whose list changed.
    pub fn rerank(&mut self, site: &dyn Linked, pages: &BTreeSet<usize>) -> Vec<usize> {
        let terms = terms_by_page(site);
        let fresh: Vec<(usize, Vec<usize>)> = pages.iter().map(|&p| (p, self.rank_related(&terms[p], p))).collect();
        let mut changed = Vec::new();
        for (p, list) in fresh {
            if self.related[p] != list {
                self.related[p] = list;
                changed.push(p);
            }
        }
        changed
    }

    /// Pages ranked by links between them (3 each way), shared link targets
    /// (1 each) and shared tags (1 each); ties go to the earlier page.
    fn rank_related(&self, terms: &[&[usize]], p: usize) -> Vec<usize> {
        let mut score: HashMap<usize, u32> = HashMap::new();
        for &q in &self.outbound[p] {
            *score.entry(q).or_default() += 3;
        }
        for b in &self.backlinks[p] {
            *score.entry(b.from).or_default() += 3;
        }
        for &t in &self.outbound[p] {
            for b in &self.backlinks[t] {
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
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.into_iter().take(RELATED).map(|(i, _)| i).collect()
    }

    /// Pages nothing links to (neither a page nor a section page).
    pub fn orphans(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.backlinks.len()).filter(|&i| self.backlinks[i].is_empty() && !self.linked_from_sections[i])
    }
}

/// For each page, the `tags` terms it carries that are small enough to mean something.
fn terms_by_page(site: &dyn Linked) -> Vec<Vec<&[usize]>> {
    let mut out = vec![Vec::new(); site.page_count()];
    for pages in site.tag_groups().into_iter().filter(|t| t.len() < TAG_CAP) {
        for &p in pages {
            out[p].push(pages);
        }
    }
    out
}
