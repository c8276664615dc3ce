//! Link destinations: internal `.md` and `@/` links become page URLs, other
//! relative files become site paths, and only safe schemes survive.

use crate::urls::{encode_path, resolve_relative};
use std::path::{Path, PathBuf};

/// What the page renderer needs to know about the rest of the site.
pub trait LinkTargets: Sync {
    /// Full URL path (with the base path) of the page or section whose source
    /// is `content_rel` (relative to `content/`).
    fn url_of(&self, content_rel: &Path) -> Option<String>;
    /// The site's base path, `/` or `/docs/`.
    fn base_path(&self) -> &str;
    /// What an Obsidian note name (`Note`, `folder/Note`, an alias, `image.png`) refers to.
    fn wikilink(&self, name: &str) -> WikiTarget {
        let _ = name;
        WikiTarget::Missing
    }
    /// True when `content_rel` is a page left out of this build as a draft.
    fn is_draft(&self, content_rel: &Path) -> bool {
        let _ = content_rel;
        false
    }
    /// True when `content_rel` is a page left out because it failed to parse.
    fn is_unparsed(&self, content_rel: &Path) -> bool {
        let _ = content_rel;
        false
    }
    /// True when a non-markdown file exists at `content_rel`.
    fn asset_exists(&self, content_rel: &Path) -> bool {
        let _ = content_rel;
        true
    }
    /// The names of the site's glossary entries and their URLs (none unless
    /// site.toml names a glossary section): a page links each term's first use.
    fn glossary_terms(&self) -> Vec<super::glossary::GlossaryTerm> {
        Vec::new()
    }
    /// The site's bibliography, when site.toml names one. Formatting reads
    /// only entries whose key it asked [`LinkTargets::cite_print`] about.
    fn bibliography(&self) -> Option<&crate::citations::Bibliography> {
        None
    }
    /// The fingerprint of shortcode `name`'s template, `None` when there is none.
    fn shortcode_print(&self, name: &str) -> Option<u64> {
        let _ = name;
        None
    }
    /// The fingerprint of bibliography entry `key`, `None` when there is none.
    fn cite_print(&self, key: &str) -> Option<u64> {
        self.bibliography().and_then(|b| b.print(key))
    }
}

/// A wikilink target, resolved the way Obsidian does: file name first, then
/// the shortest path that ends with the name, case-insensitively; aliases too.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum WikiTarget {
    Page(PathBuf),
    Asset(PathBuf),
    /// Several notes share the name; the first (shortest path) is used.
    Ambiguous(Vec<PathBuf>),
    Missing,
}

/// Resolves `[[name#heading]]`. Also returns the candidates when the name is ambiguous.
pub fn resolve_wiki(raw: &str, targets: &dyn LinkTargets) -> (Resolved, Vec<PathBuf>) {
    // Inside tables Obsidian authors escape the pipe: `[[Note\|label]]`.
    let raw = raw.trim_end_matches('\\');
    let (name, heading) = match raw.split_once('#') {
        Some((n, h)) => (n.trim(), Some(h.trim())),
        None => (raw.trim(), None),
    };
    // `[[Note#Outer#Inner]]` names a heading by its path: the last is the target.
    let heading = heading.map(|h| h.rsplit('#').next().unwrap_or(h).trim());
    let anchor = heading.map(|h| match h.strip_prefix('^') {
        Some(block) => super::blocks::anchor(block),
        None => crate::urls::slugify(h),
    });
    if name.is_empty() {
        return (anchor.map_or(Resolved::Keep, |a| Resolved::Url(format!("#{a}"))), vec![]);
    }
    match targets.wikilink(name) {
        WikiTarget::Page(target) => (page_link(target, anchor, targets), vec![]),
        WikiTarget::Ambiguous(candidates) => (page_link(candidates[0].clone(), anchor, targets), candidates),
        WikiTarget::Asset(path) => {
            let mut url = format!("{}{}", targets.base_path(), encode_path(&path.to_string_lossy()));
            // `![[talk.pdf#page=3]]` opens the PDF at that page.
            if let Some(page) = raw.split_once('#').map(|(_, h)| h.trim()).filter(|h| h.starts_with("page=")) {
                url.push('#');
                url.push_str(page);
            }
            (Resolved::Url(url), vec![])
        }
        // `[[talk.pdf]]` names a file, not a note called `talk.pdf.md`.
        WikiTarget::Missing if super::files::is_file_name(name) => {
            (Resolved::MissingFile { target: PathBuf::from(name) }, vec![])
        }
        WikiTarget::Missing => (Resolved::Broken { target: PathBuf::from(format!("{name}.md")) }, vec![]),
    }
}

/// Where a link points once resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    /// Leave the destination as written (external URL, `#anchor`, absolute path).
    Keep,
    /// Replace with this URL.
    Url(String),
    /// An internal page link: the URL, and the content file it targets.
    Page { url: String, target: PathBuf, anchor: Option<String> },
    /// An internal link whose target does not exist.
    Broken { target: PathBuf },
    /// A link or image to a file that is not in content/.
    MissingFile { target: PathBuf },
    /// A scheme that is not allowed (`javascript:` and friends).
    Unsafe,
}

/// Resolves one destination found in `page_dir` (the page's folder inside content/).
pub fn resolve(dest: &str, page_dir: &Path, targets: &dyn LinkTargets) -> Resolved {
    let trimmed = dest.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Resolved::Keep;
    }
    if crate::urls::scheme_of(trimmed).is_some() {
        return if safe_destination(trimmed) { Resolved::Keep } else { Resolved::Unsafe };
    }
    if trimmed.starts_with("//") {
        return Resolved::Keep;
    }
    let (path, anchor) = match trimmed.split_once('#') {
        // `Note.md#^blk1` is a block, as in a wikilink.
        Some((p, a)) => (p, Some(a.strip_prefix('^').map_or_else(|| a.to_string(), super::blocks::anchor))),
        None => (trimmed, None),
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let decoded = crate::urls::percent_decode(path);
    if let Some(content_path) = decoded.strip_prefix("@/") {
        return page_link(PathBuf::from(content_path), anchor, targets);
    }
    if decoded.starts_with('/') {
        return Resolved::Keep;
    }
    let Some(target) = resolve_relative(page_dir, &decoded) else {
        // Climbs above content/: Obsidian still finds a file by its name.
        let name = decoded.rsplit('/').next().unwrap_or(&decoded);
        return match targets.wikilink(name) {
            WikiTarget::Asset(path) => {
                Resolved::Url(format!("{}{}", targets.base_path(), encode_path(&path.to_string_lossy())))
            }
            _ => Resolved::Broken { target: PathBuf::from(decoded) },
        };
    };
    if decoded.ends_with(".md") {
        return page_link(target, anchor, targets);
    }
    // A file beside the content (image, PDF): copied to the mirrored path.
    if !targets.asset_exists(&target) {
        // Obsidian finds notes and files by name anywhere in the vault.
        return match targets.wikilink(&decoded) {
            WikiTarget::Page(page) => page_link(page, anchor, targets),
            WikiTarget::Asset(path) => {
                Resolved::Url(format!("{}{}", targets.base_path(), encode_path(&path.to_string_lossy())))
            }
            _ => Resolved::MissingFile { target },
        };
    }
    let mut url = format!("{}{}", targets.base_path(), encode_path(&target.to_string_lossy()));
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(&a);
    }
    Resolved::Url(url)
}

fn page_link(target: PathBuf, anchor: Option<String>, targets: &dyn LinkTargets) -> Resolved {
    match targets.url_of(&target) {
        Some(mut url) => {
            if let Some(a) = &anchor {
                url.push('#');
                url.push_str(a);
            }
            Resolved::Page { url, target, anchor }
        }
        None => Resolved::Broken { target },
    }
}

/// True when `dest` has no scheme or an allowed one.
pub fn safe_destination(dest: &str) -> bool {
    crate::urls::check_scheme(dest).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Two;
    impl LinkTargets for Two {
        fn url_of(&self, p: &Path) -> Option<String> {
            (p == Path::new("a/b.md")).then(|| "/a/b/".to_string())
        }
        fn base_path(&self) -> &str {
            "/"
        }
    }

    #[test]
    fn rewrites_internal_links() {
        let dir = Path::new("a");
        assert!(matches!(resolve("b.md#x", dir, &Two), Resolved::Page { ref url, .. } if url == "/a/b/#x"));
        assert!(matches!(resolve("@/a/b.md", Path::new("z"), &Two), Resolved::Page { .. }));
        assert!(matches!(resolve("../a/b.md", dir, &Two), Resolved::Page { .. }));
        assert!(matches!(resolve("c.md", dir, &Two), Resolved::Broken { .. }));
        assert_eq!(resolve("img%20one.png", dir, &Two), Resolved::Url("/a/img%20one.png".into()));
        assert_eq!(resolve("https://x.org", dir, &Two), Resolved::Keep);
    }

    #[test]
    fn unsafe_schemes_are_refused() {
        for bad in ["javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "data:text/html,x", "vbscript:x"] {
            assert_eq!(resolve(bad, Path::new(""), &Two), Resolved::Unsafe, "{bad}");
        }
    }
}
