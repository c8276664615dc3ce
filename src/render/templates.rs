//! The tera instance for a build, and template errors people can act on.

use crate::diagnostic::Diagnostic;
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const REQUIRED: &[&str] =
    &["base.html", "index.html", "section.html", "page.html", "taxonomy_list.html", "taxonomy_term.html", "404.html"];

pub struct Templates {
    tera: tera::Tera,
    origins: BTreeMap<String, (PathBuf, String)>,
}

impl Templates {
    /// Compiles every template of the theme (with overrides already applied).
    pub fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("safe_url", safe_url);
        let origins: BTreeMap<String, (PathBuf, String)> =
            theme.templates.iter().map(|(n, s)| (n.clone(), (s.origin.clone(), s.text.clone()))).collect();
        let mut errors = Vec::new();
        for name in REQUIRED {
            if !origins.contains_key(*name) {
                errors.push(Diagnostic::error(
                    format!("templates/{name}"),
                    format!("the theme has no `{name}` template"),
                ));
            }
        }
        let raw: Vec<(&str, &str)> = theme.templates.iter().map(|(n, s)| (n.as_str(), s.text.as_str())).collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            errors.push(parse_error(&e, &origins));
        }
        if errors.is_empty() {
            Ok(Templates { tera, origins })
        } else {
            Err(errors)
        }
    }

    /// The template to use: the one asked for when it exists, else the default.
    pub fn pick<'a>(&self, wanted: Option<&'a str>, default: &'a str) -> &'a str {
        match wanted {
            Some(name) if self.origins.contains_key(name) => name,
            _ => default,
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    pub fn render(&self, name: &str, cx: &tera::Context, rendering: &Path) -> Result<String, Diagnostic> {
        self.tera.render(name, cx).map_err(|e| self.render_error(name, &e, rendering))
    }

    fn render_error(&self, name: &str, e: &tera::Error, rendering: &Path) -> Diagnostic {
        let chain = error_chain(e);
        // The innermost template named in the chain is where the problem is.
        let culprit = self
            .origins
            .keys()
            .filter_map(|n| chain.rfind(&format!("'{n}'")).map(|at| (at, n)))
            .max_by_key(|(at, _)| *at)
            .map_or_else(|| name.to_string(), |(_, n)| n.clone());
        let (origin, text) = self.origins.get(&culprit).cloned().unwrap_or_default();
        let d = Diagnostic::error(origin, format!("{chain} (while rendering {})", rendering.display()));
        match locate_in_template(&chain, &text) {
            Some(offset) => d.at_offset(&text, offset),
            None => d,
        }
    }
}

/// `{{ config.extra.link | safe_url }}`: a URL from `extra` (or any other
/// value a template puts in an `href`) passes the scheme allow-list the rest of
/// the site's URLs pass, or the render fails naming the value.
fn safe_url(value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let url = value.as_str().ok_or_else(|| tera::Error::msg(format!("safe_url expects a string, got {value}")))?;
    crate::urls::check_scheme(url).map_err(tera::Error::msg)?;
    Ok(value.clone())
}

fn parse_error(e: &tera::Error, origins: &BTreeMap<String, (PathBuf, String)>) -> Diagnostic {
    let chain = error_chain(e);
    let culprit = origins.keys().find(|n| chain.contains(&format!("'{n}'")));
    let Some(name) = culprit else {
        return Diagnostic::error("templates", chain);
    };
    let (origin, text) = &origins[name];
    let d = Diagnostic::error(origin, chain.clone());
    // tera parse errors carry ` --> line:col`.
    match chain.split("--> ").nth(1).and_then(|rest| {
        let mut it = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        Some((it.next()?.parse::<usize>().ok()?, it.next()?.parse::<usize>().ok()?))
    }) {
        Some((line, col)) => d.at(text, line, col),
        None => d,
    }
}

/// Escapes what HTML needs escaped (`& < > " '`); tera's default also
/// escapes `/`, which bloats every URL without making anything safer.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// All messages of a tera error and its sources, on one line.
fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// Finds where a render error points in the template: the variable or
/// filter tera names, searched for in the source.
fn locate_in_template(chain: &str, text: &str) -> Option<usize> {
    let quoted = |marker: &str| chain.split(marker).nth(1).and_then(|r| r.split('`').next()).map(str::to_string);
    let needle = quoted("Variable `").or_else(|| quoted("Filter `")).or_else(|| quoted("Function `"))?;
    text.find(&needle)
}
