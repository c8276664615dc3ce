//! The shortcode pass as the markdown stage runs it: finds the body's code
//! (where calls stay literal), runs the calls (see [`crate::shortcodes`]),
//! renders `.md` outputs as markdown, and turns every output into the HTML
//! that replaces its marker.

use super::{MarkdownContext, Rendered, Source};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::shortcodes::{self, Expanded, Output, PageInfo};
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

/// The body with its calls masked, each marker's (block, inline) HTML, and
/// its plain text (what search and previews read in the marker's place).
pub(super) struct Pass {
    pub masked: String,
    pub pieces: Vec<(String, String)>,
    pub texts: Vec<String>,
    pub found: Rendered,
}

/// `None` when the body holds nothing for the pass.
pub(super) fn run(src: &Source<'_>, cx: &MarkdownContext<'_>, body: &str) -> Option<Pass> {
    if !shortcodes::may_hold(body) {
        return None;
    }
    let code = code_ranges(body, cx);
    let path = src.dir.join(src.file.file_name().unwrap_or_default());
    let path = path.to_string_lossy();
    let url = cx.targets.url_of(&src.dir.join(src.file.file_name().unwrap_or_default()));
    let page = PageInfo { title: src.title, path: &path, url: url.as_deref() };
    let x = shortcodes::expand(body, &code, cx.shortcodes, &page);
    for name in &x.called {
        // Asked so the markdown stage's memo knows which templates this page ran.
        cx.targets.shortcode_print(name);
    }
    if x.outputs.is_empty() && x.errors.is_empty() && x.warnings.is_empty() {
        return None;
    }
    Some(finish(src, cx, x))
}

fn finish(src: &Source<'_>, cx: &MarkdownContext<'_>, x: Expanded) -> Pass {
    let lines = LineIndex::new(src.text);
    let locate = |offset: usize, message: String| {
        Diagnostic::error(src.file, message).at_index(&lines, src.body_offset + offset)
    };
    let mut found = Rendered::default();
    found.diagnostics.extend(x.errors.into_iter().map(|(at, m)| locate(at, m)));
    found.diagnostics.extend(x.warnings.into_iter().map(|(at, m)| locate(at, m).into_warning()));
    for (name, at) in x.foreign {
        let d = locate(at, String::new()).into_warning();
        found.foreign_shortcodes.push((name, d));
    }
    let mut texts = Vec::with_capacity(x.outputs.len());
    let pieces = x
        .outputs
        .into_iter()
        .map(|(output, at)| match output {
            Output::Html(html) => {
                texts.push(html_text(&html));
                (html.trim_end().to_string(), html.trim().to_string())
            }
            Output::Literal(text) => {
                texts.push(text.clone());
                (format!("<p>{}</p>", escape_text(&text)), escape_text(&text))
            }
            Output::Foreign(text) => {
                texts.push(text.clone());
                (
                    format!("<pre class=\"foreign-shortcode\">{}</pre>", escape_text(&text)),
                    format!("<code class=\"foreign-shortcode\">{}</code>", escape_text(&text)),
                )
            }
            Output::Markdown(md) => {
                let sub = markdown_output(src, cx, &md);
                for d in &sub.diagnostics {
                    found.diagnostics.push(locate(at, format!("in the shortcode's output: {}", d.message)));
                }
                let relocate = |mut link: super::PageLink| {
                    let d = locate(at, String::new());
                    (link.line, link.col) = (d.line, d.col);
                    link
                };
                found.links.extend(sub.links.into_iter().map(relocate));
                found.external.extend(sub.external);
                let text: Vec<&str> = sub.sections.iter().flat_map(|t| [t.heading.as_str(), &*t.text]).collect();
                texts.push(text.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" "));
                let inline = strip_paragraph(&sub.html);
                (sub.html.to_string(), inline)
            }
        })
        .collect();
    Pass { masked: x.masked, pieces, texts, found }
}

/// The text of an `.html` shortcode's output: its tags dropped, the
/// entities a template writes read back.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    text.replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `.md` shortcode's output rendered with the page's settings; shortcodes
/// are not run again inside it (as in Zola).
fn markdown_output(src: &Source<'_>, cx: &MarkdownContext<'_>, md: &str) -> Rendered {
    let empty = shortcodes::Registry::default();
    let inner = MarkdownContext { shortcodes: &empty, ..*cx };
    let sub = Source { text: md, body_offset: 0, lead_h1: super::LeadH1::Show, ..*src };
    super::render(&sub, &inner)
}

/// One paragraph's inner HTML, for an output used inside a line.
fn strip_paragraph(html: &str) -> String {
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => t.to_string(),
    }
}

/// `&`, `<` and `>` escaped; quotes stay as written (they are text, not an attribute).
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Byte ranges of code blocks and code spans, where calls stay literal.
fn code_ranges(body: &str, cx: &MarkdownContext<'_>) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (event, range) in Parser::new_ext(body, super::options(cx.smart_punctuation)).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// Puts the outputs in place of their markers and adopts what they found.
pub(super) fn fill(rendered: &mut Rendered, pass: Pass) {
    rendered.html = shortcodes::fill(&rendered.html, &pass.pieces).into();
    rendered.summary_html = shortcodes::fill(&rendered.summary_html, &pass.pieces);
    rendered.first_paragraph = shortcodes::fill_text(&rendered.first_paragraph, &pass.texts);
    for section in &mut rendered.sections {
        section.text = shortcodes::fill_text(&section.text, &pass.texts).into();
    }
    let found = pass.found;
    rendered.diagnostics.extend(found.diagnostics);
    rendered.links.extend(found.links);
    rendered.external.extend(found.external);
    rendered.foreign_shortcodes.extend(found.foreign_shortcodes);
}

/// One warning per Hugo shortcode name, at its first use, counting every use.
pub fn foreign_warnings<'a>(rendered: impl Iterator<Item = &'a Rendered>) -> Vec<Diagnostic> {
    let mut by_name: BTreeMap<&str, (Diagnostic, usize, std::collections::BTreeSet<&Path>)> = BTreeMap::new();
    for r in rendered {
        for (name, d) in &r.foreign_shortcodes {
            let entry = by_name.entry(name).or_insert_with(|| (d.clone(), 0, Default::default()));
            entry.1 += 1;
            entry.2.insert(&d.file);
        }
    }
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {many}") };
    by_name
        .into_iter()
        .map(|(name, (mut d, uses, files))| {
            d.message = format!(
                "`{name}` is a Hugo shortcode rapport does not run; left as written ({} in {})",
                plural(uses, "use", "uses"),
                plural(files.len(), "file", "files")
            );
            d
        })
        .collect()
}
