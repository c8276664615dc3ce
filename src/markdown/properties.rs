//! Front matter properties as the properties block shows them: typed values
//! (text, dates, numbers, URLs, links) in the order the file writes them.
//!
//! Resolved here, beside the body's links, so a `[[wikilink]]` in a property
//! resolves the same way, is recorded as one of the page's links (a backlink
//! of its target, with the property name as context, updated by `serve` like
//! any link) and is reported at its `file:line:col` when it names no note.
//! Templates only print the result; they never parse values.

use super::links::{resolve_wiki, Resolved};
use super::{linking, MarkdownContext, PageLink, Rendered, Source};
use crate::config::find_key;
use crate::diagnostic::{Diagnostic, LineIndex};
use serde::Serialize;
use serde_json::{Map, Value};

/// One property: its name as written and its values (one unless a list).
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Property {
    pub name: String,
    /// A YAML or TOML list: shown as chips.
    pub list: bool,
    pub values: Vec<PropertyValue>,
}

/// One value, cut into parts where text and links alternate.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct PropertyValue {
    pub parts: Vec<Part>,
}

/// A piece of a value. `url` is set for `link` and `url` parts.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Part {
    pub kind: Kind,
    pub text: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    /// A wikilink to a page, heading or file of the site.
    Link,
    /// A wikilink to a note that is not in the site (shown as text).
    Unresolved,
    /// An absolute URL with an allowed scheme.
    Url,
    /// `YYYY-MM-DD` or a datetime starting with it (`text` is as written).
    Date,
    Number,
    /// `text` is `true` or `false`.
    Bool,
}

/// Resolves `properties` and adds them, their links and their findings to
/// `rendered`. Property links come first: the front matter is above the body.
pub fn add(rendered: &mut Rendered, properties: &Map<String, Value>, src: &Source<'_>, cx: &MarkdownContext<'_>) {
    let front = &src.text[..src.body_offset.min(src.text.len())];
    let mut r = Resolver { src, cx, lines: LineIndex::new(src.text), links: Vec::new(), found: Vec::new() };
    let mut named: Vec<(usize, &String, &Value)> =
        properties.iter().map(|(k, v)| (find_key(front, k).unwrap_or(usize::MAX), k, v)).collect();
    named.sort_by_key(|(at, name, _)| (*at, *name));
    for (at, name, value) in named {
        let at = if at == usize::MAX { 0 } else { at };
        if let Some(p) = r.property(name, value, at) {
            rendered.properties.push(p);
        }
    }
    rendered.links.splice(0..0, r.links);
    rendered.diagnostics.extend(r.found);
}

struct Resolver<'a, 's> {
    src: &'a Source<'s>,
    cx: &'a MarkdownContext<'a>,
    lines: LineIndex<'s>,
    links: Vec<PageLink>,
    found: Vec<Diagnostic>,
}

impl Resolver<'_, '_> {
    /// `at` is the byte offset of the property's key; links are looked for after it.
    fn property(&mut self, name: &str, value: &Value, at: usize) -> Option<Property> {
        let mut cursor = at;
        let (list, items): (bool, Vec<&Value>) = match value {
            Value::Array(items) => (true, items.iter().collect()),
            other => (false, vec![other]),
        };
        let values: Vec<PropertyValue> = items.into_iter().filter_map(|v| self.value(name, v, &mut cursor)).collect();
        (!values.is_empty()).then(|| Property { name: name.to_string(), list, values })
    }

    fn value(&mut self, name: &str, value: &Value, cursor: &mut usize) -> Option<PropertyValue> {
        let part = |kind, text: String| Part { kind, text, url: None };
        let parts = match value {
            Value::Null => return None,
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => self.text(name, s.trim(), cursor),
            Value::Bool(b) => vec![part(Kind::Bool, b.to_string())],
            Value::Number(n) => vec![part(Kind::Number, n.to_string())],
            // Obsidian shows nested values as they are written.
            other => vec![part(Kind::Text, other.to_string())],
        };
        Some(PropertyValue { parts })
    }

    /// A text value: wikilinks among text, else a date, a URL or plain text.
    fn text(&mut self, name: &str, s: &str, cursor: &mut usize) -> Vec<Part> {
        if s.contains("[[") {
            return self.with_links(name, s, cursor);
        }
        let kind = if is_date(s) {
            Kind::Date
        } else if is_url(s) {
            Kind::Url
        } else {
            Kind::Text
        };
        let url = (kind == Kind::Url).then(|| s.to_string());
        vec![Part { kind, text: s.to_string(), url }]
    }

    fn with_links(&mut self, name: &str, s: &str, cursor: &mut usize) -> Vec<Part> {
        let mut parts = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find("[[") {
            let Some(close) = rest[open + 2..].find("]]").map(|c| open + 2 + c) else { break };
            // `![[note]]` embeds nothing in a property: it is a link.
            let before = rest[..open].strip_suffix('!').unwrap_or(&rest[..open]);
            if !before.is_empty() {
                parts.push(Part { kind: Kind::Text, text: before.to_string(), url: None });
            }
            parts.push(self.wikilink(name, &rest[open + 2..close], cursor));
            rest = &rest[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part { kind: Kind::Text, text: rest.to_string(), url: None });
        }
        parts
    }

    /// `[[target|label]]` inside a property.
    fn wikilink(&mut self, name: &str, inner: &str, cursor: &mut usize) -> Part {
        let (dest, label) = match inner.split_once('|') {
            Some((d, l)) => (d.trim_end_matches('\\'), Some(l.trim())),
            None => (inner, None),
        };
        let text = label.filter(|l| !l.is_empty()).unwrap_or(dest.trim()).to_string();
        let offset = self.locate(&format!("[[{inner}]]"), cursor);
        let (line, col) = self.lines.line_col(offset);
        let (resolved, candidates) = resolve_wiki(dest, self.cx.targets);
        if !candidates.is_empty() {
            self.diagnose(crate::diagnostic::Severity::Warning, offset, linking::ambiguous(dest, &candidates));
        }
        match resolved {
            Resolved::Page { url, target, anchor } => {
                self.links.push(PageLink { target, anchor, line, col, context: name.to_string() });
                Part { kind: Kind::Link, text, url: Some(url) }
            }
            Resolved::Url(url) => Part { kind: Kind::Link, text, url: Some(url) },
            Resolved::Broken { target } => {
                if let Some((severity, message)) = linking::broken(self.cx, &target) {
                    self.diagnose(severity, offset, message);
                }
                Part { kind: Kind::Unresolved, text, url: None }
            }
            _ => Part { kind: Kind::Text, text, url: None },
        }
    }

    /// Byte offset of `raw` at or after `cursor` in the front matter (the
    /// cursor moves past it, so a link written twice is found twice); the
    /// cursor itself when the value was written some other way (escaped).
    fn locate(&self, raw: &str, cursor: &mut usize) -> usize {
        let front = &self.src.text[..self.src.body_offset.min(self.src.text.len())];
        match front.get(*cursor..).and_then(|rest| rest.find(raw)) {
            Some(i) => {
                let at = *cursor + i;
                *cursor = at + raw.len();
                at
            }
            None => *cursor,
        }
    }

    fn diagnose(&mut self, severity: crate::diagnostic::Severity, offset: usize, message: String) {
        let mut d = Diagnostic::error(self.src.file, message).at_index(&self.lines, offset);
        d.severity = severity;
        self.found.push(d);
    }
}

/// `2024-05-31`, or a datetime that starts with it.
fn is_date(s: &str) -> bool {
    let time_like = |rest: &str| rest.chars().all(|c| c.is_ascii_digit() || "T :.+-Z".contains(c));
    crate::frontmatter::parse_date(s).is_some() && time_like(&s[10..])
}

/// An absolute URL with a scheme the site allows (never `javascript:`).
fn is_url(s: &str) -> bool {
    !s.contains(char::is_whitespace) && crate::urls::scheme_of(s).is_some() && crate::urls::check_scheme(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_urls_are_recognised_strictly() {
        assert!(is_date("2024-05-31") && is_date("2024-05-31T10:00:00Z") && is_date("2024-05-31 10:00"));
        assert!(!is_date("2024-05-31 review") && !is_date("31 May"));
        assert!(is_url("https://example.org/x") && is_url("mailto:a@b.org"));
        assert!(!is_url("javascript:alert(1)") && !is_url("Note: see this") && !is_url("/relative"));
    }
}
