//! CSL-JSON bibliographies (what Zotero and most reference managers export)
//! read into hayagriva's entries, so one CSL processor formats every work
//! whichever file it came from. hayagriva reads CSL-JSON only as input to
//! its own driver, not as entries, so each item is restated in hayagriva's
//! own serde schema (a table of fields, below) and deserialised by it.

use crate::diagnostic::Diagnostic;
use hayagriva::Library;
use serde_json::{json, Map, Value};
use std::path::Path;

/// CSL item types and the hayagriva type each becomes, with the type of the
/// work it appears in (its `container-title`), if it has one.
const TYPES: &[(&str, &str, Option<&str>)] = &[
    ("article-journal", "article", Some("periodical")),
    ("article-magazine", "article", Some("periodical")),
    ("article-newspaper", "article", Some("newspaper")),
    ("article", "article", None),
    ("book", "book", None),
    ("chapter", "chapter", Some("book")),
    ("paper-conference", "article", Some("proceedings")),
    ("report", "report", None),
    ("thesis", "thesis", None),
    ("webpage", "web", Some("web")),
    ("post-weblog", "post", Some("blog")),
    ("entry-encyclopedia", "entry", Some("reference")),
    ("entry-dictionary", "entry", Some("reference")),
    ("manuscript", "manuscript", None),
    ("dataset", "repository", None),
];

/// Text fields copied as they are: (CSL name, hayagriva name).
const TEXT: &[(&str, &str)] = &[
    ("title", "title"),
    ("URL", "url"),
    ("page", "page-range"),
    ("edition", "edition"),
    ("genre", "genre"),
    ("abstract", "abstract"),
    ("note", "note"),
    ("archive", "archive"),
    ("archive_location", "archive-location"),
    ("call-number", "call-number"),
];

/// Fields that belong to the containing work when there is one (the
/// journal's volume and issue), else to the item itself.
const CONTAINER_TEXT: &[(&str, &str)] = &[("volume", "volume"), ("issue", "issue")];

/// Identifiers, kept under hayagriva's `serial-number`.
const SERIALS: &[(&str, &str)] =
    &[("DOI", "doi"), ("PMID", "pmid"), ("PMCID", "pmcid"), ("ISBN", "isbn"), ("ISSN", "issn")];

/// Parses a CSL-JSON file (an array of items) into entries keyed by `id`.
/// JSON that does not parse, an item without an `id` and a field hayagriva
/// cannot read are errors at their line and column in `file`.
pub fn parse(file: &Path, source: &str) -> Result<Library, Diagnostic> {
    let items: Vec<Map<String, Value>> = serde_json::from_str(source).map_err(|e| {
        Diagnostic::error(file, format!("the bibliography is not CSL-JSON: {e}")).at(source, e.line(), e.column())
    })?;
    let mut library = Map::new();
    for (n, item) in items.iter().enumerate() {
        let Some(id) = item.get("id").and_then(text) else {
            let message = format!("item {} of the bibliography has no `id`", n + 1);
            return Err(Diagnostic::error(file, message).at_offset(source, nth_item(source, n)));
        };
        let entry = restate(item);
        // Read alone first, so a field hayagriva refuses is named with its entry.
        serde_json::from_value::<Library>(json!({ &id: &entry })).map_err(|e| {
            let message = format!("entry `{id}` cannot be read: {e}");
            Diagnostic::error(file, message).at_offset(source, id_offset(source, &id))
        })?;
        library.insert(id, entry);
    }
    serde_json::from_value(Value::Object(library))
        .map_err(|e| Diagnostic::error(file, format!("the bibliography cannot be read: {e}")))
}

/// One CSL item in hayagriva's schema.
fn restate(item: &Map<String, Value>) -> Value {
    let kind = item.get("type").and_then(text).unwrap_or_default();
    let (own, container) =
        TYPES.iter().find(|(csl, ..)| *csl == kind).map_or(("misc", None), |(_, own, parent)| (*own, *parent));
    let mut entry = Map::new();
    entry.insert("type".into(), own.into());
    copy(item, TEXT, &mut entry);
    for role in ["author", "editor"] {
        if let Some(people) = item.get(role).and_then(Value::as_array) {
            entry.insert(role.into(), people.iter().filter_map(person).collect());
        }
    }
    if let Some(date) = item.get("issued").and_then(date) {
        entry.insert("date".into(), date.into());
    }
    publisher(item, &mut entry);
    let serials: Map<String, Value> = SERIALS
        .iter()
        .filter_map(|(csl, ours)| Some((ours.to_string(), item.get(*csl).and_then(text)?.into())))
        .collect();
    if !serials.is_empty() {
        entry.insert("serial-number".into(), serials.into());
    }
    let parent_title = item.get("container-title").and_then(text);
    match (container, parent_title) {
        (Some(parent_type), Some(title)) => {
            let mut parent = Map::new();
            parent.insert("type".into(), parent_type.into());
            parent.insert("title".into(), title.into());
            copy(item, CONTAINER_TEXT, &mut parent);
            entry.insert("parent".into(), parent.into());
        }
        _ => copy(item, CONTAINER_TEXT, &mut entry),
    }
    entry.into()
}

fn copy(item: &Map<String, Value>, fields: &[(&str, &str)], to: &mut Map<String, Value>) {
    for (csl, ours) in fields {
        if let Some(value) = item.get(*csl).and_then(text) {
            to.insert(ours.to_string(), value.into());
        }
    }
}

/// `publisher` with `publisher-place` as its location.
fn publisher(item: &Map<String, Value>, entry: &mut Map<String, Value>) {
    let Some(name) = item.get("publisher").and_then(text) else { return };
    let mut publisher = Map::new();
    publisher.insert("name".into(), name.into());
    if let Some(place) = item.get("publisher-place").and_then(text) {
        publisher.insert("location".into(), place.into());
    }
    entry.insert("publisher".into(), publisher.into());
}

/// A string or number field as text; CSL-JSON writes `"volume": 55` and `"55"` alike.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A CSL name: `{family, given, non-dropping-particle, suffix}` or `{literal}`.
fn person(name: &Value) -> Option<Value> {
    if let Some(literal) = name.get("literal").and_then(text) {
        return Some(json!({ "name": literal }));
    }
    let mut person = Map::new();
    person.insert("name".into(), name.get("family").and_then(text)?.into());
    for (csl, ours) in [("given", "given-name"), ("non-dropping-particle", "prefix"), ("suffix", "suffix")] {
        if let Some(part) = name.get(csl).and_then(text) {
            person.insert(ours.into(), part.into());
        }
    }
    Some(person.into())
}

/// A CSL date (`{"date-parts": [[2018, 5, 1]]}`, or `raw`/`literal` text) as
/// `YYYY[-MM[-DD]]`.
fn date(value: &Value) -> Option<String> {
    let parts = value.get("date-parts").and_then(|p| p.get(0)).and_then(Value::as_array);
    if let Some(parts) = parts.filter(|p| !p.is_empty()) {
        let numbers: Vec<i64> = parts.iter().filter_map(|p| text(p)?.parse().ok()).collect();
        return match numbers.as_slice() {
            [y] => Some(format!("{y:04}")),
            [y, m] => Some(format!("{y:04}-{m:02}")),
            [y, m, d, ..] => Some(format!("{y:04}-{m:02}-{d:02}")),
            [] => None,
        };
    }
    let raw = value.get("raw").or_else(|| value.get("literal")).and_then(text)?;
    let year: String = raw.chars().filter(char::is_ascii_digit).take(4).collect();
    (year.len() == 4).then_some(year)
}

/// Where the `n`th item starts: its `{` at the top level of the array.
fn nth_item(source: &str, n: usize) -> usize {
    let mut depth = 0usize;
    let mut seen = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in source.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ if in_string => {}
            '{' | '[' => {
                if c == '{' && depth == 1 {
                    if seen == n {
                        return i;
                    }
                    seen += 1;
                }
                depth += 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    0
}

/// Where `"id": "key"` is written, for a message about that entry.
fn id_offset(source: &str, id: &str) -> usize {
    let quoted = format!("\"{id}\"");
    source.match_indices(&quoted).map(|(i, _)| i).find(|&i| source[..i].trim_end().ends_with(':')).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_parts_they_have() {
        assert_eq!(date(&json!({"date-parts": [[2018]]})).as_deref(), Some("2018"));
        assert_eq!(date(&json!({"date-parts": [[2018, 5]]})).as_deref(), Some("2018-05"));
        assert_eq!(date(&json!({"date-parts": [["2018", "5", "1"]]})).as_deref(), Some("2018-05-01"));
        assert_eq!(date(&json!({"raw": "Spring 1979"})).as_deref(), Some("1979"));
        assert_eq!(date(&json!({"literal": "n.d."})), None);
    }

    #[test]
    fn the_nth_item_is_found_past_braces_in_strings() {
        let source = "[\n {\"id\": \"a\", \"title\": \"{x}\"},\n {\"title\": \"b\"}\n]";
        assert_eq!(&source[nth_item(source, 1)..nth_item(source, 1) + 2], "{\"");
        assert!(source[..nth_item(source, 1)].ends_with("\n "));
    }
}
