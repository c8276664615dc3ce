//! The site assembled once, from its [`Layout`] and its rendered markdown:
//! each page's tags gain the inline `#tags` of its body, and the taxonomies,
//! the link graph and the cited works are made from the rendered pages.
//! Nothing is filled in later; the incremental engine's patches end in the
//! state this gives for the same files (its property test checks that).

use crate::config::Config;
use crate::markdown::Rendered;
use crate::model::{Layout, Linkage, Page, Section, Site, Taxonomy, Term};
use crate::urls::slugify;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Every page's and every section's rendered markdown, in layout order.
pub struct Renderings {
    pub pages: Vec<Arc<Rendered>>,
    pub sections: Vec<Arc<Rendered>>,
}

pub fn assemble(layout: Layout, rendered: Renderings) -> Site {
    let Layout { config, pages, sections, links } = layout;
    let pages: Vec<Page> = pages.into_iter().zip(rendered.pages).map(|(p, r)| rendered_page(p, r)).collect();
    let sections: Vec<Section> =
        sections.into_iter().zip(rendered.sections).map(|(s, r)| rendered_section(s, r)).collect();
    let taxonomies = build_taxonomies(&config, &pages, &sections);
    let graph = crate::graph::build(&Linkage { pages: &pages, sections: &sections, taxonomies: &taxonomies });
    let cited = crate::cited::gather(links.bibliography.as_deref(), &pages, &sections);
    Site { config, pages, sections, taxonomies, links, graph, cited }
}

fn rendered_page(page: Page<()>, rendered: Arc<Rendered>) -> Page {
    let Page { doc, key, tags: _, url, section, rendered: (), redirects } = page;
    let tags = tags_of(&doc.fm.tags, &rendered);
    Page { doc, key, tags, url, section, rendered, redirects }
}

fn rendered_section(section: Section<()>, rendered: Arc<Rendered>) -> Section {
    let Section { doc, key, url, parent, pages, children, implicit, folder_note, home, rendered: (), redirects } =
        section;
    Section { doc, key, url, parent, pages, children, implicit, folder_note, home, rendered, redirects }
}

/// Front matter tags, then the inline `#tags` of the body that differ from them.
fn tags_of(front_matter: &[String], rendered: &Rendered) -> Vec<String> {
    let mut tags = front_matter.to_vec();
    for tag in &rendered.inline_tags {
        if !tags.iter().any(|t| slugify(t) == slugify(tag)) {
            tags.push(tag.clone());
        }
    }
    tags
}

/// For the incremental engine, after the given pages' markdown is rendered
/// again in place: their tags as [`assemble`] gives them, and the
/// taxonomies rebuilt when any changed. True when any did.
pub fn adopt_inline_tags(site: &mut Site, pages: &BTreeSet<usize>) -> bool {
    let mut changed = false;
    for &i in pages {
        let page = &mut site.pages[i];
        let tags = tags_of(&page.doc.fm.tags, &page.rendered);
        if tags != page.tags {
            page.tags = tags;
            changed = true;
        }
    }
    if changed {
        site.taxonomies = build_taxonomies(&site.config, &site.pages, &site.sections);
    }
    changed
}

pub fn build_taxonomies(config: &Config, pages: &[Page], sections: &[Section]) -> Vec<Taxonomy> {
    let page_at: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.url.as_str(), i)).collect();
    let section_at: HashMap<&str, usize> =
        sections.iter().enumerate().filter(|(_, s)| !s.folder_note).map(|(i, s)| (s.url.as_str(), i)).collect();
    config
        .taxonomies
        .iter()
        .map(|name| {
            let mut terms: Vec<Term> = terms_of_taxonomy(name, pages).into_values().collect();
            for term in &mut terms {
                term.intro = page_at.get(term.url.as_str()).copied();
            }
            let url = format!("{}/", slugify(name));
            let intro = section_at.get(url.as_str()).copied();
            Taxonomy { name: name.clone(), url, terms, intro }
        })
        .collect()
}

/// A taxonomy's terms by slug, each with its pages in site order.
fn terms_of_taxonomy(name: &str, pages: &[Page]) -> BTreeMap<String, Term> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        for value in terms_of(page, name) {
            let slug = slugify(value);
            if slug.is_empty() {
                continue;
            }
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: value.to_string(),
                url: format!("{}/{}/", slugify(name), slug),
                slug,
                pages: vec![],
                intro: None,
            });
            if term.pages.last() != Some(&i) {
                term.pages.push(i);
            }
        }
    }
    terms
}

/// A page's values for a taxonomy: `tags` from the front matter field, any
/// taxonomy from Zola's `[taxonomies]` table.
fn terms_of<'p>(page: &'p Page, taxonomy: &str) -> impl Iterator<Item = &'p str> {
    let own = if taxonomy == "tags" { page.tags.as_slice() } else { &[] };
    let zola = page.doc.fm.taxonomies.get(taxonomy).map(Vec::as_slice).unwrap_or(&[]);
    own.iter().chain(zola.iter()).map(String::as_str)
}
