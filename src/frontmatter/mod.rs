//! Front matter: splits `+++` TOML or `---` YAML from the body and turns it into
//! a typed [`FrontMatter`].
//!
//! Keys rapport knows (its own, Zola's page and section fields, Obsidian's
//! properties) are typed, and a known key with a value of the wrong type is
//! an error at its own line. Any other key is a custom property kept for
//! templates, as Obsidian keeps it; one that looks like a misspelt known field
//! is also a warning with a suggestion (an error under `strict_front_matter`).
//! Every finding is located from the top of the file, not of the front matter.

pub mod cascade;
mod keys;

pub use crate::dates::parse_date;
pub use cascade::CascadeEntry;
use keys::{sort_keys, written_keys};

use crate::config::{find_key, toml_to_json};
use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
    None,
}

/// A source file cut at its front matter fences. Offsets are bytes from the top.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    pub front: &'a str,
    pub front_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Typed front matter of a page or section.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub reviewed: Option<String>,
    /// Who last reviewed the page (JSON-LD `reviewedBy`).
    pub reviewed_by: Option<String>,
    /// How often it is reviewed (`"12 months"`); else `[reviews] every`.
    pub review_every: Option<String>,
    pub draft: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub template: Option<String>,
    pub extra: Map<String, Value>,
    pub references: Vec<String>,
    /// `search = false` keeps the page out of the search index (Zola: `in_search_index`).
    pub search: Option<bool>,
    pub in_search_index: Option<bool>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    // Zola section fields.
    pub sort_by: Option<SortBy>,
    pub redirect_to: Option<String>,
    pub insert_anchor_links: Option<AnchorLinks>,
    pub page_template: Option<String>,
    pub paginate_by: Option<u32>,
    pub paginate_path: Option<String>,
    /// Zola: pagers list the section's pages in reverse order.
    pub paginate_reversed: bool,
    pub transparent: Option<bool>,
    pub render: Option<bool>,
    pub generate_feeds: Option<bool>,
    pub summary: Option<String>,
    /// Hugo's `cascade`: values passed down to the pages below (see [`crate::cascade`]).
    #[serde(deserialize_with = "cascade::entries")]
    pub cascade: Vec<CascadeEntry>,
    // Obsidian properties.
    pub cssclasses: Vec<String>,
    pub publish: Option<bool>,
    /// Obsidian Publish's URL property: the page's URL path, like `path`.
    pub permalink: Option<String>,
    /// Custom properties (any key rapport does not know), kept for templates.
    #[serde(skip_deserializing)]
    pub properties: Map<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    Weight,
    Date,
    Title,
    None,
}

/// Zola's `insert_anchor_links`: where a section's headings (its own and
/// its pages') carry their `#` link. Unset, the theme's own (right) is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorLinks {
    Left,
    Right,
    /// The heading itself is the link.
    Heading,
    None,
}

/// Cuts the front matter off `source`. An opening fence with no closing one is an error.
pub fn split<'a>(file: &Path, source: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = source.find('\n').map_or(source.len(), |i| i + 1);
    let fence = source[..first_line_end].trim_end();
    let format = match fence {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => return Ok(Split { format: Format::None, front: "", front_offset: 0, body: source, body_offset: 0 }),
    };
    let mut offset = first_line_end;
    for line in source[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let body_offset = offset + line.len();
            return Ok(Split {
                format,
                front: &source[first_line_end..offset],
                front_offset: first_line_end,
                body: &source[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        file,
        format!("front matter opened with `{fence}` is never closed (add a line with `{fence}` after it)"),
    )
    .at(source, 1, 1))
}

/// Parses the front matter of a split file. `source` is the whole file, for locations.
/// What a key that looks like a misspelt known field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typos {
    /// A warning; the key is kept as a custom property (Obsidian allows any).
    Warn,
    /// An error (`strict_front_matter = true`).
    Refuse,
}

impl Typos {
    /// `strict_front_matter` in `site.toml`.
    pub fn strict(strict: bool) -> Typos {
        if strict {
            Typos::Refuse
        } else {
            Typos::Warn
        }
    }
}

/// The typed front matter and its warnings, or every error in it.
/// `defaults` (what a section's `cascade` passes down) fill in what the
/// file itself does not set.
pub fn parse(
    file: &Path,
    source: &str,
    split: &Split<'_>,
    typos: Typos,
    defaults: &Map<String, Value>,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut map = match split.format {
        Format::None if defaults.is_empty() => return Ok((FrontMatter::default(), Vec::new())),
        Format::None => Map::new(),
        Format::Toml => parse_toml(file, source, split).map_err(|d| vec![d])?,
        Format::Yaml => parse_yaml(file, source, split).map_err(|d| vec![d])?,
    };
    cascade::fill_in(&mut map, defaults);
    let written = written_keys(&map);
    let locate = |key: &str, message: String| {
        let d = Diagnostic::error(file, message);
        // A synonym is located as written (`alias:` for `aliases`).
        let key = written.get(key).map_or(key, String::as_str);
        match find_key(split.front, key) {
            Some(off) => d.at_offset(source, split.front_offset + off),
            None => d.at(source, 1, 1),
        }
    };
    let locate_value = |key: &str, message: String| {
        let d = Diagnostic::error(file, message);
        match crate::config::find_value(split.front, key) {
            Some(off) => d.at_offset(source, split.front_offset + off),
            None => locate(key, d.message),
        }
    };
    let (known, properties, typo_findings) = sort_keys(map, split.format, &locate);
    let (mut errors, mut warnings): (Vec<_>, Vec<_>) = match typos {
        Typos::Refuse => (typo_findings, Vec::new()),
        Typos::Warn => (Vec::new(), typo_findings.into_iter().map(Diagnostic::into_warning).collect()),
    };
    let mut fm = typed(known, &locate, &mut errors);
    fm.properties = properties;
    errors.extend(cascaded_types(&fm.cascade, split.format, &locate));
    if let Some(env) = fm.cascade.iter().find_map(|e| e.environment.as_deref()) {
        let message =
            format!("cascade entry for environment `{env}` is not applied: rapport has no build environments");
        warnings.push(locate("cascade", message).into_warning());
    }
    if let Some(lang) = fm.cascade.iter().find_map(|e| e.lang.as_deref()) {
        let message = format!("cascade target `lang = \"{lang}\"` is not checked: rapport builds one language, so the entry applies to every page it matches");
        warnings.push(locate("cascade", message).into_warning());
    }
    errors.extend(validate(&fm, &locate, &locate_value));
    errors.extend(one_url_path(&fm, split.front, &locate));
    if errors.is_empty() {
        Ok((fm, warnings))
    } else {
        // A typo warning still matters when another field is an error.
        errors.extend(warnings);
        Err(errors)
    }
}

/// The known keys as a [`FrontMatter`], with an error for every mistyped
/// field. serde stops at the first bad field, so each one found is reported
/// and dropped and the rest deserialised again (at most once per key).
fn typed(mut known: Map<String, Value>, locate: &Locate<'_>, errors: &mut Vec<Diagnostic>) -> FrontMatter {
    loop {
        match serde_path_to_error::deserialize::<_, FrontMatter>(Value::Object(known.clone())) {
            Ok(fm) => return fm,
            Err(e) => {
                let key = e.path().iter().next().map(|s| s.to_string()).unwrap_or_default();
                errors.push(locate(&key, format!("front matter field `{}`: {}", e.path(), e.inner())));
                if known.remove(&key).is_none() {
                    return FrontMatter::default();
                }
            }
        }
    }
}

/// An error at the `cascade` key for each value it passes down that its
/// field cannot hold, so a bad value is found where it is written, not on every page below.
fn cascaded_types(entries: &[CascadeEntry], format: Format, locate: &Locate<'_>) -> Vec<Diagnostic> {
    let at_cascade = |key: &str, message: String| locate("cascade", format!("cascade: {message} (for `{key}`)"));
    let mut errors = Vec::new();
    for entry in entries {
        let (known, _, _) = sort_keys(entry.values.clone(), format, &at_cascade);
        typed(known, &at_cascade, &mut errors);
    }
    errors
}

type Locate<'a> = dyn Fn(&str, String) -> Diagnostic + 'a;

fn parse_toml(file: &Path, source: &str, split: &Split<'_>) -> Result<Map<String, Value>, Diagnostic> {
    let table: toml::Table = toml::from_str(split.front).map_err(|e| {
        let d = Diagnostic::error(file, format!("invalid TOML front matter: {}", e.message().trim()));
        match e.span() {
            Some(span) => d.at_offset(source, split.front_offset + span.start),
            None => d.at(source, 1, 1),
        }
    })?;
    match toml_to_json(toml::Value::Table(table)) {
        Value::Object(map) => Ok(map),
        _ => unreachable!("a TOML table converts to a JSON object"),
    }
}

fn parse_yaml(file: &Path, source: &str, split: &Split<'_>) -> Result<Map<String, Value>, Diagnostic> {
    let yaml_error = |message: String, offset: Option<usize>| {
        let d = Diagnostic::error(file, format!("invalid YAML front matter: {message}"));
        match offset {
            Some(o) => d.at_offset(source, split.front_offset + o),
            None => d.at(source, 1, 1),
        }
    };
    let value: serde_norway::Value = serde_norway::from_str(split.front)
        .map_err(|e| yaml_error(without_position(&e.to_string()), e.location().map(|l| l.index())))?;
    let mapping = match value {
        serde_norway::Value::Mapping(m) => m,
        serde_norway::Value::Null => return Ok(Map::new()),
        _ => return Err(yaml_error("expected `key: value` pairs".into(), Some(0))),
    };
    // Converted key by key, so a value JSON cannot hold (`created: {{date}}`
    // in a template note is a map keyed by a map) is located at its key.
    let mut map = Map::new();
    for (key, value) in mapping {
        let Some(key) = key.as_str().map(str::to_string) else {
            return Err(yaml_error("a key must be text".into(), None));
        };
        match serde_json::to_value(value) {
            Ok(v) => {
                map.insert(key, v);
            }
            Err(e) => {
                let message = format!("`{key}`: {e} (is it a template placeholder like `{{{{date}}}}`? quote it)");
                return Err(yaml_error(message, find_key(split.front, &key)));
            }
        }
    }
    Ok(map)
}

/// The YAML library appends "at line L column C" counted inside the front
/// matter; the diagnostic already carries the position counted from the top.
fn without_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// `locate` points at a key, `locate_value` at the value it is set to.
fn validate(fm: &FrontMatter, locate: &Locate<'_>, locate_value: &Locate<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (key, value) in [("date", &fm.date), ("updated", &fm.updated), ("reviewed", &fm.reviewed)] {
        if let Some(v) = value {
            if parse_date(v).is_none() {
                errors.push(locate(
                    key,
                    format!("`{key}` must be a date like 2024-05-31 or 2024-05-31T10:00:00Z, got `{v}`"),
                ));
            }
        }
    }
    if let Some(every) = &fm.review_every {
        if let Err(m) = crate::reviews::Interval::parse(every) {
            errors.push(locate_value("review_every", format!("`review_every`: {m}")));
        }
    }
    if let Some(s) = &fm.slug {
        if let Err(m) = crate::urls::check_slug(s) {
            errors.push(locate("slug", m));
        }
    }
    if let Some(p) = &fm.path {
        if let Err(m) = crate::urls::check_path(p) {
            errors.push(locate("path", m));
        }
    }
    if let Some(p) = &fm.permalink {
        if let Err(m) = crate::urls::check_path(p) {
            errors.push(locate("permalink", format!("permalink: {m}")));
        }
    }
    if let Some(to) = &fm.redirect_to {
        if let Err(m) = crate::urls::check_scheme(to) {
            errors.push(locate_value("redirect_to", format!("redirect_to: {m}")));
        }
    }
    for alias in &fm.aliases {
        if let Err(m) = crate::urls::check_path(alias) {
            errors.push(locate("aliases", format!("alias: {m}")));
        }
    }
    errors
}

/// `path` and `permalink` both set the URL: setting both is an error at the
/// one written second.
fn one_url_path(fm: &FrontMatter, front: &str, locate: &Locate<'_>) -> Option<Diagnostic> {
    fm.path.as_ref().zip(fm.permalink.as_ref())?;
    let second = if find_key(front, "path") > find_key(front, "permalink") { "path" } else { "permalink" };
    let first = if second == "path" { "permalink" } else { "path" };
    Some(locate(second, format!("`{second}` and `{first}` both set the page's URL; keep one")))
}

impl FrontMatter {
    /// The URL path front matter sets (`path`, or Obsidian's `permalink`).
    pub fn url_path(&self) -> Option<&str> {
        self.path.as_deref().or(self.permalink.as_deref())
    }
}

/// Byte offset of the value of `key` in the front matter at the top of
/// `source` (which ends at `body_offset`): after its `=` or `:`.
pub fn value_offset(source: &str, body_offset: usize, key: &str) -> Option<usize> {
    let front = &source[..body_offset.min(source.len())];
    let at = find_key(front, key)?;
    let line = front[at..].split('\n').next().unwrap_or_default();
    let sep = line[key.len()..].find(['=', ':'])? + key.len() + 1;
    let value = line[sep..].len() - line[sep..].trim_start().len();
    Some(at + sep + value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(source: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let file = Path::new("p.md");
        let split = split(file, source).map_err(|d| vec![d])?;
        parse(file, source, &split, Typos::Refuse, &Map::new()).map(|(fm, _)| fm)
    }

    #[test]
    fn toml_and_yaml_agree() {
        let t = parse_str("+++\ntitle = \"A\"\ntags = [\"x\"]\ndate = 2024-01-02\n+++\nbody").unwrap();
        let y = parse_str("---\ntitle: A\ntags: x\ndate: 2024-01-02\n---\nbody").unwrap();
        assert_eq!((t.title, t.tags, t.date), (y.title, y.tags, y.date));
    }

    #[test]
    fn typo_is_an_error_with_suggestion_and_location() {
        let errs = parse_str("+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n").unwrap_err();
        let text = errs[0].to_string();
        assert!(text.contains("p.md:3:1") && text.contains("did you mean `title`"), "{text}");
    }

    #[test]
    fn word_forms_are_properties_not_typos() {
        let fm = parse_str("---\nreviewer: Dr A\n---\n").unwrap();
        assert_eq!(fm.properties["reviewer"], "Dr A");
        assert!(parse_str("---\nreviewd: 2024-01-01\n---\n").is_err());
    }

    #[test]
    fn yaml_errors_do_not_repeat_inner_positions() {
        let errs = parse_str("---\ntitle: x\nbad: [unclosed\n---\n").unwrap_err();
        assert!(!errs[0].message.contains(" at line "), "{}", errs[0]);
        assert_eq!(errs[0].file, Path::new("p.md"));
    }

    #[test]
    fn custom_properties_are_kept() {
        let fm = parse_str("---\nstatus: draft-ish\npublish: true\n---\n").unwrap();
        assert_eq!(fm.properties["status"], "draft-ish");
        assert_eq!(fm.publish, Some(true));
    }

    #[test]
    fn value_offset_points_past_the_separator() {
        let source = "+++\ntitle = \"A\"\n\"template\" =  \"x.html\"\n+++\ntemplate = \"body\"";
        let body = source.rfind("+++").unwrap() + 4;
        assert_eq!(value_offset(source, body, "template"), source.find("\"x.html"));
        let yaml = "---\ntemplate:\tx.html\n---\n";
        assert_eq!(value_offset(yaml, yaml.len(), "template"), yaml.find("x.html"));
    }

    #[test]
    fn every_bad_field_is_reported_at_its_own_line() {
        let source = "+++\ntitle = 42\nweight = 1\ndate = [1]\ntitel = \"x\"\ndraft = \"no\"\n+++\n";
        let errs = parse_str(source).unwrap_err();
        let at: Vec<String> = errs.iter().map(|d| format!("{}:{}", d.line, d.col)).collect();
        assert_eq!(errs.len(), 4, "{errs:#?}");
        for (where_, what) in [("2:1", "`title`"), ("4:1", "`date`"), ("5:1", "`titel`"), ("6:1", "`draft`")] {
            let d = errs.iter().find(|d| format!("{}:{}", d.line, d.col) == where_).unwrap_or_else(|| panic!("{at:?}"));
            assert!(d.message.contains(what), "{d}");
        }
    }

    #[test]
    fn wrong_type_names_field_and_line() {
        let errs = parse_str("+++\ndate = 2024-01-01\ntitle = 42\n+++\n").unwrap_err();
        let text = errs[0].to_string();
        assert!(text.contains("p.md:3:1") && text.contains("`title`"), "{text}");
    }
}
