//! The cascade stage, between parse and the model: Hugo's `cascade` values
//! passed from a section to the pages and sections below it. What reaches a
//! doc is a function of its path and the sections above it; the doc is then
//! parsed again from its own text with those values as defaults, so its own
//! front matter always wins, and a nearer section's cascade wins over a
//! farther one's. A site without `cascade` passes through untouched.

use crate::diagnostic::Diagnostic;
use crate::frontmatter::{cascade::fill_in, CascadeEntry, Typos};
use crate::load::SourceKind;
use crate::parse::{self, Doc};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Every section's cascade, by the folder it describes.
struct Cascades<'a> {
    by_folder: HashMap<PathBuf, Vec<Compiled<'a>>>,
}

/// An entry with its path glob ready to match.
struct Compiled<'a> {
    entry: &'a CascadeEntry,
    path: Option<globset::GlobMatcher>,
}

impl<'a> Cascades<'a> {
    fn of(docs: impl Iterator<Item = &'a Doc>) -> Cascades<'a> {
        let mut by_folder = HashMap::new();
        for doc in docs.filter(|d| d.kind == SourceKind::Section && !d.fm.cascade.is_empty()) {
            let compiled =
                doc.fm.cascade.iter().map(|entry| Compiled { entry, path: entry.path.as_deref().and_then(matcher) });
            by_folder.insert(doc.rel.parent().map(Path::to_path_buf).unwrap_or_default(), compiled.collect());
        }
        Cascades { by_folder }
    }

    /// What reaches `doc` from the sections above it, nearest first.
    fn defaults_for(&self, doc: &Doc) -> Map<String, Value> {
        let mut defaults = Map::new();
        if self.by_folder.is_empty() {
            return defaults;
        }
        let (path, kind) = hugo_path_and_kind(doc);
        let own_folder = doc.rel.parent().unwrap_or(Path::new(""));
        // A section passes its cascade down, not to itself.
        let mut folder = if doc.kind == SourceKind::Section { own_folder.parent() } else { Some(own_folder) };
        while let Some(f) = folder {
            for c in self.by_folder.get(f).into_iter().flatten() {
                if c.applies(&path, kind) {
                    fill_in(&mut defaults, &c.entry.values);
                }
            }
            folder = f.parent();
        }
        defaults
    }
}

impl Compiled<'_> {
    fn applies(&self, path: &str, kind: &str) -> bool {
        let e = self.entry;
        e.environment.is_none()
            && e.kind.as_deref().is_none_or(|k| k == kind)
            && self.path.as_ref().is_none_or(|m| m.is_match(path))
    }
}

/// A target path glob as Hugo reads it: `*` stays within a path segment.
pub fn matcher(glob: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(glob).literal_separator(true).build().ok().map(|g| g.compile_matcher())
}

/// Hugo's logical path of a doc (`/guides/first`, `/guides` for its section)
/// and its kind (`page`, `section`, `home`).
fn hugo_path_and_kind(doc: &Doc) -> (String, &'static str) {
    let folder = doc.rel.parent().unwrap_or(Path::new("")).to_string_lossy().replace('\\', "/");
    let stem = doc.rel.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    match doc.kind {
        SourceKind::Section if folder.is_empty() => ("/".into(), "home"),
        SourceKind::Section => (format!("/{folder}"), "section"),
        _ if stem == "index" => (format!("/{folder}"), "page"),
        _ if folder.is_empty() => (format!("/{stem}"), "page"),
        _ => (format!("/{folder}/{stem}"), "page"),
    }
}

/// Gives every doc what cascades to it. A doc nothing reaches (and nothing
/// reached before) is the same `Arc`, and one whose front matter comes out
/// as it was too, so the markdown stage's memo still knows it.
pub fn apply(docs: Vec<Arc<Doc>>, typos: Typos) -> (Vec<Arc<Doc>>, Vec<Diagnostic>) {
    let cascades = Cascades::of(docs.iter().map(|d| &**d));
    if cascades.by_folder.is_empty() && !docs.iter().any(|d| d.cascaded) {
        return (docs, Vec::new());
    }
    let results: Vec<Result<Arc<Doc>, Vec<Diagnostic>>> =
        docs.par_iter().map(|doc| cascaded(doc, &cascades.defaults_for(doc), typos)).collect();
    let mut kept = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(doc) => kept.push(doc),
            Err(e) => errors.extend(e),
        }
    }
    (kept, errors)
}

/// One doc given what cascades to it from `sections` (the site's section docs).
pub fn apply_one<'a>(
    doc: Arc<Doc>,
    sections: impl Iterator<Item = &'a Doc>,
    typos: Typos,
) -> Result<Arc<Doc>, Vec<Diagnostic>> {
    let cascades = Cascades::of(sections);
    let defaults = cascades.defaults_for(&doc);
    cascaded(&doc, &defaults, typos)
}

fn cascaded(doc: &Arc<Doc>, defaults: &Map<String, Value>, typos: Typos) -> Result<Arc<Doc>, Vec<Diagnostic>> {
    if defaults.is_empty() && !doc.cascaded {
        return Ok(doc.clone());
    }
    let again = parse::parse_text(&doc.rel, doc.kind, doc.source.clone(), typos, defaults)?;
    if again.fm == doc.fm && again.cascaded == doc.cascaded {
        Ok(doc.clone())
    } else {
        Ok(Arc::new(again))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(rel: &str, text: &str) -> Arc<Doc> {
        let rel = Path::new(rel);
        Arc::new(parse::parse_text(rel, crate::load::kind_of(rel), Arc::from(text), Typos::Warn, &Map::new()).unwrap())
    }

    fn run(docs: Vec<Arc<Doc>>) -> HashMap<String, Arc<Doc>> {
        let (docs, errors) = apply(docs, Typos::Warn);
        assert!(errors.is_empty(), "{errors:?}");
        docs.into_iter().map(|d| (d.rel.to_string_lossy().into_owned(), d)).collect()
    }

    #[test]
    fn values_reach_every_page_below_and_the_nearest_section_wins() {
        let docs = run(vec![
            doc("_index.md", "---\ncascade:\n  weight: 7\n  description: Site\n---\n"),
            doc("a/_index.md", "---\ncascade:\n  description: From A\n---\n"),
            doc("a/b/page.md", "---\ntitle: P\n---\n"),
            doc("a/own.md", "---\ndescription: Mine\n---\n"),
            doc("top.md", "Top.\n"),
        ]);
        let p = &docs["a/b/page.md"].fm;
        assert_eq!((p.description.as_deref(), p.weight), (Some("From A"), Some(7)));
        assert_eq!(docs["a/own.md"].fm.description.as_deref(), Some("Mine"), "its own value wins");
        assert_eq!(docs["top.md"].fm.description.as_deref(), Some("Site"), "a file without front matter too");
        assert_eq!(docs["a/_index.md"].fm.description.as_deref(), Some("Site"), "a section gets its parents'");
        assert_eq!(docs["_index.md"].fm.description, None, "not its own");
    }

    #[test]
    fn a_target_limits_which_pages_receive_an_entry() {
        let docs = run(vec![
            doc(
                "_index.md",
                "---\ncascade:\n  - weight: 1\n    _target:\n      path: /guides/**\n  - weight: 2\n    target:\n      kind: section\n---\n",
            ),
            doc("guides/deep/g.md", "G.\n"),
            doc("notes/n.md", "N.\n"),
            doc("notes/_index.md", "---\ntitle: Notes\n---\n"),
        ]);
        assert_eq!(docs["guides/deep/g.md"].fm.weight, Some(1));
        assert_eq!(docs["notes/n.md"].fm.weight, None);
        assert_eq!(docs["notes/_index.md"].fm.weight, Some(2));
    }

    #[test]
    fn a_doc_nothing_reaches_is_the_same_doc_and_a_removed_cascade_is_undone() {
        let page = doc("a/p.md", "P.\n");
        let (out, _) = apply(vec![page.clone()], Typos::Warn);
        assert!(Arc::ptr_eq(&out[0], &page));
        let docs = run(vec![doc("a/_index.md", "---\ncascade:\n  weight: 3\n---\n"), page]);
        let lifted = docs["a/p.md"].clone();
        assert!(lifted.cascaded && lifted.fm.weight == Some(3));
        let (out, _) = apply(vec![lifted], Typos::Warn);
        assert_eq!(out[0].fm.weight, None, "with the cascade gone its value goes too");
    }
}
