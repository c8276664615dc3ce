//! The stages every command runs, wired once: load → parse → cascade →
//! layout → markdown → assembly, each a function of the one before. `build`, `check`
//! and `serve` compose them; `serve` passes the [`Memo`] of its last run so
//! a file that did not change is not parsed again, and markdown whose link
//! lookups all answer as before is not rendered again.

use crate::assembly::Renderings;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Report};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::load::{self, SourceKind};
use crate::markdown::links::{LinkTargets, WikiTarget};
use crate::markdown::{self, LeadH1, MarkdownContext, Rendered, Source};
use crate::model::{self, Layout, Site};
use crate::parse::{self, Doc};
use crate::progress::{self, StageClock};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A parsed and linked site, before templates.
pub struct Loaded {
    pub site: Site,
    pub files: Vec<load::SourceFile>,
    pub report: Report,
    /// What the next run may reuse.
    pub memo: Memo,
}

/// What a run parsed and rendered, for the next run to reuse.
#[derive(Default, Clone)]
pub struct Memo {
    docs: HashMap<PathBuf, Arc<Doc>>,
    markdown: HashMap<PathBuf, Rendering>,
    saved: Saved,
}

/// Renderings an earlier build saved (see `incremental::saved_markdown`),
/// by the doc's path: one is taken in place of rendering its doc again when
/// the doc's print is the same and every link lookup answers as before.
pub type SavedMap = HashMap<PathBuf, SavedRendering>;

/// A doc's rendering as an earlier build saved it.
pub struct SavedRendering {
    /// [`doc_print`] of the doc it was rendered from.
    pub print: u64,
    pub rendered: Arc<Rendered>,
    /// [`crate::prints::compact_print_of`] the rendering, as saved.
    pub rendered_print: u64,
    pub asked: Arc<[Asked]>,
}

/// Saved renderings, loaded on another thread and waited for only when
/// the markdown stage needs them.
#[derive(Default, Clone)]
pub struct Saved(Arc<Loading>);

#[derive(Default)]
struct Loading {
    done: std::sync::OnceLock<Found>,
    pending: Mutex<Option<std::thread::JoinHandle<Found>>>,
}

/// What loading saved renderings found: the renderings, and the files that
/// could not be used (missing or damaged; their docs render again).
pub type Found = (SavedMap, Vec<PathBuf>);

impl Saved {
    pub fn loading(handle: std::thread::JoinHandle<Found>) -> Saved {
        Saved(Arc::new(Loading { done: std::sync::OnceLock::new(), pending: Mutex::new(Some(handle)) }))
    }

    /// The renderings, once loaded.
    pub fn get(&self) -> &SavedMap {
        &self.loaded().0
    }

    /// The saved files that could not be used.
    pub fn unusable(&self) -> &[PathBuf] {
        &self.loaded().1
    }

    fn loaded(&self) -> &Found {
        self.0.done.get_or_init(|| {
            let handle = self.0.pending.lock().expect("not poisoned").take();
            handle.map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).unwrap_or_default()
        })
    }
}

/// A print of everything of a doc its markdown rendering reads (with the
/// settings, which a saved rendering is only used under when unchanged);
/// the engine's page stamps are made from it too.
pub fn doc_print(doc: &Doc) -> u64 {
    use crate::prints::{hash_of, print_of};
    let own = (&doc.rel, &doc.file, doc.kind, &doc.source, doc.body_offset, &doc.lead_h1);
    hash_of(&(hash_of(&own), print_of(&doc.fm)))
}

impl Memo {
    /// The prints of `rendered` when it is the saved rendering taken for
    /// `doc`: [`doc_print`] of the doc (it was taken only for a doc of the
    /// saved one's print) and the rendering's own, as saved, so neither is
    /// computed again.
    pub fn saved_prints(&self, doc: &Doc, rendered: &Arc<Rendered>) -> Option<(u64, u64)> {
        let saved = self.saved.get().get(&doc.rel)?;
        Arc::ptr_eq(&saved.rendered, rendered).then_some((saved.print, saved.rendered_print))
    }

    /// Takes the docs of `site` as the latest parse of their files (the
    /// engine patches docs edited in place into the site, not the memo).
    pub fn refresh(&mut self, site: &Site) {
        let sections = site.sections.iter().filter(|s| !s.implicit && !s.home);
        for doc in site.pages.iter().map(|p| &p.doc).chain(sections.map(|s| &s.doc)) {
            self.docs.insert(doc.rel.clone(), doc.clone());
        }
    }

    /// The section docs last parsed (whose cascades the next edit's doc receives).
    pub fn section_docs(&self) -> impl Iterator<Item = &Doc> {
        self.docs.values().map(|d| &**d).filter(|d| d.kind == SourceKind::Section)
    }

    /// Forgets the rendered markdown (the highlighter or markdown settings changed).
    pub fn forget_markdown(&mut self) {
        self.markdown.clear();
    }

    /// A memo of nothing but renderings an earlier build saved.
    pub fn of_saved(saved: Saved) -> Memo {
        Memo { saved, ..Memo::default() }
    }

    /// This run's renderings by doc path, and the saved ones it started from.
    pub fn renderings(&self) -> (impl Iterator<Item = SavedView<'_>>, &Saved) {
        (self.markdown.values().map(|r| SavedView { doc: &r.doc, rendered: &r.rendered, asked: &r.asked }), &self.saved)
    }
}

/// One of a run's renderings, for saving.
pub struct SavedView<'a> {
    pub doc: &'a Arc<Doc>,
    pub rendered: &'a Arc<Rendered>,
    pub asked: &'a Arc<[Asked]>,
}

/// One doc's markdown as rendered, with every link lookup it made.
#[derive(Clone)]
struct Rendering {
    doc: Arc<Doc>,
    rendered: Arc<Rendered>,
    asked: Arc<[Asked]>,
}

/// A question markdown asked the link index, with the answer it got.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Asked {
    Url(PathBuf, Option<String>),
    Wiki(String, WikiTarget),
    Draft(PathBuf, bool),
    Unparsed(PathBuf, bool),
    Asset(PathBuf, bool),
    Glossary(Vec<crate::markdown::glossary::GlossaryTerm>),
    Cite(String, Option<u64>),
    Shortcode(String, Option<u64>),
}

impl Asked {
    /// True when `targets` answers the question as it was answered then.
    fn holds(&self, targets: &dyn LinkTargets) -> bool {
        match self {
            Asked::Url(p, a) => targets.url_of(p) == *a,
            Asked::Wiki(n, a) => targets.wikilink(n) == *a,
            Asked::Draft(p, a) => targets.is_draft(p) == *a,
            Asked::Unparsed(p, a) => targets.is_unparsed(p) == *a,
            Asked::Asset(p, a) => targets.asset_exists(p) == *a,
            Asked::Glossary(a) => targets.glossary_terms() == *a,
            Asked::Cite(k, a) => targets.cite_print(k) == *a,
            Asked::Shortcode(n, a) => targets.shortcode_print(n) == *a,
        }
    }
}

/// The link index, noting every question asked of it.
struct Asking<'a> {
    targets: &'a dyn LinkTargets,
    asked: Mutex<Vec<Asked>>,
}

impl Asking<'_> {
    fn note<T: Clone>(&self, answer: T, question: impl FnOnce(T) -> Asked) -> T {
        self.asked.lock().expect("not poisoned").push(question(answer.clone()));
        answer
    }
}

impl LinkTargets for Asking<'_> {
    fn url_of(&self, rel: &Path) -> Option<String> {
        self.note(self.targets.url_of(rel), |a| Asked::Url(rel.to_path_buf(), a))
    }
    fn base_path(&self) -> &str {
        self.targets.base_path()
    }
    fn wikilink(&self, name: &str) -> WikiTarget {
        self.note(self.targets.wikilink(name), |a| Asked::Wiki(name.to_string(), a))
    }
    fn is_draft(&self, rel: &Path) -> bool {
        self.note(self.targets.is_draft(rel), |a| Asked::Draft(rel.to_path_buf(), a))
    }
    fn is_unparsed(&self, rel: &Path) -> bool {
        self.note(self.targets.is_unparsed(rel), |a| Asked::Unparsed(rel.to_path_buf(), a))
    }
    fn asset_exists(&self, rel: &Path) -> bool {
        self.note(self.targets.asset_exists(rel), |a| Asked::Asset(rel.to_path_buf(), a))
    }
    fn glossary_terms(&self) -> Vec<crate::markdown::glossary::GlossaryTerm> {
        self.note(self.targets.glossary_terms(), Asked::Glossary)
    }
    fn bibliography(&self) -> Option<&crate::citations::Bibliography> {
        self.targets.bibliography()
    }
    fn cite_print(&self, key: &str) -> Option<u64> {
        self.note(self.targets.cite_print(key), |a| Asked::Cite(key.to_string(), a))
    }
    fn shortcode_print(&self, name: &str) -> Option<u64> {
        self.note(self.targets.shortcode_print(name), |a| Asked::Shortcode(name.to_string(), a))
    }
}

/// config → load → parse → cascade → layout → markdown → assembly (tags,
/// taxonomies, graph, citations). A content error does
/// not stop it: a file that fails to parse is left out and the rest go on,
/// so one run reports every problem of every stage. A file for which
/// `changed` is false is taken from `memo` when it holds it.
pub fn collect_site(
    config: Config,
    drafts: bool,
    highlighter: &Highlighter,
    memo: &Memo,
    changed: &(dyn Fn(&Path) -> bool + Sync),
) -> Loaded {
    let mut report = Report::default();
    let mut clock = StageClock::new();
    progress::stage("discover", 0);
    let (exclusions, warnings) = load::Exclusions::of(&config.root, &config.ignore);
    report.extend(warnings);
    let (files, warnings) = load::discover(&config.root, &config.content_dir(), &exclusions);
    report.extend(warnings);
    clock.lap("discover");
    progress::stage("parse", files.iter().filter(|f| f.kind != SourceKind::Asset).count());
    let reuse = |f: &load::SourceFile| memo.docs.get(&f.rel).filter(|_| !changed(&f.rel)).cloned();
    let typos = crate::frontmatter::Typos::strict(config.strict_front_matter);
    let (docs, errors) = parse_all(&files, typos, &reuse);
    report.extend(errors);
    let (docs, errors) = crate::cascade::apply(docs, typos);
    report.extend(errors);
    clock.lap("parse");
    progress::stage("layout", 0);
    let next_docs: HashMap<PathBuf, Arc<Doc>> = docs.iter().map(|d| (d.rel.clone(), d.clone())).collect();
    let parsed: HashSet<&Path> = docs.iter().map(|d| d.rel.as_path()).collect();
    let unparsed = files.iter().filter(|f| f.kind != SourceKind::Asset && !parsed.contains(f.rel.as_path()));
    let unparsed = unparsed.map(|f| f.rel.clone()).collect();
    let assets: Vec<PathBuf> = files.iter().filter(|f| f.kind == SourceKind::Asset).map(|f| f.rel.clone()).collect();
    let bibliography = load_bibliography(&config, &mut report);
    let shortcodes = Arc::new(crate::shortcodes::Registry::for_site(&config));
    let sources = model::Sources { docs, unparsed, assets: &assets, bibliography, shortcodes };
    let (layout, errors) = model::arrange(config, sources, drafts);
    report.extend(errors);
    clock.lap("model");
    progress::stage("markdown", layout.pages.len() + layout.sections.len());
    let (diagnostics, rendered, markdown) = render_markdown(&layout, highlighter, &memo.markdown, &memo.saved);
    report.extend(diagnostics);
    clock.lap("markdown");
    progress::stage("assembly", 0);
    let site = crate::assembly::assemble(layout, rendered);
    clock.lap("assembly");
    Loaded { site, files, report, memo: Memo { docs: next_docs, markdown, saved: memo.saved.clone() } }
}

/// The bibliography site.toml names (its error, if it does not load, in `report`).
fn load_bibliography(config: &Config, report: &mut Report) -> Option<Arc<crate::citations::Bibliography>> {
    let file = config.bibliography.as_ref()?;
    match crate::citations::Bibliography::load(&config.root, file, &config.citation_style) {
        Ok(bib) => Some(Arc::new(bib)),
        Err(d) => {
            report.push(d);
            None
        }
    }
}

/// Parses every markdown file in parallel (or takes it from `reuse`); a
/// panic in one file is that file's error.
pub fn parse_all(
    files: &[load::SourceFile],
    typos: crate::frontmatter::Typos,
    reuse: &(dyn Fn(&load::SourceFile) -> Option<Arc<Doc>> + Sync),
) -> (Vec<Arc<Doc>>, Vec<Diagnostic>) {
    let results: Vec<Result<Arc<Doc>, Vec<Diagnostic>>> = files
        .par_iter()
        .filter(|f| f.kind != SourceKind::Asset)
        .map(|f| match reuse(f) {
            Some(doc) => Ok(doc),
            None => isolate(&Path::new("content").join(&f.rel), || {
                inject_test_panic(&f.rel);
                parse::parse_file(f, typos).map(Arc::new)
            })
            .unwrap_or_else(|d| Err(vec![d])),
        })
        .inspect(|_| progress::step())
        .collect();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(doc) => {
                errors.extend(doc.warnings.iter().cloned());
                docs.push(doc)
            }
            Err(e) => errors.extend(e),
        }
    }
    (docs, errors)
}

/// Renders every page's and section's markdown in parallel (reusing what
/// `memo` holds where every link lookup still answers the same) and
/// expands embeds.
fn render_markdown(
    layout: &Layout,
    highlighter: &Highlighter,
    memo: &HashMap<PathBuf, Rendering>,
    saved: &Saved,
) -> (Vec<Diagnostic>, Renderings, HashMap<PathBuf, Rendering>) {
    let targets = layout.targets();
    let docs: Vec<&Arc<Doc>> =
        layout.pages.iter().map(|p| &p.doc).chain(layout.sections.iter().map(|s| &s.doc)).collect();
    let saved = saved.get();
    let holds = |asked: &[Asked]| asked.iter().all(|q| q.holds(&targets));
    let renderings: Vec<Rendering> = docs
        .par_iter()
        .map(|&doc| match (memo.get(&doc.rel), saved.get(&doc.rel)) {
            (Some(r), _) if Arc::ptr_eq(&r.doc, doc) && holds(&r.asked) => r.clone(),
            (_, Some(s)) if s.print == doc_print(doc) && holds(&s.asked) => {
                Rendering { doc: doc.clone(), rendered: s.rendered.clone(), asked: s.asked.clone() }
            }
            _ => render_one(layout, highlighter, doc),
        })
        .inspect(|_| progress::step())
        .collect();
    let mut diagnostics = findings(renderings.iter().map(|r| &*r.rendered));
    let mut pages: Vec<Arc<Rendered>> = renderings.iter().map(|r| r.rendered.clone()).collect();
    let sections = pages.split_off(layout.pages.len());
    let mut rendered = Renderings { pages, sections };
    if renderings.iter().any(|r| !r.rendered.embeds.is_empty()) {
        let pages = layout.pages.iter().map(|p| (&*p.doc, p.url.as_str())).zip(&mut rendered.pages);
        let sections = layout.sections.iter().map(|s| (&*s.doc, s.url.as_str())).zip(&mut rendered.sections);
        let notes = pages.chain(sections).map(|((doc, url), r)| (doc, url, r)).collect();
        diagnostics.extend(expand_embeds(&layout.config.base_path, notes));
    }
    let next = renderings.into_iter().map(|r| (r.doc.rel.clone(), r)).collect();
    (diagnostics, rendered, next)
}

/// Every rendering's own findings, then those reported once per site.
fn findings<'a>(rendered: impl Iterator<Item = &'a Rendered> + Clone) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut once = BTreeMap::new();
    for r in rendered.clone() {
        diagnostics.extend(r.diagnostics.iter().cloned());
        keep_first(&mut once, r.once.iter().cloned());
    }
    diagnostics.extend(once.into_values());
    diagnostics.extend(markdown::foreign_warnings(rendered));
    diagnostics
}

/// One doc's markdown rendered against the layout's link index.
fn render_one(layout: &Layout, highlighter: &Highlighter, doc: &Arc<Doc>) -> Rendering {
    inject_test_delay();
    let targets = layout.targets();
    let asking = Asking { targets: &targets, asked: Mutex::new(Vec::new()) };
    let rendered = render_doc(&layout.config, &layout.links.shortcodes, highlighter, &asking, doc);
    let asked = asking.asked.into_inner().expect("not poisoned").into();
    Rendering { doc: doc.clone(), rendered: Arc::new(rendered), asked }
}

/// The markdown of one doc, with its properties block.
pub fn render_doc(
    config: &Config,
    shortcodes: &crate::shortcodes::Registry,
    highlighter: &Highlighter,
    targets: &dyn LinkTargets,
    doc: &Doc,
) -> Rendered {
    let c = &config.markdown;
    let cx = MarkdownContext {
        highlighter,
        targets,
        smart_punctuation: c.smart_punctuation,
        highlight_code: c.highlight_code,
        unsafe_html: c.unsafe_html,
        external_links_new_tab: c.external_links_new_tab,
        strict_links: config.strict_links,
        shortcodes,
    };
    let dir = doc.rel.parent().map(Path::to_path_buf).unwrap_or_default();
    let lead_h1 = if doc.lead_h1_is_title() { LeadH1::Hide } else { LeadH1::Show };
    let title = doc.title();
    let src =
        Source { file: &doc.file, dir: &dir, text: &doc.source, body_offset: doc.body_offset, lead_h1, title: &title };
    let render = || {
        let mut rendered = markdown::render(&src, &cx);
        markdown::properties::add(&mut rendered, &doc.fm.properties, &src, &cx);
        if let Some(summary) = doc.fm.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            rendered.summary_html = markdown::front_matter_summary(summary, &cx);
        }
        rendered
    };
    isolate(&doc.file, render).unwrap_or_else(|d| Rendered { diagnostics: vec![d], ..Rendered::default() })
}

/// The incremental engine's markdown stage: renders some pages' and
/// sections' markdown again, in place (after an edit to one doc that leaves
/// the site's shape as it was), expands their embeds and adopts their
/// inline tags. Nothing changes when any is an error.
pub fn rerender_markdown(
    site: &mut Site,
    highlighter: &Highlighter,
    pages: &BTreeSet<usize>,
    sections: &BTreeSet<usize>,
) -> std::result::Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let targets = site.targets();
    let render = |doc: &Arc<Doc>| render_doc(&site.config, &site.links.shortcodes, highlighter, &targets, doc);
    let new_pages: Vec<(usize, Rendered)> = pages.par_iter().map(|&i| (i, render(&site.pages[i].doc))).collect();
    let new_sections: Vec<(usize, Rendered)> =
        sections.par_iter().map(|&i| (i, render(&site.sections[i].doc))).collect();
    let mut diagnostics = findings(new_pages.iter().chain(&new_sections).map(|(_, r)| r));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    for (i, r) in new_pages {
        site.pages[i].rendered = Arc::new(r);
    }
    for (i, r) in new_sections {
        site.sections[i].rendered = Arc::new(r);
    }
    let embeds = pages.iter().any(|&i| !site.pages[i].rendered.embeds.is_empty())
        || sections.iter().any(|&i| !site.sections[i].rendered.embeds.is_empty());
    if embeds {
        let pages = site.pages.iter_mut().map(|p| (&*p.doc, p.url.as_str(), &mut p.rendered));
        let sections = site.sections.iter_mut().map(|s| (&*s.doc, s.url.as_str(), &mut s.rendered));
        diagnostics.extend(expand_embeds(&site.config.base_path, pages.chain(sections).collect()));
    }
    crate::assembly::adopt_inline_tags(site, pages);
    Ok(diagnostics)
}

/// Keeps, for each key, the finding that comes first in the site (by file, line, column).
fn keep_first(once: &mut BTreeMap<String, Diagnostic>, found: impl Iterator<Item = (String, Diagnostic)>) {
    for (key, d) in found {
        let earlier = |old: &Diagnostic| (&old.file, old.line, old.col) <= (&d.file, d.line, d.col);
        if !once.get(&key).is_some_and(earlier) {
            once.insert(key, d);
        }
    }
}

/// A rendered note, as embeds see it: its doc, its URL and its markdown.
type Note<'a> = (&'a Doc, &'a str, &'a mut Arc<Rendered>);

/// Replaces embed markers with the embedded notes, now that all are rendered.
fn expand_embeds(base_path: &str, mut notes: Vec<Note<'_>>) -> Vec<Diagnostic> {
    let docs: Vec<markdown::embeds::Doc<'_>> = notes
        .iter()
        .map(|(doc, url, rendered)| markdown::embeds::Doc {
            rel: &doc.rel,
            file: &doc.file,
            source: &doc.source,
            url: format!("{base_path}{url}"),
            title: doc.title(),
            rendered,
        })
        .collect();
    let (expanded, diagnostics) = markdown::embeds::expand_all(&docs);
    drop(docs);
    for (doc, _, rendered) in &mut notes {
        if let Some(html) = expanded.get(&doc.rel) {
            let r = Arc::make_mut(rendered);
            r.html = html.clone().into();
            r.summary_html = strip_markers(&r.summary_html);
        }
    }
    diagnostics
}

fn strip_markers(html: &str) -> String {
    html.split('\u{FFFC}').enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, s)| s).collect()
}

/// Debug builds only: panics while parsing the file named by
/// `RAPPORT_TEST_PANIC`, so tests can prove a panic stays inside one page.
fn inject_test_panic(rel: &Path) {
    #[cfg(debug_assertions)]
    if std::env::var_os("RAPPORT_TEST_PANIC").is_some_and(|name| rel.ends_with(name)) {
        panic!("injected test panic");
    }
    let _ = rel;
}

/// Debug builds only: sleeps `RAPPORT_TEST_SLOW_MS` milliseconds per doc's
/// markdown, so tests can make a build outlast the progress bar's delay.
fn inject_test_delay() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("RAPPORT_TEST_SLOW_MS").ok().and_then(|ms| ms.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Runs `f`, turning a panic into an error naming `file`.
pub fn isolate<T>(file: &Path, f: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Diagnostic::error(file, format!("internal error while processing this file (please report it): {what}"))
    })
}

/// Turns a report holding errors into the error that stops a build.
pub fn fail_on_errors(report: &mut Report) -> Result<()> {
    if report.has_errors() {
        report.sort();
        return Err(Error::Site(std::mem::take(&mut report.items)));
    }
    Ok(())
}
