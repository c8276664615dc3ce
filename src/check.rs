//! `rapport check`: the build pipeline without writing, every diagnostic
//! collected and printed at once, as text or JSON for editors and CI.

use crate::build;
use crate::diagnostic::{count, Diagnostic, Verbosity};
use crate::error::{Error, Result};
use crate::model::Site;
use std::collections::{HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Every finding of a site, errors and warnings: every stage of `build`
/// runs (templates render, so a template error is found) but nothing is
/// written. It is the strict gate CI runs, so a broken internal link or
/// anchor is an error here even where `build` only warns. Site errors that
/// stop loading early (`site.toml`, a template file) are findings too, so
/// `--format json` carries them.
pub fn run(root: &Path, drafts: bool, external: bool, reviews: Reviews) -> Result<Vec<Diagnostic>> {
    match findings(root, drafts, external, reviews) {
        Err(Error::Site(items)) => Ok(items),
        other => other,
    }
}

/// What an overdue review is: a warning, or an error (`--strict-reviews`, for CI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviews {
    Warn,
    Refuse,
}

fn findings(root: &Path, drafts: bool, external: bool, reviews: Reviews) -> Result<Vec<Diagnostic>> {
    let overrides = crate::config::Overrides { strict_links: true, ..Default::default() };
    let config = crate::config::Config::load_with(root, &overrides)?;
    let mut items = match build::run_stages(config, drafts, &crate::pipeline::Memo::default()) {
        Ok(staged) => {
            crate::progress::stage("check", 0);
            site_findings(staged.loaded, external, reviews)
        }
        Err(Error::Site(found)) => found,
        Err(other) => return Err(other),
    };
    items.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    Ok(items)
}

/// What the stages found, plus what only `check` looks for.
fn site_findings(loaded: crate::pipeline::Loaded, external: bool, reviews: Reviews) -> Vec<Diagnostic> {
    let (site, mut items) = (loaded.site, loaded.report.items);
    items.extend(anchor_findings(&site));
    items.extend(headless_findings(&site));
    items.extend(crate::review_queue::findings(&site, reviews == Reviews::Refuse));
    if site.config.check_orphans {
        items.extend(orphan_findings(&site));
    }
    if external {
        items.extend(crate::external::check(&site));
    }
    items.extend(unused_entries(&site));
    items
}

/// `check --reviews`: every page with a review due date, the most overdue
/// first, as lines to print. The site must load; its findings are not shown.
pub fn review_queue(root: &Path, drafts: bool) -> Result<String> {
    let config = crate::config::Config::load(root)?;
    let staged = build::run_stages(config, drafts, &crate::pipeline::Memo::default())?;
    let site = &staged.loaded.site;
    Ok(crate::review_queue::format_queue(&crate::review_queue::queue(site), site.config.reviews.today))
}

/// Links to `#anchor`s that the target page does not have.
fn anchor_findings(site: &Site) -> Vec<Diagnostic> {
    let anchors: HashMap<&Path, HashSet<&str>> = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.rendered))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)))
        .map(|(d, r)| (d.rel.as_path(), r.anchors.iter().map(String::as_str).chain(FOOTNOTE_LIKE).collect()))
        .collect();
    let mut out = Vec::new();
    let docs =
        site.pages.iter().map(|p| (&p.doc, &p.rendered)).chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)));
    for (doc, rendered) in docs {
        let at = locator(doc);
        for link in &rendered.links {
            let Some(anchor) = &link.anchor else { continue };
            let known = anchors.get(link.target.as_path()).is_some_and(|set| set.contains(anchor.as_str()));
            if !known && !anchor.is_empty() {
                let page = link.target.display();
                let msg = match crate::markdown::blocks::id_of(anchor) {
                    Some(id) => format!("broken anchor: `content/{page}` has no block `^{id}`"),
                    None => format!("broken anchor: `content/{page}` has no heading `#{anchor}`"),
                };
                out.push(at(link.line, link.col, msg));
            }
        }
        let own = anchors.get(doc.rel.as_path());
        for (anchor, line, col) in &rendered.own_anchor_links {
            let footnote = anchor.starts_with("fn") || anchor.starts_with("user-content");
            if !footnote && !own.is_some_and(|set| set.contains(anchor.as_str())) {
                let msg = match crate::markdown::blocks::id_of(anchor) {
                    Some(id) => format!("broken anchor: this page has no block `^{id}`"),
                    None => format!("broken anchor: this page has no heading `#{anchor}`"),
                };
                out.push(at(*line, *col, msg));
            }
        }
    }
    out
}

/// An error at a line and column of `doc`, with that line shown.
fn locator(doc: &crate::parse::Doc) -> impl Fn(usize, usize, String) -> Diagnostic + '_ {
    let lines = crate::diagnostic::LineIndex::new(&doc.source);
    move |line, col, msg| {
        let mut d = Diagnostic::error(&doc.file, msg);
        (d.line, d.col, d.snippet) = (line, col, Some(lines.line_text(line.max(1)).to_string()));
        d
    }
}

/// Links to pages with `render = false` (Hugo's headless `_build`): listed
/// nowhere and written nowhere, so a reader following one finds nothing.
fn headless_findings(site: &Site) -> Vec<Diagnostic> {
    let headless: HashSet<&Path> =
        site.pages.iter().filter(|p| p.doc.fm.render == Some(false)).map(|p| p.doc.rel.as_path()).collect();
    if headless.is_empty() {
        return Vec::new();
    }
    let docs =
        site.pages.iter().map(|p| (&p.doc, &p.rendered)).chain(site.sections.iter().map(|s| (&s.doc, &s.rendered)));
    let mut out = Vec::new();
    for (doc, rendered) in docs {
        let at = locator(doc);
        for link in rendered.links.iter().filter(|l| headless.contains(l.target.as_path())) {
            let msg = format!(
                "broken link: `content/{}` has `render = false` (Hugo: headless `_build`), so it has no page",
                link.target.display()
            );
            out.push(at(link.line, link.col, msg));
        }
    }
    out
}

/// Ids every page has besides its headings.
const FOOTNOTE_LIKE: [&str; 2] = ["top", "main"];

fn orphan_findings(site: &Site) -> Vec<Diagnostic> {
    site.graph
        .orphans()
        .map(|i| Diagnostic::warning(&site.pages[i].doc.file, "orphan page: no other page or section links to it"))
        .collect()
}

/// Bibliography entries no page cites: a note each, at the entry's line.
fn unused_entries(site: &Site) -> Vec<Diagnostic> {
    let Some(bib) = &site.links.bibliography else { return vec![] };
    let source = std::fs::read_to_string(site.config.root.join(&bib.file)).unwrap_or_default();
    bib.keys_with_lines()
        .iter()
        .filter(|(key, _)| bib.contains(key) && site.cited.get(key).is_none())
        .map(|(key, line)| {
            let mut d = Diagnostic::warning(&bib.file, format!("entry `{key}` is not cited by any page"));
            d.severity = crate::diagnostic::Severity::Note;
            d.at(&source, *line, 1)
        })
        .collect()
}

pub fn print(findings: &[Diagnostic], format: Format, verbosity: Verbosity) {
    match format {
        Format::Text => {
            if let Some(text) = verbosity.format(findings) {
                eprintln!("{text}");
            }
            let errors = findings.iter().filter(|d| d.is_error()).count();
            let notes = findings.iter().filter(|d| d.severity == crate::diagnostic::Severity::Note).count();
            let warnings = findings.len() - errors - notes;
            // Quiet: the count line only when it carries bad news.
            if verbosity != Verbosity::Quiet || errors > 0 {
                let notes = if notes > 0 { format!(", {}", count(notes, "note")) } else { String::new() };
                eprintln!("{}, {}{notes}", count(errors, "error"), count(warnings, "warning"));
            }
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(findings).expect("diagnostics serialise");
            let json = crate::diagnostic::json_terminal_safe(json);
            println!("{json}");
        }
    }
}
