//! Hugo's `cascade`: front matter a section passes down to the pages and
//! sections below it. This file types the field (one table, or a list of
//! tables each with an optional `target`/`_target`) and merges cascaded
//! values under a page's own; [`crate::cascade`] decides which reach which page.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// One table of cascaded values and which pages below it receives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CascadeEntry {
    /// The front matter keys passed down, as written.
    pub values: Map<String, Value>,
    /// A glob over Hugo's page paths (`/guides/**`); every page below when unset.
    pub path: Option<String>,
    /// `page`, `section` or `home`; every kind when unset.
    pub kind: Option<String>,
    /// Hugo's build environment glob: rapport has no environments, so an
    /// entry naming one is never applied (and says so).
    pub environment: Option<String>,
    /// Hugo's language glob: rapport builds one language, so it is not
    /// checked (the entry applies, and says so).
    pub lang: Option<String>,
}

/// Accepts `cascade = { … }` and `cascade = [{ … }, …]`.
pub fn entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CascadeEntry>, D::Error> {
    use serde::de::Error;
    let tables = match Value::deserialize(d)? {
        Value::Object(table) => vec![table],
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::Object(table) => Ok(table),
                other => Err(D::Error::custom(format!("expected a table of front matter, got {}", kind_of(&other)))),
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(D::Error::custom(format!("expected a table or a list of tables, got {}", kind_of(&other))))
        }
    };
    tables.into_iter().map(entry).collect::<Result<_, String>>().map_err(D::Error::custom)
}

fn entry(mut values: Map<String, Value>) -> Result<CascadeEntry, String> {
    let target = match (values.remove("target"), values.remove("_target")) {
        (Some(_), Some(_)) => return Err("`target` and `_target` both given; keep one".into()),
        (Some(Value::Object(t)), None) | (None, Some(Value::Object(t))) => t,
        (None, None) => Map::new(),
        (Some(other), None) | (None, Some(other)) => {
            return Err(format!("`target` must be a table (path, kind), got {}", kind_of(&other)))
        }
    };
    if values.contains_key("cascade") {
        return Err("a cascade cannot hold another `cascade`".into());
    }
    let text = |key: &str| match target.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`target.{key}` must be text, got {}", kind_of(other))),
    };
    if let Some(key) = target.keys().find(|k| !matches!(k.as_str(), "path" | "kind" | "environment" | "lang")) {
        return Err(format!("unknown cascade target `{key}` (known: path, kind, environment, lang)"));
    }
    let path = text("path")?;
    if let Some(p) = &path {
        globset::GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("cascade target path `{p}` is not a glob: {}", e.kind()))?;
    }
    let kind = text("kind")?;
    if let Some(k) = kind.as_deref().filter(|k| !matches!(*k, "page" | "section" | "home")) {
        return Err(format!("cascade target kind `{k}` is not one rapport has (page, section, home)"));
    }
    Ok(CascadeEntry { values, path, kind, environment: text("environment")?, lang: text("lang")? })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Fills in `map` what `defaults` has and it lacks; a table both have is
/// filled in key by key (`params`, `extra`), so a page's own value always wins.
pub fn fill_in(map: &mut Map<String, Value>, defaults: &Map<String, Value>) {
    for (key, value) in defaults {
        match (map.get_mut(key), value) {
            (None, _) => {
                map.insert(key.clone(), value.clone());
            }
            (Some(Value::Object(own)), Value::Object(given)) => fill_in(own, given),
            (Some(_), _) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(v: Value) -> Result<Vec<CascadeEntry>, String> {
        entries(v).map_err(|e| e.to_string())
    }

    #[test]
    fn one_table_or_a_list_with_targets() {
        let one = parsed(json!({"type": "docs"})).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].values["type"], "docs");
        let list = parsed(json!([{"a": 1, "_target": {"path": "/x/**", "kind": "page"}}, {"b": 2}])).unwrap();
        assert_eq!(list[0].path.as_deref(), Some("/x/**"));
        assert_eq!(list[0].kind.as_deref(), Some("page"));
        assert!(!list[0].values.contains_key("_target"));
        assert_eq!(list[1].path, None);
    }

    #[test]
    fn bad_shapes_are_refused_with_what_was_found() {
        assert!(parsed(json!("docs")).unwrap_err().contains("got text"));
        assert!(parsed(json!({"target": {"kind": "taxonomy"}})).unwrap_err().contains("`taxonomy`"));
        assert!(parsed(json!({"target": {"pth": "/x"}})).unwrap_err().contains("unknown cascade target `pth`"));
    }

    #[test]
    fn a_pages_own_values_win_and_tables_are_filled_in() {
        let mut own = json!({"title": "Mine", "params": {"a": 1}}).as_object().unwrap().clone();
        let given = json!({"title": "Theirs", "type": "docs", "params": {"a": 9, "b": 2}});
        fill_in(&mut own, given.as_object().unwrap());
        assert_eq!(Value::Object(own), json!({"title": "Mine", "type": "docs", "params": {"a": 1, "b": 2}}));
    }
}
