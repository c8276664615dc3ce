//! The reference pages: `/references/<key>/` for each cited work (its full
//! reference, DOI, PMID and URL links, and every page citing it with the
//! citing sentence) and `/references/`, the list of them. They render from
//! the theme's `reference.html` and `references.html` (none when the theme
//! has no such template) through the [`View`], so an edit to an entry or to
//! a citing page renders again exactly the pages that show it.

use super::context::LinkRef;
use super::{context_with, html_output, Globals, Place, Templates, View};
use crate::citations::{Citer, Work};
use crate::diagnostic::Diagnostic;
use crate::output::Output;
use serde::Serialize;
use std::path::Path;

/// What `reference.html` gets as `reference`.
#[derive(Serialize)]
pub struct ReferenceContext<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    pub authors: &'a [String],
    /// The full reference in the site's style (HTML made by rapport, escaped).
    pub html: &'a str,
    pub text: &'a str,
    /// DOI, PubMed and web links, each `{title, url}`.
    pub links: Vec<LinkRef>,
    /// The pages citing it: `{title, url, context}`.
    pub cited_by: Vec<CitedBy>,
}

#[derive(Serialize)]
pub struct CitedBy {
    pub title: String,
    pub url: String,
    /// The sentence around the citation, as plain text.
    pub context: String,
}

/// One entry of `/references/`.
#[derive(Serialize)]
pub struct ListedWork<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: String,
    pub html: &'a str,
    pub cited: usize,
}

/// The links a work's identifiers make.
pub fn links_of(work: &Work) -> Vec<LinkRef> {
    let mut links = Vec::new();
    if let Some(doi) = &work.doi {
        links.push(LinkRef { title: format!("doi:{doi}"), url: format!("https://doi.org/{doi}") });
    }
    if let Some(pmid) = &work.pmid {
        links.push(LinkRef { title: format!("PMID {pmid}"), url: format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/") });
    }
    if let Some(url) = work.link.as_ref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        links.push(LinkRef { title: url.clone(), url: url.clone() });
    }
    links
}

fn cited_by(v: &View<'_>, list: &[(Citer, String)]) -> Vec<CitedBy> {
    list.iter()
        .map(|(citer, context)| {
            let link = match *citer {
                Citer::Page(p) => v.page_link(p),
                Citer::Section(s) => v.section_link(s).0,
            };
            CitedBy { title: link.title, url: link.url, context: context.clone() }
        })
        .collect()
}

pub fn render_reference(v: &View<'_>, t: &Templates, g: &Globals, i: usize) -> Result<Vec<Output>, Diagnostic> {
    if !t.has("reference.html") {
        return Ok(vec![]);
    }
    let work = v.work(i);
    let cx = ReferenceContext {
        key: &work.key,
        title: &work.title,
        url: v.full_url(&work.url),
        authors: &work.authors,
        html: &work.reference.html,
        text: &work.reference.text,
        links: links_of(work),
        cited_by: cited_by(v, v.cited_by(i)),
    };
    let source = Path::new("(reference page)").join(&work.key);
    let cx = context_with(v, t, g, &Place { section: None, here: "", file: &source }, "reference", &cx)?;
    let html = t.render("reference.html", &cx, &source)?;
    Ok(vec![html_output(&work.url, html, &source)?])
}

pub fn render_references(v: &View<'_>, t: &Templates, g: &Globals) -> Result<Vec<Output>, Diagnostic> {
    if !t.has("references.html") {
        return Ok(vec![]);
    }
    let works: Vec<ListedWork<'_>> = v
        .works()
        .iter()
        .map(|w| ListedWork {
            key: &w.key,
            title: &w.title,
            url: v.full_url(&w.url),
            html: &w.reference.html,
            cited: w.cited_by.len(),
        })
        .collect();
    let source = Path::new("(references page)");
    let cx = context_with(v, t, g, &Place { section: None, here: "", file: source }, "references", &works)?;
    let html = t.render("references.html", &cx, source)?;
    Ok(vec![html_output("references/", html, source)?])
}
