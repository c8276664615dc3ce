//! Rendering: tera templates applied to typed contexts, one output at a time.
//!
//! Each output is a plain function of the site model and the templates
//! ([`render_page`], [`render_section`], ...), read through a [`View`] that
//! records what it read ([`reads`]), so a rebuild can re-render exactly the
//! outputs a change reaches. Template errors name the template file, its
//! line where tera knows it, and the page being rendered.

pub mod compose;
pub mod context;
pub mod feeds;
pub mod nav_html;
pub mod pager;
pub mod previews;
pub mod reads;
pub mod recursion;
pub mod references;
pub mod templates;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::{Output, Sink};
use compose::*;
use context::*;
pub use reads::View;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
pub use templates::Templates;

/// One output of the site (or a family of files, for aliases), named by what it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    Page(usize),
    Section(usize),
    Taxonomy(usize),
    Term(usize, usize),
    NotFound,
    /// The search results page, when the theme has `search.html`.
    Search,
    Sitemap,
    Atom,
    Robots,
    /// The redirect pages of every path alias.
    Aliases,
    /// One `previews/<n>.json` bucket file.
    Previews(u32),
    HighlightCss,
    /// `/references/`, the cited works.
    References,
    /// `/references/<key>/`: one cited work (an index into `site.cited.works`).
    Reference(usize),
}

/// A target named by what it is about rather than by index, so records
/// of what it read survive pages being added and removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TargetKey {
    Page(crate::model::Key),
    Section(crate::model::Key),
    Taxonomy(u64),
    Term(u64),
    /// A cited work's page, by a hash of its key.
    Reference(u64),
    Other(Target),
}

pub fn target_key(site: &Site, target: Target) -> TargetKey {
    match target {
        Target::Page(i) => TargetKey::Page(site.pages[i].key),
        Target::Section(i) => TargetKey::Section(site.sections[i].key),
        Target::Taxonomy(i) => TargetKey::Taxonomy(reads::taxonomy_key(&site.taxonomies[i])),
        Target::Term(i, j) => TargetKey::Term(reads::term_key(&site.taxonomies[i], &site.taxonomies[i].terms[j])),
        Target::Reference(i) => TargetKey::Reference(crate::citations::key_hash(&site.cited.works[i].key)),
        other => TargetKey::Other(other),
    }
}

/// Every output of the site but the search index (which `serve` builds on
/// its own once edits pause) and the copied files.
pub fn all_targets(site: &Site) -> Vec<Target> {
    // `render = false` (Hugo: `_build: {render: never}`): listed and linked, no page of its own.
    let rendered = |doc: &crate::parse::Doc| doc.fm.render != Some(false);
    let mut targets: Vec<Target> = (0..site.pages.len())
        .filter(|&i| term_introduced_by(site, i).is_none() && rendered(&site.pages[i].doc))
        .map(Target::Page)
        .collect();
    let listed = |i: usize| {
        !site.sections[i].folder_note && taxonomy_introduced_by(site, i).is_none() && rendered(&site.sections[i].doc)
    };
    targets.extend((0..site.sections.len()).filter(|&i| listed(i)).map(Target::Section));
    for (i, tax) in site.taxonomies.iter().enumerate() {
        targets.push(Target::Taxonomy(i));
        targets.extend((0..tax.terms.len()).map(|j| Target::Term(i, j)));
    }
    targets.extend([Target::NotFound, Target::Search, Target::Sitemap, Target::Atom, Target::Robots]);
    targets.extend([Target::Aliases, Target::HighlightCss]);
    targets.extend((0..previews::bucket_count(site)).map(Target::Previews));
    if !site.cited.works.is_empty() {
        targets.push(Target::References);
        targets.extend((0..site.cited.works.len()).map(Target::Reference));
    }
    targets
}

/// The file a templated target is written to (`None` for a redirect page's
/// odd URL, and for the targets that are not one page).
pub fn target_file(site: &Site, target: Target) -> Option<PathBuf> {
    let url = match target {
        Target::Page(i) => &site.pages[i].url,
        Target::Section(i) => &site.sections[i].url,
        Target::Taxonomy(i) => &site.taxonomies[i].url,
        Target::Term(i, j) => &site.taxonomies[i].terms[j].url,
        Target::NotFound => return Some(PathBuf::from("404.html")),
        Target::Search => return Some(PathBuf::from("search/index.html")),
        Target::References => return Some(PathBuf::from("references/index.html")),
        Target::Reference(i) => &site.cited.works[i].url,
        _ => return None,
    };
    crate::urls::output_file(url)
}

/// One target rendered: its files and what it read.
pub struct Made {
    pub target: Target,
    pub outputs: Vec<Output>,
    /// The paths of its files already handed to a [`Sink`] (not in `outputs`).
    pub sunk: Vec<PathBuf>,
    pub reads: Vec<reads::Read>,
}

impl Made {
    /// The paths of every file it made, held or sunk.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.outputs.iter().map(|o| &o.path).chain(&self.sunk)
    }
}

/// Renders targets in parallel; every distinct template error is reported once.
pub fn render_targets(site: &Site, t: &Templates, targets: &[Target]) -> Result<Vec<Made>, Vec<Diagnostic>> {
    render_targets_into(site, t, targets, None)
}

/// [`render_targets`], handing each file to `sink` (when given) as soon as
/// its target is rendered.
pub fn render_targets_into(
    site: &Site,
    t: &Templates,
    targets: &[Target],
    sink: Option<Sink<'_>>,
) -> Result<Vec<Made>, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let mut clock = crate::progress::StageClock::new();
    let mut g = Globals::new(site);
    g.many_buckets = targets.iter().filter(|t| matches!(t, Target::Previews(_))).count() > 4;
    clock.lap("globals");
    let results: Vec<Result<Made, Diagnostic>> = targets
        .par_iter()
        .map(|&target| {
            let v = View::new(site);
            let mut outputs = render_target(&v, t, &g, target)?;
            let mut sunk = Vec::new();
            if let Some(put) = sink {
                outputs.iter().try_for_each(put)?;
                sunk = outputs.drain(..).map(|o| o.path).collect();
            }
            Ok(Made { target, outputs, sunk, reads: v.into_reads() })
        })
        .inspect(|_| crate::progress::step())
        .collect();
    let mut made = Vec::with_capacity(results.len());
    let mut errors: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(m) => made.push(m),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        // One template bug fails every page alike: report each distinct message once.
        errors.dedup_by(|a, b| {
            a.file == b.file
                && a.line == b.line
                && a.message.split(" (while").next() == b.message.split(" (while").next()
        });
        return Err(errors);
    }
    Ok(made)
}

/// Renders one target; what it read is left in `v`.
pub fn render_target(v: &View<'_>, t: &Templates, g: &Globals, target: Target) -> Result<Vec<Output>, Diagnostic> {
    // A page or section that introduces a taxonomy page renders as that
    // page, so an edit to it (which re-renders its own target) updates it.
    let one = |o: Result<Output, Diagnostic>| o.map(|o| vec![o]);
    match target {
        Target::Page(i) => match v.term_introduced_by(i) {
            Some((tax, term)) => render_term(v, t, g, tax, term),
            None => one(render_page(v, t, g, i)),
        },
        Target::Section(i) => match v.taxonomy_introduced_by(i) {
            Some(tax) => one(render_taxonomy(v, t, g, tax)),
            None => render_section(v, t, g, i),
        },
        Target::Taxonomy(i) => one(render_taxonomy(v, t, g, i)),
        Target::Term(i, j) => render_term(v, t, g, i, j),
        Target::NotFound => one(render_404(v, t, g)),
        Target::Search if t.has("search.html") => one(render_search_page(v, t, g)),
        Target::Search => Ok(vec![]),
        Target::Sitemap => Ok(vec![feeds::sitemap(v)]),
        Target::Atom => Ok(vec![feeds::atom(v)]),
        Target::Robots => Ok(vec![feeds::robots(v)]),
        Target::Aliases => Ok(feeds::aliases(v)),
        Target::Previews(b) => {
            // Many buckets: sort every record into its bucket once; a few: one pass each.
            let one;
            let members = if g.many_buckets {
                let buckets = g.buckets.get_or_init(|| previews::all_members(v.site));
                buckets.get(b as usize).map_or(&[][..], Vec::as_slice)
            } else {
                one = previews::members(v.site, b);
                &one[..]
            };
            Ok(previews::bucket(v, members, b).into_iter().collect())
        }
        Target::References => references::render_references(v, t, g),
        Target::Reference(i) => references::render_reference(v, t, g, i),
        Target::HighlightCss => {
            let md = &v.config().markdown;
            let css = crate::highlight::stylesheet(&md.highlight_theme, &md.highlight_theme_dark);
            Ok(vec![Output::new("highlight.css", css)])
        }
    }
}

/// The taxonomy term page that page `i` introduces, if any.
/// Terms are sorted by slug, so this is a lookup, not a scan.
pub fn term_introduced_by(site: &Site, i: usize) -> Option<(usize, usize)> {
    let url = &site.pages[i].url;
    site.taxonomies.iter().enumerate().find_map(|(t, tax)| {
        let slug = url.strip_prefix(&tax.url)?.strip_suffix('/')?;
        let j = tax.terms.binary_search_by(|term| term.slug.as_str().cmp(slug)).ok()?;
        (tax.terms[j].intro == Some(i)).then_some((t, j))
    })
}

/// The taxonomy list that section `i` introduces, if any.
pub fn taxonomy_introduced_by(site: &Site, i: usize) -> Option<usize> {
    site.taxonomies.iter().position(|tax| tax.intro == Some(i))
}

/// The title and body a content file gives a taxonomy page.
#[derive(serde::Serialize)]
struct Intro {
    title: String,
    content: String,
}

fn intro_of(doc: &crate::parse::Doc, rendered: &crate::markdown::Rendered) -> Intro {
    Intro { title: doc.title(), content: rendered.html.to_string() }
}

/// Shared, precomputed parts of every template context.
pub struct Globals {
    pub site: tera::Value,
    /// The section tree without page lists; each output fills in its own path.
    nav: Vec<NavEntry>,
    /// Top-level sections the tree leaves out.
    nav_more: usize,
    /// What each preview bucket holds (found when a bucket is first rendered).
    buckets: std::sync::OnceLock<Vec<Vec<previews::Item>>>,
    /// This render has enough buckets to do that rather than a pass per bucket.
    many_buckets: bool,
    /// The site's home URL, where the nav's home link marks itself current.
    home: String,
    /// The nav partial's renderings shared between outputs.
    navs: nav_html::NavHtml,
}

impl Globals {
    pub fn new(site: &Site) -> Globals {
        let cx = site_context(site);
        let nav = cx.nav.clone();
        // The home page lists every top-level section; the tree shows the first ones.
        let nav_more = context::listed_children(site, 0).len() - nav.len();
        Globals {
            site: tera::to_value(cx).expect("site context serialises"),
            nav,
            nav_more,
            buckets: Default::default(),
            many_buckets: false,
            home: site.config.base_path.clone(),
            navs: Default::default(),
        }
    }
}

/// Where an output sits, for its nav: the section the tree opens on the way
/// to, the output's URL as templates see it (empty for a page of no place,
/// like the 404 page), and the source its errors name.
pub struct Place<'p> {
    pub section: Option<usize>,
    pub here: &'p str,
    pub file: &'p std::path::Path,
}

/// A context with `site`, the nav parts for `place` ([`Globals::context`])
/// and the output's own value under `key`.
fn context_with<T: Serialize>(
    v: &View<'_>,
    t: &Templates,
    globals: &Globals,
    place: &Place<'_>,
    key: &str,
    value: &T,
) -> Result<tera::Context, Diagnostic> {
    let mut cx = globals.context(v, t, place)?;
    cx.insert(key, value);
    Ok(cx)
}

impl Globals {
    /// A context holding `site`, `nav` and `nav_more` (the section tree with
    /// page lists on the way to `place`), `nav_home_current`, and
    /// `nav_html`, the theme's nav partial rendered from those alone.
    fn context(&self, v: &View<'_>, t: &Templates, place: &Place<'_>) -> Result<tera::Context, Diagnostic> {
        v.site_context();
        let nav = nav_for(v, &self.nav, place.section, place.here);
        // An entry nav_for put back at the top is one fewer "more".
        let nav_more = (self.nav_more + self.nav.len()).saturating_sub(nav.len());
        let home = place.here == self.home;
        let mut cx = tera::Context::new();
        cx.insert("site", &self.site);
        cx.insert("nav", &nav);
        cx.insert("nav_more", &nav_more);
        cx.insert("nav_home_current", &home);
        if t.has(nav_html::PARTIAL) {
            let html = self.navs.html(t, &self.site, nav_html::NavOf { nav, nav_more, home }, place.file)?;
            cx.insert("nav_html", &*html);
        }
        Ok(cx)
    }
}

/// The output for a URL. Front matter paths are checked when parsed, so a
/// URL that could leave the output folder is an internal error, never a
/// silent fallback to some other file.
fn html_output(url: &str, html: String, source: &std::path::Path) -> Result<Output, Diagnostic> {
    match crate::urls::output_file(url) {
        Some(path) => Ok(Output::new(path, html)),
        None => Err(Diagnostic::error(source, format!("URL `/{url}` does not name a file inside the output folder"))),
    }
}

pub fn render_page(v: &View<'_>, t: &Templates, g: &Globals, i: usize) -> Result<Output, Diagnostic> {
    let page = v.page(i);
    let name = match t.pick(&page.doc, "template", page.doc.fm.template.as_deref())? {
        Some(name) => name,
        None => {
            let (section, wanted) = v.page_template(page.section);
            t.pick(section, "page_template", wanted)?.unwrap_or("page.html")
        }
    };
    let here = v.site.full_url(&page.url);
    let place = Place { section: Some(page.section), here: &here, file: &page.doc.file };
    let cx = context_with(v, t, g, &place, "page", &page_context(v, i))?;
    let html = t.render(name, &cx, &page.doc.file)?;
    html_output(&page.url, html, &page.doc.file)
}

/// A section's page, and when it is paginated its further pagers
/// (`/section/page/2/`) and the redirect from `/section/page/1/` to itself;
/// with `generate_feeds = true`, its feed (`/section/atom.xml`).
pub fn render_section(v: &View<'_>, t: &Templates, g: &Globals, i: usize) -> Result<Vec<Output>, Diagnostic> {
    let section = v.section(i);
    if let Some(target) = &section.doc.fm.redirect_to {
        // Front matter checked the scheme; one with a scheme is absolute, the rest are site paths.
        let absolute = crate::urls::scheme_of(target).is_some();
        let to = if absolute { target.clone() } else { v.full_url(target.trim_start_matches('/')) };
        return Ok(vec![html_output(&section.url, feeds::redirect_html(&to), &section.doc.file)?]);
    }
    let feed = (section.doc.fm.generate_feeds == Some(true)).then(|| {
        let pages = v.section_pages(i).to_vec();
        (section.doc.title(), feeds::feed_path(&section.url), pages)
    });
    let default = if i == 0 { "index.html" } else { "section.html" };
    let name = t.pick(&section.doc, "template", section.doc.fm.template.as_deref())?.unwrap_or(default);
    let here = v.site.full_url(&section.url);
    let place = Place { section: Some(i), here: &here, file: &section.doc.file };
    let mut base = context_with(v, t, g, &place, "section", &section_context(v, i, true))?;
    if let Some((title, path, _)) = &feed {
        base.insert("feed", &LinkRef { title: title.clone(), url: v.full_url(path) });
    }
    let file = &section.doc.file;
    let mut outputs = match pager::section_listing(v, i) {
        None => vec![html_output(&section.url, t.render(name, &base, file)?, file)?],
        Some(listing) => {
            // As in Zola, a paginated section's pages are in `paginator.pages`.
            let mut base = base;
            base.insert("section", &section_context(v, i, false));
            pagers(v, &listing, |cx| t.render(name, cx, file), &base, file)?
        }
    };
    if let Some((title, path, pages)) = feed {
        outputs.push(feeds::feed(v, &feeds::FeedOf { title: &title, path, home: &section.url, pages }));
    }
    Ok(outputs)
}

/// A listing's pagers, each `base` with its `paginator` rendered by
/// `render`, and `<path>/1/` redirecting to the listing (as Zola writes it).
fn pagers(
    v: &View<'_>,
    listing: &pager::Listing<'_>,
    render: impl Fn(&tera::Context) -> Result<String, Diagnostic>,
    base: &tera::Context,
    file: &std::path::Path,
) -> Result<Vec<Output>, Diagnostic> {
    let count = listing.count();
    let mut outputs = Vec::with_capacity(count + 1);
    for n in 1..=count {
        let mut cx = base.clone();
        cx.insert("paginator", &pager::paginator(v, listing, n));
        outputs.push(html_output(&listing.url_of(n), render(&cx)?, file)?);
    }
    let redirect = feeds::redirect_html(&v.full_url(listing.url));
    outputs.push(html_output(&format!("{}{}/1/", listing.url, listing.paging.path), redirect, file)?);
    Ok(outputs)
}

pub fn render_taxonomy(v: &View<'_>, t: &Templates, g: &Globals, i: usize) -> Result<Output, Diagnostic> {
    let tax = v.taxonomy(i);
    let file = PathBuf::from(format!("(taxonomy {})", tax.name));
    let place = Place { section: None, here: "", file: &file };
    let mut cx = context_with(v, t, g, &place, "taxonomy", &taxonomy_context(v.site, tax))?;
    if let Some(s) = tax.intro {
        let intro = v.section(s);
        cx.insert("intro", &intro_of(&intro.doc, &intro.rendered));
    }
    let html = t.render("taxonomy_list.html", &cx, &file)?;
    html_output(&tax.url, html, std::path::Path::new("site.toml"))
}

/// A term's page and, when its taxonomy has `feed = true`, its feed (`/tags/x/atom.xml`).
pub fn render_term(v: &View<'_>, t: &Templates, g: &Globals, i: usize, j: usize) -> Result<Vec<Output>, Diagnostic> {
    let tax = &v.site.taxonomies[i];
    let term = v.term(i, j);
    let name = PathBuf::from(format!("(taxonomy {} term {})", tax.name, term.name));
    let here = v.site.full_url(&term.url);
    let mut cx =
        context_with(v, t, g, &Place { section: None, here: &here, file: &name }, "term", &term_ref(v.site, term))?;
    cx.insert("taxonomy", &LinkRef { title: tax.name.clone(), url: v.full_url(&tax.url) });
    let pages: Vec<PageSummary<'_>> = term.pages.iter().map(|&p| v.page_summary(p)).collect();
    cx.insert("pages", &pages);
    if let Some(p) = term.intro {
        let intro = v.page(p);
        cx.insert("intro", &intro_of(&intro.doc, &intro.rendered));
    }
    let feed = v.config().feed_taxonomies.contains(&tax.name).then(|| feeds::feed_path(&term.url));
    if let Some(path) = &feed {
        cx.insert("feed", &LinkRef { title: term.name.clone(), url: v.full_url(path) });
    }
    let render = |cx: &tera::Context| t.render("taxonomy_term.html", cx, &name);
    let config = std::path::Path::new("site.toml");
    let mut outputs = match pager::term_listing(v, i, j) {
        None => vec![html_output(&term.url, render(&cx)?, config)?],
        Some(listing) => pagers(v, &listing, render, &cx, config)?,
    };
    if let Some(path) = feed {
        let title = format!("{}: {}", tax.name, term.name);
        outputs
            .push(feeds::feed(v, &feeds::FeedOf { title: &title, path, home: &term.url, pages: term.pages.clone() }));
    }
    Ok(outputs)
}

pub fn render_404(v: &View<'_>, t: &Templates, g: &Globals) -> Result<Output, Diagnostic> {
    let file = PathBuf::from("(404 page)");
    let html = t.render("404.html", &g.context(v, t, &Place { section: None, here: "", file: &file })?, &file)?;
    Ok(Output::new("404.html", html))
}

/// The search results page (`/search/`), filled in the browser from `?q=`.
pub fn render_search_page(v: &View<'_>, t: &Templates, g: &Globals) -> Result<Output, Diagnostic> {
    let file = PathBuf::from("(search page)");
    let html = t.render("search.html", &g.context(v, t, &Place { section: None, here: "", file: &file })?, &file)?;
    Ok(Output::new("search/index.html", html))
}
