//! The note-name index behind `[[wikilinks]]`: Obsidian resolves a link by
//! file name first, then by the shortest path ending with it, ignoring case,
//! and by front matter `aliases`. Built once per site.

use crate::markdown::links::WikiTarget;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
pub struct WikiIndex {
    /// Lower-case note name (file stem or alias) → content paths, shortest first.
    notes: HashMap<String, Vec<PathBuf>>,
    /// Lower-case file name → asset paths, shortest first.
    assets: HashMap<String, Vec<PathBuf>>,
}

impl WikiIndex {
    /// `notes`: each page's content path and its name aliases.
    pub fn new<'a>(notes: impl Iterator<Item = (&'a Path, &'a [String])>, assets: &[PathBuf]) -> WikiIndex {
        let mut index = WikiIndex::default();
        for (rel, aliases) in notes {
            let stem = rel.file_stem().map(|s| key(&s.to_string_lossy())).unwrap_or_default();
            index.notes.entry(stem).or_default().push(rel.to_path_buf());
            for alias in aliases.iter().filter(|a| !crate::redirects::is_path_alias(a)) {
                index.notes.entry(key(alias)).or_default().push(rel.to_path_buf());
            }
        }
        for rel in assets {
            let name = rel.file_name().map(|s| key(&s.to_string_lossy())).unwrap_or_default();
            index.assets.entry(name).or_default().push(rel.clone());
        }
        for list in index.notes.values_mut().chain(index.assets.values_mut()) {
            list.sort_by_key(|p| (p.components().count(), p.clone()));
            list.dedup();
        }
        index
    }

    /// Adds one note's names; returns what they named before, for
    /// [`WikiIndex::restore`].
    pub fn add_note(&mut self, rel: &Path, aliases: &[String]) -> Vec<(String, Option<Vec<PathBuf>>)> {
        let stem = rel.file_stem().map(|s| key(&s.to_string_lossy())).unwrap_or_default();
        let aliases = aliases.iter().filter(|a| !crate::redirects::is_path_alias(a)).map(|a| key(a));
        let mut names: Vec<String> = std::iter::once(stem).chain(aliases).collect();
        names.sort();
        names.dedup();
        let before = names.iter().map(|n| (n.clone(), self.notes.get(n).cloned())).collect();
        for name in names {
            let list = self.notes.entry(name).or_default();
            list.push(rel.to_path_buf());
            list.sort_by_key(|p| (p.components().count(), p.clone()));
            list.dedup();
        }
        before
    }

    /// Puts back the names [`WikiIndex::add_note`] changed.
    pub fn restore(&mut self, before: Vec<(String, Option<Vec<PathBuf>>)>) {
        for (name, list) in before {
            match list {
                Some(list) => self.notes.insert(name, list),
                None => self.notes.remove(&name),
            };
        }
    }

    pub fn resolve(&self, name: &str) -> WikiTarget {
        let lower = key(name.trim().trim_start_matches('/'));
        let note = lower.strip_suffix(".md").unwrap_or(&lower);
        let (folder, last) = match note.rsplit_once('/') {
            Some((f, l)) => (Some(f), l),
            None => (None, note),
        };
        let candidates: Vec<PathBuf> = self
            .notes
            .get(last)
            .map(|list| list.iter().filter(|p| folder.is_none_or(|f| parent_ends_with(p, f))).cloned().collect())
            .unwrap_or_default();
        match candidates.len() {
            1 => return WikiTarget::Page(candidates[0].clone()),
            n if n > 1 => return WikiTarget::Ambiguous(candidates),
            _ => {}
        }
        let file = lower.rsplit('/').next().unwrap_or(&lower);
        match self.assets.get(file).map(Vec::as_slice) {
            Some([first, ..]) => WikiTarget::Asset(first.clone()),
            _ => WikiTarget::Missing,
        }
    }
}

/// How names are compared: ignoring case, and Unicode normalisation
/// (`[[café]]` typed composed finds a file macOS named decomposed).
fn key(name: &str) -> String {
    crate::urls::nfc(name).to_lowercase()
}

fn parent_ends_with(path: &Path, folder: &str) -> bool {
    let parent = path.parent().map(|p| key(&p.to_string_lossy()).replace('\\', "/")).unwrap_or_default();
    parent == folder || parent.ends_with(&format!("/{folder}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> WikiIndex {
        let notes = [
            (PathBuf::from("a/Note.md"), vec!["Other name".to_string()]),
            (PathBuf::from("b/Dup.md"), vec![]),
            (PathBuf::from("c/d/Dup.md"), vec![]),
        ];
        WikiIndex::new(notes.iter().map(|(p, a)| (p.as_path(), a.as_slice())), &[PathBuf::from("img/Pic.png")])
    }

    #[test]
    fn resolves_like_obsidian() {
        let i = index();
        assert_eq!(i.resolve("note"), WikiTarget::Page("a/Note.md".into()));
        assert_eq!(i.resolve("a/Note.md"), WikiTarget::Page("a/Note.md".into()));
        assert_eq!(i.resolve("other NAME"), WikiTarget::Page("a/Note.md".into()));
        assert_eq!(i.resolve("d/Dup"), WikiTarget::Page("c/d/Dup.md".into()));
        assert_eq!(i.resolve("Dup"), WikiTarget::Ambiguous(vec!["b/Dup.md".into(), "c/d/Dup.md".into()]));
        assert_eq!(i.resolve("pic.png"), WikiTarget::Asset("img/Pic.png".into()));
        assert_eq!(i.resolve("nope"), WikiTarget::Missing);
    }

    #[test]
    fn names_match_across_unicode_normalisation() {
        let notes = [(PathBuf::from("Cafe\u{301}/Cre\u{300}me.md"), vec!["Nai\u{308}ve".to_string()])];
        let i = WikiIndex::new(notes.iter().map(|(p, a)| (p.as_path(), a.as_slice())), &[]);
        let page = WikiTarget::Page("Cafe\u{301}/Cre\u{300}me.md".into());
        for name in ["cr\u{e8}me", "Cre\u{300}me", "caf\u{e9}/cr\u{e8}me", "na\u{ef}ve"] {
            assert_eq!(i.resolve(name), page, "{name:?}");
        }
    }
}
