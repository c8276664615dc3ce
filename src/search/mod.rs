//! Site search: a sharded static index built from the parsed content, and
//! the client (`/search/search.js`) that queries it in the browser.
//!
//! The index is built from the model (titles, descriptions, tags and the
//! plain text of each heading section), never from rendered HTML. It is cut
//! into many small deterministic files ([`shards`], [`fragments`]) so that a
//! query downloads a few kilobytes whatever the size of the site, and so that
//! a rebuild after one edit rewrites only the files that edit touched.

pub mod cards;
mod encoding;
pub mod fragments;
pub mod index;
pub mod kept;
mod keys;
pub mod live;
mod packed;
pub mod reuse;
pub mod shards;
pub mod synonyms;
pub mod tokenize;

use crate::diagnostic::Diagnostic;
use crate::markdown::{Rendered, TextSection};
use crate::model::Site;
use crate::output::{Output, Sink};
use index::Entry;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The browser client, an ES module (see DESIGN.md: search client contract),
/// kept in two files for reading and shipped as one, so it costs one request.
pub const CLIENT_JS: &str = concat!(include_str!("client/index.js"), include_str!("client/rank.js"));

/// Every file of the search index, plus the client.
pub fn outputs(site: &Site) -> Vec<Output> {
    outputs_since(site, &reuse::Sources::default()).outputs
}

/// The search index's files, keeping those the last build (whose
/// [`reuse::Sources`] are `last`) made from the same inputs.
pub fn outputs_since(site: &Site, last: &reuse::Sources) -> reuse::Files<'static> {
    held(&entries(site), &site.config.language, &site.config.search_synonyms, last)
}

/// Every file of the search index, each handed to `sink` as soon as it is
/// made (a first build's stage), so no more of the index is held at once
/// than the file being made; an error names the file that could not be put.
pub fn outputs_into<'s>(site: &Site, sink: Option<Sink<'s>>) -> Result<reuse::Files<'s>, Diagnostic> {
    let files = reuse::Files::handed_to(sink);
    outputs_of(&entries(site), &site.config.language, &site.config.search_synonyms, &Default::default(), files)
}

/// [`outputs_of`] with every file held (no sink, so nothing can fail to be put).
fn held(
    entries: &[Entry<'_>],
    language: &str,
    synonyms: &[Vec<String>],
    last: &reuse::Sources,
) -> reuse::Files<'static> {
    outputs_of(entries, language, synonyms, last, reuse::Files::default()).expect("held files are never put")
}

fn outputs_of<'s>(
    entries: &[Entry<'_>],
    language: &str,
    synonyms: &[Vec<String>],
    last: &reuse::Sources,
    mut files: reuse::Files<'s>,
) -> Result<reuse::Files<'s>, Diagnostic> {
    use rayon::prelude::*;
    let mut clock = crate::progress::StageClock::new();
    let analyzer = tokenize::Analyzer::for_language(language);
    let prints: Vec<u64> = entries.par_iter().map(reuse::entry_print).collect();
    let synonyms = synonyms::Synonyms::new(synonyms);
    let (index, analyses) = index::build_reusing(entries, Some(&prints), &analyzer, &synonyms, &last.analyses);
    clock.lap("s:index");
    let same = |path: &str, print: u64| last.made(path, print);
    let (made, layout, _) = shards::made_since(&index, None, Some(&same));
    files.sources.analyses = analyses;
    reuse::shards(made, last, &mut files)?;
    clock.lap("s:shards");
    reuse::fragments(&index, entries, &prints, last, &mut files)?;
    clock.lap("s:fragments");
    reuse::cards(&index, entries, layout.split(), &prints, last, &mut files)?;
    clock.lap("s:cards");
    files.add(rayon::iter::once(Output::new("search/search.js", CLIENT_JS)))?;
    Ok(files)
}

/// What the index reads of a site, copied out of it, so `serve` can build
/// the index on another thread while edits go on.
pub struct Snapshot {
    language: String,
    synonyms: Vec<Vec<String>>,
    entries: Vec<OwnedEntry>,
}

/// An [`Entry`] that owns its text.
struct OwnedEntry {
    url: String,
    title: String,
    aliases: Vec<String>,
    group: String,
    description: Option<String>,
    tags: Vec<String>,
    sections: Text,
}

/// A page's text by heading: its rendered markdown shared with the site
/// (copying every page's text would hold up the edit that starts the
/// snapshot), or its own copy when include fragments were added to it.
enum Text {
    Shared(Arc<Rendered>),
    Own(Vec<TextSection>),
}

impl Snapshot {
    pub fn of(site: &Site) -> Snapshot {
        let entries = sourced_entries(site)
            .into_iter()
            .map(|(e, rendered)| OwnedEntry {
                url: e.url.into_owned(),
                title: e.title.into_owned(),
                aliases: e.aliases.iter().map(|a| a.to_string()).collect(),
                group: e.group.into_owned(),
                description: e.description.map(str::to_string),
                tags: e.tags.to_vec(),
                sections: match e.sections {
                    Cow::Borrowed(_) => Text::Shared(rendered.clone()),
                    Cow::Owned(own) => Text::Own(own),
                },
            })
            .collect();
        Snapshot { language: site.config.language.clone(), synonyms: site.config.search_synonyms.clone(), entries }
    }

    /// Only the pages at these URLs (full URLs, as results show them), for
    /// [`live::Live::update`].
    pub fn only(mut self, urls: &HashSet<String>) -> Snapshot {
        self.entries.retain(|e| urls.contains(&e.url));
        self
    }

    /// The URLs of the pages in the snapshot.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.url.as_str())
    }

    /// The same files [`outputs`] makes from the site the snapshot was taken of.
    pub fn outputs(&self) -> Vec<Output> {
        let entries: Vec<Entry<'_>> = self.entries.iter().map(OwnedEntry::as_entry).collect();
        held(&entries, &self.language, &self.synonyms, &reuse::Sources::default()).outputs
    }
}

impl OwnedEntry {
    /// True when `other` indexes exactly as this does (text shared with the
    /// same rendering is the same without comparing it).
    fn same_as(&self, other: &OwnedEntry) -> bool {
        let same_text = match (&self.sections, &other.sections) {
            (Text::Shared(a), Text::Shared(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.text() == other.text(),
        };
        same_text
            && self.url == other.url
            && self.title == other.title
            && self.aliases == other.aliases
            && self.group == other.group
            && self.description == other.description
            && self.tags == other.tags
    }

    fn text(&self) -> &[TextSection] {
        match &self.sections {
            Text::Shared(rendered) => &rendered.sections,
            Text::Own(own) => own,
        }
    }

    fn as_entry(&self) -> Entry<'_> {
        Entry {
            url: Cow::Borrowed(&self.url),
            title: Cow::Borrowed(&self.title),
            aliases: self.aliases.iter().map(String::as_str).collect(),
            group: Cow::Borrowed(&self.group),
            description: self.description.as_deref(),
            tags: &self.tags,
            sections: Cow::Borrowed(self.text()),
        }
    }
}

/// Published pages, and section pages with text of their own, unless their
/// front matter says `search = false` or `in_search_index = false`, they
/// redirect elsewhere, or they are include fragments (see [`include_fragments`]).
fn entries(site: &Site) -> Vec<Entry<'_>> {
    sourced_entries(site).into_iter().map(|(e, _)| e).collect()
}

/// [`entries`], each with the rendered markdown its text comes from.
fn sourced_entries(site: &Site) -> Vec<(Entry<'_>, &Arc<Rendered>)> {
    let fragments = include_fragments(site);
    let pages = site
        .pages
        .iter()
        .filter(|p| !fragments.contains_key(p.doc.rel.as_path()))
        .map(|p| (&p.doc, &p.url, &p.rendered, group_title(site, Some(p.section))));
    let sections = site
        .sections
        .iter()
        .filter(|s| !s.implicit && !s.folder_note)
        .filter(|s| s.rendered.sections.iter().any(|t| !t.text.trim().is_empty()))
        .map(|s| (&s.doc, &s.url, &s.rendered, group_title(site, s.parent)));
    pages
        .chain(sections)
        .filter(|(doc, _, _, _)| {
            let fm = &doc.fm;
            !fm.draft
                && fm.publish != Some(false)
                && fm.search != Some(false)
                && fm.in_search_index != Some(false)
                && fm.redirect_to.is_none()
        })
        .map(|(doc, url, rendered, group)| {
            let entry = Entry {
                sections: with_fragments(site, rendered, &fragments),
                url: site.full_url(url).into(),
                title: doc.title().into(),
                aliases: doc
                    .fm
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|a| !crate::redirects::is_path_alias(a))
                    .collect(),
                group: group.into(),
                description: doc.fm.description.as_deref(),
                tags: &doc.fm.tags,
            };
            (entry, rendered)
        })
        .collect()
}

/// A page's text sections, followed by those of the include fragments it
/// embeds (their text is on the page, so a search for it finds the page).
fn with_fragments<'s>(
    site: &'s Site,
    rendered: &'s Rendered,
    fragments: &HashMap<&Path, usize>,
) -> Cow<'s, [TextSection]> {
    let embedded: Vec<usize> = rendered
        .embeds
        .iter()
        .filter(|e| e.anchor.is_none())
        .filter_map(|e| fragments.get(e.target.as_path()).copied())
        .collect();
    if embedded.is_empty() {
        return Cow::Borrowed(&rendered.sections);
    }
    let mut sections = rendered.sections.clone();
    for page in embedded {
        sections.extend(site.pages[page].rendered.sections.iter().map(|s| TextSection { id: None, ..s.clone() }));
    }
    Cow::Owned(sections)
}

/// The title a result shows for the section holding a page: none for the home section.
fn group_title(site: &Site, section: Option<usize>) -> String {
    match section.map(|s| &site.sections[s]) {
        Some(s) if !s.home && s.parent.is_some() => s.doc.title(),
        _ => String::new(),
    }
}

/// Include fragments: notes other pages embed whole (`![[Note]]`) and that
/// no page links to. They exist to be shown inside their hosts, so a
/// result would lead a reader to a scrap of a page. By path, with their page index.
fn include_fragments(site: &Site) -> HashMap<&Path, usize> {
    let rendered = || site.pages.iter().map(|p| &p.rendered).chain(site.sections.iter().map(|s| &s.rendered));
    let mut embedded: HashSet<&Path> =
        rendered().flat_map(|r| r.embeds.iter().filter(|e| e.anchor.is_none()).map(|e| e.target.as_path())).collect();
    if embedded.is_empty() {
        return HashMap::new();
    }
    // An embed is recorded as a link too: only the other links count. Only
    // links to embedded notes are looked at (hashing a path is not cheap).
    for r in rendered() {
        for l in r.links.iter().filter(|l| !r.embeds.contains(l)) {
            embedded.remove(l.target.as_path());
        }
        if embedded.is_empty() {
            return HashMap::new();
        }
    }
    site.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| embedded.contains(p.doc.rel.as_path()))
        .map(|(i, p)| (p.doc.rel.as_path(), i))
        .collect()
}
