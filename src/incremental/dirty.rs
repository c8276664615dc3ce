//! Which outputs read what: given one edited page or section, the notes to
//! re-render and the templated outputs whose context may have changed.
//! Over-approximating is safe (unchanged bytes are not rewritten); missing a
//! dependency is a bug the equality test catches.

use super::DocRef;
use crate::model::{self, Site};
use crate::render::context::NAV_PAGES;
use crate::render::Target;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the site looked like before the edit, where later comparison needs it.
/// Views and tags are kept for the pages about to be re-rendered only (no
/// other page's can change).
pub struct Snapshot {
    pub term_files: Vec<PathBuf>,
    orders: Vec<Vec<usize>>,
    tags: BTreeMap<usize, Vec<String>>,
    views: BTreeMap<usize, String>,
}

impl Snapshot {
    pub fn take(site: &Site, pages: &BTreeSet<usize>) -> Snapshot {
        Snapshot {
            term_files: term_files(site),
            orders: site.sections.iter().map(|s| s.pages.clone()).collect(),
            tags: pages.iter().map(|&i| (i, site.pages[i].tags.clone())).collect(),
            views: pages.iter().map(|&i| (i, listing_view(site, i))).collect(),
        }
    }

    /// True when what other pages show of the re-rendered pages changed.
    pub fn views_changed(&self, site: &Site) -> bool {
        self.views.iter().any(|(&i, v)| *v != listing_view(site, i))
    }
}

/// Every term page's output file.
pub fn term_files(site: &Site) -> Vec<PathBuf> {
    site.taxonomies.iter().flat_map(|t| &t.terms).filter_map(|term| crate::urls::output_file(&term.url)).collect()
}

/// Everything other pages show of page `i`: listings, neighbours, backlinks,
/// related lists, tag pages and the feed.
fn listing_view(site: &Site, i: usize) -> String {
    let p = &site.pages[i];
    let fm = &p.doc.fm;
    format!(
        "{}|{}|{:?}|{:?}|{:?}|{:?}|{}|{}|{}|{:?}",
        p.doc.title(),
        p.url,
        fm.description,
        fm.date,
        fm.updated,
        fm.reviewed,
        p.rendered.reading_time,
        p.rendered.summary_html,
        p.rendered.first_paragraph,
        p.tags
    )
}

/// The edited doc plus every note that embeds it, transitively.
pub fn rerender_set(site: &Site, at: DocRef, rel: &Path) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let mut pages = BTreeSet::new();
    let mut sections = BTreeSet::new();
    match at {
        DocRef::Page(i) => pages.insert(i),
        DocRef::Section(i) => sections.insert(i),
    };
    let mut queue = vec![rel.to_path_buf()];
    let mut seen: BTreeSet<PathBuf> = queue.iter().cloned().collect();
    while let Some(target) = queue.pop() {
        let embeds = |r: &crate::markdown::Rendered| r.embeds.iter().any(|e| e.target == target);
        for (i, p) in site.pages.iter().enumerate().filter(|(_, p)| embeds(&p.rendered)) {
            pages.insert(i);
            if seen.insert(p.doc.rel.clone()) {
                queue.push(p.doc.rel.clone());
            }
        }
        for (i, s) in site.sections.iter().enumerate().filter(|(_, s)| embeds(&s.rendered)) {
            sections.insert(i);
            if seen.insert(s.doc.rel.clone()) {
                queue.push(s.doc.rel.clone());
            }
        }
    }
    (pages, sections)
}

/// Re-sorts the section whose order the edit may have changed.
pub fn reorder(site: &mut Site, at: DocRef) {
    let s = match at {
        DocRef::Page(i) => site.pages[i].section,
        DocRef::Section(s) => {
            if let Some(parent) = site.sections[s].parent {
                model::sort_children(&mut site.sections, parent);
            }
            s
        }
    };
    model::sort_pages(&mut site.sections, s, &site.pages);
}

/// Updates the link graph for the re-rendered notes and lists the outputs to render.
pub fn targets(
    site: &mut Site,
    before: &Snapshot,
    at: DocRef,
    pages: &BTreeSet<usize>,
    sections: &BTreeSet<usize>,
    front_matter: bool,
) -> Vec<Target> {
    if matches!(at, DocRef::Section(_)) && front_matter {
        // Section titles appear in every page's navigation and breadcrumbs.
        return crate::render::all_targets(site);
    }
    let mut graph = std::mem::take(&mut site.graph);
    let mut stale: BTreeSet<usize> = pages.clone();
    for &p in pages {
        stale.extend(graph.update_page(site, p));
    }
    if !sections.is_empty() {
        graph.refresh_sections(site);
    }
    let tags_changed = before.tags.iter().any(|(&i, t)| *t != site.pages[i].tags);
    if tags_changed {
        let all: BTreeSet<usize> = (0..site.pages.len()).collect();
        stale.extend(graph.rerank(site, &all));
    }
    site.graph = graph;
    let mut out: BTreeSet<Target> = stale.iter().map(|&p| Target::Page(p)).collect();
    out.extend(sections.iter().map(|&s| Target::Section(s)));
    for &p in pages {
        if before.views.get(&p).is_some_and(|v| *v != listing_view(site, p)) {
            out.extend(shows_page(site, before, p));
        }
    }
    for (s, section) in site.sections.iter().enumerate() {
        if before.orders[s] != section.pages {
            out.insert(Target::Section(s));
            out.extend(order_changes(&before.orders[s], &section.pages).into_iter().map(Target::Page));
            let listed = |order: &[usize]| order.iter().take(NAV_PAGES).copied().collect::<Vec<_>>();
            if listed(&before.orders[s]) != listed(&section.pages) {
                out.extend(nav_readers(site, s));
            }
        }
    }
    if tags_changed {
        out.extend(
            crate::render::all_targets(site)
                .into_iter()
                .filter(|t| matches!(t, Target::Taxonomy(_) | Target::Term(..))),
        );
    }
    out.into_iter().collect()
}

/// Outputs that show page `p`'s title or summary.
fn shows_page(site: &Site, before: &Snapshot, p: usize) -> Vec<Target> {
    let s = site.pages[p].section;
    let mut out = vec![Target::Section(s)];
    let in_nav = |order: &[usize]| order.iter().take(NAV_PAGES).any(|&q| q == p);
    if in_nav(&before.orders[s]) || in_nav(&site.sections[s].pages) {
        out.extend(nav_readers(site, s));
    }
    out.extend(neighbour_changes(&before.orders[s], &site.sections[s].pages, p).into_iter().map(Target::Page));
    out.extend(site.graph.outbound[p].iter().map(|&t| Target::Page(t)));
    out.extend((0..site.pages.len()).filter(|&q| site.graph.related[q].contains(&p)).map(Target::Page));
    for (i, tax) in site.taxonomies.iter().enumerate() {
        for (j, term) in tax.terms.iter().enumerate() {
            if term.pages.contains(&p) {
                out.push(Target::Term(i, j));
            }
        }
    }
    out
}

/// Outputs whose navigation lists section `s`'s pages: every page and section
/// page in `s` or below it (the nav opens the path to the current page).
fn nav_readers(site: &Site, s: usize) -> Vec<Target> {
    let mut below = vec![s];
    let mut k = 0;
    while k < below.len() {
        below.extend(site.sections[below[k]].children.iter().copied());
        k += 1;
    }
    let mut out: Vec<Target> = below.iter().map(|&x| Target::Section(x)).collect();
    for &x in &below {
        out.extend(site.sections[x].pages.iter().map(|&p| Target::Page(p)));
    }
    out
}

/// The neighbours of `p` in the old and new order of its section (they show its title).
fn neighbour_changes(old: &[usize], new: &[usize], p: usize) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for list in [old, new] {
        if let Some(k) = list.iter().position(|&q| q == p) {
            out.extend(around(list, k).into_iter().flatten());
        }
    }
    out
}

/// Pages whose previous or next page differs between two orders of a section.
fn order_changes(old: &[usize], new: &[usize]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for (k, &q) in new.iter().enumerate() {
        let was = old.iter().position(|&x| x == q);
        if was.map(|w| around(old, w)) != Some(around(new, k)) {
            out.insert(q);
        }
    }
    out
}

/// The previous and next entries around position `k`.
fn around(list: &[usize], k: usize) -> [Option<usize>; 2] {
    [k.checked_sub(1).and_then(|j| list.get(j).copied()), list.get(k + 1).copied()]
}
