//! Heading ids (unique per page, `{#id}` attributes honoured) and the nested
//! table of contents templates receive.

use crate::urls::slugify;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct TocEntry {
    pub level: u32,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// Hands out unique ids: the second "Notes" heading becomes `notes-1`.
#[derive(Default)]
pub struct IdAllocator {
    seen: HashMap<String, usize>,
}

impl IdAllocator {
    pub fn allocate(&mut self, wanted: Option<&str>, text: &str) -> String {
        let base = match wanted {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => {
                let slug = slugify(text);
                if slug.is_empty() {
                    "section".to_string()
                } else {
                    slug
                }
            }
        };
        let mut candidate = base.clone();
        while let Some(n) = self.seen.get_mut(&candidate) {
            *n += 1;
            candidate = format!("{base}-{}", *n);
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// Nests a flat, in-order list of headings by level, without recursion.
pub fn nest(flat: Vec<TocEntry>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    let mut stack: Vec<TocEntry> = Vec::new();
    for entry in flat {
        while stack.last().is_some_and(|top| top.level >= entry.level) {
            let done = stack.pop().expect("checked non-empty");
            attach(&mut roots, &mut stack, done);
        }
        stack.push(entry);
    }
    while let Some(done) = stack.pop() {
        attach(&mut roots, &mut stack, done);
    }
    roots
}

fn attach(roots: &mut Vec<TocEntry>, stack: &mut [TocEntry], entry: TocEntry) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(entry),
        None => roots.push(entry),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(level: u32, id: &str) -> TocEntry {
        TocEntry { level, id: id.into(), title: id.into(), children: vec![] }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate(None, "Notes"), "notes");
        assert_eq!(ids.allocate(None, "Notes"), "notes-1");
        assert_eq!(ids.allocate(None, "Notes"), "notes-2");
        assert_eq!(ids.allocate(Some("custom"), "x"), "custom");
        assert_eq!(ids.allocate(None, "!!!"), "section");
    }

    #[test]
    fn nesting_follows_levels() {
        let toc = nest(vec![e(2, "a"), e(3, "b"), e(3, "c"), e(2, "d"), e(4, "f")]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["b", "c"]);
        assert_eq!(toc[1].children[0].id, "f");
    }
}
