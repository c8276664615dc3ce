//! Link previews: one small JSON file per page and section, which the theme's
//! script fetches when a reader hovers an internal link.
//!
//! The file mirrors the target's own output path (`a/b/` → `previews/a/b/index.json`,
//! `a/p.html` → `previews/a/p.json`), so the script finds a link's preview from
//! its `href` alone, with no site-wide index to download first. The JSON holds
//! plain text only; the script shows it with DOM text nodes.

use super::Output;
use crate::model::Site;
use crate::render::context::title_of;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Longest preview text, in characters, before it is cut at a word.
pub const SUMMARY_CHARS: usize = 280;

#[derive(Serialize)]
struct Preview<'a> {
    title: String,
    /// The description, else the first paragraph, as plain text.
    summary: String,
    /// Title of the section a page belongs to (`None` for sections).
    section: Option<String>,
    reading_time: usize,
    reviewed: Option<&'a str>,
}

/// Where the preview of the page at `url` is written, if `url` maps to a file.
pub fn preview_path(url: &str) -> Option<PathBuf> {
    let file = crate::urls::output_file(url)?;
    Some(PathBuf::from("previews").join(file.with_extension("json")))
}

/// Preview files for every page and every section that renders a listing.
pub fn previews(site: &Site) -> Vec<Output> {
    let pages: BTreeSet<usize> = (0..site.pages.len()).collect();
    let sections: BTreeSet<usize> = (0..site.sections.len()).collect();
    previews_of(site, &pages, &sections)
}

/// Preview files for some pages and sections (after an incremental edit).
pub fn previews_of(site: &Site, pages: &BTreeSet<usize>, sections: &BTreeSet<usize>) -> Vec<Output> {
    let pages = pages.iter().map(|&i| &site.pages[i]).map(|p| {
        let section = &site.sections[p.section];
        let preview = Preview {
            title: title_of(&p.doc),
            summary: summary(p.doc.fm.description.as_deref(), &p.rendered.first_paragraph),
            section: Some(title_of(&section.doc)),
            reading_time: p.rendered.reading_time,
            reviewed: p.doc.fm.reviewed.as_deref(),
        };
        (&p.url, preview)
    });
    let listed =
        sections.iter().map(|&i| &site.sections[i]).filter(|s| !s.folder_note && s.doc.fm.redirect_to.is_none());
    let sections = listed.map(|s| {
        let preview = Preview {
            title: title_of(&s.doc),
            summary: summary(s.doc.fm.description.as_deref(), &s.rendered.first_paragraph),
            section: None,
            reading_time: s.rendered.reading_time,
            reviewed: s.doc.fm.reviewed.as_deref(),
        };
        (&s.url, preview)
    });
    pages
        .chain(sections)
        .filter_map(|(url, preview)| {
            let path = preview_path(url)?;
            Some(Output::new(path, serde_json::to_vec(&preview).expect("preview serialises")))
        })
        .collect()
}

fn summary(description: Option<&str>, first_paragraph: &str) -> String {
    let text = description.filter(|d| !d.trim().is_empty()).unwrap_or(first_paragraph);
    cut_at_word(text.trim(), SUMMARY_CHARS)
}

/// `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut.
fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let end = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let head = head.rfind(char::is_whitespace).map_or(head, |i| &head[..i]);
    format!("{}…", head.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_path_mirrors_output_path() {
        assert_eq!(preview_path("a/b/"), Some(PathBuf::from("previews/a/b/index.json")));
        assert_eq!(preview_path(""), Some(PathBuf::from("previews/index.json")));
        assert_eq!(preview_path("old/page.html"), Some(PathBuf::from("previews/old/page.json")));
        assert_eq!(preview_path("../x/"), None);
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(cut_at_word("short", 10), "short");
        assert_eq!(cut_at_word("one two three four", 10), "one two…");
        assert_eq!(cut_at_word("élan élan élan", 7), "élan…");
        assert_eq!(summary(Some("  "), "first"), "first");
        assert_eq!(summary(Some("desc"), "first"), "desc");
    }
}
