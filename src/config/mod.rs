//! `site.toml`: parsed into the raw serde structs of `raw`, then validated
//! into a [`Config`] with paths resolved, so that no later stage ever sees an
//! unchecked setting. `locate` finds where a key sits, for errors.

mod locate;
mod raw;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
pub use locate::{find_key, find_value};
use locate::{key_error, value_error};
use raw::{RawConfig, RawMarkdown, RawReviews, RawSchema, RawTaxonomy};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "site.toml";

/// Validated settings of one site.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/docs/`): every site URL starts with it.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub taxonomies: Vec<String>,
    /// The taxonomies whose terms each get a feed (`feed = true`).
    pub feed_taxonomies: Vec<String>,
    /// The taxonomies whose term pages are paginated (`paginate_by`).
    pub paginated_taxonomies: BTreeMap<String, Paging>,
    pub strict_links: bool,
    /// A front matter key that looks like a misspelt known one is an error,
    /// not a warning (it is kept as a custom property otherwise).
    pub strict_front_matter: bool,
    pub disclaimer: Option<String>,
    /// `ignore`: globs of `content/` paths that are not part of the site.
    pub ignore: globset::GlobSet,
    /// `home = "Start.md"`: the note shown at `/` (relative to `content/`).
    pub home: Option<PathBuf>,
    pub markdown: MarkdownOptions,
    /// `[check] orphans`: warn about pages no other page links to. Off by
    /// default: docs sites link most pages from the nav only, so the warnings
    /// would bury the real findings.
    pub check_orphans: bool,
    /// `[search] synonyms`: groups of words and phrases that find each other.
    pub search_synonyms: Vec<Vec<String>>,
    pub extra: serde_json::Value,
    /// Every theme word (the language's shipped table, then `[labels]`).
    pub labels: std::collections::BTreeMap<String, String>,
    /// Site paths (or absolute URLs) of the favicon and the header logo.
    pub favicon: Option<String>,
    pub logo: Option<String>,
    pub schema: SchemaOptions,
    /// `glossary = "glossary"`: the section (a folder under `content/`) whose
    /// pages define terms; a term's first use on a page links to it.
    pub glossary: Option<String>,
    /// `offline = true`: a service worker keeps the pages read (and their
    /// search files) for reading without a network.
    pub offline: bool,
    /// `[reviews]`, with today's date (see [`crate::reviews`]).
    pub reviews: crate::reviews::ReviewSettings,
    /// `bibliography = "references.bib"`: the BibLaTeX file citations cite
    /// (relative to the site root).
    pub bibliography: Option<PathBuf>,
    /// `citation_style`: a CSL style of hayagriva's archive (`apa` by default).
    pub citation_style: String,
}

/// `[schema]`, with defaults that fit any site.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaOptions {
    /// schema.org type of a page: `WebPage` unless the site says otherwise.
    pub page_type: String,
    /// `audienceType` of the pages' audience, when the site names one.
    pub audience: Option<String>,
    /// schema.org type of that audience (`Audience`, `MedicalAudience`).
    pub audience_type: String,
}

#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    pub smart_punctuation: bool,
    pub highlight_code: bool,
    pub highlight_theme: String,
    pub highlight_theme_dark: String,
    /// Pass raw HTML through unchanged instead of sanitising it.
    pub unsafe_html: bool,
    pub external_links_new_tab: bool,
    /// Show front matter properties as a block under the title (Obsidian
    /// Publish's properties); their links count either way.
    pub properties: bool,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// Reads and validates `ROOT/site.toml`.
    pub fn load(root: &Path) -> Result<Config> {
        Config::load_with(root, &Overrides::default())
    }

    /// Reads `ROOT/site.toml` and validates it with the command line's
    /// overrides applied, so no setting changes after validation.
    pub fn load_with(root: &Path, overrides: &Overrides) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() && root.join("config.toml").is_file() {
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {}: rapport does not read Zola's config.toml; create {CONFIG_FILE} with the \
                 keys it shares (title, description, base_url, theme, output_dir, taxonomies, [markdown] \
                 smart_punctuation, [extra]); any key it does not know is an error at its line",
                root.display()
            )));
        }
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {} (run `rapport init DIR` to start a site, or pass --root)",
                root.display()
            )));
        }
        let bytes = std::fs::read(&path).at_path(&path)?;
        let source = crate::load::utf8_text(bytes, Path::new(CONFIG_FILE))?;
        Config::parse_with(root, &source, overrides)
    }

    pub fn parse(root: &Path, source: &str) -> Result<Config> {
        Config::parse_with(root, source, &Overrides::default())
    }

    fn parse_with(root: &Path, source: &str, overrides: &Overrides) -> Result<Config> {
        let raw: RawConfig = toml::from_str(source).map_err(|e| {
            let d = Diagnostic::error(CONFIG_FILE, e.message().trim().to_string());
            match e.span() {
                Some(span) => d.at_offset(source, span.start),
                None => d,
            }
        })?;
        resolve(root, raw, source, overrides)
    }
}

/// What the command line sets over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--output`, relative to the site root like `output_dir`.
    pub output: Option<PathBuf>,
    /// `check` holds every broken link to be an error.
    pub strict_links: bool,
}

fn resolve(root: &Path, raw: RawConfig, source: &str, overrides: &Overrides) -> Result<Config> {
    let base_url = match &overrides.base_url {
        Some(url) => normalise_base_url(url).map_err(Error::Usage)?,
        None => normalise_base_url(raw.base_url.as_deref().unwrap_or("http://127.0.0.1:1111/"))
            .map_err(|m| key_error(source, "base_url", m))?,
    };
    let markdown = resolve_markdown(raw.markdown);
    for (key, name) in
        [("highlight_theme", &markdown.highlight_theme), ("highlight_theme_dark", &markdown.highlight_theme_dark)]
    {
        if !crate::highlight::theme_exists(name) {
            let known = crate::highlight::theme_names().join(", ");
            return Err(key_error(source, key, format!("unknown highlight theme `{name}`; known: {known}")).into());
        }
    }
    let theme = raw.theme.unwrap_or_else(|| crate::theme::DEFAULT_THEME.into());
    if theme.is_empty() || theme.contains(['/', '\\', '\0']) || theme.starts_with('.') {
        return Err(
            key_error(source, "theme", format!("theme must be a folder name under themes/, got `{theme}`")).into()
        );
    }
    if theme != crate::theme::DEFAULT_THEME && !root.join("themes").join(&theme).is_dir() {
        let message = format!(
            "theme `{theme}` not found: no folder themes/{theme}/ (the built-in theme is `{}`)",
            crate::theme::DEFAULT_THEME
        );
        return Err(key_error(source, "theme", message).into());
    }
    let Taxonomies { names: taxonomies, feeds: feed_taxonomies, paginated: paginated_taxonomies } =
        taxonomy_settings(raw.taxonomies);
    let ignore = ignore_globs(&raw.ignore, source)?;
    let search_synonyms = synonym_groups(raw.search.synonyms, source)?;
    let home =
        raw.home.as_deref().map(|h| home_note(root, h)).transpose().map_err(|m| value_error(source, "home", m))?;
    let extra = match raw.extra {
        Some(table) => toml_to_json(toml::Value::Table(table)),
        None => serde_json::Value::Object(Default::default()),
    };
    let language = raw.language.unwrap_or_else(|| "en".into());
    let favicon = raw.favicon.map(|f| site_file(root, source, "favicon", f)).transpose()?;
    let logo = raw.logo.map(|f| site_file(root, source, "logo", f)).transpose()?;
    let schema = resolve_schema(raw.schema, source)?;
    let glossary = raw.glossary.map(|g| glossary_section(root, source, g)).transpose()?;
    let bibliography = raw.bibliography.map(|b| bibliography_file(root, source, b)).transpose()?;
    let citation_style = raw.citation_style.unwrap_or_else(|| "apa".into());
    if crate::citations::bibliography::style_named(&citation_style).is_none() {
        let message = format!(
            "citation_style: `{citation_style}` is not a style rapport knows (try apa, american-medical-association, vancouver, harvard-cite-them-right, ieee, chicago-author-date)"
        );
        return Err(value_error(source, "citation_style", message).into());
    }
    let reviews = resolve_reviews(raw.reviews, source)?;
    Ok(Config {
        reviews,
        bibliography,
        citation_style,
        labels: crate::labels::resolve(&language, &raw.labels),
        favicon,
        logo,
        schema,
        glossary,
        offline: raw.offline.unwrap_or(false),
        root: root.to_path_buf(),
        title: raw.title.unwrap_or_else(|| "Untitled site".into()),
        description: raw.description.unwrap_or_default(),
        base_path: base_path_of(&base_url),
        base_url,
        language,
        theme,
        output_dir: match &overrides.output {
            Some(out) => root.join(out),
            None => root.join(raw.output_dir.as_deref().unwrap_or("public")),
        },
        taxonomies,
        feed_taxonomies,
        paginated_taxonomies,
        strict_links: overrides.strict_links || raw.strict_links.unwrap_or(false),
        strict_front_matter: raw.strict_front_matter.unwrap_or(false),
        disclaimer: raw.disclaimer,
        ignore,
        home,
        markdown,
        check_orphans: raw.check.orphans.unwrap_or(false),
        search_synonyms,
        extra,
    })
}

/// `[reviews] every` checked, and today's date read once for the whole build.
fn resolve_reviews(raw: RawReviews, source: &str) -> Result<crate::reviews::ReviewSettings> {
    let every = raw
        .every
        .map(|e| crate::reviews::Interval::parse(&e))
        .transpose()
        .map_err(|m| value_error(source, "every", format!("[reviews] every: {m}")))?;
    let today = crate::reviews::today().map_err(Error::Usage)?;
    Ok(crate::reviews::ReviewSettings { every, today })
}

/// `favicon`/`logo`: an absolute URL, or a file the site ships in `static/`
/// (`logo.svg`, `/img/logo.png`), returned as a site path without the
/// leading slash. A missing file is an error at the value.
fn site_file(root: &Path, source: &str, key: &str, value: String) -> Result<String> {
    if value.starts_with("https://") || value.starts_with("http://") {
        return Ok(value);
    }
    crate::urls::check_path(&value).map_err(|m| value_error(source, key, format!("{key}: {m}")))?;
    let rel = value.trim_start_matches('/').to_string();
    let shipped = root.join("static").join(&rel).is_file()
        || root.join("themes").join(crate::theme::DEFAULT_THEME).join("static").join(&rel).is_file();
    if !shipped {
        let message = format!("{key}: no file static/{rel} (put the image in static/, or give an https:// URL)");
        return Err(value_error(source, key, message).into());
    }
    Ok(rel)
}

/// `bibliography`: a file inside the site (`references.bib`), which must exist.
fn bibliography_file(root: &Path, source: &str, value: String) -> Result<PathBuf> {
    crate::urls::check_path(&value).map_err(|m| value_error(source, "bibliography", format!("bibliography: {m}")))?;
    let rel = PathBuf::from(value.trim_start_matches('/'));
    if !root.join(&rel).is_file() {
        let message = format!("bibliography: no file {} in the site", rel.display());
        return Err(value_error(source, "bibliography", message).into());
    }
    Ok(rel)
}

/// A schema.org type name: letters and digits, starting with a capital.
fn resolve_schema(raw: RawSchema, source: &str) -> Result<SchemaOptions> {
    let check = |key: &str, v: Option<String>, default: &str| -> Result<String> {
        let v = v.unwrap_or_else(|| default.into());
        let ok = v.starts_with(|c: char| c.is_ascii_uppercase()) && v.chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(v)
        } else {
            let message = format!("[schema] {key}: `{v}` is not a schema.org type name (like `WebPage`)");
            Err(value_error(source, key, message).into())
        }
    };
    Ok(SchemaOptions {
        page_type: check("type", raw.page_type, "WebPage")?,
        audience_type: check("audience_type", raw.audience_type, "Audience")?,
        audience: raw.audience,
    })
}

/// `glossary`: a folder under `content/`, given as its path (`glossary`,
/// `reference/terms`); returned with a trailing slash.
fn glossary_section(root: &Path, source: &str, value: String) -> Result<String> {
    crate::urls::check_path(&value).map_err(|m| value_error(source, "glossary", format!("glossary: {m}")))?;
    let rel = value.trim_matches('/').to_string();
    if rel.is_empty() || !root.join("content").join(&rel).is_dir() {
        let message = format!("glossary: no folder content/{rel} (name the section that defines the terms)");
        return Err(value_error(source, "glossary", message).into());
    }
    Ok(format!("{rel}/"))
}

/// `ignore = [...]`, matched against paths relative to `content/`; a bad
/// glob is an error at the line that holds it.
/// How a listing is cut into pagers: `by` pages to a pager, pagers 2.. under
/// `<listing>/<path>/<n>/` (Zola's `paginate_by` and `paginate_path`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub by: usize,
    pub path: String,
}

impl Paging {
    /// `None` unless `by` is at least 1; the path defaults to `page`.
    pub fn of(by: Option<usize>, path: Option<&str>) -> Option<Paging> {
        let by = by.filter(|&n| n > 0)?;
        let path = path.unwrap_or("page").trim_matches('/');
        Some(Paging { by, path: if path.is_empty() { "page".into() } else { path.to_string() } })
    }
}

/// The taxonomies' names (`tags` when unset), those whose terms get feeds
/// and those whose term pages are paginated.
struct Taxonomies {
    names: Vec<String>,
    feeds: Vec<String>,
    paginated: BTreeMap<String, Paging>,
}

fn taxonomy_settings(raw: Option<Vec<RawTaxonomy>>) -> Taxonomies {
    let mut out = Taxonomies { names: Vec::new(), feeds: Vec::new(), paginated: BTreeMap::new() };
    let Some(list) = raw else {
        out.names.push("tags".to_string());
        return out;
    };
    for t in list {
        match t {
            RawTaxonomy::Name(n) => out.names.push(n),
            RawTaxonomy::Table(t) => {
                if t.feed {
                    out.feeds.push(t.name.clone());
                }
                if let Some(paging) = Paging::of(t.paginate_by, t.paginate_path.as_deref()) {
                    out.paginated.insert(t.name.clone(), paging);
                }
                out.names.push(t.name);
            }
        }
    }
    out
}

fn ignore_globs(patterns: &[String], source: &str) -> Result<globset::GlobSet> {
    let mut set = globset::GlobSetBuilder::new();
    for pattern in patterns {
        let glob = globset::Glob::new(pattern).map_err(|e| {
            let after_key = find_key(source, "ignore").unwrap_or(0);
            let quoted = source[after_key..].find(pattern.as_str()).map(|at| after_key + at);
            let d = Diagnostic::error(CONFIG_FILE, format!("ignore: `{pattern}` is not a glob: {}", e.kind()));
            d.at_offset(source, quoted.unwrap_or(after_key))
        })?;
        set.add(glob);
    }
    set.build().map_err(|e| Diagnostic::error(CONFIG_FILE, format!("ignore: {e}")).into())
}

/// `[search] synonyms`: every group names two members or more, none of them blank.
fn synonym_groups(groups: Vec<Vec<String>>, source: &str) -> Result<Vec<Vec<String>>> {
    for group in &groups {
        let blank = group.iter().any(|m| !m.chars().any(char::is_alphanumeric));
        if group.len() < 2 || blank {
            let message = format!(
                "search.synonyms: each group needs two or more words or phrases, got {group:?} \
                 (write synonyms = [[\"a11y\", \"accessibility\"], ...])"
            );
            let after_key = find_key(source, "synonyms").unwrap_or(0);
            let member = group.first().and_then(|m| source[after_key..].find(&format!("\"{m}\"")));
            let d = Diagnostic::error(CONFIG_FILE, message);
            return Err(d.at_offset(source, after_key + member.unwrap_or(0)).into());
        }
    }
    Ok(groups)
}

fn resolve_markdown(raw: RawMarkdown) -> MarkdownOptions {
    MarkdownOptions {
        smart_punctuation: raw.smart_punctuation.unwrap_or(true),
        highlight_code: raw.highlight_code.unwrap_or(true),
        highlight_theme: raw.highlight_theme.unwrap_or_else(|| "InspiredGitHub".into()),
        highlight_theme_dark: raw.highlight_theme_dark.unwrap_or_else(|| "base16-ocean.dark".into()),
        unsafe_html: raw.unsafe_html.unwrap_or(false),
        external_links_new_tab: raw.external_links_new_tab.unwrap_or(false),
        properties: raw.properties.unwrap_or(true),
    }
}

/// Accepts `https://host/path` or a bare `/path`; always returns it with a trailing slash.
pub fn normalise_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    crate::urls::check_scheme(url).map_err(|m| format!("base_url: {m}"))?;
    let ok = url.starts_with("http://") || url.starts_with("https://") || url.starts_with('/');
    if !ok || url.contains(|c: char| c.is_whitespace() || c.is_control()) {
        return Err(format!("base_url must start with http://, https:// or /, got `{url}`"));
    }
    Ok(if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

pub fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = if base_url.contains("://") {
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// `home`: a markdown file under `content/` (`.md` may be left out, as in a wikilink).
fn home_note(root: &Path, home: &str) -> std::result::Result<PathBuf, String> {
    crate::urls::check_path(home).map_err(|m| format!("home: {m}"))?;
    let rel = home.trim_start_matches('/');
    let rel = PathBuf::from(if rel.ends_with(".md") { rel.to_string() } else { format!("{rel}.md") });
    if !root.join("content").join(&rel).is_file() {
        return Err(format!("home: no file content/{} (name a note relative to content/)", rel.display()));
    }
    Ok(rel)
}

/// TOML values as JSON for templates; dates become their RFC 3339 text.
pub fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_follows_base_url() {
        assert_eq!(base_path_of("https://example.org/"), "/");
        assert_eq!(base_path_of("https://example.org/docs/"), "/docs/");
        assert_eq!(base_path_of("/kb/"), "/kb/");
    }

    #[test]
    fn unknown_key_lists_expected_and_location() {
        let err = Config::parse(Path::new("."), "title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        let Error::Site(ds) = err else { panic!("wrong error kind") };
        let text = ds[0].to_string();
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("unknown field `titel`") && text.contains("`title`"), "{text}");
    }
}
