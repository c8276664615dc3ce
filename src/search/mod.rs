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

use crate::model::Site;
use crate::render::context::title_of;
use crate::render::Output;
use index::Entry;

/// The browser client, an ES module (see DESIGN.md: search client contract),
/// kept in two files for reading and shipped as one, so it costs one request.
pub const CLIENT_JS: &str = concat!(include_str!("client/index.js"), include_str!("client/rank.js"));

/// Every file of the search index, plus the client.
pub fn outputs(site: &Site) -> Vec<Output> {
    let entries = entries(site);
    let analyzer = tokenize::Analyzer::for_language(&site.config.language);
    let index = index::build(&entries, &analyzer);
    let mut out = shards::write(&index);
    out.extend(fragments::write(&index, &entries));
    out.push(Output::new("search/search.js", CLIENT_JS));
    out
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
            title: title_of(doc),
            description: doc.fm.description.as_deref(),
            tags: &doc.fm.tags,
            sections: &rendered.sections,
        })
        .collect()
}
