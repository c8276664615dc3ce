//! Site search: a sharded static index built from the parsed content, and
//! the client (`/search/search.js`) that queries it in the browser.
//!
//! The index is built from the model (titles, descriptions, tags and the
//! plain text of each heading section), never from rendered HTML. It is cut
//! into many small deterministic files ([`shards`], [`fragments`]) so that a
//! query downloads a few kilobytes whatever the size of the site, and so that
//! a rebuild after one edit rewrites only the files that edit touched.

pub mod fragments;
pub mod index;
pub mod shards;
pub mod tokenize;

use crate::markdown::TextSection;
use crate::model::Site;
use crate::output::Output;
use index::Entry;

/// The browser client, an ES module (see DESIGN.md: search client contract),
/// kept in two files for reading and shipped as one, so it costs one request.
pub const CLIENT_JS: &str = concat!(include_str!("client/index.js"), include_str!("client/rank.js"));

/// Every file of the search index, plus the client.
pub fn outputs(site: &Site) -> Vec<Output> {
    outputs_of(&entries(site), &site.config.language)
}

fn outputs_of(entries: &[Entry<'_>], language: &str) -> Vec<Output> {
    let analyzer = tokenize::Analyzer::for_language(language);
    let index = index::build(entries, &analyzer);
    let mut out = shards::write(&index);
    out.extend(fragments::write(&index, entries));
    out.push(Output::new("search/search.js", CLIENT_JS));
    out
}

/// What the index reads of a site, copied out of it, so `serve` can build
/// the index on another thread while edits go on.
pub struct Snapshot {
    language: String,
    entries: Vec<OwnedEntry>,
}

/// An [`Entry`] that owns its text.
struct OwnedEntry {
    url: String,
    title: String,
    description: Option<String>,
    tags: Vec<String>,
    sections: Vec<TextSection>,
}

impl Snapshot {
    pub fn of(site: &Site) -> Snapshot {
        let entries = entries(site)
            .into_iter()
            .map(|e| OwnedEntry {
                url: e.url,
                title: e.title,
                description: e.description.map(str::to_string),
                tags: e.tags.to_vec(),
                sections: e.sections.to_vec(),
            })
            .collect();
        Snapshot { language: site.config.language.clone(), entries }
    }

    /// The same files [`outputs`] makes from the site the snapshot was taken of.
    pub fn outputs(&self) -> Vec<Output> {
        let entries: Vec<Entry<'_>> = self
            .entries
            .iter()
            .map(|e| Entry {
                url: e.url.clone(),
                title: e.title.clone(),
                description: e.description.as_deref(),
                tags: &e.tags,
                sections: &e.sections,
            })
            .collect();
        outputs_of(&entries, &self.language)
    }
}

/// Published pages, and section pages with text of their own, unless their
/// front matter says `search = false` or `in_search_index = false`.
fn entries(site: &Site) -> Vec<Entry<'_>> {
    let pages = site.pages.iter().map(|p| (&p.doc, &p.url, &p.rendered));
    let sections = site
        .sections
        .iter()
        .filter(|s| !s.implicit && !s.folder_note && s.doc.fm.redirect_to.is_none())
        .filter(|s| s.rendered.sections.iter().any(|t| !t.text.trim().is_empty()))
        .map(|s| (&s.doc, &s.url, &s.rendered));
    pages
        .chain(sections)
        .filter(|(doc, _, _)| {
            let fm = &doc.fm;
            !fm.draft && fm.publish != Some(false) && fm.search != Some(false) && fm.in_search_index != Some(false)
        })
        .map(|(doc, url, rendered)| Entry {
            url: site.full_url(url),
            title: doc.title(),
            description: doc.fm.description.as_deref(),
            tags: &doc.fm.tags,
            sections: &rendered.sections,
        })
        .collect()
}
