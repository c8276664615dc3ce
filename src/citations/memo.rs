//! Each cited work's entry formatted once per build, shared by every page
//! citing it and by its reference page.
//!
//! A page's reference list is its own hayagriva run, since a style may
//! number entries or tell same-author-same-year works apart (2018a, 2018b)
//! per page; that run formats every work again on each page citing it, and
//! the entries are most of the cost. When the style's entries cannot depend
//! on the page (no citation number, position test, subsequent-author
//! substitute or second-field alignment: see [`context_free`]) and no two
//! works on the page are alike before disambiguation (hayagriva's own test:
//! their first renders are equal text, see [`unambiguous`]), each entry on
//! the page is the entry formatted on its own, byte for byte. Then the page's
//! run only orders the list (with a style whose entries are empty) and the
//! entries come from here.

use super::format::{self, ListedReference};
use super::Bibliography;
use hayagriva::citationberg::IndependentStyle;
use hayagriva::{CitationItem, CitationRequest, CitePurpose};
use std::collections::HashMap;
use std::sync::Mutex;

/// Entries and first renders already formatted, by key (and purpose).
#[derive(Default)]
pub struct Memo {
    references: Mutex<HashMap<String, Option<ListedReference>>>,
    /// A work's citation alone, as text, by key and whether narrative.
    firsts: Mutex<HashMap<(String, bool), String>>,
}

/// Whether entries of `style` are the same on every page: nothing in it
/// reads the page's numbering or the position of a cite, and the list
/// neither replaces repeated authors nor aligns a first field.
pub fn context_free(style: &IndependentStyle) -> bool {
    let text = format!("{style:?}");
    let page_bound = ["CitationNumber", "FirstReferenceNoteNumber", "position: Some("];
    let plain_list = style
        .bibliography
        .as_ref()
        .is_some_and(|b| b.subsequent_author_substitute.is_none() && b.second_field_align.is_none());
    plain_list && !page_bound.iter().any(|p| text.contains(p))
}

/// `style` with empty bibliography entries: a run with it orders the list
/// as `style` does (same sort) at no cost for the entries.
pub fn order_only(style: &IndependentStyle) -> IndependentStyle {
    let mut style = style.clone();
    if let Some(b) = style.bibliography.as_mut() {
        b.layout.elements.clear();
        b.subsequent_author_substitute = None;
    }
    style
}

impl Memo {
    /// Entry `key` formatted on its own (see [`format::reference_alone`]).
    pub fn reference(&self, bib: &Bibliography, key: &str) -> Option<ListedReference> {
        if let Some(r) = self.references.lock().expect("memo lock").get(key) {
            return r.clone();
        }
        let r = format::reference_alone(bib, key);
        self.references.lock().expect("memo lock").insert(key.to_string(), r.clone());
        r
    }

    /// The text of `key`'s citation before any disambiguation, as hayagriva
    /// compares it: a year-only cite renders as a plain one at that stage.
    pub(super) fn first_render(&self, bib: &Bibliography, key: &str, narrative: bool) -> String {
        let memo_key = (key.to_string(), narrative);
        if let Some(s) = self.firsts.lock().expect("memo lock").get(&memo_key) {
            return s.clone();
        }
        let entry = bib.get(key).expect("only known keys are formatted");
        let mut item = CitationItem::with_entry(entry);
        if narrative {
            item = item.kind(CitePurpose::Prose);
        }
        let request = CitationRequest::from_items(vec![item], &bib.style, &bib.locales);
        let text = hayagriva::standalone_citation(request).to_string();
        self.firsts.lock().expect("memo lock").insert(memo_key, text.clone());
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::citations::bibliography::style_named;

    #[test]
    fn styles_whose_entries_depend_on_the_page_are_told_apart() {
        assert!(super::context_free(&style_named("apa").unwrap()));
        assert!(!super::context_free(&style_named("ieee").unwrap()));
    }
}
