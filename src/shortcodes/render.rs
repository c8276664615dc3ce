//! The shortcode templates (`templates/shortcodes/*.html|md`, the site's over
//! the theme's) in a tera instance of their own, and running one call.
//!
//! Their own instance, because markdown is rendered before the page
//! templates: the markdown stage must not depend on the render stage.

use crate::theme::Theme;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a shortcode's output is, by its template's extension (as Zola decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.html`: the output is HTML, put in after markdown is rendered.
    Html,
    /// `.md`: the output is markdown, rendered with the page's settings.
    Markdown,
}

/// The site-wide part of a shortcode's context.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SiteInfo {
    pub title: String,
    pub base_url: String,
}

/// The page a call is on, as its shortcodes see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageInfo<'a> {
    pub title: &'a str,
    /// The source file relative to `content/`.
    pub path: &'a str,
    pub url: Option<&'a str>,
}

#[derive(Default)]
pub struct Registry {
    tera: tera::Tera,
    /// Name → template name, kind and file (for messages and change tracking).
    known: BTreeMap<String, (String, Kind, PathBuf)>,
    /// Name → fingerprint of what running it depends on (see [`Registry::print`]).
    prints: BTreeMap<String, u64>,
    site: SiteInfo,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("known", &self.known.keys().collect::<Vec<_>>()).finish()
    }
}

impl Registry {
    /// The shortcode templates of the site and its theme (none when the
    /// theme does not load: the build reports that itself).
    pub fn for_site(config: &crate::config::Config) -> Registry {
        let site = SiteInfo { title: config.title.clone(), base_url: config.base_url.clone() };
        match Theme::load(&config.root, &config.theme) {
            Ok(theme) => Registry::from_theme(&theme, &config.root.join("templates"), site),
            Err(_) => Registry::default(),
        }
    }

    /// The theme's shortcode templates. A name with both an `.md` and an
    /// `.html` template takes the site's when only one is the site's, else
    /// the `.html` one. Templates that do not parse are left out here: the
    /// render stage compiles the same files and reports them.
    pub fn from_theme(theme: &Theme, site_templates: &Path, site: SiteInfo) -> Registry {
        let mut known: BTreeMap<String, (String, Kind, PathBuf)> = BTreeMap::new();
        let mut tera = tera::Tera::default();
        tera.register_filter("markdown", markdown_filter);
        for (name, source) in &theme.templates {
            let Some(file) = name.strip_prefix("shortcodes/") else { continue };
            let (stem, kind) = match file.rsplit_once('.') {
                Some((stem, "html")) => (stem, Kind::Html),
                Some((stem, "md")) => (stem, Kind::Markdown),
                _ => continue,
            };
            if stem.contains('/') || tera.add_raw_template(name, &source.text).is_err() {
                continue;
            }
            let mine = source.origin.starts_with(site_templates);
            let wins = match known.get(stem) {
                None => true,
                Some((_, _, other)) => {
                    let theirs = other.starts_with(site_templates);
                    mine && !theirs || mine == theirs && kind == Kind::Html
                }
            };
            if wins {
                known.insert(stem.to_string(), (name.clone(), kind, source.origin.clone()));
            }
        }
        let prints = prints(theme, &known);
        Registry { tera, known, prints, site }
    }

    /// The fingerprint of shortcode `name`: its template's text and kind, and
    /// every shortcode template's when it includes, imports or extends another.
    pub fn print(&self, name: &str) -> Option<u64> {
        self.prints.get(name).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The template files, for knowing when a change touches them.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.known.values().map(|(_, _, f)| f.as_path())
    }

    /// The closest known name, for "did you mean".
    pub fn closest(&self, name: &str) -> Option<&str> {
        let score = |k: &&String| strsim::jaro_winkler(name, k);
        self.known.keys().filter(|k| score(k) > 0.8).max_by(|a, b| score(a).total_cmp(&score(b))).map(|k| k.as_str())
    }

    /// Runs one call: its output and what kind it is, or the error's text.
    pub fn run(&self, call: Call<'_>) -> Result<(String, Kind), String> {
        let Some((template, kind, _)) = self.known.get(call.name) else {
            let hint = self.closest(call.name).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            let names: Vec<&str> = self.known.keys().map(String::as_str).collect();
            let listed = if names.is_empty() { "none".to_string() } else { names.join(", ") };
            return Err(format!(
                "unknown shortcode `{}`{hint}: no templates/shortcodes/{0}.html or .md (known: {listed})",
                call.name
            ));
        };
        let mut cx = tera::Context::new();
        cx.insert("page", &call.page);
        cx.insert("config", &self.site);
        cx.insert("nth", &call.nth);
        if let Some(body) = call.body {
            cx.insert("body", body);
        }
        // Arguments last: they win over the context, as in Zola.
        for (key, value) in call.args {
            cx.insert(key.as_str(), value);
        }
        self.tera.render(template, &cx).map(|out| (out, *kind)).map_err(|e| {
            let mut text = format!("shortcode `{}` failed", call.name);
            let mut source: Option<&dyn std::error::Error> = Some(&e);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            text
        })
    }
}

/// One call, as the template sees it.
pub struct Call<'a> {
    pub name: &'a str,
    pub args: &'a [(String, serde_json::Value)],
    pub body: Option<&'a str>,
    /// How many calls of this name the page has made so far, this one included.
    pub nth: usize,
    pub page: PageInfo<'a>,
}

/// Zola's `markdown` filter, for `.html` shortcodes that render their body
/// themselves (`{{ body | markdown | safe }}`): plain CommonMark with tables,
/// footnotes and definition lists; `inline=true` drops a lone paragraph.
fn markdown_filter(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().ok_or_else(|| tera::Error::msg("the markdown filter takes a string"))?;
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
        | pulldown_cmark::Options::ENABLE_DEFINITION_LIST;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(text, options));
    if args.get("inline").and_then(tera::Value::as_bool) == Some(true) {
        let t = html.trim();
        if let Some(inner) = t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")).filter(|i| !i.contains("<p>")) {
            html = inner.to_string();
        }
    }
    Ok(tera::Value::String(html))
}

/// Each known shortcode's fingerprint (see [`Registry::print`]).
fn prints(theme: &Theme, known: &BTreeMap<String, (String, Kind, PathBuf)>) -> BTreeMap<String, u64> {
    use std::hash::{Hash, Hasher};
    let hash = |value: &dyn Fn(&mut rustc_hash::FxHasher)| {
        let mut h = rustc_hash::FxHasher::default();
        value(&mut h);
        h.finish()
    };
    let text = |template: &str| theme.templates.get(template).map_or("", |s| s.text.as_str());
    let all = hash(&|h| {
        for (template, kind, _) in known.values() {
            (template, text(template), *kind as u8).hash(h);
        }
    });
    let reaches_others = |t: &str| ["include", "import", "extends"].iter().any(|w| t.contains(&format!("{{% {w}")));
    known
        .iter()
        .map(|(name, (template, kind, _))| {
            let t = text(template);
            let shared = reaches_others(t).then_some(all);
            (name.clone(), hash(&|h| (template, t, *kind as u8, shared).hash(h)))
        })
        .collect()
}
