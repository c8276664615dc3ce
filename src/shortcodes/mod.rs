//! Shortcodes: Zola's `{{ name(…) }}` and `{% name(…) %}…{% end %}` run as
//! tera templates; their escapes print literally; Hugo's `{{< … >}}` and
//! `{{% … %}}` are left exactly as written.
//!
//! A pass over the body before markdown parses it: each call is replaced by
//! a marker of exactly its byte length (its other lines become blank), so
//! every later offset, and so every later diagnostic's line and column,
//! still points into the original file. The markers are swapped for the
//! outputs once the page's HTML is written and sanitised.

pub mod parse;
pub mod render;

use parse::{Found, What};
pub use render::{Call, Kind, PageInfo, Registry, SiteInfo};
use std::collections::HashMap;
use std::ops::Range;

const OPEN: char = '\u{FFF9}';
const CLOSE: char = '\u{FFFB}';

/// What a marker stands for once markdown is rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A `.html` shortcode's output.
    Html(String),
    /// A `.md` shortcode's output, still to be rendered as markdown.
    Markdown(String),
    /// An escape's text, printed as written.
    Literal(String),
    /// A Hugo shortcode, as written.
    Foreign(String),
}

/// A body with its calls masked, and what each marker stands for.
#[derive(Debug, Default)]
pub struct Expanded {
    pub masked: String,
    /// Output and the call's offset in the body, by marker number.
    pub outputs: Vec<(Output, usize)>,
    /// Problems at body offsets.
    pub errors: Vec<(usize, String)>,
    /// Warnings at body offsets.
    pub warnings: Vec<(usize, String)>,
    /// Hugo shortcodes met: name and offset.
    pub foreign: Vec<(String, usize)>,
    /// The names of the calls run (known or not), so the page's markdown is
    /// rendered again when one of their templates changes.
    pub called: Vec<String>,
}

/// Runs every call in `body` outside the `code` ranges.
pub fn expand(body: &str, code: &[Range<usize>], registry: &Registry, page: &PageInfo<'_>) -> Expanded {
    let (found, errors) = parse::scan(body, code);
    let mut x = Expanded { errors: errors.into_iter().map(|e| (e.at, e.message)).collect(), ..Expanded::default() };
    let mut nth: HashMap<String, usize> = HashMap::new();
    let mut last = 0;
    for Found { span, what } in found {
        let text = &body[span.clone()];
        let output = match what {
            What::Literal(literal) => Output::Literal(literal),
            What::Foreign { name } => {
                x.foreign.push((name, span.start));
                Output::Foreign(text.to_string())
            }
            What::Call { name, args, body: call_body } => {
                if !x.called.contains(&name) {
                    x.called.push(name.clone());
                }
                let n = nth.entry(name.clone()).or_default();
                *n += 1;
                let call = Call { name: &name, args: &args, body: call_body.as_deref(), nth: *n, page: page.clone() };
                match registry.run(call) {
                    Ok((out, Kind::Html)) => Output::Html(out),
                    Ok((out, Kind::Markdown)) => Output::Markdown(out),
                    Err(message) => {
                        x.errors.push((span.start, message));
                        continue;
                    }
                }
            }
        };
        let Some(mask) = mask(text, x.outputs.len()) else { continue };
        x.masked.push_str(&body[last..span.start]);
        x.masked.push_str(&mask);
        last = span.end;
        x.outputs.push((output, span.start));
    }
    x.masked.push_str(&body[last..]);
    guard_markers(&mut x, body);
    x
}

/// The marker characters written in the page itself would be read as
/// markers: each becomes U+FFFD (the same three bytes long, so offsets
/// hold), with a warning at it.
fn guard_markers(x: &mut Expanded, body: &str) {
    if !x.masked.contains([OPEN, CLOSE]) {
        return;
    }
    let own: Vec<usize> = body.match_indices([OPEN, CLOSE]).map(|(at, _)| at).collect();
    let mut masked = x.masked.clone().into_bytes();
    for &at in &own {
        // Only where the masked body still holds the page's own character (not a marker's).
        if body.get(at..at + 3) == x.masked.get(at..at + 3) {
            masked[at..at + 3].copy_from_slice("\u{FFFD}".as_bytes());
            x.warnings
                .push((at, "a U+FFF9/U+FFFB character (which rapport uses internally) was replaced by U+FFFD".into()));
        }
    }
    x.masked = String::from_utf8(masked).expect("3-byte characters swapped for a 3-byte character");
}

/// Pads a marker to its call's length: a letter, which no markdown rule
/// touches (trailing spaces would make a hard break).
const PAD: char = 'z';

/// `text` replaced by marker `n` (padded inside), its line breaks kept;
/// the other lines become blank. `None` when the first line is too short.
fn mask(text: &str, n: usize) -> Option<String> {
    let digits = n.to_string();
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i == 0 {
            let pad = line.len().checked_sub(digits.len() + OPEN.len_utf8() + CLOSE.len_utf8())?;
            out.push(OPEN);
            out.push_str(&digits);
            out.extend(std::iter::repeat_n(PAD, pad));
            out.push(CLOSE);
        } else {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', line.len()));
        }
    }
    Some(out)
}

/// Puts each output in place of its marker. `pieces[n]` is (block form,
/// inline form): a paragraph holding only markers becomes their block forms.
pub fn fill(html: &str, pieces: &[(String, String)]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(k) = rest.find(OPEN) {
        let before = &rest[..k];
        if let Some(p) = before.strip_suffix("<p>") {
            if let Some((blocks, after)) = lone_markers(&rest[k..], pieces) {
                out.push_str(p);
                out.push_str(&blocks);
                rest = after;
                continue;
            }
        }
        out.push_str(before);
        match marker_at(&rest[k..]) {
            Some((n, after)) if n < pieces.len() => {
                out.push_str(&pieces[n].1);
                rest = after;
            }
            _ => {
                out.push(OPEN);
                rest = &rest[k + OPEN.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The marker opening `s`: its number and what follows it.
fn marker_at(s: &str) -> Option<(usize, &str)> {
    let after = s.strip_prefix(OPEN)?;
    let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
    let n = after[..digits].parse().ok()?;
    let tail = after[digits..].trim_start_matches(PAD).strip_prefix(CLOSE)?;
    Some((n, tail))
}

/// Markers and white space up to `</p>`: their block forms and what follows.
fn lone_markers<'h>(mut s: &'h str, pieces: &[(String, String)]) -> Option<(String, &'h str)> {
    let mut blocks = Vec::new();
    loop {
        s = s.trim_start();
        if let Some(after) = s.strip_prefix("</p>") {
            return (!blocks.is_empty()).then(|| (blocks.join("\n"), after));
        }
        let (n, after) = marker_at(s)?;
        blocks.push(pieces.get(n)?.0.as_str());
        s = after;
    }
}

/// Text with each marker replaced by its output's text (for plain text:
/// search, previews); anything else is kept, a stray marker character too.
pub fn fill_text(text: &str, texts: &[String]) -> String {
    if !text.contains(OPEN) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(k) = rest.find(OPEN) {
        out.push_str(&rest[..k]);
        match marker_at(&rest[k..]) {
            Some((n, after)) => {
                out.push_str(texts.get(n).map_or("", String::as_str));
                rest = after;
            }
            None => {
                out.push(OPEN);
                rest = &rest[k + OPEN.len_utf8()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text with the markers taken out; anything else is kept, a stray marker character too.
pub fn strip_markers(text: &str) -> String {
    fill_text(text, &[])
}

/// True when a body may hold anything this pass handles.
pub fn may_hold(body: &str) -> bool {
    body.contains("{{") || body.contains("{%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_characters_in_the_page_are_replaced_and_warned() {
        let body = "a \u{FFF9}0\u{FFFB} b {{ x() }}";
        let x = expand(body, &[], &Registry::default(), &PageInfo::default());
        assert_eq!(x.masked.len(), body.len());
        assert_eq!(x.masked, "a \u{FFFD}0\u{FFFD} b {{ x() }}", "the unknown call is left (and an error)");
        assert_eq!(x.errors.len(), 1);
        assert_eq!(x.warnings.iter().map(|w| w.0).collect::<Vec<_>>(), [2, 6]);
    }

    #[test]
    fn stripping_keeps_a_stray_marker_character_and_what_follows() {
        assert_eq!(strip_markers("a\u{FFF9}0zz\u{FFFB}b"), "ab");
        assert_eq!(strip_markers("a\u{FFF9}text\u{FFFB}b"), "a\u{FFF9}text\u{FFFB}b");
    }

    #[test]
    fn masks_keep_length_and_lines() {
        let text = "{% q() %}\nbody ü\n{% end %}";
        let m = mask(text, 3).unwrap();
        assert_eq!(m.len(), text.len());
        assert_eq!(m.matches('\n').count(), 2);
        assert!(m.starts_with("\u{FFF9}3zz\u{FFFB}"));
    }

    #[test]
    fn fill_lifts_a_lone_marker_out_of_its_paragraph() {
        let pieces = vec![("<div>b</div>".to_string(), "<span>i</span>".to_string())];
        assert_eq!(fill("<p>\u{FFF9}0\u{FFFB}</p>\n", &pieces), "<div>b</div>\n");
        let two = fill("<p>\u{FFF9}0zz\u{FFFB}\n\u{FFF9}0\u{FFFB}</p>", &pieces);
        assert_eq!(two, "<div>b</div>\n<div>b</div>");
        assert_eq!(fill("<p>a \u{FFF9}0\u{FFFB} c</p>", &pieces), "<p>a <span>i</span> c</p>");
        assert_eq!(strip_markers("a \u{FFF9}0\u{FFFB} c"), "a  c");
    }
}
