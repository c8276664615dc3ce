//! Note embeds (`![[Note]]`, `![[Note#Heading]]`, `![[Note#^block]]`): pages render a marker
//! first; once every page is rendered the markers are replaced by the target's
//! HTML (or one section of it). Cycles are reported, not followed: a cycle
//! is a part (a note, or one heading's section of it) that would include
//! itself, so a note may embed another section of its own.

use super::Rendered;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Embeds nest at most this deep (cycles are caught before that).
const MAX_DEPTH: usize = 8;

/// Most embeds one page expands, nested ones included: ten notes that each
/// embed the next ten times would otherwise make a page of 10⁸ copies.
const MAX_EMBEDS: usize = 1_000;

pub fn marker(index: usize) -> String {
    format!("\u{FFFC}rapport-embed-{index}\u{FFFC}")
}

/// One rendered document, as embedding sees it.
pub struct Doc<'a> {
    pub rel: &'a Path,
    pub file: &'a Path,
    pub source: &'a str,
    pub url: String,
    pub title: String,
    pub rendered: &'a Rendered,
}

/// Expands every embed; returns the new HTML of each doc that had embeds.
pub fn expand_all(docs: &[Doc<'_>]) -> (HashMap<PathBuf, String>, Vec<Diagnostic>) {
    let by_rel: HashMap<&Path, &Doc<'_>> = docs.iter().map(|d| (d.rel, d)).collect();
    let mut out = HashMap::new();
    let mut diagnostics = Vec::new();
    for doc in docs.iter().filter(|d| !d.rendered.embeds.is_empty()) {
        let mut stack = vec![(doc.rel.to_path_buf(), None)];
        let mut budget = Budget { left: MAX_EMBEDS, skipped: 0 };
        let html = expand(doc, None, &by_rel, (&mut stack, &mut budget), &mut diagnostics);
        if budget.skipped > 0 {
            let first = &doc.rendered.embeds[0];
            let message = format!(
                "{} embeds not shown: a page expands at most {MAX_EMBEDS} embeds, nested ones included",
                budget.skipped
            );
            diagnostics.push(Diagnostic::warning(doc.file, message).at(doc.source, first.line, first.col));
        }
        out.insert(doc.rel.to_path_buf(), html);
    }
    // A note embedded by many pages would report the same problem for each.
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.file.clone(), d.line, d.col, d.message.clone())));
    (out, diagnostics)
}

/// How many more embeds the page being expanded may expand, and how many it skipped.
struct Budget {
    left: usize,
    skipped: usize,
}

/// A note, or one heading's section of it: what an embed includes.
type Part = (PathBuf, Option<String>);

/// The HTML of `doc` (or of its section `anchor`) with the embeds in it
/// expanded; `stack` holds the parts being expanded (for cycles), `budget`
/// what the top page may still expand.
fn expand(
    doc: &Doc<'_>,
    anchor: Option<&str>,
    by_rel: &HashMap<&Path, &Doc<'_>>,
    (stack, budget): (&mut Vec<Part>, &mut Budget),
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut html = match anchor {
        Some(anchor) => section(&doc.rendered.html, anchor)
            .or_else(|| super::blocks::element(&doc.rendered.html, anchor))
            .unwrap_or_default(),
        None => doc.rendered.html.to_string(),
    };
    for (i, link) in doc.rendered.embeds.iter().enumerate() {
        let m = marker(i);
        if !html.contains(&m) {
            continue; // outside the section being embedded
        }
        let part: Part = (link.target.clone(), link.anchor.clone());
        let replacement = match by_rel.get(link.target.as_path()) {
            Some(_) if budget.left == 0 => {
                budget.skipped += 1;
                "<p class=\"embed-error\">This embed is not shown: the page embeds too much.</p>".to_string()
            }
            Some(_) if stack.len() > MAX_DEPTH && !stack.contains(&part) => {
                let d = Diagnostic::warning(doc.file, format!("embed not shown: embeds nest at most {MAX_DEPTH} deep"));
                diags.push(d.at(doc.source, link.line, link.col));
                "<p class=\"embed-error\">This embed is nested too deep to be shown.</p>".to_string()
            }
            _ if stack.contains(&part) => {
                let chain: Vec<String> = stack.iter().chain([&part]).map(part_name).collect();
                let d = Diagnostic::warning(doc.file, format!("embed cycle: {}", chain.join(" → ")));
                diags.push(d.at(doc.source, link.line, link.col));
                "<p class=\"embed-error\">This embed would include itself, so it is not shown.</p>".to_string()
            }
            Some(target) => {
                budget.left -= 1;
                stack.push(part);
                let body = expand(target, link.anchor.as_deref(), by_rel, (&mut *stack, &mut *budget), diags);
                stack.pop();
                wrap(target, link.anchor.as_deref(), &body)
            }
            None => String::new(),
        };
        let block = format!("<p>{m}</p>\n");
        html = if html.contains(&block) {
            html.replacen(&block, &replacement, 1)
        } else {
            html.replacen(&m, &replacement, 1)
        };
    }
    html
}

fn part_name((rel, anchor): &Part) -> String {
    match anchor {
        Some(a) => format!("{}#{a}", rel.display()),
        None => rel.display().to_string(),
    }
}

fn wrap(target: &Doc<'_>, anchor: Option<&str>, body: &str) -> String {
    let href = match anchor {
        Some(a) => format!("{}#{a}", target.url),
        None => target.url.clone(),
    };
    let mut title = String::new();
    pulldown_cmark_escape::escape_html(&mut title, &target.title).expect("writing to a String cannot fail");
    let mut href_attr = String::new();
    pulldown_cmark_escape::escape_href(&mut href_attr, &href).expect("writing to a String cannot fail");
    let body = detach(body, &target.url);
    format!("<div class=\"embed\">\n<p class=\"embed-source\"><a href=\"{href_attr}\">{title}</a></p>\n{body}</div>\n")
}

/// Embedded HTML keeps no ids (the page would have two elements with one id,
/// or claim anchors it does not own), and its `#anchor` links point to the
/// note they came from. The body is rapport's own rendered (and sanitised)
/// HTML, whose attributes are always written `name="value"`.
fn detach(body: &str, url: &str) -> String {
    let mut href = String::new();
    pulldown_cmark_escape::escape_href(&mut href, url).expect("writing to a String cannot fail");
    body.replace(" id=\"", " data-embedded-id=\"").replace(" href=\"#", &format!(" href=\"{href}#"))
}

/// The HTML from heading `id` up to the next heading of the same or a higher level.
pub fn section(html: &str, id: &str) -> Option<String> {
    let (start, level) = (1..=6).find_map(|n| html.find(&format!("<h{n} id=\"{id}\">")).map(|at| (at, n)))?;
    let after = start + 4;
    let end = (1..=level)
        .filter_map(|n| html[after..].find(&format!("<h{n} id=")).map(|i| after + i))
        .min()
        .unwrap_or(html.len());
    Some(html[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::{detach, section};

    #[test]
    fn embedded_html_keeps_no_ids_and_its_anchors_point_home() {
        let html = "<h2 id=\"a\">A<a class=\"anchor\" href=\"#a\">#</a></h2><p id=\"block-b\">B</p>";
        assert_eq!(
            detach(html, "/notes/x/"),
            "<h2 data-embedded-id=\"a\">A<a class=\"anchor\" href=\"/notes/x/#a\">#</a></h2><p data-embedded-id=\"block-b\">B</p>"
        );
    }

    #[test]
    fn section_stops_at_same_or_higher_heading() {
        let html = "<h2 id=\"a\">A</h2><p>1</p><h3 id=\"b\">B</h3><p>2</p><h2 id=\"c\">C</h2><p>3</p>";
        assert_eq!(section(html, "a").unwrap(), "<h2 id=\"a\">A</h2><p>1</p><h3 id=\"b\">B</h3><p>2</p>");
        assert_eq!(section(html, "b").unwrap(), "<h3 id=\"b\">B</h3><p>2</p>");
        assert!(section(html, "zzz").is_none());
    }
}
