//! What an output reads of the site, recorded while it renders.
//!
//! Contexts see the model only through a [`View`]: each accessor records a
//! [`Read`] and returns a value computed by one function of the site. The
//! same function gives the read's fingerprint ([`print`]), so after a change
//! the engine can tell which reads now give another value and re-render
//! exactly the outputs that made them. Nothing outside this file needs to
//! know what a template shows: a field added to a listing's page summary
//! changes that summary's fingerprint, and the listings reading it follow.

use super::context::{self, LinkRef, PageSummary, NAV_PAGES};
use crate::graph::Backlink;
use crate::model::{Key, Page, Section, Site, Taxonomy, Term};
use crate::prints::{hash_of, print_of};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// One thing an output read, named by what it is about (stable keys, not
/// indices, so records survive pages being added or removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Read {
    /// Everything of a page's own: front matter, rendered markdown, URL, tags.
    Page(Key),
    /// Its title and URL, as links to it show them.
    PageLink(Key),
    /// What listings show of it.
    PageSummary(Key),
    /// Its URL and dates, as the sitemap and feed show them.
    PageDates(Key),
    /// Whether it has no page of its own (`render = false`, Hugo's headless).
    Headless(Key),
    /// Its URL and the path aliases redirecting to it.
    Redirects(Key),
    /// The pages before and after it in its section.
    Neighbours(Key),
    /// The template a section names for its pages.
    PageTemplate(Key),
    /// Where a section's headings carry their anchor links (`insert_anchor_links`).
    AnchorLinks(Key),
    Backlinks(Key),
    Related(Key),
    /// Everything of a section's own: its doc, rendered markdown, URL, flags.
    Section(Key),
    /// Its title, URL and parent, as breadcrumbs and the nav show them.
    SectionLink(Key),
    /// Its pages in order.
    SectionPages(Key),
    /// The pages the nav lists for it, and how many it leaves out.
    NavPages(Key),
    /// The subsections it lists (those with something to read).
    Children(Key),
    /// How many pages it and the sections below it hold.
    PageCount(Key),
    /// A nav tree put back for a section the shared tree left out, at a depth.
    /// (The depth is a `u32`, so a read is 16 bytes, not 24: a build holds millions.)
    NavTree(Key, u32),
    /// A taxonomy's terms, counts and intro (keyed by a hash of its name).
    Taxonomy(u64),
    /// A term's pages and intro (keyed by a hash of taxonomy name and slug).
    Term(u64),
    /// The records one preview bucket file holds.
    PreviewBucket(u32),
    /// The taxonomy page a page or section introduces, if any.
    Intro(Key),
    /// The shared site context: config values and the nav skeleton.
    Site,
    /// Any setting of `site.toml`.
    Config,
    /// Which pages the site has, in order (read by whatever goes over all of them).
    PageSet,
    /// Which sections the site has, in order.
    SectionSet,
    /// A cited work's entry as formatted (keyed by a hash of its key).
    Work(u64),
    /// The pages citing a work, with the citing sentences.
    CitedBy(u64),
    /// Which works are cited, with their references and how often.
    Works,
}

/// The reads about one page's or section's own data, named once: both
/// [`Read::subject`] and [`Read::about`] come from this list.
macro_rules! subject_reads {
    ($($kind:ident),*) => {
        impl Read {
            /// The page or section whose own data alone (with the config) gives this
            /// read's value: its fingerprint can only change when that one does.
            /// `None` for reads over the site's structure, which are checked on
            /// every change.
            pub fn subject(self) -> Option<Key> {
                match self {
                    $(Read::$kind(k))|* => Some(k),
                    _ => None,
                }
            }

            /// Every read whose [`Read::subject`] is `key`.
            pub fn about(key: Key) -> impl Iterator<Item = Read> {
                [$(Read::$kind(key)),*].into_iter()
            }
        }
    };
}

subject_reads!(Page, PageLink, PageSummary, PageDates, Redirects, Section, SectionLink, PageTemplate, AnchorLinks);

/// The site as contexts see it: every read goes through here and is recorded.
pub struct View<'a> {
    pub(super) site: &'a Site,
    reads: RefCell<Vec<Read>>,
}

impl<'a> View<'a> {
    pub fn new(site: &'a Site) -> View<'a> {
        View { site, reads: RefCell::new(Vec::new()) }
    }

    fn record(&self, read: Read) {
        self.reads.borrow_mut().push(read);
    }

    /// What was read so far, sorted, each once.
    pub fn into_reads(self) -> Vec<Read> {
        let mut reads = self.reads.into_inner();
        reads.sort_unstable();
        reads.dedup();
        // Most reads repeat (a nav reads each section for every link): the
        // room for them is not kept with the page.
        reads.shrink_to_fit();
        reads
    }

    pub fn config(&self) -> &'a crate::config::Config {
        self.record(Read::Config);
        &self.site.config
    }

    pub fn full_url(&self, url: &str) -> String {
        self.record(Read::Config);
        self.site.full_url(url)
    }

    /// How many pages there are, to go over all of them.
    pub fn page_count(&self) -> usize {
        self.record(Read::PageSet);
        self.site.pages.len()
    }

    /// How many sections there are, to go over all of them.
    pub fn section_count(&self) -> usize {
        self.record(Read::SectionSet);
        self.site.sections.len()
    }

    pub fn page(&self, p: usize) -> &'a Page {
        let page = &self.site.pages[p];
        self.record(Read::Page(page.key));
        page
    }

    /// Links to the term pages of `page`'s tags: read with the page itself
    /// (see [`context::tags_of`]), so nothing more is recorded.
    pub fn tags_of(&self, page: &Page, limit: usize) -> Vec<LinkRef> {
        context::tags_of(self.site, page, limit)
    }

    /// The template section `s` names for its pages (`page_template`).
    pub fn page_template(&self, s: usize) -> (&'a crate::parse::Doc, Option<&'a str>) {
        let section = &self.site.sections[s];
        self.record(Read::PageTemplate(section.key));
        (&section.doc, section.doc.fm.page_template.as_deref())
    }

    /// Where the headings of section `s` and its pages carry their anchor links.
    pub fn anchor_links(&self, s: usize) -> Option<crate::frontmatter::AnchorLinks> {
        let section = &self.site.sections[s];
        self.record(Read::AnchorLinks(section.key));
        section.doc.fm.insert_anchor_links
    }

    pub fn page_link(&self, p: usize) -> LinkRef {
        self.record(Read::PageLink(self.site.pages[p].key));
        context::link_to_page(self.site, p)
    }

    pub fn page_summary(&self, p: usize) -> PageSummary<'a> {
        self.record(Read::PageSummary(self.site.pages[p].key));
        context::page_summary(self.site, p)
    }

    pub fn page_dates(&self, p: usize) -> Dates<'a> {
        self.record(Read::PageDates(self.site.pages[p].key));
        dates(&self.site.pages[p])
    }

    pub fn is_headless(&self, p: usize) -> bool {
        self.record(Read::Headless(self.site.pages[p].key));
        is_headless(&self.site.pages[p])
    }

    pub fn redirects(&self, p: usize) -> (&'a [String], &'a str) {
        let page = &self.site.pages[p];
        self.record(Read::Redirects(page.key));
        (&page.redirects, &page.url)
    }

    pub fn neighbours(&self, p: usize) -> [Option<usize>; 2] {
        self.record(Read::Neighbours(self.site.pages[p].key));
        neighbours(self.site, p)
    }

    pub fn backlinks(&self, p: usize) -> &'a [Backlink] {
        self.record(Read::Backlinks(self.site.pages[p].key));
        self.site.graph.backlinks.get(p).map_or(&[], Vec::as_slice)
    }

    pub fn related(&self, p: usize) -> &'a [usize] {
        self.record(Read::Related(self.site.pages[p].key));
        self.site.graph.related.get(p).map_or(&[], Vec::as_slice)
    }

    pub fn section(&self, s: usize) -> &'a Section {
        let section = &self.site.sections[s];
        self.record(Read::Section(section.key));
        section
    }

    /// A section's title and URL, and its parent.
    pub fn section_link(&self, s: usize) -> (LinkRef, Option<usize>) {
        self.record(Read::SectionLink(self.site.sections[s].key));
        section_link(self.site, s)
    }

    pub fn section_pages(&self, s: usize) -> &'a [usize] {
        self.record(Read::SectionPages(self.site.sections[s].key));
        &self.site.sections[s].pages
    }

    /// The pages the nav lists for section `s`, and how many more it has.
    pub fn nav_pages(&self, s: usize) -> (&'a [usize], usize) {
        self.record(Read::NavPages(self.site.sections[s].key));
        nav_pages(self.site, s)
    }

    pub fn listed_children(&self, s: usize) -> Vec<usize> {
        self.record(Read::Children(self.site.sections[s].key));
        context::listed_children(self.site, s)
    }

    pub fn pages_below(&self, s: usize) -> usize {
        self.record(Read::PageCount(self.site.sections[s].key));
        context::pages_below(self.site, s)
    }

    pub fn nav_tree(&self, s: usize, depth: usize) -> context::NavEntry {
        let at = u32::try_from(depth).expect("nav trees are far shallower than 2^32");
        self.record(Read::NavTree(self.site.sections[s].key, at));
        context::nav_entry_at(self.site, s, depth)
    }

    pub fn taxonomies(&self) -> &'a [Taxonomy] {
        for t in &self.site.taxonomies {
            self.record(Read::Taxonomy(taxonomy_key(t)));
        }
        &self.site.taxonomies
    }

    pub fn taxonomy(&self, t: usize) -> &'a Taxonomy {
        let tax = &self.site.taxonomies[t];
        self.record(Read::Taxonomy(taxonomy_key(tax)));
        tax
    }

    pub fn term(&self, t: usize, j: usize) -> &'a Term {
        let tax = &self.site.taxonomies[t];
        self.record(Read::Term(term_key(tax, &tax.terms[j])));
        &tax.terms[j]
    }

    /// The members of preview bucket `b` (found once per render, in [`super::Globals`]).
    pub fn preview_bucket<'m>(&self, members: &'m [super::previews::Item], b: u32) -> &'m [super::previews::Item] {
        self.record(Read::PreviewBucket(b));
        members
    }

    /// The term page that page `p` introduces, if any.
    pub fn term_introduced_by(&self, p: usize) -> Option<(usize, usize)> {
        self.record(Read::Intro(self.site.pages[p].key));
        super::term_introduced_by(self.site, p)
    }

    /// The taxonomy page that section `s` introduces, if any.
    pub fn taxonomy_introduced_by(&self, s: usize) -> Option<usize> {
        self.record(Read::Intro(self.site.sections[s].key));
        super::taxonomy_introduced_by(self.site, s)
    }

    /// Cited work `i` (see [`crate::citations::Cited`]).
    pub fn work(&self, i: usize) -> &'a crate::citations::Work {
        let work = &self.site.cited.works[i];
        self.record(Read::Work(crate::citations::key_hash(&work.key)));
        work
    }

    /// The pages and sections citing work `i`, with the citing sentences.
    pub fn cited_by(&self, i: usize) -> &'a [(crate::citations::Citer, String)] {
        let work = &self.site.cited.works[i];
        self.record(Read::CitedBy(crate::citations::key_hash(&work.key)));
        &work.cited_by
    }

    /// Every cited work, in key order.
    pub fn works(&self) -> &'a [crate::citations::Work] {
        self.record(Read::Works);
        &self.site.cited.works
    }

    /// The shared site context; every templated output reads it.
    pub fn site_context(&self) {
        self.record(Read::Site);
    }
}

/// A page's URL and the dates the sitemap and feed show.
#[derive(Serialize)]
pub struct Dates<'a> {
    pub url: &'a str,
    pub date: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub reviewed: Option<&'a str>,
}

fn is_headless(page: &Page) -> bool {
    page.doc.fm.render == Some(false)
}

fn dates(page: &Page) -> Dates<'_> {
    let fm = &page.doc.fm;
    Dates { url: &page.url, date: fm.date.as_deref(), updated: fm.updated.as_deref(), reviewed: fm.reviewed.as_deref() }
}

fn neighbours(site: &Site, p: usize) -> [Option<usize>; 2] {
    let list = &site.sections[site.pages[p].section].pages;
    match list.iter().position(|&q| q == p) {
        Some(k) => [k.checked_sub(1).and_then(|j| list.get(j).copied()), list.get(k + 1).copied()],
        None => [None, None],
    }
}

fn section_link(site: &Site, s: usize) -> (LinkRef, Option<usize>) {
    let sec = &site.sections[s];
    (LinkRef { title: context::smart_title(site, &sec.doc.title()), url: site.full_url(&sec.url) }, sec.parent)
}

fn nav_pages(site: &Site, s: usize) -> (&[usize], usize) {
    let pages = &site.sections[s].pages;
    (&pages[..pages.len().min(NAV_PAGES)], pages.len().saturating_sub(NAV_PAGES))
}

pub fn taxonomy_key(tax: &Taxonomy) -> u64 {
    hash_of(&tax.name)
}

pub fn term_key(tax: &Taxonomy, term: &Term) -> u64 {
    hash_of(&(&tax.name, &term.slug))
}

/// Where a key sits in the site now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Page(usize),
    Section(usize),
}

/// Where things sit in one site, found once (when first needed) so
/// fingerprints are lookups; one lookup serves every thread, so each table
/// is built once per diff, not once per parallel job.
pub struct Lookup<'a> {
    site: &'a Site,
    places: std::sync::OnceLock<rustc_hash::FxHashMap<Key, Place>>,
    terms: std::sync::OnceLock<rustc_hash::FxHashMap<u64, (usize, usize)>>,
    buckets: std::sync::OnceLock<Vec<Vec<Key>>>,
}

impl<'a> Lookup<'a> {
    pub fn of(site: &'a Site) -> Lookup<'a> {
        Lookup { site, places: Default::default(), terms: Default::default(), buckets: Default::default() }
    }

    pub fn place(&self, key: Key) -> Option<Place> {
        let places = self.places.get_or_init(|| {
            let pages = self.site.pages.iter().enumerate().map(|(i, p)| (p.key, Place::Page(i)));
            let sections = self.site.sections.iter().enumerate().map(|(i, s)| (s.key, Place::Section(i)));
            pages.chain(sections).collect()
        });
        places.get(&key).copied()
    }

    fn term(&self, key: u64) -> Option<(usize, usize)> {
        let terms = self.terms.get_or_init(|| {
            let taxonomies = self.site.taxonomies.iter().enumerate();
            taxonomies
                .flat_map(|(t, tax)| tax.terms.iter().enumerate().map(move |(j, term)| (term_key(tax, term), (t, j))))
                .collect()
        });
        terms.get(&key).copied()
    }

    fn bucket(&self, b: u32) -> Option<&[Key]> {
        let buckets = self.buckets.get_or_init(|| super::previews::all_member_keys(self.site));
        buckets.get(b as usize).map(Vec::as_slice)
    }
}

/// What `read` gives on `site` now, as a fingerprint; `None` when what it is
/// about no longer exists. A page's or section's whole own data
/// ([`Read::Page`], [`Read::Section`]) is not hashed here: the engine keeps
/// a stamp of each (see `incremental::records`), so these print as present.
pub fn print(site: &Site, look: &Lookup, read: Read) -> Option<u64> {
    let at = |k: Key| look.place(k);
    let page = |k: Key| match at(k) {
        Some(Place::Page(p)) => Some(p),
        _ => None,
    };
    let section = |k: Key| match at(k) {
        Some(Place::Section(s)) => Some(s),
        _ => None,
    };
    let keys = |list: &[usize]| list.iter().map(|&p| site.pages[p].key).collect::<Vec<Key>>();
    Some(match read {
        Read::Page(k) => page(k).map(|_| 0)?,
        Read::PageLink(k) => print_of(&context::link_to_page(site, page(k)?)),
        Read::PageSummary(k) => print_of(&context::page_summary(site, page(k)?)),
        Read::PageDates(k) => print_of(&dates(&site.pages[page(k)?])),
        Read::Headless(k) => u64::from(is_headless(&site.pages[page(k)?])),
        Read::Redirects(k) => {
            let p = &site.pages[page(k)?];
            hash_of(&(&p.redirects, &p.url))
        }
        Read::Neighbours(k) => hash_of(&neighbours(site, page(k)?).map(|n| n.map(|q| site.pages[q].key))),
        Read::Backlinks(k) => {
            let list = site.graph.backlinks.get(page(k)?).map_or(&[][..], Vec::as_slice);
            hash_of(&list.iter().map(|b| (site.pages[b.from].key, &b.context)).collect::<Vec<_>>())
        }
        Read::Related(k) => hash_of(&keys(site.graph.related.get(page(k)?).map_or(&[][..], Vec::as_slice))),
        Read::Section(k) => section(k).map(|_| 0)?,
        Read::SectionLink(k) => {
            let (link, parent) = section_link(site, section(k)?);
            hash_of(&(print_of(&link), parent.map(|p| site.sections[p].key)))
        }
        Read::PageTemplate(k) => {
            let s = &site.sections[section(k)?];
            hash_of(&(s.doc.fm.page_template.as_deref(), &s.doc.file))
        }
        Read::AnchorLinks(k) => hash_of(&site.sections[section(k)?].doc.fm.insert_anchor_links),
        Read::SectionPages(k) => hash_of(&keys(&site.sections[section(k)?].pages)),
        Read::NavPages(k) => {
            let (listed, more) = nav_pages(site, section(k)?);
            hash_of(&(keys(listed), more))
        }
        Read::Children(k) => {
            let children = context::listed_children(site, section(k)?);
            hash_of(&children.iter().map(|&c| site.sections[c].key).collect::<Vec<_>>())
        }
        Read::PageCount(k) => context::pages_below(site, section(k)?) as u64,
        Read::NavTree(k, depth) => print_of(&context::nav_entry_at(site, section(k)?, depth as usize)),
        Read::Taxonomy(t) => {
            let tax = site.taxonomies.iter().find(|x| taxonomy_key(x) == t)?;
            let intro = tax.intro.map(|s| site.sections[s].key);
            hash_of(&(print_of(&context::taxonomy_context(site, tax)), intro, terms_print(site, tax)))
        }
        Read::Term(t) => {
            let (i, j) = look.term(t)?;
            let (tax, term) = (&site.taxonomies[i], &site.taxonomies[i].terms[j]);
            let intro = term.intro.map(|p| site.pages[p].key);
            hash_of(&(&term.name, &term.url, &tax.url, keys(&term.pages), intro))
        }
        Read::PreviewBucket(b) => hash_of(&look.bucket(b)?),
        Read::Intro(k) => hash_of(&match at(k)? {
            Place::Page(p) => super::term_introduced_by(site, p)
                .map(|(t, j)| term_key(&site.taxonomies[t], &site.taxonomies[t].terms[j])),
            Place::Section(s) => super::taxonomy_introduced_by(site, s).map(|t| taxonomy_key(&site.taxonomies[t])),
        }),
        Read::PageSet => hash_of(&site.pages.iter().map(|p| p.key).collect::<Vec<_>>()),
        Read::SectionSet => hash_of(&site.sections.iter().map(|s| s.key).collect::<Vec<_>>()),
        Read::Config => hash_of(&format!("{:?}", site.config)),
        Read::Work(h) => {
            let w = &site.cited.works[site.cited.position_of_hash(h)?];
            hash_of(&(w.print, &w.reference, &w.url, &w.title, &w.authors))
        }
        Read::CitedBy(h) => {
            let w = &site.cited.works[site.cited.position_of_hash(h)?];
            hash_of(&w.cited_by.iter().map(|(c, s)| (citer_key(site, *c), s)).collect::<Vec<_>>())
        }
        Read::Works => hash_of(
            &site.cited.works.iter().map(|w| (&w.key, &w.title, &w.reference, w.cited_by.len())).collect::<Vec<_>>(),
        ),
        Read::Site => hash_of(&(print_of(&context::site_context(site)), context::listed_children(site, 0).len())),
    })
}

/// The page's or section's key, for fingerprints that survive reordering.
fn citer_key(site: &Site, citer: crate::citations::Citer) -> Key {
    match citer {
        crate::citations::Citer::Page(p) => site.pages[p].key,
        crate::citations::Citer::Section(s) => site.sections[s].key,
    }
}

/// Which page each term introduces, for the taxonomy's fingerprint.
fn terms_print(site: &Site, tax: &Taxonomy) -> Vec<Option<Key>> {
    tax.terms.iter().map(|t| t.intro.map(|p| site.pages[p].key)).collect()
}

#[cfg(test)]
mod tests {
    use super::Read;

    /// A 10,000-page build holds about three million reads (each page's, and
    /// the records' copy), so every byte of one is about 3 MB.
    #[test]
    fn a_read_is_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Read>(), 16);
    }
}
