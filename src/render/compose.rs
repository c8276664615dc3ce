//! Each output's context composed from what it reads through a [`View`]:
//! the page, section and nav parts every template gets. The typed structs
//! and the functions of the site they hold live in [`super::context`].

use super::context::*;
use super::reads::View;
use crate::model::Section;
use crate::parse::Doc;

/// The nav tree for the output at URL `here`: the skeleton with page lists
/// filled in for `section` and its ancestors, so a page's size does not grow
/// with the site, and the way to `here` marked. An ancestor the skeleton left
/// out (past [`NAV_SECTIONS`]) is put back, so the tree always leads to the
/// current page.
pub fn nav_for(v: &View<'_>, skeleton: &[NavEntry], section: Option<usize>, here: &str) -> Vec<NavEntry> {
    let mut nav = skeleton.to_vec();
    let mut chain = Vec::new();
    let mut s = section;
    while let Some(i) = s.filter(|&i| i != 0) {
        let (link, parent) = v.section_link(i);
        chain.push((i, link.url));
        s = parent;
    }
    for (depth, (i, url)) in chain.iter().rev().enumerate().take(NAV_DEPTH) {
        if find_entry(&mut nav, url).is_none() {
            put_back(v, &mut nav, *i, depth);
        }
        if let Some(entry) = find_entry(&mut nav, url) {
            let (listed, more) = v.nav_pages(*i);
            entry.pages = listed.iter().map(|&p| NavLink::of(v.page_link(p))).collect();
            entry.more_pages = more;
        }
    }
    mark(&mut nav, here);
    nav
}

/// Marks the sections on the way to `here` open, and the section or page
/// that is `here` current (nothing when `here` is empty: no page of its own).
fn mark(nav: &mut [NavEntry], here: &str) {
    let mut stack: Vec<&mut NavEntry> = nav.iter_mut().collect();
    while let Some(entry) = stack.pop() {
        entry.open = !here.is_empty() && here.starts_with(entry.url.as_str());
        entry.current = entry.url == here;
        for p in &mut entry.pages {
            p.current = p.url == here;
        }
        stack.extend(entry.children.iter_mut());
    }
}

/// Adds section `i` (at `depth`, 0 for the top) under its parent's entry.
fn put_back(v: &View<'_>, nav: &mut Vec<NavEntry>, i: usize, depth: usize) {
    let entry = v.nav_tree(i, depth + 1);
    match v.section_link(i).1.filter(|&p| p != 0) {
        None => nav.push(entry),
        Some(p) => {
            if let Some(parent) = find_entry(nav, &v.section_link(p).0.url) {
                parent.children.push(entry);
                parent.more_sections = parent.more_sections.saturating_sub(1);
            }
        }
    }
}

fn find_entry<'a>(nav: &'a mut [NavEntry], url: &str) -> Option<&'a mut NavEntry> {
    let mut stack: Vec<&'a mut NavEntry> = nav.iter_mut().collect();
    while let Some(entry) = stack.pop() {
        if entry.url == url {
            return Some(entry);
        }
        stack.extend(entry.children.iter_mut());
    }
    None
}

fn doc_context<'a>(
    v: &View<'a>,
    doc: &'a Doc,
    url: &str,
    rendered: &'a crate::markdown::Rendered,
    tags: Vec<LinkRef>,
    parent: Option<usize>,
) -> DocContext<'a> {
    let fm = &doc.fm;
    let config = v.config();
    DocContext {
        title: smart_title(v.site, &doc.title()),
        description: fm.description.as_deref().map(|d| crate::typography::title(v.site, d)),
        url: v.full_url(url),
        permalink: format!("{}{}", config.base_url, url),
        path: doc.rel.to_string_lossy().replace('\\', "/"),
        content: &rendered.html,
        summary: &rendered.summary_html,
        first_paragraph: &rendered.first_paragraph,
        toc: &rendered.toc,
        word_count: rendered.word_count,
        reading_time: rendered.reading_time,
        date: fm.date.as_deref(),
        updated: fm.updated.as_deref(),
        reviewed: fm.reviewed.as_deref(),
        reviewed_by: fm.reviewed_by.as_deref(),
        review: crate::reviews::review(fm.reviewed.as_deref(), fm.review_every.as_deref(), &config.reviews),
        tags,
        authors: &fm.authors,
        references: &fm.references,
        bibliography: &rendered.bibliography,
        cssclasses: &fm.cssclasses,
        extra: &fm.extra,
        properties: &fm.properties,
        property_list: if config.markdown.properties { &rendered.properties } else { &[] },
        ancestors: ancestors(v, parent),
        anchor_links: None,
    }
}

fn ancestors(v: &View<'_>, mut section: Option<usize>) -> Vec<LinkRef> {
    let mut chain = Vec::new();
    while let Some(s) = section {
        let (link, parent) = v.section_link(s);
        chain.push(link);
        section = parent;
    }
    chain.reverse();
    chain
}

pub fn page_context<'a>(v: &View<'a>, index: usize) -> PageContext<'a> {
    let page = v.page(index);
    let [previous, next] = v.neighbours(index).map(|n| n.map(|p| v.page_link(p)));
    let tags = v.tags_of(page, usize::MAX);
    let mut doc = doc_context(v, &page.doc, &page.url, &page.rendered, tags, Some(page.section));
    doc.anchor_links = v.anchor_links(page.section);
    PageContext {
        doc,
        section: v.section_link(page.section).0,
        previous,
        next,
        backlinks: v
            .backlinks(index)
            .iter()
            .map(|b| {
                let l = v.page_link(b.from);
                BacklinkRef { title: l.title, url: l.url, context: &b.context }
            })
            .collect(),
        related: v.related(index).iter().map(|&r| v.page_link(r)).collect(),
    }
}

/// A section's context; `listed` false leaves its pages out (a paginated
/// section lists them in its `paginator`, so reads only those it shows).
pub fn section_context<'a>(v: &View<'a>, index: usize, listed: bool) -> SectionContext<'a> {
    let s: &Section = v.section(index);
    let pages = if listed { v.section_pages(index).iter().map(|&p| v.page_summary(p)).collect() } else { vec![] };
    let mut doc = doc_context(v, &s.doc, &s.url, &s.rendered, vec![], s.parent);
    doc.anchor_links = s.doc.fm.insert_anchor_links;
    SectionContext {
        doc,
        pages,
        subsections: v
            .listed_children(index)
            .into_iter()
            .map(|c| {
                let sub = v.section(c);
                SubsectionRef {
                    title: smart_title(v.site, &sub.doc.title()),
                    url: v.full_url(&sub.url),
                    description: sub.doc.fm.description.as_deref().map(|d| crate::typography::title(v.site, d)),
                    page_count: v.pages_below(c),
                }
            })
            .collect(),
    }
}
