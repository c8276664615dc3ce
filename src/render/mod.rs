//! Rendering: tera templates applied to typed contexts, one output at a time.
//!
//! Each output is a plain function of the site model and the templates
//! ([`render_page`], [`render_section`], ...), so a rebuild can re-render any
//! single output. Template errors name the template file, its line where tera
//! knows it, and the page being rendered.

pub mod context;
pub mod feeds;
pub mod previews;
pub mod recursion;
pub mod templates;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use context::*;
use serde::Serialize;
use std::path::PathBuf;
pub use templates::Templates;

/// One file of the built site: where it goes and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder.
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output { path: path.into(), bytes: bytes.into() }
    }
}

/// One templated output, named by what it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Page(usize),
    Section(usize),
    Taxonomy(usize),
    Term(usize, usize),
    NotFound,
    /// The search results page, when the theme has `search.html`.
    Search,
}

/// Every templated output of the site.
pub fn all_targets(site: &Site) -> Vec<Target> {
    let mut targets: Vec<Target> =
        (0..site.pages.len()).filter(|&i| term_introduced_by(site, i).is_none()).map(Target::Page).collect();
    let listed = |i: usize| !site.sections[i].folder_note && taxonomy_introduced_by(site, i).is_none();
    targets.extend((0..site.sections.len()).filter(|&i| listed(i)).map(Target::Section));
    for (i, tax) in site.taxonomies.iter().enumerate() {
        targets.push(Target::Taxonomy(i));
        targets.extend((0..tax.terms.len()).map(|j| Target::Term(i, j)));
    }
    targets.push(Target::NotFound);
    targets.push(Target::Search);
    targets
}

/// The file a target is written to (`None` for a redirect page's odd URL).
pub fn target_file(site: &Site, target: Target) -> Option<PathBuf> {
    let url = match target {
        Target::Page(i) => &site.pages[i].url,
        Target::Section(i) => &site.sections[i].url,
        Target::Taxonomy(i) => &site.taxonomies[i].url,
        Target::Term(i, j) => &site.taxonomies[i].terms[j].url,
        Target::NotFound => return Some(PathBuf::from("404.html")),
        Target::Search => return Some(PathBuf::from("search/index.html")),
    };
    crate::urls::output_file(url)
}

pub fn render_target(site: &Site, t: &Templates, g: &Globals, target: Target) -> Result<Output, Diagnostic> {
    // A page or section that introduces a taxonomy page renders as that
    // page, so an edit to it (which re-renders its own target) updates it.
    match target {
        Target::Page(i) => match term_introduced_by(site, i) {
            Some((tax, term)) => render_term(site, t, g, tax, term),
            None => render_page(site, t, g, i),
        },
        Target::Section(i) => match taxonomy_introduced_by(site, i) {
            Some(tax) => render_taxonomy(site, t, g, tax),
            None => render_section(site, t, g, i),
        },
        Target::Taxonomy(i) => render_taxonomy(site, t, g, i),
        Target::Term(i, j) => render_term(site, t, g, i, j),
        Target::NotFound => render_404(t, g),
        Target::Search => render_search_page(t, g),
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
    Intro { title: doc.title(), content: rendered.html.clone() }
}

/// Shared, precomputed parts of every template context.
pub struct Globals {
    pub site: tera::Value,
    /// The section tree without page lists; each output fills in its own path.
    nav: Vec<NavEntry>,
    /// Top-level sections the tree leaves out.
    nav_more: usize,
}

impl Globals {
    pub fn new(site: &Site) -> Globals {
        let cx = site_context(site);
        let nav = cx.nav.clone();
        // The home page lists every top-level section; the tree shows the first ones.
        let nav_more = context::listed_children(site, 0).len() - nav.len();
        Globals { site: tera::to_value(cx).expect("site context serialises"), nav, nav_more }
    }
}

/// A context with `site`, the output's own value under `key`, and `nav`: the
/// section tree with page lists for the sections on the way to `section`.
fn context_with<T: Serialize>(
    site: &Site,
    globals: &Globals,
    section: Option<usize>,
    key: &str,
    value: &T,
) -> tera::Context {
    let mut cx = tera::Context::new();
    cx.insert("site", &globals.site);
    let nav = nav_for(site, &globals.nav, section);
    // An entry nav_for put back at the top is one fewer "more".
    cx.insert("nav_more", &(globals.nav_more + globals.nav.len()).saturating_sub(nav.len()));
    cx.insert("nav", &nav);
    cx.insert(key, value);
    cx
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

pub fn render_page(site: &Site, t: &Templates, g: &Globals, i: usize) -> Result<Output, Diagnostic> {
    let page = &site.pages[i];
    let section = &site.sections[page.section];
    let name = match t.pick(&page.doc, "template", page.doc.fm.template.as_deref())? {
        Some(name) => name,
        None => t.pick(&section.doc, "page_template", section.doc.fm.page_template.as_deref())?.unwrap_or("page.html"),
    };
    let cx = context_with(site, g, Some(page.section), "page", &page_context(site, i));
    let html = t.render(name, &cx, &page.doc.file)?;
    html_output(&page.url, html, &page.doc.file)
}

pub fn render_section(site: &Site, t: &Templates, g: &Globals, i: usize) -> Result<Output, Diagnostic> {
    let section = &site.sections[i];
    if let Some(target) = &section.doc.fm.redirect_to {
        // Front matter checked the scheme; one with a scheme is absolute, the rest are site paths.
        let absolute = crate::urls::scheme_of(target).is_some();
        let to = if absolute { target.clone() } else { site.full_url(target.trim_start_matches('/')) };
        return html_output(&section.url, feeds::redirect_html(&to), &section.doc.file);
    }
    let default = if i == 0 { "index.html" } else { "section.html" };
    let name = t.pick(&section.doc, "template", section.doc.fm.template.as_deref())?.unwrap_or(default);
    let cx = context_with(site, g, Some(i), "section", &section_context(site, i));
    let html = t.render(name, &cx, &section.doc.file)?;
    html_output(&section.url, html, &section.doc.file)
}

pub fn render_taxonomy(site: &Site, t: &Templates, g: &Globals, i: usize) -> Result<Output, Diagnostic> {
    let tax = &site.taxonomies[i];
    let mut cx = context_with(site, g, None, "taxonomy", &taxonomy_context(site, tax));
    if let Some(s) = tax.intro {
        cx.insert("intro", &intro_of(&site.sections[s].doc, &site.sections[s].rendered));
    }
    let html = t.render("taxonomy_list.html", &cx, &PathBuf::from(format!("(taxonomy {})", tax.name)))?;
    html_output(&tax.url, html, std::path::Path::new("site.toml"))
}

pub fn render_term(site: &Site, t: &Templates, g: &Globals, i: usize, j: usize) -> Result<Output, Diagnostic> {
    let tax = &site.taxonomies[i];
    let term = &tax.terms[j];
    let mut cx = context_with(site, g, None, "term", &term_ref(site, term));
    cx.insert("taxonomy", &LinkRef { title: tax.name.clone(), url: site.full_url(&tax.url) });
    let pages: Vec<PageSummary<'_>> = term.pages.iter().map(|&p| page_summary(site, p)).collect();
    cx.insert("pages", &pages);
    if let Some(p) = term.intro {
        cx.insert("intro", &intro_of(&site.pages[p].doc, &site.pages[p].rendered));
    }
    let html =
        t.render("taxonomy_term.html", &cx, &PathBuf::from(format!("(taxonomy {} term {})", tax.name, term.name)))?;
    html_output(&term.url, html, std::path::Path::new("site.toml"))
}

pub fn render_404(t: &Templates, g: &Globals) -> Result<Output, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("site", &g.site);
    cx.insert("nav", &g.nav);
    cx.insert("nav_more", &g.nav_more);
    let html = t.render("404.html", &cx, &PathBuf::from("(404 page)"))?;
    Ok(Output::new("404.html", html))
}

/// The search results page (`/search/`), filled in the browser from `?q=`.
pub fn render_search_page(t: &Templates, g: &Globals) -> Result<Output, Diagnostic> {
    let mut cx = tera::Context::new();
    cx.insert("site", &g.site);
    cx.insert("nav", &g.nav);
    cx.insert("nav_more", &g.nav_more);
    let html = t.render("search.html", &cx, &PathBuf::from("(search page)"))?;
    Ok(Output::new("search/index.html", html))
}
