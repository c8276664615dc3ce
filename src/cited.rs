//! Which pages cite each work, gathered from the rendered site: the
//! reference pages and their cited-by lists read it. Kept apart from
//! [`crate::citations`], which markdown uses while the site is assembled.

use crate::citations::{slug_of, Bibliography, Cited, Citer, Work};
use crate::model::{Page, Section};
use std::collections::BTreeMap;

/// Which pages cite which works, from the rendered pages (pages first, then
/// sections, each in site order), with each work's reference formatted once.
pub fn gather(bibliography: Option<&Bibliography>, pages: &[Page], sections: &[Section]) -> Cited {
    let Some(bib) = bibliography else { return Cited::default() };
    let mut uses: BTreeMap<&str, Vec<(Citer, &str)>> = BTreeMap::new();
    let pages = pages.iter().enumerate().map(|(i, p)| (Citer::Page(i), &p.rendered));
    let sections = sections.iter().enumerate().map(|(i, s)| (Citer::Section(i), &s.rendered));
    for (citer, rendered) in pages.chain(sections) {
        for u in &rendered.citations {
            let list = uses.entry(u.key.as_str()).or_default();
            if !list.iter().any(|(c, _)| *c == citer) {
                list.push((citer, u.context.as_str()));
            }
        }
    }
    let mut cited = Cited::default();
    for (key, by) in uses {
        let Some(entry) = bib.get(key) else { continue };
        let Some(reference) = bib.reference(key) else { continue };
        let slug = slug_of(key);
        cited.push(Work {
            key: key.to_string(),
            url: format!("references/{slug}/"),
            slug,
            title: entry.title().map(|t| t.to_string()).unwrap_or_else(|| key.to_string()),
            authors: entry.authors().unwrap_or(&[]).iter().map(|p| p.given_first(false)).collect(),
            reference,
            doi: entry.doi().map(str::to_string),
            pmid: entry.pmid().map(str::to_string),
            link: entry.url_any().map(|u| u.value.to_string()),
            cited_by: by.into_iter().map(|(c, s)| (c, s.to_string())).collect(),
            print: bib.print(key).unwrap_or(0),
        });
    }
    cited
}
