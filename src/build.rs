//! The build pipeline, read top to bottom as in DESIGN.md:
//! config → load → parse → model → markdown → render → output.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Report};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::load::{self, SourceKind};
use crate::markdown::{self, MarkdownContext, Rendered, Source};
use crate::model::{self, Site};
use crate::output::{self, WriteStats};
use crate::parse::{self, Doc};
use crate::render::{self, Globals, Output, Templates};
use crate::theme::Theme;
use rayon::prelude::*;
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
    if let Some(out) = &opts.output {
        config.output_dir = out.clone();
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
    let stats = output::write_site(&out_dir, &built.outputs)?;
    Ok(BuildSummary {
        pages: built.site.pages.len(),
        sections: built.site.sections.len(),
        stats,
        millis: start.elapsed().as_millis(),
        output_dir: out_dir,
        report: built.report,
    })
}

/// Everything up to (not including) writing files. Errors stop here, before
/// any output is touched.
pub fn build_in_memory(config: Config, drafts: bool) -> Result<Built> {
    let mut report = Report::default();
    let theme = Theme::load(&config.root, &config.theme)?;
    let templates = Templates::new(&theme).map_err(Error::Site)?;
    let highlighter = Highlighter::new(&config.root.join("syntaxes")).map_err(|d| Error::Site(vec![d]))?;
    let (files, warnings) = load::discover(&config.root, &config.content_dir());
    report.extend(warnings);
    let (docs, errors) = parse_all(&files);
    report.extend(errors);
    fail_on_errors(&mut report)?;
    let assets: Vec<PathBuf> = files.iter().filter(|f| f.kind == SourceKind::Asset).map(|f| f.rel.clone()).collect();
    let mut site = model::assemble(config, docs, &assets, drafts).map_err(Error::Site)?;
    report.extend(render_markdown(&mut site, &highlighter));
    fail_on_errors(&mut report)?;
    site.graph = crate::graph::build(&site);
    let mut outputs = render_outputs(&site, &templates).map_err(|e| {
        report.extend(e);
        Error::Site(std::mem::take(&mut report.items))
    })?;
    outputs.extend(copy_files(&files, &theme)?);
    report.sort();
    Ok(Built { site, outputs, report })
}

fn fail_on_errors(report: &mut Report) -> Result<()> {
    if report.has_errors() {
        report.sort();
        return Err(Error::Site(std::mem::take(&mut report.items)));
    }
    Ok(())
}

/// Parses every markdown file in parallel; a panic in one file is that file's error.
pub fn parse_all(files: &[load::SourceFile]) -> (Vec<Doc>, Vec<Diagnostic>) {
    let results: Vec<Result<Doc, Vec<Diagnostic>>> = files
        .par_iter()
        .filter(|f| f.kind != SourceKind::Asset)
        .map(|f| isolate(&Path::new("content").join(&f.rel), || parse::parse_file(f)).unwrap_or_else(|d| Err(vec![d])))
        .collect();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(doc) => docs.push(doc),
            Err(e) => errors.extend(e),
        }
    }
    (docs, errors)
}

/// Renders every page's and section's markdown in parallel.
pub fn render_markdown(site: &mut Site, highlighter: &Highlighter) -> Vec<Diagnostic> {
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
        let src = Source { file: &doc.file, dir: &dir, text: &doc.source, body_offset: doc.body_offset };
        isolate(&doc.file, || markdown::render(&src, &cx))
            .unwrap_or_else(|d| Rendered { diagnostics: vec![d], ..Rendered::default() })
    };
    let pages: Vec<Rendered> = site.pages.par_iter().map(|p| render_doc(&p.doc)).collect();
    let sections: Vec<Rendered> = site.sections.par_iter().map(|s| render_doc(&s.doc)).collect();
    let mut diagnostics = Vec::new();
    for (page, mut r) in site.pages.iter_mut().zip(pages) {
        diagnostics.append(&mut r.diagnostics);
        page.rendered = r;
    }
    for (section, mut r) in site.sections.iter_mut().zip(sections) {
        diagnostics.append(&mut r.diagnostics);
        section.rendered = r;
    }
    diagnostics
}

/// The folder relative links in a doc are resolved against.
fn doc_dir(doc: &Doc) -> PathBuf {
    doc.rel.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Every templated output of the site, rendered in parallel.
pub fn render_outputs(site: &Site, t: &Templates) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let g = Globals::new(site);
    let pages = (0..site.pages.len()).into_par_iter().map(|i| render::render_page(site, t, &g, i));
    let sections = (0..site.sections.len())
        .into_par_iter()
        .filter(|&i| !site.sections[i].folder_note)
        .map(|i| render::render_section(site, t, &g, i));
    let mut results: Vec<Result<Output, Diagnostic>> = pages.chain(sections).collect();
    for (i, tax) in site.taxonomies.iter().enumerate() {
        results.push(render::render_taxonomy(site, t, &g, i));
        results.extend(
            (0..tax.terms.len()).into_par_iter().map(|j| render::render_term(site, t, &g, i, j)).collect::<Vec<_>>(),
        );
    }
    results.push(render::render_404(t, &g));
    if t.has("search.html") {
        results.push(render::render_search_page(t, &g));
    }
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
    let mut outputs: Vec<Output> = ok.into_iter().map(|o| o.expect("partitioned")).collect();
    outputs.extend([render::feeds::sitemap(site), render::feeds::atom(site), render::feeds::robots(site)]);
    outputs.extend(render::feeds::aliases(site));
    outputs.extend(crate::search::outputs(site));
    let md = &site.config.markdown;
    outputs.push(Output::new(
        "highlight.css",
        crate::highlight::stylesheet(&md.highlight_theme, &md.highlight_theme_dark),
    ));
    Ok(outputs)
}

/// Theme and site static files, and assets beside the content, mirrored.
fn copy_files(files: &[load::SourceFile], theme: &Theme) -> Result<Vec<Output>> {
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
