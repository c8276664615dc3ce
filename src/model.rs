//! The site model: parsed docs arranged into sections, pages and taxonomies,
//! each with its URL. Built once from all docs; everything later reads it.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::SortBy;
use crate::load::SourceKind;
use crate::markdown::glossary::GlossaryTerm;
use crate::markdown::links::LinkTargets;
use crate::markdown::Rendered;
use crate::parse::Doc;
use crate::urls::{self, slugify};
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

#[derive(Debug, Clone)]
pub struct Page {
    /// Shared with the incremental engine's memo, so reusing a parsed page is a pointer copy.
    pub doc: Arc<Doc>,
    /// Stable identity across rebuilds (see [`key_of`]).
    pub key: Key,
    /// Front matter tags plus inline `#tags` from the body.
    pub tags: Vec<String>,
    /// Site-relative URL path without the base path: `a/b/`.
    pub url: String,
    pub section: usize,
    pub rendered: Arc<Rendered>,
    /// Path aliases that get a redirect page (see [`crate::redirects`]).
    pub redirects: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Section {
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
    pub rendered: Arc<Rendered>,
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

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// `sections[0]` is the home page.
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content path in NFC (`a/b.md`, `a/_index.md`) → full URL path with base.
    pub urls: HashMap<PathBuf, String>,
    /// Links between pages; filled in once markdown is rendered.
    pub graph: crate::graph::Graph,
    pub wiki: crate::wiki::WikiIndex,
    /// Pages left out as drafts (to explain links to them).
    pub drafts: std::collections::HashSet<PathBuf>,
    /// Every non-markdown file in content/.
    pub assets: std::collections::HashSet<PathBuf>,
    /// Pages left out because they failed to parse: their own error explains
    /// a link to them, so the link is not reported again.
    pub unparsed: std::collections::HashSet<PathBuf>,
    /// The bibliography site.toml names, if any.
    pub bibliography: Option<std::sync::Arc<crate::citations::Bibliography>>,
    /// Which pages cite which works; filled in once markdown is rendered.
    pub cited: crate::citations::Cited,
    /// The shortcode templates markdown runs; filled in before markdown is rendered.
    pub shortcodes: std::sync::Arc<crate::shortcodes::Registry>,
}

impl LinkTargets for Site {
    fn url_of(&self, content_rel: &Path) -> Option<String> {
        let rel = urls::nfc_path(content_rel);
        self.urls.get(&rel).cloned().or_else(|| {
            // `[x](folder/)`-style links to a section written as its folder.
            self.urls.get(&rel.join("_index.md")).cloned()
        })
    }

    fn base_path(&self) -> &str {
        &self.config.base_path
    }

    fn wikilink(&self, name: &str) -> crate::markdown::links::WikiTarget {
        self.wiki.resolve(name)
    }

    fn is_draft(&self, content_rel: &Path) -> bool {
        self.drafts.contains(content_rel)
    }

    fn asset_exists(&self, content_rel: &Path) -> bool {
        self.assets.contains(content_rel)
    }

    fn is_unparsed(&self, content_rel: &Path) -> bool {
        self.unparsed.contains(content_rel)
    }

    fn glossary_terms(&self) -> Vec<GlossaryTerm> {
        glossary_terms(self)
    }

    fn bibliography(&self) -> Option<&crate::citations::Bibliography> {
        self.bibliography.as_deref()
    }

    fn shortcode_print(&self, name: &str) -> Option<u64> {
        self.shortcodes.print(name)
    }
}

impl crate::graph::Linked for Site {
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
    pub fn full_url(&self, url: &str) -> String {
        format!("{}{}", self.config.base_path, url)
    }

    pub fn permalink(&self, url: &str) -> String {
        format!("{}{}", self.config.base_url, url)
    }
}

/// The files a site is assembled from: the docs that parsed, the pages that
/// did not, and the assets.
pub struct Sources<'a> {
    pub docs: Vec<Arc<Doc>>,
    pub unparsed: std::collections::HashSet<PathBuf>,
    pub assets: &'a [PathBuf],
}

/// Arranges parsed docs into a site. Drafts are dropped unless `drafts`.
/// Duplicate URLs are returned as errors beside the site, so later stages
/// still run and report their own problems.
pub fn assemble(config: Config, sources: Sources<'_>, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let Sources { docs, unparsed, assets } = sources;
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
    let mut pages: Vec<Page> = page_docs
        .into_iter()
        .map(|doc| {
            let section = folder_index[&owning_folder(&doc.rel)];
            let url = doc_url(&doc);
            let (key, tags) = (key_of(&doc.rel), doc.fm.tags.clone());
            Page { tags, doc, key, url, section, rendered: Arc::default(), redirects: vec![] }
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
    let taxonomies = build_taxonomies(&config, &pages, &sections);
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
    let graph = Default::default();
    let (bibliography, cited, shortcodes) = (None, Default::default(), Default::default());
    let site = Site {
        config,
        pages,
        sections,
        taxonomies,
        urls,
        graph,
        wiki,
        drafts,
        assets,
        unparsed,
        bibliography,
        cited,
        shortcodes,
    };
    (site, errors)
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
fn adopt_home(root: &mut Section, mut home: Arc<Doc>, config: &Config) {
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
fn build_sections(section_docs: Vec<Arc<Doc>>, pages: &[Arc<Doc>]) -> Vec<Section> {
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
    let mut sections: Vec<Section> = Vec::with_capacity(by_folder.len());
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
            rendered: Arc::default(),
            redirects: vec![],
        });
    }
    for s in 0..sections.len() {
        sort_children(&mut sections, s);
    }
    sections
}

/// Subsections in order of `weight`, then title (the order nav and listings show).
pub fn sort_children(sections: &mut [Section], s: usize) {
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
fn lift_transparent(sections: &mut [Section], pages: &[Page]) {
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

fn is_transparent(section: &Section) -> bool {
    section.doc.fm.transparent == Some(true)
}

/// Rebuilds section `s`'s list from its own pages and those its
/// transparent subsections list, in its order (their lists must be current).
pub fn relist(sections: &mut [Section], pages: &[Page], s: usize) {
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
pub fn relist_up(sections: &mut [Section], pages: &[Page], mut s: usize) {
    relist(sections, pages, s);
    while let (true, Some(parent)) = (is_transparent(&sections[s]), sections[s].parent) {
        s = parent;
        relist(sections, pages, s);
    }
}

pub fn sort_pages(sections: &mut [Section], s: usize, pages: &[Page]) {
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
fn assign_redirects(pages: &mut [Page], sections: &mut [Section]) -> Vec<Diagnostic> {
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
fn check_unique_urls(pages: &[Page], sections: &[Section]) -> Vec<Diagnostic> {
    use unicode_normalization::UnicodeNormalization;
    let mut seen: BTreeMap<String, Vec<UrlSource<'_>>> = BTreeMap::new();
    let urls = pages
        .iter()
        .map(|p| (&p.doc, &p.url, &p.redirects))
        .chain(sections.iter().filter(|s| !s.folder_note).map(|s| (&s.doc, &s.url, &s.redirects)));
    let key = |url: &str| url.nfc().collect::<String>().to_lowercase();
    for (doc, url, redirects) in urls {
        let named = doc.fm.url_path().or(doc.fm.slug.as_deref());
        seen.entry(key(url)).or_default().push(UrlSource { doc, url, named });
        for alias in redirects {
            let url = urls::url_of_path(alias);
            seen.entry(key(&url)).or_default().push(UrlSource { doc, url: alias, named: Some(alias) });
        }
    }
    seen.into_iter().filter(|(_, sources)| sources.len() > 1).map(|(url, sources)| duplicate(&url, &sources)).collect()
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

fn duplicate(url: &str, sources: &[UrlSource<'_>]) -> Diagnostic {
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

/// Sets the given pages' tags to their front matter tags plus the inline
/// `#tags` found while rendering, and rebuilds the taxonomies when any changed.
pub fn adopt_inline_tags(site: &mut Site, pages: &std::collections::BTreeSet<usize>) -> bool {
    let mut changed = false;
    for &i in pages {
        let page = &mut site.pages[i];
        let mut tags = page.doc.fm.tags.clone();
        for tag in &page.rendered.inline_tags {
            if !tags.iter().any(|t| slugify(t) == slugify(tag)) {
                tags.push(tag.clone());
            }
        }
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
            let mut terms: Vec<Term> = terms.into_values().collect();
            for term in &mut terms {
                term.intro = page_at.get(term.url.as_str()).copied();
            }
            let url = format!("{}/", slugify(name));
            let intro = section_at.get(url.as_str()).copied();
            Taxonomy { name: name.clone(), url, terms, intro }
        })
        .collect()
}

/// A page's values for a taxonomy: `tags` from the front matter field, any
/// taxonomy from Zola's `[taxonomies]` table.
fn terms_of<'p>(page: &'p Page, taxonomy: &str) -> impl Iterator<Item = &'p str> {
    let own = if taxonomy == "tags" { page.tags.as_slice() } else { &[] };
    let zola = page.doc.fm.taxonomies.get(taxonomy).map(Vec::as_slice).unwrap_or(&[]);
    own.iter().chain(zola.iter()).map(String::as_str)
}

/// The terms of the site's glossary section: every page's title and name
/// aliases, longest first (so "withdrawal rupture" wins over "rupture").
fn glossary_terms(site: &Site) -> Vec<GlossaryTerm> {
    let Some(folder) = site.config.glossary.as_deref() else { return Vec::new() };
    let folder = Path::new(folder.trim_end_matches('/'));
    let Some(section) = site.sections.iter().find(|s| s.doc.rel.parent() == Some(folder)) else {
        return Vec::new();
    };
    let mut terms = Vec::new();
    for &p in &section.pages {
        let page = &site.pages[p];
        let url = site.full_url(&page.url);
        let names = std::iter::once(page.doc.title())
            .chain(page.doc.fm.aliases.iter().filter(|a| !crate::redirects::is_path_alias(a)).cloned());
        for name in names.filter(|n| n.chars().any(char::is_alphanumeric)) {
            terms.push(GlossaryTerm { name: name.trim().to_string(), url: url.clone() });
        }
    }
    terms.sort_by(|a, b| b.name.len().cmp(&a.name.len()).then_with(|| a.name.cmp(&b.name)));
    terms
}
