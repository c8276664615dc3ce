//! Edits to the model for one page or section changed in place (same URL,
//! aliases and publication state): the doc is swapped, its markdown and that
//! of the notes embedding it rendered again, the section re-sorted, tags,
//! taxonomies and link graph brought up to date. The result equals what the
//! pipeline's stages give for the same files (the property test checks it);
//! which outputs then change is not decided here but by recorded reads.

use super::records::Scope;
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::model::{self, Key, Site};
use crate::parse::Doc;
use rustc_hash::FxHashSet;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy)]
pub(super) enum DocRef {
    Page(usize),
    Section(usize),
}

/// Puts `doc` in place of the doc at `at`, and says what that may have
/// changed. On an error in its markdown (or an embedding note's) the site is
/// left as it was.
pub(super) fn replace_doc(
    site: &mut Site,
    highlighter: &Highlighter,
    at: DocRef,
    doc: Doc,
) -> Result<(Vec<Diagnostic>, Scope), Vec<Diagnostic>> {
    let mut clock = crate::progress::StageClock::new();
    let (pages, sections) = rerender_set(site, at, &doc.rel);
    clock.lap("p:embedders");
    let tags_before: Vec<Vec<String>> = pages.iter().map(|&p| site.pages[p].tags.clone()).collect();
    let same_front_matter = doc_at(site, at).fm == doc.fm && doc_at(site, at).lead_h1 == doc.lead_h1;
    let old = swap(site, at, Arc::new(doc));
    let zola_terms_changed = old.fm.taxonomies != doc_at(site, at).fm.taxonomies;
    reorder(site, at);
    let diagnostics = match crate::pipeline::rerender_markdown(site, highlighter, &pages, &sections) {
        Ok(d) => d,
        Err(errors) => {
            swap(site, at, old);
            reorder(site, at);
            return Err(errors);
        }
    };
    clock.lap("p:markdown");
    let tags_changed = pages.iter().zip(&tags_before).any(|(&p, before)| site.pages[p].tags != *before);
    if zola_terms_changed {
        site.taxonomies = crate::assembly::build_taxonomies(&site.config, &site.pages, &site.sections);
    }
    let mut graph = std::mem::take(&mut site.graph);
    let mut rows: BTreeSet<usize> = pages.clone();
    for &p in &pages {
        rows.extend(graph.update_page(&site.linkage(), p));
    }
    if !sections.is_empty() {
        graph.refresh_sections(&site.linkage());
    }
    let taxonomies = tags_changed || zola_terms_changed;
    if taxonomies {
        rows.extend(graph.rerank(&site.linkage(), &(0..site.pages.len()).collect()));
    }
    site.graph = graph;
    site.cited = crate::cited::gather(site.links.bibliography.as_deref(), &site.pages, &site.sections);
    clock.lap("p:graph");
    let mut docs: FxHashSet<Key> = pages.iter().map(|&p| site.pages[p].key).collect();
    docs.extend(sections.iter().map(|&s| site.sections[s].key));
    let rows = rows.into_iter().map(|p| site.pages[p].key).collect();
    Ok((diagnostics, Scope::Patched { docs, rows, reordered: !same_front_matter, taxonomies }))
}

fn doc_at(site: &Site, at: DocRef) -> &Doc {
    match at {
        DocRef::Page(i) => &site.pages[i].doc,
        DocRef::Section(i) => &site.sections[i].doc,
    }
}

fn swap(site: &mut Site, at: DocRef, doc: Arc<Doc>) -> Arc<Doc> {
    match at {
        DocRef::Page(i) => std::mem::replace(&mut site.pages[i].doc, doc),
        DocRef::Section(i) => std::mem::replace(&mut site.sections[i].doc, doc),
    }
}

/// The edited doc plus every note that embeds it, transitively.
fn rerender_set(site: &Site, at: DocRef, rel: &Path) -> (BTreeSet<usize>, BTreeSet<usize>) {
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

/// Re-sorts what the edit may have reordered: the page's section, or the
/// section among its siblings and its own pages; and the listings of the
/// sections a transparent one lifts its pages into (a section's parent is
/// always relisted: the edit may have turned `transparent` off).
fn reorder(site: &mut Site, at: DocRef) {
    match at {
        DocRef::Page(i) => model::relist_up(&mut site.sections, &site.pages, site.pages[i].section),
        DocRef::Section(s) => {
            model::relist(&mut site.sections, &site.pages, s);
            if let Some(parent) = site.sections[s].parent {
                model::sort_children(&mut site.sections, parent);
                model::relist_up(&mut site.sections, &site.pages, parent);
            }
        }
    }
}
