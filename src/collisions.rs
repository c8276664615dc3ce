//! Two outputs with one path: the later would silently replace the earlier,
//! so an alias or `path` naming `sitemap.xml`, `search/`, `style.css` or any
//! other file the site writes itself is an error at its front matter line.
//! A copied file over a generated one is different: a `static/robots.txt` is
//! there on purpose, to replace the generated one.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::output::Output;
use crate::parse::Doc;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Every rendered output path written twice, or also taken by a copied
/// file, blamed on the front matter that named it.
pub fn check(site: &Site, rendered: &[PathBuf], copied: &[PathBuf]) -> Result<(), Vec<Diagnostic>> {
    let mut seen = HashSet::new();
    let twice: BTreeSet<&Path> = rendered.iter().map(PathBuf::as_path).filter(|p| !seen.insert(*p)).collect();
    let taken: BTreeSet<&Path> = copied.iter().map(PathBuf::as_path).filter(|p| seen.contains(p)).collect();
    if twice.is_empty() && taken.is_empty() {
        return Ok(());
    }
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, &p.url, &p.redirects))
        .chain(site.sections.iter().map(|s| (&s.doc, &s.url, &s.redirects)));
    let mut errors = Vec::new();
    for (doc, url, redirects) in docs {
        let key = if doc.fm.path.is_some() { "path" } else { "permalink" };
        let own = doc.fm.url_path().map(|_| (key, url.as_str()));
        let aliases = redirects.iter().map(|a| ("alias", a.as_str()));
        for (what, named) in own.into_iter().chain(aliases) {
            let Some(file) = crate::urls::output_file(&crate::urls::url_of_path(named)) else { continue };
            if twice.contains(file.as_path()) || taken.contains(file.as_path()) {
                errors.push(blame(doc, what, named, &file));
            }
        }
    }
    if errors.is_empty() && !twice.is_empty() {
        // Two pages or sections at one URL are already a duplicate-URL error.
        let urls = site.pages.iter().map(|p| &p.url).chain(site.sections.iter().map(|s| &s.url));
        let mut docs_at: std::collections::HashMap<PathBuf, usize> = Default::default();
        for file in urls.filter_map(|u| crate::urls::output_file(u)) {
            *docs_at.entry(file).or_default() += 1;
        }
        // Nothing in front matter explains the rest: still never overwrite silently.
        errors = twice
            .iter()
            .filter(|p| docs_at.get(**p).is_none_or(|&n| n < 2))
            .map(|p| Diagnostic::error("site.toml", format!("two outputs would be written to {}", p.display())))
            .collect();
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Adds the copied files (static files, then content assets) to the rendered
/// outputs; where both have a path, the copied file replaces the rendered
/// one, and of two copied files the later (the content asset) wins, so every
/// path is written once.
pub fn copied_files_win(outputs: &mut Vec<Output>, copied: Vec<Output>) {
    let mut last: std::collections::HashMap<PathBuf, Output> = std::collections::HashMap::new();
    for o in copied {
        last.insert(o.path.clone(), o);
    }
    outputs.retain(|o| !last.contains_key(&o.path));
    let mut copied: Vec<Output> = last.into_values().collect();
    copied.sort_by(|a, b| a.path.cmp(&b.path));
    outputs.extend(copied);
}

fn blame(doc: &Doc, what: &str, named: &str, file: &Path) -> Diagnostic {
    let message = format!(
        "{what} `{named}` would overwrite {}, which the site also writes (a page, listing, feed, search, theme or static file)",
        file.display()
    );
    Diagnostic::error(&doc.file, message).at_offset(&doc.source, crate::redirects::alias_offset(doc, named))
}
