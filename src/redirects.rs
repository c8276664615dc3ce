//! Which `aliases` become redirect pages. Zola-style aliases are paths
//! (`/old/url/`); Obsidian's are other names for a note (found by wikilinks,
//! never written). A path alias is resolved once, when the site is
//! assembled, and every later stage (duplicate URLs, output collisions, the
//! redirect pages) reads the result:
//! - an alias that is the page's own URL is a no-op (a vault that lists it
//!   builds as it is);
//! - an alias that meets another page or section is a warning at the alias
//!   line: the page is served there and no redirect is written;
//! - two aliases naming one URL stay an error (`model::check_unique_urls`).

use crate::diagnostic::Diagnostic;
use crate::parse::Doc;
use std::collections::HashMap;

/// Zola-style aliases are paths (`/old/url/`, `old/page.html`); Obsidian's are names.
pub fn is_path_alias(alias: &str) -> bool {
    alias.contains('/') && !alias.contains(char::is_whitespace)
}

/// The URL key two spellings of one address share (case and Unicode form aside).
pub fn url_key(url: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    url.trim_start_matches('/').nfc().collect::<String>().to_lowercase()
}

/// One doc as alias resolution sees it: its source and its own URL.
pub struct Owner<'a> {
    pub doc: &'a Doc,
    pub url: &'a str,
}

/// The path aliases of each owner that get a redirect page, in owner order,
/// and a warning for each alias a page or section already takes.
pub fn resolve(owners: &[Owner<'_>]) -> (Vec<Vec<String>>, Vec<Diagnostic>) {
    let taken: HashMap<String, &Doc> = owners.iter().map(|o| (url_key(o.url), o.doc)).collect();
    let mut warnings = Vec::new();
    let kept = owners
        .iter()
        .map(|owner| {
            let own = url_key(owner.url);
            let mut kept = Vec::new();
            for alias in owner.doc.fm.aliases.iter().filter(|a| is_path_alias(a)) {
                let key = url_key(&crate::urls::url_of_path(alias));
                match taken.get(&key) {
                    _ if key == own => {}
                    Some(other) => warnings.push(shadowed(owner.doc, alias, other)),
                    None => kept.push(alias.clone()),
                }
            }
            kept
        })
        .collect();
    (kept, warnings)
}

fn shadowed(doc: &Doc, alias: &str, page: &Doc) -> Diagnostic {
    let message =
        format!("alias `{alias}` is the URL of {}, which is served there; no redirect is written", page.file.display());
    Diagnostic::warning(&doc.file, message).at_offset(&doc.source, alias_offset(doc, alias))
}

/// Where an alias is written in the front matter (its value), else the start.
pub fn alias_offset(doc: &Doc, alias: &str) -> usize {
    let front = &doc.source[..doc.body_offset];
    front.find(alias).or_else(|| front.find(alias.trim_matches('/'))).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_not_paths() {
        assert!(is_path_alias("/old/url/"));
        assert!(is_path_alias("old/page.html"));
        assert!(!is_path_alias("Nick name"));
        assert!(!is_path_alias("nickname"));
    }

    #[test]
    fn url_keys_ignore_slashes_case_and_unicode_form() {
        assert_eq!(url_key("/Café/"), url_key("cafe\u{301}/"));
    }
}
