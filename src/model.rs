//! The site model: parsed docs arranged into sections and pages, each with
//! its URL, and the link index markdown resolves against (a [`Layout`]).
//! [`crate::assembly`] makes the [`Site`] from it once markdown is rendered.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::SortBy;
use crate::load::SourceKind;
use crate::markdown::glossary::GlossaryTerm;
use crate::markdown::links::LinkTargets;
use crate::markdown::Rendered;
use crate::parse::Doc;
use crate::urls;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A page's or section's identity that survives rebuilds, where its index
/// in [`Site::pages`] does not: a hash of its content path in NFC.
pub type Key = u64;

/// The key of the page or section whose source is `rel` (relative to `content/`).
pub fn key_of(rel: &Path) -> Key {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    urls::nfc_path(rel).hash(&mut h);
    h.finish()
}

/// A page. In a [`Layout`] its markdown is not rendered yet (`R = ()`);
/// in a [`Site`] it is.
#[derive(Debug, Clone)]
pub struct Page<R = Arc<Rendered>> {
    /// Shared with the incremental engine's memo, so reusing a parsed page is a pointer copy.
    pub doc: Arc<Doc>,
    /// Stable identity across rebuilds (see [`key_of`]).
    pub key: Key,
    /// Front matter tags, plus in a [`Site`] the inline `#tags` of the body.
    pub tags: Vec<String>,
    /// Site-relative URL path without the base path: `a/b/`.
    pub url: String,
    pub section: usize,
    pub rendered: R,
    /// Path aliases that get a redirect page (see [`crate::redirects`]).
    pub redirects: Vec<String>,
}

/// A section (a folder): rendered or not, as [`Page`].
#[derive(Debug, Clone)]
pub struct Section<R = Arc<Rendered>> {
    pub doc: Arc<Doc>,
    pub key: Key,
    pub url: String,
    pub parent: Option<usize>,
    pub pages: Vec<usize>,
    pub children: Vec<usize>,
    /// True when the folder has no `_index.md`.
    pub implicit: bool,
    /// An implicit section whose URL a page already has (Obsidian's folder
    /// note: `Statuses.md` beside `Statuses/`): the page is shown, not a listing.
    pub folder_note: bool,
    /// The root section shows a note in place of `_index.md` (see [`take_home`]).
    pub home: bool,
    pub rendered: R,
    /// Path aliases that get a redirect page (see [`crate::redirects`]).
    pub redirects: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub pages: Vec<usize>,
    /// A page at the term's URL (`content/tags/grief.md`, as Quartz vaults
    /// have): its title and body introduce the term's page, which is
    /// written once, in its place.
    pub intro: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    pub url: String,
    pub terms: Vec<Term>,
    /// A section at the taxonomy's URL (`content/tags/`): it introduces the
    /// list of terms, which is written in its place.
    pub intro: Option<usize>,
}

/// Every name a link in markdown may resolve to, and what explains one
/// that does not: URLs, wikilink names, drafts, assets, unparsed pages, the
/// bibliography's works and the shortcodes.
#[derive(Debug)]
pub struct LinkIndex {
    /// Content path in NFC (`a/b.md`, `a/_index.md`) → full URL path with base.
    pub urls: HashMap<PathBuf, String>,
    pub wiki: crate::wiki::WikiIndex,
    /// Pages left out as drafts (to explain links to them).
    pub drafts: std::collections::HashSet<PathBuf>,
    /// Every non-markdown file in content/.
    pub assets: std::collections::HashSet<PathBuf>,
    /// Pages left out because they failed to parse: their own error explains
    /// a link to them, so the link is not reported again.
    pub unparsed: std::collections::HashSet<PathBuf>,
    /// The bibliography site.toml names, if any.
    pub bibliography: Option<Arc<crate::citations::Bibliography>>,
    /// The shortcode templates markdown runs.
    pub shortcodes: Arc<crate::shortcodes::Registry>,
}

/// The site as front matter arranges it, before any markdown is rendered:
/// what markdown links against (see [`Layout::targets`]).
#[derive(Debug)]
pub struct Layout {
    pub config: Config,
    pub pages: Vec<Page<()>>,
    /// `sections[0]` is the home page.
    pub sections: Vec<Section<()>>,
    pub links: LinkIndex,
}

/// The whole site, markdown rendered: what templates, search and output read.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// `sections[0]` is the home page.
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub links: LinkIndex,
    /// Links between pages.
    pub graph: crate::graph::Graph,
    /// Which pages cite which works.
    pub cited: crate::citations::Cited,
}

/// Link resolution over a layout's or a site's pages (the two answer alike:
/// nothing here reads rendered markdown).
pub struct Targets<'a, R> {
    config: &'a Config,
    pages: &'a [Page<R>],
    sections: &'a [Section<R>],
    links: &'a LinkIndex,
}

impl Layout {
    pub fn targets(&self) -> Targets<'_, ()> {
        Targets { config: &self.config, pages: &self.pages, sections: &self.sections, links: &self.links }
    }
}

impl<R: Sync> LinkTargets for Targets<'_, R> {
    fn url_of(&self, content_rel: &Path) -> Option<String> {
        let rel = urls::nfc_path(content_rel);
        let urls = &self.links.urls;
        // `[x](folder/)`-style links to a section written as its folder.
        urls.get(&rel).cloned().or_else(|| urls.get(&rel.join("_index.md")).cloned())
    }

    fn base_path(&self) -> &str {
        &self.config.base_path
    }

    fn wikilink(&self, name: &str) -> crate::markdown::links::WikiTarget {
        self.links.wiki.resolve(name)
    }

    fn is_draft(&self, content_rel: &Path) -> bool {
        self.links.drafts.contains(content_rel)
    }

    fn asset_exists(&self, content_rel: &Path) -> bool {
        self.links.assets.contains(content_rel)
    }

    fn is_unparsed(&self, content_rel: &Path) -> bool {
        self.links.unparsed.contains(content_rel)
    }

    fn glossary_terms(&self) -> Vec<GlossaryTerm> {
        glossary_terms(self.config, self.pages, self.sections)
    }

    fn bibliography(&self) -> Option<&crate::citations::Bibliography> {
        self.links.bibliography.as_deref()
    }

    fn shortcode_print(&self, name: &str) -> Option<u64> {
        self.links.shortcodes.print(name)
    }
}

/// What the link graph is built from: pages' and sections' rendered links and tags.
pub struct Linkage<'a> {
    pub pages: &'a [Page],
    pub sections: &'a [Section],
    pub taxonomies: &'a [Taxonomy],
}

impl crate::graph::Linked for Linkage<'_> {
    fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn page_rel(&self, i: usize) -> &Path {
        &self.pages[i].doc.rel
    }

    fn page_links(&self, i: usize) -> &[crate::markdown::PageLink] {
        &self.pages[i].rendered.links
    }

    fn section_links(&self) -> Vec<&crate::markdown::PageLink> {
        self.sections.iter().flat_map(|s| &s.rendered.links).collect()
    }

    fn tag_groups(&self) -> Vec<&[usize]> {
        let tags = self.taxonomies.iter().filter(|t| t.name == "tags");
        tags.flat_map(|t| t.terms.iter().map(|term| term.pages.as_slice())).collect()
    }
}

impl Site {
    pub fn targets(&self) -> Targets<'_, Arc<Rendered>> {
        Targets { config: &self.config, pages: &self.pages, sections: &self.sections, links: &self.links }
    }

    pub fn linkage(&self) -> Linkage<'_> {
        Linkage { pages: &self.pages, sections: &self.sections, taxonomies: &self.taxonomies }
    }

    pub fn full_url(&self, url: &str) -> String {
        format!("{}{}", self.config.base_path, url)
    }

    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.config.base_url, url)
    }
}

/// What a layout is arranged from: the docs that parsed, the pages that did
/// not, the assets, and what citations and shortcodes resolve against.
pub struct Sources<'a> {
    pub docs: Vec<Arc<Doc>>,
    pub unparsed: std::collections::HashSet<PathBuf>,
    pub assets: &'a [PathBuf],
    pub bibliography: Option<Arc<crate::citations::Bibliography>>,
    pub shortcodes: Arc<crate::shortcodes::Registry>,
}

/// Arranges parsed docs into sections and pages. Drafts are dropped unless
/// `drafts`. Duplicate URLs are returned as errors beside the layout, so
/// later stages still run and report their own problems.
pub fn arrange(config: Config, sources: Sources<'_>, drafts: bool) -> (Layout, Vec<Diagnostic>) {
    let Sources { docs, unparsed, assets, bibliography, shortcodes } = sources;
    let (docs, left_out): (Vec<_>, Vec<_>) = docs.into_iter().partition(|d| is_published(d, drafts));
    let drafts = left_out.into_iter().map(|d| d.rel.clone()).collect();
    let (section_docs, mut page_docs): (Vec<_>, Vec<_>) = docs.into_iter().partition(|d| d.kind == SourceKind::Section);
    let home = take_home(&config, &mut page_docs, &section_docs);
    let mut sections = build_sections(section_docs, &page_docs);
    let folder_index: HashMap<PathBuf, usize> =
        sections.iter().enumerate().map(|(i, s)| (folder_of_section(&s.doc.rel), i)).collect();
    if let Some(home) = home {
        adopt_home(&mut sections[0], home, &config);
    }
    let mut pages: Vec<Page<()>> = page_docs
        .into_par_iter()
        .map(|doc| {
            let section = folder_index[&owning_folder(&doc.rel)];
            let url = doc_url(&doc);
            let (key, tags) = (key_of(&doc.rel), doc.fm.tags.clone());
            Page { tags, doc, key, url, section, rendered: (), redirects: vec![] }
        })
        .collect();
    // A page with `render = false` (Hugo's headless `_build`) has no page to list.
    for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.doc.fm.render != Some(false)) {
        sections[page.section].pages.push(i);
    }
    for s in 0..sections.len() {
        sort_pages(&mut sections, s, &pages);
    }
    lift_transparent(&mut sections, &pages);
    let page_urls: std::collections::HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
    for s in sections.iter_mut().filter(|s| s.implicit) {
        s.folder_note = page_urls.contains(s.url.as_str());
    }
    let mut errors = assign_redirects(&mut pages, &mut sections);
    errors.extend(check_unique_urls(&pages, &sections));
    let mut urls = HashMap::with_capacity(pages.len() + sections.len());
    for p in &pages {
        urls.insert(urls::nfc_path(&p.doc.rel), format!("{}{}", config.base_path, p.url));
    }
    for s in &sections {
        urls.insert(urls::nfc_path(&s.doc.rel), format!("{}{}", config.base_path, s.url));
    }
    if sections[0].home {
        // `[x](_index.md)` still means the home page.
        urls.insert(PathBuf::from("_index.md"), config.base_path.clone());
    }
    // Unparsed pages keep their name, so a wikilink to one is not reported as well.
    let home_note = sections.iter().take(1).filter(|s| s.home).map(|s| (s.doc.rel.as_path(), &s.doc.fm.aliases[..]));
    let notes = pages.iter().map(|p| (p.doc.rel.as_path(), p.doc.fm.aliases.as_slice())).chain(home_note);
    let wiki = crate::wiki::WikiIndex::new(notes.chain(unparsed.iter().map(|rel| (rel.as_path(), &[][..]))), assets);
    let assets = assets.iter().cloned().collect();
    let links = LinkIndex { urls, wiki, drafts, assets, unparsed, bibliography, shortcodes };
    (Layout { config, pages, sections, links }, errors)
}

/// The note shown at `/`, taken out of the pages: `home` in `site.toml`,
/// else a top-level `index.md` (Quartz) or `Home.md` (Obsidian Publish) when
/// `content/_index.md` has no body of its own.
fn take_home(config: &Config, pages: &mut Vec<Arc<Doc>>, sections: &[Arc<Doc>]) -> Option<Arc<Doc>> {
    let at = match &config.home {
        Some(home) => pages.iter().position(|d| urls::nfc_path(&d.rel) == urls::nfc_path(home))?,
        None => {
            let root_index = sections.iter().find(|d| d.rel == Path::new("_index.md"));
            if root_index.is_some_and(|d| !d.body().trim().is_empty()) {
                return None;
            }
            let named = |name: &str| pages.iter().position(|d| d.rel.to_string_lossy().eq_ignore_ascii_case(name));
            named("index.md").or_else(|| named("Home.md"))?
        }
    };
    Some(pages.remove(at))
}

/// Makes `home` the root section's doc. The listing settings of an
/// `_index.md` without a body still apply, and so does its title when the
/// note has none.
fn adopt_home(root: &mut Section<()>, mut home: Arc<Doc>, config: &Config) {
    let index = root.doc.fm.clone();
    let home_doc = Arc::make_mut(&mut home);
    let stem = home_doc.rel.file_stem().is_some_and(|s| s == "index");
    let no_title = home_doc.fm.title.is_none() && home_doc.lead_h1.is_none();
    let fm = &mut home_doc.fm;
    fm.sort_by = fm.sort_by.or(index.sort_by);
    fm.page_template = fm.page_template.take().or_else(|| index.page_template.clone());
    fm.paginate_by = fm.paginate_by.or(index.paginate_by);
    if no_title {
        fm.title = index.title.clone().or_else(|| stem.then(|| config.title.clone()));
    }
    root.key = key_of(&home.rel);
    root.doc = home;
    root.implicit = false;
    root.home = true;
}

fn is_published(doc: &Doc, drafts: bool) -> bool {
    let draft = doc.fm.draft || doc.fm.publish == Some(false);
    drafts || !draft
}

/// The folder a section describes: `a/_index.md` → `a`.
pub fn folder_of_section(rel: &Path) -> PathBuf {
    rel.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The folder whose section lists a page: its own folder, or for a bundle
/// (`a/b/index.md`) the folder above.
pub fn owning_folder(rel: &Path) -> PathBuf {
    let folder = rel.parent().map(Path::to_path_buf).unwrap_or_default();
    if rel.file_stem().is_some_and(|s| s == "index") {
        folder.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        folder
    }
}

pub fn doc_url(doc: &Doc) -> String {
    match doc.fm.url_path() {
        Some(path) => urls::url_of_path(path),
        None => urls::url_of_content(&doc.rel, doc.fm.slug.as_deref()),
    }
}

/// One section per folder that holds pages or sections (implicit where no
/// `_index.md` exists), linked to their parents; the home section first.
fn build_sections(section_docs: Vec<Arc<Doc>>, pages: &[Arc<Doc>]) -> Vec<Section<()>> {
    let mut by_folder: BTreeMap<PathBuf, (Arc<Doc>, bool)> =
        section_docs.into_iter().map(|d| (folder_of_section(&d.rel), (d, false))).collect();
    let needed: Vec<PathBuf> = pages.iter().map(|p| owning_folder(&p.rel)).chain(by_folder.keys().cloned()).collect();
    for folder in needed {
        let mut f = Some(folder.as_path());
        while let Some(dir) = f {
            by_folder.entry(dir.to_path_buf()).or_insert_with(|| (Arc::new(Doc::implicit_section(dir)), true));
            f = dir.parent();
        }
    }
    by_folder.entry(PathBuf::new()).or_insert_with(|| (Arc::new(Doc::implicit_section(Path::new(""))), true));
    // BTreeMap order puts "" (home) first and parents before children.
    let mut sections: Vec<Section<()>> = Vec::with_capacity(by_folder.len());
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    for (folder, (doc, implicit)) in by_folder {
        let parent = folder.parent().map(|p| index[p]);
        let url = doc_url(&doc);
        let i = sections.len();
        index.insert(folder, i);
        if let Some(p) = parent {
            sections[p].children.push(i);
        }
        sections.push(Section {
            key: key_of(&doc.rel),
            doc,
            url,
            parent,
            pages: vec![],
            children: vec![],
            implicit,
            folder_note: false,
            home: false,
            rendered: (),
            redirects: vec![],
        });
    }
    for s in 0..sections.len() {
        sort_children(&mut sections, s);
    }
    sections
}

/// Subsections in order of `weight`, then title (the order nav and listings show).
pub fn sort_children<R>(sections: &mut [Section<R>], s: usize) {
    let mut children = std::mem::take(&mut sections[s].children);
    children.sort_by_cached_key(|&c| {
        let fm = &sections[c].doc.fm;
        (fm.weight.unwrap_or(i64::MAX), sections[c].doc.title().to_lowercase(), c)
    });
    sections[s].children = children;
}

/// Zola's `transparent = true`: a section's pages are listed in its
/// parent's too (in the parent's order), deepest sections first so a chain
/// of transparent sections lifts all the way up. Each page keeps its own section.
fn lift_transparent<R>(sections: &mut [Section<R>], pages: &[Page<R>]) {
    let depth = |mut s: usize| {
        let mut d = 0;
        while let Some(p) = sections[s].parent {
            (s, d) = (p, d + 1);
        }
        d
    };
    let mut parents: Vec<(usize, usize)> = (0..sections.len())
        .filter(|&s| sections[s].doc.fm.transparent == Some(true))
        .filter_map(|s| sections[s].parent)
        .map(|p| (depth(p), p))
        .collect();
    parents.sort_by(|a, b| b.cmp(a));
    parents.dedup();
    for (_, s) in parents {
        relist(sections, pages, s);
    }
}

fn is_transparent<R>(section: &Section<R>) -> bool {
    section.doc.fm.transparent == Some(true)
}

/// Rebuilds section `s`'s list from its own pages and those its
/// transparent subsections list, in its order (their lists must be current).
pub fn relist<R>(sections: &mut [Section<R>], pages: &[Page<R>], s: usize) {
    let mut list: Vec<usize> = sections[s].pages.iter().copied().filter(|&p| pages[p].section == s).collect();
    for &c in &sections[s].children {
        if is_transparent(&sections[c]) {
            list.extend(&sections[c].pages);
        }
    }
    sections[s].pages = list;
    sort_pages(sections, s, pages);
}

/// Relists `s` and, while the section relisted is transparent, its parents.
pub fn relist_up<R>(sections: &mut [Section<R>], pages: &[Page<R>], mut s: usize) {
    relist(sections, pages, s);
    while let (true, Some(parent)) = (is_transparent(&sections[s]), sections[s].parent) {
        s = parent;
        relist(sections, pages, s);
    }
}

pub fn sort_pages<R>(sections: &mut [Section<R>], s: usize, pages: &[Page<R>]) {
    let sort_by = sections[s].doc.fm.sort_by.unwrap_or_else(|| {
        let any_weight = sections[s].pages.iter().any(|&p| pages[p].doc.fm.weight.is_some());
        let any_date = sections[s].pages.iter().any(|&p| pages[p].doc.fm.date.is_some());
        if any_weight {
            SortBy::Weight
        } else if any_date {
            SortBy::Date
        } else {
            SortBy::Title
        }
    });
    let title = |p: usize| pages[p].doc.title().to_lowercase();
    let list = &mut sections[s].pages;
    match sort_by {
        SortBy::Weight => list.sort_by_cached_key(|&p| (pages[p].doc.fm.weight.unwrap_or(i64::MAX), title(p))),
        SortBy::Date => list.sort_by_cached_key(|&p| (std::cmp::Reverse(pages[p].doc.fm.date.clone()), title(p))),
        SortBy::Title => list.sort_by_cached_key(|&p| title(p)),
        SortBy::None => list.sort_by(|&a, &b| pages[a].doc.rel.cmp(&pages[b].doc.rel)),
    }
}

/// Resolves every page's and section's path aliases (folder notes have the
/// page's); returns the warnings for aliases a page or section takes.
fn assign_redirects(pages: &mut [Page<()>], sections: &mut [Section<()>]) -> Vec<Diagnostic> {
    use crate::redirects::{resolve, Owner};
    let owners: Vec<Owner<'_>> = pages
        .iter()
        .map(|p| Owner { doc: &p.doc, url: &p.url })
        .chain(sections.iter().filter(|s| !s.folder_note).map(|s| Owner { doc: &s.doc, url: &s.url }))
        .collect();
    let (mut kept, warnings) = resolve(&owners);
    let mut kept = kept.drain(..);
    for p in pages.iter_mut() {
        p.redirects = kept.next().expect("one list per owner");
    }
    for s in sections.iter_mut().filter(|s| !s.folder_note) {
        s.redirects = kept.next().expect("one list per owner");
    }
    warnings
}

/// Two sources that would write the same URL (also differing only by case or
/// Unicode normalisation) are one error listing every source at the line
/// that gives it the URL.
fn check_unique_urls(pages: &[Page<()>], sections: &[Section<()>]) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let urls = pages
        .iter()
        .map(|p| (&p.doc, &p.url, &p.redirects))
        .chain(sections.iter().filter(|s| !s.folder_note).map(|s| (&s.doc, &s.url, &s.redirects)));
    let mut sources: Vec<(String, UrlSource<'_>)> = Vec::new();
    for (doc, url, redirects) in urls {
        let named = doc.fm.url_path().or(doc.fm.slug.as_deref());
        sources.push((url.to_string(), UrlSource { doc, url, named }));
        for alias in redirects {
            sources.push((urls::url_of_path(alias), UrlSource { doc, url: alias, named: Some(alias) }));
        }
    }
    sources.par_iter_mut().for_each(|(url, _)| *url = url.nfc().collect::<String>().to_lowercase());
    // Stable: each URL's sources stay in the order they were met.
    sources.par_sort_by(|a, b| a.0.cmp(&b.0));
    let groups = sources.chunk_by(|a, b| a.0 == b.0).filter(|group| group.len() > 1);
    groups.map(|group| duplicate(&group[0].0, &group.iter().map(|(_, s)| s).collect::<Vec<_>>())).collect()
}

/// One source of a URL: the doc, the URL as it wrote it, and the front
/// matter value that set it (`None` when it comes from the file name).
struct UrlSource<'a> {
    doc: &'a Doc,
    url: &'a str,
    named: Option<&'a str>,
}

impl UrlSource<'_> {
    /// 1-based line and column of the front matter value that set the URL, else 1:1.
    fn line_col(&self) -> (usize, usize) {
        let front = &self.doc.source[..self.doc.body_offset];
        let at = self.named.and_then(|n| front.find(n).or_else(|| front.find(n.trim_matches('/'))));
        let line_start = |at: usize| front[..at].rfind('\n').map_or(0, |i| i + 1);
        at.map_or((1, 1), |at| crate::diagnostic::line_col(front, line_start(at)))
    }
}

fn duplicate(url: &str, sources: &[&UrlSource<'_>]) -> Diagnostic {
    let list: Vec<String> = sources
        .iter()
        .map(|s| {
            let (line, col) = s.line_col();
            format!("{}:{line}:{col} (as /{})", s.doc.file.display(), s.url.trim_start_matches('/'))
        })
        .collect();
    let message = format!("{} sources map to the same URL /{url}: {}", sources.len(), list.join(", "));
    let (line, col) = sources[0].line_col();
    Diagnostic::error(&sources[0].doc.file, message).at(&sources[0].doc.source, line, col)
}

/// The terms of the site's glossary section: every page's title and name
/// aliases, longest first (so "withdrawal rupture" wins over "rupture").
fn glossary_terms<R>(config: &Config, pages: &[Page<R>], sections: &[Section<R>]) -> Vec<GlossaryTerm> {
    let Some(folder) = config.glossary.as_deref() else { return Vec::new() };
    let folder = Path::new(folder.trim_end_matches('/'));
    let Some(section) = sections.iter().find(|s| s.doc.rel.parent() == Some(folder)) else {
        return Vec::new();
    };
    let mut terms = Vec::new();
    for &p in &section.pages {
        let page = &pages[p];
        let url = format!("{}{}", config.base_path, page.url);
        let names = std::iter::once(page.doc.title())
            .chain(page.doc.fm.aliases.iter().filter(|a| !crate::redirects::is_path_alias(a)).cloned());
        for name in names.filter(|n| n.chars().any(char::is_alphanumeric)) {
            terms.push(GlossaryTerm { name: name.trim().to_string(), url: url.clone() });
        }
    }
    terms.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then_with(|| a.name.cmp(&b.name)));
    terms
}
