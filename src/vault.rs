//! The Obsidian vault's own settings that decide what is published: the
//! templates folder (core Templates plugin and Templater) and "Excluded
//! files" (`userIgnoreFilters` in `app.json`).
//!
//! The vault may be `content/` or the site root, so both `.obsidian/` folders
//! are read, each with paths relative to its own vault. Obsidian writes these
//! files, not the author, so one that does not parse is a warning naming
//! `file:line:col` and the build goes on without it.

use crate::diagnostic::Diagnostic;
use serde::Deserialize;
use std::path::Path;
use syntect::parsing::Regex;

/// What one vault leaves out.
#[derive(Debug, Clone, Default)]
pub struct VaultRules {
    /// Prepended to a path relative to `content/` to make it relative to the
    /// vault root: `""` when the vault is `content/`, `"content/"` when it is the site root.
    prefix: String,
    /// Template folders: their notes hold `{{date}}` placeholders, never published.
    template_folders: Vec<String>,
    filters: Vec<Filter>,
}

/// One `userIgnoreFilters` entry: a path prefix, or `/regex/` as Obsidian writes it.
#[derive(Debug, Clone)]
enum Filter {
    Prefix(String),
    Regex(Regex),
}

#[derive(Deserialize)]
struct AppJson {
    #[serde(default, rename = "userIgnoreFilters")]
    user_ignore_filters: Vec<String>,
}

#[derive(Deserialize)]
struct TemplatesJson {
    #[serde(default)]
    folder: String,
}

#[derive(Deserialize)]
struct TemplaterJson {
    #[serde(default)]
    templates_folder: String,
}

impl VaultRules {
    /// True when the vault excludes `rel` (a file or folder relative to `content/`).
    pub fn excludes(&self, rel: &str) -> bool {
        let path = format!("{}{rel}", self.prefix);
        let in_folder = |f: &String| path == *f || path.strip_prefix(f.as_str()).is_some_and(|r| r.starts_with('/'));
        self.template_folders.iter().any(in_folder)
            || self.filters.iter().any(|filter| match filter {
                Filter::Prefix(p) => path.starts_with(p.as_str()),
                // `is_match` is anchored at the start with onig; JavaScript's `test` is not.
                Filter::Regex(r) => r.search(&path, 0, path.len(), None),
            })
    }
}

/// The settings files read, relative to a vault's `.obsidian/`.
const SETTINGS: [&str; 3] = ["app.json", "templates.json", "plugins/templater-obsidian/data.json"];

/// True for a settings file this module reads (`rel` relative to the site root).
pub fn is_settings_file(rel: &Path) -> bool {
    let settings = rel.strip_prefix("content/.obsidian").or_else(|_| rel.strip_prefix(".obsidian"));
    settings.is_ok_and(|s| SETTINGS.iter().any(|f| s == Path::new(f)))
}

/// The rules of every vault around `content/`: `content/.obsidian/` and
/// `.obsidian/` beside `site.toml`. File names in warnings are relative to `root`.
pub fn load(root: &Path) -> (Vec<VaultRules>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut rules = Vec::new();
    for (vault, prefix) in [("content", ""), ("", "content/")] {
        let settings = Path::new(vault).join(".obsidian");
        if root.join(&settings).is_dir() {
            let mut r = VaultRules { prefix: prefix.into(), ..VaultRules::default() };
            read_settings(root, &settings, &mut r, &mut warnings);
            rules.push(r);
        }
    }
    (rules, warnings)
}

fn read_settings(root: &Path, settings: &Path, rules: &mut VaultRules, warnings: &mut Vec<Diagnostic>) {
    let app = settings.join(SETTINGS[0]);
    if let Some((json, text)) = read_json::<AppJson>(root, &app, warnings) {
        let mut bad = |entry: &str, e: String| {
            let at = serde_json::to_string(entry).ok().and_then(|quoted| text.find(&quoted)).unwrap_or(0);
            let message = format!("excluded files: `{entry}` is not a regex ({e}); ignored");
            warnings.push(Diagnostic::warning(&app, message).at_offset(&text, at));
        };
        rules.filters = json.user_ignore_filters.iter().filter_map(|f| filter(f, &mut bad)).collect();
    }
    let core = read_json::<TemplatesJson>(root, &settings.join(SETTINGS[1]), warnings).map(|t| t.0.folder);
    let templater = settings.join(SETTINGS[2]);
    let templater = read_json::<TemplaterJson>(root, &templater, warnings).map(|t| t.0.templates_folder);
    // An unset folder is `""`, which must not mean the whole vault.
    let folders = [core, templater].into_iter().flatten().map(|f| f.trim_matches('/').to_string());
    rules.template_folders = folders.filter(|f| !f.is_empty()).collect();
}

/// One `userIgnoreFilters` entry; `bad` hears about a regex that does not compile.
fn filter(entry: &str, bad: &mut impl FnMut(&str, String)) -> Option<Filter> {
    match entry.strip_prefix('/').and_then(|r| r.strip_suffix('/')).filter(|r| !r.is_empty()) {
        Some(pattern) => match Regex::try_compile(pattern) {
            None => Some(Filter::Regex(Regex::new(pattern.to_string()))),
            Some(e) => {
                bad(entry, e.to_string());
                None
            }
        },
        // An empty prefix would exclude the whole vault.
        None => Some(Filter::Prefix(entry.to_string())).filter(|_| !entry.is_empty()),
    }
}

/// A settings file parsed, with its text; `None` when it is missing or malformed (with a warning).
fn read_json<T>(root: &Path, rel: &Path, warnings: &mut Vec<Diagnostic>) -> Option<(T, String)>
where
    T: for<'de> Deserialize<'de>,
{
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            warnings.push(Diagnostic::warning(rel, format!("cannot read the vault setting: {e}")));
            return None;
        }
    };
    match serde_json::from_str(&text) {
        Ok(json) => Some((json, text)),
        Err(e) => {
            let message = format!("vault setting ignored: {}", strip_position(&e.to_string()));
            warnings.push(Diagnostic::warning(rel, message).at(&text, e.line(), e.column()));
            None
        }
    }
}

/// serde_json ends its messages with " at line L column C", which the location already says.
fn strip_position(message: &str) -> &str {
    message.rfind(" at line ").map_or(message, |at| &message[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(prefix: &str, folders: &[&str], filters: &[&str]) -> VaultRules {
        VaultRules {
            prefix: prefix.into(),
            template_folders: folders.iter().map(|f| f.to_string()).collect(),
            filters: filters.iter().filter_map(|f| filter(f, &mut |e, _| panic!("{e}"))).collect(),
        }
    }

    #[test]
    fn folders_prefixes_and_regexes() {
        let r = rules("", &["Templates"], &["Archive/", "/\\.excalidraw\\.md$/"]);
        assert!(r.excludes("Templates") && r.excludes("Templates/daily.md"));
        assert!(!r.excludes("Templates old.md"), "a folder is not a name prefix");
        assert!(r.excludes("Archive/old.md") && !r.excludes("Archived.md"));
        assert!(r.excludes("a/drawing.excalidraw.md") && !r.excludes("a/drawing.md"));
        let r = rules("content/", &["content/_meta"], &["content/Private"]);
        assert!(r.excludes("_meta/t.md") && r.excludes("Private notes.md") && !r.excludes("Public.md"));
    }

    #[test]
    fn empty_entries_exclude_nothing() {
        let r = rules("", &[], &["", "//"]);
        assert!(!r.excludes("a.md"));
    }
}
