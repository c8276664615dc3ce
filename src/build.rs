//! The build pipeline, read top to bottom as in DESIGN.md:
//! config → load → parse → model → markdown → render → output.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Report};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::load::{self, SourceKind};
use crate::markdown::{self, LeadH1, MarkdownContext, Rendered, Source};
use crate::model::{self, Site};
use crate::output::{self, WriteStats};
use crate::parse::{self, Doc};
use crate::render::{self, Globals, Output, Target, Templates};
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

/// A site in memory: the model, every output file, and what was found on the way.
pub struct Built {
    pub site: Site,
    pub outputs: Vec<Output>,
    pub report: Report,
    /// What the build loaded to render, for `serve` to keep.
    pub theme: Theme,
    pub templates: Templates,
    pub highlighter: Highlighter,
}

#[derive(Debug)]
pub struct BuildSummary {
    pub pages: usize,
    pub sections: usize,
    pub stats: WriteStats,
    pub millis: u128,
    pub output_dir: PathBuf,
    pub report: Report,
}

pub fn load_config(root: &Path, opts: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = crate::config::normalise_base_url(url).map_err(Error::Usage)?;
        config.base_path = crate::config::base_path_of(&config.base_url);
    }
    // Relative to the root, like `output_dir`, so `--root site --output out`
    // and `output_dir = "out"` name the same folder from any working directory.
    if let Some(out) = &opts.output {
        config.output_dir = root.join(out);
    }
    Ok(config)
}

/// `rapport build`: renders everything in memory, then writes only changes.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildSummary> {
    let start = Instant::now();
    let config = load_config(root, opts)?;
    output::check_output_dir(root, &config.output_dir)?;
    let built = build_in_memory(config, opts.drafts)?;
    let out_dir = built.site.config.output_dir.clone();
    let mut stats = output::write_site(&out_dir, &built.outputs)?;
    let mut report = built.report;
    report.extend(std::mem::take(&mut stats.warnings));
    Ok(BuildSummary {
        pages: built.site.pages.len(),
        sections: built.site.sections.len(),
        stats,
        millis: start.elapsed().as_millis(),
        output_dir: out_dir,
        report,
    })
}

/// A parsed and linked site, before templates.
pub struct Loaded {
    pub site: Site,
    pub files: Vec<load::SourceFile>,
    pub report: Report,
    /// The syntaxes the markdown was highlighted with, for later re-renders.
    pub highlighter: Highlighter,
}

/// Every stage run to the end, whatever they found. When `loaded.report`
/// holds errors the outputs are incomplete and must not be written.
pub struct Staged {
    pub loaded: Loaded,
    pub theme: Theme,
    /// `None` when a template failed to compile (that error is in the report).
    pub templates: Option<Templates>,
    pub outputs: Vec<Output>,
}

/// [`collect_site`], failing when anything in the sources is an error.
pub fn load_site(config: Config, drafts: bool) -> Result<Loaded> {
    let mut loaded = collect_site(config, drafts)?;
    fail_on_errors(&mut loaded.report)?;
    Ok(loaded)
}

/// config → load → parse → model → markdown → graph. A content error does
/// not stop it: a file that fails to parse is left out and the rest go on,
/// so one run reports every problem of every stage.
pub fn collect_site(config: Config, drafts: bool) -> Result<Loaded> {
    let mut report = Report::default();
    let mut clock = StageClock::new();
    let highlighter = Highlighter::new(&config.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?;
    clock.lap("syntaxes");
    let (exclusions, warnings) = load::Exclusions::of(&config.root, &config.ignore);
    report.extend(warnings);
    let (files, warnings) = load::discover(&config.root, &config.content_dir(), &exclusions);
    report.extend(warnings);
    clock.lap("discover");
    let (docs, errors) = parse_all(&files, crate::frontmatter::Typos::strict(config.strict_front_matter));
    report.extend(errors);
    clock.lap("parse");
    let parsed: HashSet<&Path> = docs.iter().map(|d| d.rel.as_path()).collect();
    let unparsed = files.iter().filter(|f| f.kind != SourceKind::Asset && !parsed.contains(f.rel.as_path()));
    let unparsed = unparsed.map(|f| f.rel.clone()).collect();
    let assets: Vec<PathBuf> = files.iter().filter(|f| f.kind == SourceKind::Asset).map(|f| f.rel.clone()).collect();
    let (mut site, errors) = model::assemble(config, model::Sources { docs, unparsed, assets: &assets }, drafts);
    report.extend(errors);
    clock.lap("model");
    report.extend(render_markdown(&mut site, &highlighter));
    clock.lap("markdown");
    site.graph = crate::graph::build(&site);
    clock.lap("graph");
    Ok(Loaded { site, files, report, highlighter })
}

/// Everything up to (not including) writing files. Errors stop here, before
/// any output is touched, with every problem of every stage.
pub fn build_in_memory(config: Config, drafts: bool) -> Result<Built> {
    let Staged { loaded, theme, templates, outputs } = run_stages(config, drafts)?;
    let Loaded { site, mut report, highlighter, .. } = loaded;
    fail_on_errors(&mut report)?;
    let templates = templates.expect("a template that failed to compile is an error in the report");
    Ok(Built { site, outputs, report, theme, templates, highlighter })
}

/// Every stage of a build, collecting what each finds instead of stopping
/// at the first that fails (`check` reports them all; `build` then refuses).
pub fn run_stages(config: Config, drafts: bool) -> Result<Staged> {
    let theme = Theme::load(&config.root, &config.theme)?;
    let (templates, template_errors) = match Templates::new(&theme) {
        Ok(t) => (Some(t), Vec::new()),
        Err(e) => (None, e),
    };
    let mut loaded = collect_site(config, drafts)?;
    loaded.report.extend(template_errors);
    loaded.report.extend(theme.warnings.clone());
    let mut clock = StageClock::new();
    let (outputs, errors) = match &templates {
        Some(t) => render_and_copy(&loaded, t, &theme)?,
        None => (Vec::new(), Vec::new()),
    };
    loaded.report.extend(errors);
    clock.lap("render");
    loaded.report.sort();
    Ok(Staged { loaded, theme, templates, outputs })
}

/// Renders every output and adds the copied files; template errors and
/// colliding paths are returned beside whatever was rendered.
fn render_and_copy(loaded: &Loaded, t: &Templates, theme: &Theme) -> Result<(Vec<Output>, Vec<Diagnostic>)> {
    let mut outputs = match render_outputs(&loaded.site, t) {
        Ok(outputs) => outputs,
        Err(errors) => return Ok((Vec::new(), errors)),
    };
    let copied = copy_files(&loaded.files, theme)?;
    let paths = |o: &[Output]| o.iter().map(|o| o.path.clone()).collect::<Vec<_>>();
    let errors = crate::collisions::check(&loaded.site, &paths(&outputs), &paths(&copied)).err().unwrap_or_default();
    crate::collisions::copied_files_win(&mut outputs, copied);
    Ok((outputs, errors))
}

/// Prints how long each stage took when `RAPPORT_TIMINGS` is set (for profiling).
struct StageClock {
    last: Option<Instant>,
}

impl StageClock {
    fn new() -> Self {
        StageClock { last: std::env::var_os("RAPPORT_TIMINGS").map(|_| Instant::now()) }
    }

    fn lap(&mut self, stage: &str) {
        if let Some(last) = self.last {
            eprintln!("timing: {stage:<10} {:>6} ms", last.elapsed().as_millis());
            self.last = Some(Instant::now());
        }
    }
}

fn fail_on_errors(report: &mut Report) -> Result<()> {
    if report.has_errors() {
        report.sort();
        return Err(Error::Site(std::mem::take(&mut report.items)));
    }
    Ok(())
}

/// Parses every markdown file in parallel; a panic in one file is that file's error.
pub fn parse_all(files: &[load::SourceFile], typos: crate::frontmatter::Typos) -> (Vec<Doc>, Vec<Diagnostic>) {
    let results: Vec<Result<Doc, Vec<Diagnostic>>> = files
        .par_iter()
        .filter(|f| f.kind != SourceKind::Asset)
        .map(|f| {
            isolate(&Path::new("content").join(&f.rel), || {
                inject_test_panic(&f.rel);
                parse::parse_file(f, typos)
            })
            .unwrap_or_else(|d| Err(vec![d]))
        })
        .collect();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(mut doc) => {
                errors.append(&mut doc.warnings);
                docs.push(doc)
            }
            Err(e) => errors.extend(e),
        }
    }
    (docs, errors)
}

/// Renders every page's and section's markdown in parallel.
pub fn render_markdown(site: &mut Site, highlighter: &Highlighter) -> Vec<Diagnostic> {
    let pages: BTreeSet<usize> = (0..site.pages.len()).collect();
    let sections: BTreeSet<usize> = (0..site.sections.len()).collect();
    rerender_markdown(site, highlighter, &pages, &sections)
}

/// Renders the markdown of some pages and sections again (then expands
/// their embeds and adopts their inline tags); the rest keep theirs.
pub fn rerender_markdown(
    site: &mut Site,
    highlighter: &Highlighter,
    pages: &BTreeSet<usize>,
    sections: &BTreeSet<usize>,
) -> Vec<Diagnostic> {
    let c = &site.config.markdown;
    let cx = MarkdownContext {
        highlighter,
        targets: &*site,
        smart_punctuation: c.smart_punctuation,
        highlight_code: c.highlight_code,
        unsafe_html: c.unsafe_html,
        external_links_new_tab: c.external_links_new_tab,
        strict_links: site.config.strict_links,
    };
    let render_doc = |doc: &Doc| -> Rendered {
        let dir = doc_dir(doc);
        let lead_h1 = if doc.lead_h1_is_title() { LeadH1::Hide } else { LeadH1::Show };
        let src = Source { file: &doc.file, dir: &dir, text: &doc.source, body_offset: doc.body_offset, lead_h1 };
        let render = || {
            let mut rendered = markdown::render(&src, &cx);
            markdown::properties::add(&mut rendered, &doc.fm.properties, &src, &cx);
            rendered
        };
        isolate(&doc.file, render).unwrap_or_else(|d| Rendered { diagnostics: vec![d], ..Rendered::default() })
    };
    let new_pages: Vec<(usize, Rendered)> = pages.par_iter().map(|&i| (i, render_doc(&site.pages[i].doc))).collect();
    let new_sections: Vec<(usize, Rendered)> =
        sections.par_iter().map(|&i| (i, render_doc(&site.sections[i].doc))).collect();
    let mut diagnostics = Vec::new();
    let mut once = std::collections::BTreeMap::new();
    for (i, mut r) in new_pages {
        diagnostics.append(&mut r.diagnostics);
        keep_first(&mut once, std::mem::take(&mut r.once));
        site.pages[i].rendered = r;
    }
    for (i, mut r) in new_sections {
        diagnostics.append(&mut r.diagnostics);
        keep_first(&mut once, std::mem::take(&mut r.once));
        site.sections[i].rendered = r;
    }
    diagnostics.extend(once.into_values());
    let embeds = pages.iter().any(|&i| !site.pages[i].rendered.embeds.is_empty())
        || sections.iter().any(|&i| !site.sections[i].rendered.embeds.is_empty());
    if embeds {
        diagnostics.extend(expand_embeds(site));
    }
    model::adopt_inline_tags(site, pages);
    diagnostics
}

/// Keeps, for each key, the finding that comes first in the site (by file, line, column).
fn keep_first(once: &mut std::collections::BTreeMap<String, Diagnostic>, found: Vec<(String, Diagnostic)>) {
    for (key, d) in found {
        let earlier = |old: &Diagnostic| (&old.file, old.line, old.col) <= (&d.file, d.line, d.col);
        if !once.get(&key).is_some_and(earlier) {
            once.insert(key, d);
        }
    }
}

/// Replaces embed markers with the embedded notes, now that all are rendered.
fn expand_embeds(site: &mut Site) -> Vec<Diagnostic> {
    let docs: Vec<markdown::embeds::Doc<'_>> = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.url, &p.rendered))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.url, &s.rendered)))
        .map(|(doc, url, rendered)| markdown::embeds::Doc {
            rel: &doc.rel,
            file: &doc.file,
            source: &doc.source,
            url: site.full_url(url),
            title: doc.title(),
            rendered,
        })
        .collect();
    let (expanded, diagnostics) = markdown::embeds::expand_all(&docs);
    drop(docs);
    let docs = site.pages.iter_mut().map(|p| (&p.doc, &mut p.rendered));
    for (doc, rendered) in docs.chain(site.sections.iter_mut().map(|s| (&s.doc, &mut s.rendered))) {
        if let Some(html) = expanded.get(&doc.rel) {
            rendered.html = html.clone();
            rendered.summary_html = strip_markers(&rendered.summary_html);
        }
    }
    diagnostics
}

fn strip_markers(html: &str) -> String {
    html.split('\u{FFFC}').enumerate().filter(|(i, _)| i % 2 == 0).map(|(_, s)| s).collect()
}

/// The folder relative links in a doc are resolved against.
fn doc_dir(doc: &Doc) -> PathBuf {
    doc.rel.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every templated output of the site, rendered in parallel.
pub fn render_outputs(site: &Site, t: &Templates) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut outputs = render_targets(site, t, &render::all_targets(site))?;
    outputs.extend(site_wide_outputs(site));
    Ok(outputs)
}

/// Renders the given templated outputs in parallel; every distinct template
/// error is reported once.
pub fn render_targets(site: &Site, t: &Templates, targets: &[Target]) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let g = Globals::new(site);
    let wanted = |target: &&Target| **target != Target::Search || t.has("search.html");
    let results: Vec<Result<Output, Diagnostic>> =
        targets.par_iter().filter(wanted).map(|&target| render::render_target(site, t, &g, target)).collect();
    let (ok, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if !errors.is_empty() {
        // One template bug fails every page alike: report each distinct message once.
        let mut errors: Vec<Diagnostic> = errors.into_iter().map(|e| e.expect_err("partitioned")).collect();
        errors.dedup_by(|a, b| {
            a.file == b.file
                && a.line == b.line
                && a.message.split(" (while").next() == b.message.split(" (while").next()
        });
        return Err(errors);
    }
    Ok(ok.into_iter().map(|o| o.expect("partitioned")).collect())
}

/// Outputs derived from the whole site rather than rendered from a template.
pub fn site_wide_outputs(site: &Site) -> Vec<Output> {
    let mut outputs = site_wide_but_search(site);
    outputs.extend(crate::search::outputs(site));
    outputs
}

/// [`site_wide_outputs`] but the search index (the one that costs seconds on
/// a large site, which `serve` builds once edits pause).
pub fn site_wide_but_search(site: &Site) -> Vec<Output> {
    let mut outputs = feeds(site);
    outputs.extend(render::feeds::aliases(site));
    outputs.extend(render::previews::previews(site));
    let md = &site.config.markdown;
    outputs.push(Output::new(
        "highlight.css",
        crate::highlight::stylesheet(&md.highlight_theme, &md.highlight_theme_dark),
    ));
    outputs
}

/// The sitemap, the feed and robots.txt: they read every page's URL, title and dates.
pub fn feeds(site: &Site) -> Vec<Output> {
    vec![render::feeds::sitemap(site), render::feeds::atom(site), render::feeds::robots(site)]
}

/// Theme and site static files, and assets beside the content, mirrored.
pub fn copy_files(files: &[load::SourceFile], theme: &Theme) -> Result<Vec<Output>> {
    let mut outputs: Vec<Output> =
        theme.static_files.iter().map(|(rel, (_, bytes))| Output::new(rel.clone(), bytes.clone())).collect();
    let assets: Vec<Result<Output>> = files
        .par_iter()
        .filter(|f| f.kind == SourceKind::Asset)
        .map(|f| std::fs::read(&f.abs).map(|b| Output::new(f.rel.clone(), b)).map_err(|e| Error::io(&f.abs, e)))
        .collect();
    for a in assets {
        outputs.push(a?);
    }
    Ok(outputs)
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
