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
            let stem = rel.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
            index.notes.entry(stem).or_default().push(rel.to_path_buf());
            for alias in aliases.iter().filter(|a| !crate::render::feeds::is_path_alias(a)) {
                index.notes.entry(alias.to_lowercase()).or_default().push(rel.to_path_buf());
            }
        }
        for rel in assets {
            let name = rel.file_name().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
            index.assets.entry(name).or_default().push(rel.clone());
        }
        for list in index.notes.values_mut().chain(index.assets.values_mut()) {
            list.sort_by_key(|p| (p.components().count(), p.clone()));
            list.dedup();
        }
        index
    }

    pub fn resolve(&self, name: &str) -> WikiTarget {
        let name = name.trim().trim_start_matches('/');
        let lower = name.to_lowercase();
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

fn parent_ends_with(path: &Path, folder: &str) -> bool {
    let parent = path.parent().map(|p| p.to_string_lossy().to_lowercase().replace('\\', "/")).unwrap_or_default();
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
}
