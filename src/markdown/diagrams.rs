//! ```` ```mermaid ```` fences to inline SVG at build time, with
//! mermaid-rs-renderer: readers get the drawing with no script and nothing
//! fetched. (merman was tried too: it draws the same kinds, but measures
//! text with a font the page does not have, so entity names were clipped,
//! and its colours cannot be CSS variables.)
//!
//! The renderer paints with a small fixed palette; a `<style>` scoped to the
//! diagram's id maps each of its colours to a theme variable, the original
//! colour kept as the fallback, so one SVG follows the reader's light or
//! dark scheme. Each SVG is an image to assistive technology
//! (`role="img"`) named by a `<title>`: the diagram's own `title` or
//! `accTitle`, else its kind. A diagram the renderer cannot draw stays a
//! code block, with a located warning.

use super::{files, Rewriter};
use pulldown_cmark::Event;
use std::ops::Range;

/// The renderer's colours and the theme variables that replace them
/// (themes/rapport/static/style.css).
const PALETTE: &[(&str, &str)] = &[
    ("#0F172A", "--fg"),
    ("#64748B", "--fg-soft"),
    ("#94A3B8", "--line-strong"),
    ("#CBD5E1", "--line-strong"),
    ("#E2E8F0", "--line"),
    ("#F1F5F9", "--bg-soft"),
    ("#F8FAFC", "--bg-raised"),
    ("#FFFFFF", "--bg"),
];

/// The SVG for a diagram, with the root id `id` (unique on the page), or
/// why it cannot be drawn.
pub fn to_svg(source: &str, id: &str) -> Result<String, String> {
    let options = mermaid_rs_renderer::RenderOptions::default();
    let svg = mermaid_rs_renderer::render_with_options(source, options).map_err(|e| one_line(&e.to_string()))?;
    Ok(themed(&accessible(&svg, source, id), id))
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds the scoped style mapping the palette to theme variables, and has
/// text follow the page's font.
fn themed(svg: &str, id: &str) -> String {
    let mut css = format!("#{id}{{font-family:inherit}}#{id} text{{font-family:inherit}}");
    for (colour, var) in PALETTE {
        for attr in ["fill", "stroke"] {
            css.push_str(&format!("#{id} [{attr}=\"{colour}\" i]{{{attr}:var({var},{colour})}}"));
        }
    }
    match svg.find("</title>") {
        Some(at) => format!("{}<style>{css}</style>{}", &svg[..at + 8], &svg[at + 8..]),
        None => svg.to_string(),
    }
}

/// Gives the root `<svg>` its id, `role="img"` and a `<title>` as its
/// first child (an existing title is kept).
fn accessible(svg: &str, source: &str, id: &str) -> String {
    let Some(open_end) = svg.find('>') else { return svg.to_string() };
    let (open, rest) = svg.split_at(open_end);
    let rest = &rest[1..];
    let open = strip_attr(&strip_attr(open, "role"), "id").replacen("<svg", &format!("<svg id=\"{id}\""), 1);
    let has_title = rest.trim_start().starts_with("<title");
    let title =
        if has_title { String::new() } else { format!("<title>{}</title>", super::escape_attr(&title_of(source))) };
    format!("{open} role=\"img\">{title}{rest}")
}

fn strip_attr(tag: &str, name: &str) -> String {
    let needle = format!(" {name}=\"");
    match tag.find(&needle) {
        Some(at) => {
            let value_end = tag[at + needle.len()..].find('"').map_or(tag.len(), |e| at + needle.len() + e + 1);
            format!("{}{}", &tag[..at], &tag[value_end..])
        }
        None => tag.to_string(),
    }
}

/// A diagram's name: its `title` or `accTitle` line, else its kind
/// ("Flowchart").
fn title_of(source: &str) -> String {
    let lines = source.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("%%"));
    for line in lines.clone() {
        for key in ["accTitle:", "title "] {
            if let Some(t) = line.strip_prefix(key) {
                return t.trim().to_string();
            }
        }
        if let Some(rest) = line.strip_prefix("pie ").and_then(|r| r.trim().strip_prefix("title ")) {
            return rest.trim().to_string();
        }
    }
    let kind = lines.clone().next().and_then(|l| l.split_whitespace().next()).unwrap_or("");
    KINDS.iter().find(|(k, _)| *k == kind).map_or("Diagram", |(_, name)| name).to_string()
}

/// What each kind's first word names, for a diagram without a title.
const KINDS: &[(&str, &str)] = &[
    ("flowchart", "Flowchart"),
    ("graph", "Flowchart"),
    ("sequenceDiagram", "Sequence diagram"),
    ("classDiagram", "Class diagram"),
    ("stateDiagram", "State diagram"),
    ("stateDiagram-v2", "State diagram"),
    ("erDiagram", "Entity relationship diagram"),
    ("gantt", "Gantt chart"),
    ("pie", "Pie chart"),
];

impl<'s> Rewriter<'s, '_> {
    /// A Mermaid fence as inline SVG, or left as code with a warning.
    pub(super) fn diagram(&mut self, code: &str, range: &Range<usize>) {
        // Ids unique on the page, and across pages that embed each other.
        let id = format!("mermaid-{}-{}", &blake3::hash(code.as_bytes()).to_hex()[..8], self.files.len());
        match to_svg(code, &id) {
            Ok(svg) => {
                let figure = format!("<figure class=\"diagram\">{svg}</figure>\n");
                self.out.push(Event::Html(files::marker(self.files.len()).into()));
                self.files.push(figure);
            }
            Err(why) => {
                self.diagnose(crate::diagnostic::Severity::Warning, range, format!("diagram left as code: {why}"));
                self.out.push(Event::Html(crate::highlight::plain("mermaid", code).into()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flowchart_is_an_svg_image_with_a_title_in_theme_colours() {
        let svg = to_svg("flowchart TD\n  A[Assess] --> B[Plan]", "d-1").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(" role=\"img\"><title>Flowchart</title>"), "{svg}");
        assert!(svg.starts_with("<svg id=\"d-1\""), "{svg}");
        assert!(svg.contains("#d-1 [fill=\"#0F172A\" i]{fill:var(--fg,#0F172A)}") && svg.contains("Assess"), "{svg}");
        assert_eq!(svg.matches(" role=").count(), 1, "{svg}");
    }

    #[test]
    fn titles_come_from_the_diagram_and_bad_diagrams_say_why() {
        assert_eq!(title_of("pie title Sessions\n \"A\" : 1"), "Sessions");
        assert_eq!(title_of("gantt\n  title Plan\n"), "Plan");
        assert_eq!(title_of("%% note\nsequenceDiagram\n  A->>B: hi"), "Sequence diagram");
        assert!(to_svg("notadiagram\n  x y", "d-2").is_err());
    }
}
