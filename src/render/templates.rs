//! The tera instance for a build, and template errors people can act on.

use super::recursion::{self, Origins};
use crate::diagnostic::Diagnostic;
use crate::parse::Doc;
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::path::Path;

pub const REQUIRED: &[&str] =
    &["base.html", "index.html", "section.html", "page.html", "taxonomy_list.html", "taxonomy_term.html", "404.html"];

pub struct Templates {
    tera: tera::Tera,
    origins: Origins,
}

impl Templates {
    /// Compiles every template of the theme (with overrides already applied).
    /// Every template that does not parse is reported, and so is every
    /// include, extends or import cycle, before tera sees any of them: tera
    /// itself would recurse without end on a cycle.
    pub fn new(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let origins: Origins =
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
        let mut parsed = BTreeMap::new();
        for (name, source) in &theme.templates {
            match tera::Template::new(name, None, &source.text) {
                Ok(t) => drop(parsed.insert(name.clone(), t)),
                Err(e) => {
                    errors.push(parse_error(&tera::Error::chain(format!("Failed to parse '{name}'"), e), &origins))
                }
            }
        }
        errors.extend(recursion::cycles(&parsed, &origins));
        errors.extend(recursion::endless_macros(&parsed, &origins));
        if !errors.is_empty() {
            return Err(errors);
        }
        let tera = compile(parsed).map_err(|e| vec![parse_error(&e, &origins)])?;
        Ok(Templates { tera, origins })
    }

    /// The template a front matter field names (`None` when it names none).
    /// A name the theme lacks, or one that leaves `templates/`, is an error
    /// at the field's value: falling back to the default would hide the typo.
    pub fn pick<'a>(&self, doc: &Doc, key: &str, wanted: Option<&'a str>) -> Result<Option<&'a str>, Diagnostic> {
        let Some(name) = wanted else { return Ok(None) };
        let escapes = name.starts_with('/') || name.contains('\\') || name.split('/').any(|c| c == ".." || c == ".");
        let message = if escapes {
            format!("`{key}` must name a file inside templates/, got `{name}`")
        } else if !self.has(name) {
            let known: Vec<&str> =
                self.origins.keys().map(String::as_str).filter(|n| !n.starts_with("partials/")).collect();
            let near =
                known.iter().min_by_key(|k| strsim::levenshtein(k, name)).filter(|k| strsim::levenshtein(k, name) <= 3);
            let hint = near.map(|k| format!("did you mean `{k}`? ")).unwrap_or_default();
            format!("unknown template `{name}` in `{key}`; {hint}the theme has: {}", known.join(", "))
        } else {
            return Ok(Some(name));
        };
        let d = Diagnostic::error(&doc.file, message);
        Err(match crate::frontmatter::value_offset(&doc.source, doc.body_offset, key) {
            Some(offset) => d.at_offset(&doc.source, offset),
            None => d,
        })
    }

    pub fn has(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    pub fn render(&self, name: &str, cx: &tera::Context, rendering: &Path) -> Result<String, Diagnostic> {
        self.tera.render(name, cx).map_err(|e| self.render_error(name, &e, rendering))
    }

    fn render_error(&self, name: &str, e: &tera::Error, rendering: &Path) -> Diagnostic {
        if let Some(deep) = too_deep(e) {
            return self.too_deep_error(deep, rendering);
        }
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

    /// Located at the macro (or the include) where the stack ran low.
    fn too_deep_error(&self, deep: &recursion::TooDeep, rendering: &Path) -> Diagnostic {
        let (origin, text) = self.origins.get(&deep.template).cloned().unwrap_or_default();
        let why = "it calls itself too many times; make sure the recursion ends";
        let d = Diagnostic::error(origin, format!("{deep}: {why} (while rendering {})", rendering.display()));
        let offset = match (&deep.macro_name, &deep.include) {
            (Some(m), _) => recursion::macro_offset(&text, m),
            (None, Some(i)) => recursion::find_tag(&text, "include", i),
            (None, None) => None,
        };
        match offset {
            Some(offset) => d.at_offset(&text, offset),
            None => d,
        }
    }
}

/// A tera instance over parsed templates, each with its recursion guards.
fn compile(parsed: BTreeMap<String, tera::Template>) -> tera::Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("safe_url", safe_url);
    recursion::register(&mut tera);
    for (name, mut template) in parsed {
        recursion::insert_guards(&mut template);
        tera.templates.insert(name, template);
    }
    tera.build_inheritance_chains()?;
    tera.check_macro_files()?;
    Ok(tera)
}

/// The guard's error, when the render failed because the stack ran low.
fn too_deep(e: &tera::Error) -> Option<&recursion::TooDeep> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(deep) = s.downcast_ref::<recursion::TooDeep>() {
            return Some(deep);
        }
        source = s.source();
    }
    None
}

/// `{{ config.extra.link | safe_url }}`: a URL from `extra` (or any other
/// value a template puts in an `href`) passes the scheme allow-list the rest of
/// the site's URLs pass, or the render fails naming the value.
fn safe_url(value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let url = value.as_str().ok_or_else(|| tera::Error::msg(format!("safe_url expects a string, got {value}")))?;
    crate::urls::check_scheme(url).map_err(tera::Error::msg)?;
    Ok(value.clone())
}

fn parse_error(e: &tera::Error, origins: &Origins) -> Diagnostic {
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
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let mut plain = 0;
    // Every byte that needs escaping is ASCII, so the runs between them are whole characters.
    for (at, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[plain..at]);
        out.push_str(entity);
        plain = at + 1;
    }
    out.push_str(&input[plain..]);
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

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escapes_the_five_characters_html_needs_and_keeps_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain/path"), "plain/path");
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("é<ü>…&"), "é&lt;ü&gt;…&amp;");
    }
}
