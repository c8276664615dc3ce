//! Which front matter keys are rapport's: the known fields and their
//! synonyms, how a value is normalised for its field, and which unknown key
//! looks like a misspelt known one. Everything else is a custom property.

use super::{Format, Locate};
use crate::diagnostic::Diagnostic;
use serde_json::{Map, Value};

pub(super) const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "reviewed",
    "reviewed_by",
    "review_every",
    "draft",
    "slug",
    "path",
    "aliases",
    "weight",
    "tags",
    "authors",
    "template",
    "extra",
    "references",
    "search",
    "in_search_index",
    "taxonomies",
    "sort_by",
    "redirect_to",
    "insert_anchor_links",
    "page_template",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "transparent",
    "render",
    "generate_feeds",
    "summary",
    "cssclasses",
    "publish",
    "permalink",
    "cascade",
];

/// Obsidian's older singular spellings, accepted as their plural fields.
/// Hugo's names for Zola's fields: `url` (a site path) and `lastmod`.
pub(super) const SYNONYMS: &[(&str, &str)] = &[
    ("tag", "tags"),
    ("alias", "aliases"),
    ("cssclass", "cssclasses"),
    ("author", "authors"),
    ("url", "permalink"),
    ("lastmod", "updated"),
];

/// Whether `value` is one the synonym `key` stands in for: Hugo's `url` is a
/// site path (`/a/b/`), anything else under that name is a property.
fn fits_synonym(key: &str, value: &Value) -> bool {
    match key {
        "url" => value.as_str().is_some_and(|s| s.starts_with('/')),
        "lastmod" => value.is_string(),
        _ => matches!(value, Value::String(_) | Value::Array(_) | Value::Null),
    }
}

/// Hugo's build options (`build:` or `_build:`): `render: never` (or
/// `false`) is a headless page, rapport's `render = false`. `None` when the
/// value is not Hugo's build options table.
fn hugo_render(key: &str, value: &Value) -> Option<Value> {
    if key != "_build" && key != "build" {
        return None;
    }
    let render = value.as_object()?.get("render")?;
    match render {
        Value::Bool(b) => Some(Value::Bool(*b)),
        Value::String(s) if s == "never" => Some(Value::Bool(false)),
        Value::String(s) if s == "always" || s == "link" => Some(Value::Bool(true)),
        _ => None,
    }
}

/// The canonical name of each synonym key, mapped to the key as written.
pub(super) fn written_keys(map: &Map<String, Value>) -> std::collections::HashMap<String, String> {
    map.keys()
        .filter_map(|key| {
            let hugo_build = (key == "_build" || key == "build").then_some("render");
            let canonical = SYNONYMS.iter().find(|(s, _)| s == key).map(|(_, c)| *c).or(hugo_build)?;
            Some((canonical.to_string(), key.clone()))
        })
        .collect()
}

pub(super) type Sorted = (Map<String, Value>, Map<String, Value>, Vec<Diagnostic>);

/// Separates known keys and custom properties; a custom property that looks
/// like a misspelt known key also gets a finding (an error, which the caller
/// may turn into a warning).
pub(super) fn sort_keys(map: Map<String, Value>, format: Format, locate: &Locate<'_>) -> Sorted {
    let mut known = Map::new();
    let mut properties = Map::new();
    let mut errors = Vec::new();
    for (key, value) in map {
        // A synonym (`alias` for `aliases`) is a guess: with a value the field
        // cannot hold (`alias: true`) it is a property of the note's own.
        if let Some(render) = hugo_render(&key, &value) {
            known.insert("render".to_string(), render);
            continue;
        }
        let synonym = SYNONYMS.iter().find(|(s, _)| *s == key).filter(|_| fits_synonym(&key, &value));
        let name = synonym.map_or(key.as_str(), |(_, k)| k);
        if KNOWN_KEYS.contains(&name) {
            known.insert(name.to_string(), normalise(name, value, format));
        } else {
            // A table (`reference:` with fields of its own) is no misspelt list or text field.
            let table_for = |k: &str| matches!(k, "extra" | "taxonomies");
            if let Some(suggestion) = likely_typo(&key).filter(|k| !value.is_object() || table_for(k)) {
                let message = format!("unknown front matter field `{key}`; did you mean `{suggestion}`?");
                errors.push(locate(&key, message));
            }
            properties.insert(key, value);
        }
    }
    (known, properties, errors)
}

/// Obsidian writes `tags: one` and `#tag`; YAML writes `draft:` for null.
fn normalise(key: &str, value: Value, format: Format) -> Value {
    let list_key = matches!(key, "tags" | "aliases" | "cssclasses" | "authors");
    match value {
        Value::Null => default_for(key),
        Value::String(s) if list_key && format == Format::Yaml => {
            let items = s
                .split([',', ' '])
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.trim_start_matches('#').to_string()));
            Value::Array(items.collect())
        }
        Value::Array(items) if key == "tags" => Value::Array(
            items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Value::String(s.trim_start_matches('#').to_string()),
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

fn default_for(key: &str) -> Value {
    match key {
        "tags" | "aliases" | "cssclasses" | "authors" | "references" => Value::Array(vec![]),
        "extra" | "taxonomies" => Value::Object(Map::new()),
        "draft" => Value::Bool(false),
        _ => Value::Null,
    }
}

/// The known field `key` is probably a misspelling of, if any.
fn likely_typo(key: &str) -> Option<&'static str> {
    let lower = key.to_lowercase();
    if let Some(k) = KNOWN_KEYS.iter().find(|k| **k == lower) {
        return Some(k);
    }
    if key.chars().count() < 4 {
        return None;
    }
    KNOWN_KEYS
        .iter()
        .filter(|k| !other_word_form(&lower, k))
        .map(|k| (k, strsim::damerau_levenshtein(&lower, k)))
        .filter(|(k, d)| *d <= if k.len() >= 8 { 2 } else { 1 })
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| *k)
}

/// `reviewer` next to `reviewed`: the same stem with a different last letter
/// is another word (a custom property), not a slip of the finger.
fn other_word_form(key: &str, known: &str) -> bool {
    key.len() == known.len() && key.len() > 4 && key[..key.len() - 1] == known[..known.len() - 1]
}
