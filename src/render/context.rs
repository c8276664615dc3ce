//! Typed template contexts: what each template can read, as plain structs.
//! Documented for theme authors in `themes/rapport/README.md`.

use crate::markdown::headings::TocEntry;
use crate::model::{Page, Site, Taxonomy, Term};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Serialize)]
pub struct SiteContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub disclaimer: Option<&'a str>,
    pub extra: &'a Value,
    /// The section tree (sections only; each section page lists its pages).
    pub nav: Vec<NavEntry>,
    pub taxonomies: Vec<LinkRef>,
    pub generator: &'static str,
    /// How many `previews/<n>.json` files link previews are spread over.
    pub preview_buckets: u32,
    /// Every theme word, by key (`labels.page`, `labels.min_read`).
    pub labels: &'a std::collections::BTreeMap<String, String>,
    /// Site path (no leading slash) or URL of the favicon; the theme's own when unset.
    pub favicon: Option<&'a str>,
    pub logo: Option<&'a str>,
    /// `{type, audience, audience_type}` for JSON-LD.
    pub schema: SchemaRef<'a>,
    /// URL of the glossary section, when the site names one.
    pub glossary: Option<String>,
    /// True when pages register the offline-reading service worker.
    pub offline: bool,
}

/// `[schema]` of site.toml as templates read it.
#[derive(Serialize)]
pub struct SchemaRef<'a> {
    #[serde(rename = "type")]
    pub page_type: &'a str,
    pub audience: Option<&'a str>,
    pub audience_type: &'a str,
}

/// One section of the nav tree. Where the output being rendered sits in it
/// is data (`open`, `current`), not something the template works out from
/// the page, so two outputs with the same tree render the same nav.
#[derive(Serialize, Clone, PartialEq, Eq, Hash)]
pub struct NavEntry {
    pub title: String,
    pub url: String,
    pub page_count: usize,
    /// The output being rendered is this section's page or below it.
    pub open: bool,
    /// The output being rendered is this section's page.
    pub current: bool,
    /// The section's pages, in its sort order, filled only for the sections on
    /// the way to the page being rendered (at most [`NAV_PAGES`]).
    pub pages: Vec<NavLink>,
    /// Pages of the section not listed in `pages` (the section page lists all).
    pub more_pages: usize,
    pub children: Vec<NavEntry>,
    /// Subsections not listed in `children` (the section page lists all).
    pub more_sections: usize,
}

#[derive(Serialize, Clone)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

/// A page the nav tree lists, and whether it is the output being rendered.
#[derive(Serialize, Clone, PartialEq, Eq, Hash)]
pub struct NavLink {
    pub title: String,
    pub url: String,
    pub current: bool,
}

impl NavLink {
    pub fn of(link: LinkRef) -> NavLink {
        NavLink { title: link.title, url: link.url, current: false }
    }
}

/// What listings show of a page.
#[derive(Serialize)]
pub struct PageSummary<'a> {
    pub title: String,
    pub url: String,
    pub description: Option<std::borrow::Cow<'a, str>>,
    pub summary: &'a str,
    pub date: Option<&'a str>,
    /// When the page was last revised (`updated`).
    pub updated: Option<&'a str>,
    pub reading_time: usize,
    /// Under a minute's worth of words (a listing says "< 1 min read").
    /// A flag, not the word count: a listing must not change with every word.
    pub under_a_minute: bool,
    /// The page's first [`SUMMARY_TAGS`] tags (the page itself shows all).
    pub tags: Vec<LinkRef>,
    /// Tags not in `tags`.
    pub more_tags: usize,
}

/// Fewer words than this read in under a minute.
pub const UNDER_A_MINUTE: usize = 200;

/// Most tags a listing shows for one page: a page with thousands of tags,
/// listed on each of their term pages, would make the site quadratic.
pub const SUMMARY_TAGS: usize = 12;

/// A page or a section page.
#[derive(Serialize)]
pub struct DocContext<'a> {
    pub title: String,
    pub description: Option<std::borrow::Cow<'a, str>>,
    pub url: String,
    pub permalink: String,
    /// Source path relative to `content/`.
    pub path: String,
    pub content: &'a str,
    pub summary: &'a str,
    /// Plain text of the first paragraph (a fallback meta description).
    pub first_paragraph: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_time: usize,
    pub date: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub reviewed: Option<&'a str>,
    pub reviewed_by: Option<&'a str>,
    /// When the next review is due and whether it is overdue (see [`crate::reviews`]).
    pub review: Option<crate::reviews::Review>,
    pub tags: Vec<LinkRef>,
    pub authors: &'a [String],
    pub references: &'a [String],
    /// The works the page cites, formatted in the site's style (`{key, slug, html, text}`).
    pub bibliography: &'a [crate::citations::format::ListedReference],
    pub cssclasses: &'a [String],
    pub extra: &'a Map<String, Value>,
    /// Custom front matter properties (Obsidian).
    pub properties: &'a Map<String, Value>,
    /// The properties block: `properties` typed, links resolved, in file
    /// order; empty when `[markdown] properties = false`.
    pub property_list: &'a [crate::markdown::properties::Property],
    /// Home → ... → parent section.
    pub ancestors: Vec<LinkRef>,
    /// Zola's `insert_anchor_links` of the section (a page's is its section's):
    /// `left`, `right`, `heading` or `none`; unset, the theme places them.
    pub anchor_links: Option<crate::frontmatter::AnchorLinks>,
}

#[derive(Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    pub doc: DocContext<'a>,
    pub section: LinkRef,
    pub previous: Option<LinkRef>,
    pub next: Option<LinkRef>,
    /// Pages linking here, with the sentence around each link.
    pub backlinks: Vec<BacklinkRef<'a>>,
    /// Pages ranked by shared links and tags.
    pub related: Vec<LinkRef>,
}

#[derive(Serialize)]
pub struct BacklinkRef<'a> {
    pub title: String,
    pub url: String,
    pub context: &'a str,
}

#[derive(Serialize)]
pub struct SectionContext<'a> {
    #[serde(flatten)]
    pub doc: DocContext<'a>,
    pub pages: Vec<PageSummary<'a>>,
    pub subsections: Vec<SubsectionRef<'a>>,
}

#[derive(Serialize)]
pub struct SubsectionRef<'a> {
    pub title: String,
    pub url: String,
    pub description: Option<std::borrow::Cow<'a, str>>,
    pub page_count: usize,
}

#[derive(Serialize)]
pub struct TaxonomyContext<'a> {
    pub name: &'a str,
    pub url: String,
    pub terms: Vec<TermRef<'a>>,
}

#[derive(Serialize)]
pub struct TermRef<'a> {
    pub name: &'a str,
    pub url: String,
    pub count: usize,
}

pub fn site_context(site: &Site) -> SiteContext<'_> {
    let c = &site.config;
    SiteContext {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        disclaimer: c.disclaimer.as_deref(),
        extra: &c.extra,
        preview_buckets: crate::render::previews::bucket_count(site),
        nav: listed_children(site, 0).into_iter().take(NAV_SECTIONS).map(|i| nav_entry(site, i)).collect(),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| LinkRef { title: t.name.clone(), url: site.full_url(&t.url) })
            .collect(),
        generator: concat!("rapport ", env!("CARGO_PKG_VERSION")),
        labels: &c.labels,
        favicon: c.favicon.as_deref(),
        logo: c.logo.as_deref(),
        schema: SchemaRef {
            page_type: &c.schema.page_type,
            audience: c.schema.audience.as_deref(),
            audience_type: &c.schema.audience_type,
        },
        glossary: c.glossary.as_ref().map(|g| site.full_url(g)),
        offline: c.offline,
    }
}

/// How many pages a reader finds in section `s` and the sections below it.
pub fn pages_below(site: &Site, s: usize) -> usize {
    let mut stack = vec![s];
    let mut count = 0;
    while let Some(x) = stack.pop() {
        // A transparent section's pages are in its parent's list too: count each once.
        count += site.sections[x].pages.iter().filter(|&&p| site.pages[p].section == x).count();
        stack.extend(&site.sections[x].children);
    }
    count
}

/// The subsections of `s` that have something to read: a page in them or
/// below, or a section page of their own (`_index.md`). A folder that holds
/// only what the site leaves out (templates, attachments) is no section to a reader.
pub fn listed_children(site: &Site, s: usize) -> Vec<usize> {
    let readable = |c: usize| {
        let mut stack = vec![c];
        while let Some(x) = stack.pop() {
            let section = &site.sections[x];
            if !section.implicit || !section.pages.is_empty() {
                return true;
            }
            stack.extend(&section.children);
        }
        false
    };
    let rendered = |c: usize| site.sections[c].doc.fm.render != Some(false);
    site.sections[s].children.iter().copied().filter(|&c| rendered(c) && readable(c)).collect()
}

/// Most pages a nav tree lists for one section; past that it points to the section page.
pub const NAV_PAGES: usize = 60;

/// Most subsections a nav tree lists under one section (or at the top).
pub const NAV_SECTIONS: usize = 60;

/// Deepest level of sections the nav tree shows.
pub const NAV_DEPTH: usize = 12;

/// The nav tree below top-level section `i`.
fn nav_entry(site: &Site, i: usize) -> NavEntry {
    nav_entry_at(site, i, 1)
}

/// The nav tree below section `i`, which sits at `level` (1 for the top),
/// built with an explicit stack. Each section lists at most NAV_SECTIONS
/// subsections, and none deeper than NAV_DEPTH (their parent's page lists
/// them), so neither the page size nor a template's recursion can run away.
pub fn nav_entry_at(site: &Site, i: usize, level: usize) -> NavEntry {
    let make = |i: usize| {
        let s = &site.sections[i];
        NavEntry {
            title: smart_title(site, &s.doc.title()),
            url: site.full_url(&s.url),
            page_count: pages_below(site, i),
            open: false,
            current: false,
            pages: vec![],
            more_pages: 0,
            children: vec![],
            more_sections: 0,
        }
    };
    let shown = |s: usize, depth: usize| -> Vec<usize> {
        let mut children = listed_children(site, s);
        children.truncate(if depth < NAV_DEPTH { NAV_SECTIONS } else { 0 });
        children
    };
    // Post-order: children are finished before their parent takes them.
    let mut order = vec![(i, level)];
    let mut k = 0;
    while k < order.len() {
        let (s, depth) = order[k];
        order.extend(shown(s, depth).into_iter().map(|c| (c, depth + 1)));
        k += 1;
    }
    let mut done: std::collections::HashMap<usize, NavEntry> = std::collections::HashMap::new();
    for &(s, depth) in order.iter().rev() {
        let mut entry = make(s);
        entry.children = shown(s, depth).iter().filter_map(|c| done.remove(c)).collect();
        entry.more_sections = listed_children(site, s).len() - entry.children.len();
        done.insert(s, entry);
    }
    done.remove(&i).expect("root entry built last")
}

/// Links to the term pages of `page`'s first `limit` tags. A function of
/// the page's own tags and the config alone (a term's URL is its
/// taxonomy's and its slug's), so reading it is reading the page.
pub(super) fn tags_of(site: &Site, page: &Page, limit: usize) -> Vec<LinkRef> {
    let Some(tax) = site.taxonomies.iter().find(|t| t.name == "tags") else {
        return vec![];
    };
    // Terms are sorted by slug (model::assemble collects them from a map keyed
    // by it): a page with thousands of tags, listed on thousands of term
    // pages, must not scan every term for each tag.
    debug_assert!(tax.terms.windows(2).all(|w| w[0].slug < w[1].slug), "terms sorted by slug");
    page.tags
        .iter()
        .take(limit)
        .filter_map(|t| {
            let slug = crate::urls::slugify(t);
            let at = tax.terms.binary_search_by(|term| term.slug.cmp(&slug)).ok()?;
            Some(LinkRef { title: t.clone(), url: site.full_url(&tax.terms[at].url) })
        })
        .collect()
}

/// A title as pages show it: with smart punctuation when the site uses it.
pub(super) fn smart_title(site: &Site, title: &str) -> String {
    crate::typography::title(site, title).into_owned()
}

pub fn link_to_page(site: &Site, p: usize) -> LinkRef {
    let page = &site.pages[p];
    LinkRef { title: smart_title(site, &page.doc.title()), url: site.full_url(&page.url) }
}

pub fn page_summary(site: &Site, p: usize) -> PageSummary<'_> {
    let page = &site.pages[p];
    PageSummary {
        title: smart_title(site, &page.doc.title()),
        url: site.full_url(&page.url),
        description: page.doc.fm.description.as_deref().map(|d| crate::typography::title(site, d)),
        summary: &page.rendered.summary_html,
        date: page.doc.fm.date.as_deref(),
        updated: page.doc.fm.updated.as_deref(),
        reading_time: page.rendered.reading_time,
        under_a_minute: page.rendered.word_count < UNDER_A_MINUTE,
        tags: tags_of(site, page, SUMMARY_TAGS),
        more_tags: page.tags.len().saturating_sub(SUMMARY_TAGS),
    }
}

pub fn taxonomy_context<'a>(site: &'a Site, tax: &'a Taxonomy) -> TaxonomyContext<'a> {
    TaxonomyContext {
        name: &tax.name,
        url: site.full_url(&tax.url),
        terms: tax.terms.iter().map(|t| term_ref(site, t)).collect(),
    }
}

pub fn term_ref<'a>(site: &Site, t: &'a Term) -> TermRef<'a> {
    TermRef { name: &t.name, url: site.full_url(&t.url), count: t.pages.len() }
}
