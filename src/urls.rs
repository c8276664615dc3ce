//! URLs and output paths: content path → URL → file in the output folder.
//!
//! Every path that reaches the disk passes through [`output_file`], which
//! refuses anything that could leave the output folder; every URL an author
//! or a page supplies passes through [`check_scheme`], which refuses schemes
//! that could run script in a reader's browser.

use std::path::{Component, Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// `text` in Unicode NFC. macOS writes file names decomposed (`cafe\u{301}`)
/// where editors type them composed (`caf\u{e9}`): both must give one URL
/// and one wikilink name.
pub fn nfc(text: &str) -> String {
    if unicode_normalization::is_nfc(text) {
        text.to_string()
    } else {
        text.nfc().collect()
    }
}

/// A content path in NFC, the form every URL and link lookup is keyed by.
pub fn nfc_path(path: &Path) -> PathBuf {
    PathBuf::from(nfc(&path.to_string_lossy()))
}

/// Lower-case, hyphen-separated slug of any text (keeps letters of every script).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.nfc() {
        if slug.len() + c.len_utf8() * 3 > MAX_SLUG {
            break;
        }
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c == '_' || c == '-' || c.is_whitespace() || c.is_ascii_punctuation() || c == '’' {
            pending_dash = true;
        }
    }
    slug
}

/// Longest slug in bytes: an output folder or file name must stay within the
/// 255 bytes file systems allow, with room for `.html`.
pub const MAX_SLUG: usize = 200;

/// Longest path segment in bytes a front matter `slug`, `path` or alias may have.
const MAX_SEGMENT: usize = 250;

/// A front matter `slug` is one path segment.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.trim().is_empty() || slug == "." {
        return Err(format!("`slug` must name a page, got `{slug}`"));
    }
    if slug.contains(['/', '\\']) {
        return Err(format!("`slug` must be one path segment, got `{slug}` (use `path` for a full path)"));
    }
    check_path(slug).map_err(|m| m.replace("path", "slug"))
}

/// A front matter `path` or alias: relative to the site root, no `..`, no NUL.
pub fn check_path(path: &str) -> Result<(), String> {
    if path.contains('\0') {
        return Err("path must not contain a NUL byte".into());
    }
    if path.contains('\\') {
        return Err(format!("path must use `/`, not backslashes: `{}`", path.escape_debug()));
    }
    if path.trim_matches('/').split('/').any(|seg| seg == "..") {
        return Err(format!("path must not contain `..`: `{path}`"));
    }
    if path.contains("://") {
        return Err(format!("path must be a site path, not a URL: `{path}`"));
    }
    if path.contains(':') {
        return Err(format!("path must not contain `:`: `{path}`"));
    }
    if let Some(long) = path.split('/').find(|seg| seg.len() > MAX_SEGMENT) {
        let head: String = long.chars().take(40).collect();
        return Err(format!(
            "path segment `{head}…` is {} bytes long; file systems allow at most {MAX_SEGMENT}",
            long.len()
        ));
    }
    Ok(())
}

/// Site-relative URL path (no leading slash, trailing slash unless empty) of a
/// content file: `a/b.md` → `a/b/`, `a/_index.md` → `a/`, `a/b/index.md` → `a/b/`.
pub fn url_of_content(rel: &Path, slug: Option<&str>) -> String {
    let mut parts: Vec<String> = rel
        .parent()
        .map(|p| p.components().filter_map(|c| c.as_os_str().to_str()).map(slug_segment).collect())
        .unwrap_or_default();
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != "_index" && stem != "index" {
        parts.push(slug.map_or_else(|| slug_segment(stem), nfc));
    } else if let (Some(s), Some(last)) = (slug, parts.last_mut()) {
        *last = nfc(s);
    }
    join_url(&parts)
}

/// A folder or file name as a URL segment: spaces become hyphens, case is kept
/// lower so links are predictable, other characters stay (percent-encoded on output).
fn slug_segment(name: &str) -> String {
    let s = slugify(name);
    if s.is_empty() {
        nfc(name)
    } else {
        s
    }
}

fn join_url(parts: &[String]) -> String {
    let parts: Vec<&str> = parts.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

/// Normalises a front matter `path` (already checked) into a site-relative URL path.
pub fn url_of_path(path: &str) -> String {
    let parts: Vec<String> = path.split('/').filter(|s| !s.is_empty() && *s != ".").map(nfc).collect();
    if parts.last().is_some_and(|p| p.contains('.')) {
        parts.join("/")
    } else {
        join_url(&parts)
    }
}

/// `%XX` escapes decoded; bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The file a site-relative URL path is written to: `a/b/` → `a/b/index.html`.
/// `None` when the path could escape the output folder.
pub fn output_file(url: &str) -> Option<PathBuf> {
    let mut file = PathBuf::new();
    for seg in url.split('/').filter(|s| !s.is_empty()) {
        if seg == "." || seg == ".." || seg.contains(['\\', '\0', ':']) {
            return None;
        }
        file.push(seg);
    }
    if url.is_empty() || url.ends_with('/') {
        file.push("index.html");
    }
    let inside = file.components().all(|c| matches!(c, Component::Normal(_)));
    inside.then_some(file)
}

/// Percent-encodes a site path for use in an `href` (keeps `/`, `#` and unreserved characters).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/#%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Resolves `target` (a relative path inside content, may contain `..`) against
/// the folder `base`, lexically. `None` when it climbs above the content root.
pub fn resolve_relative(base: &Path, target: &str) -> Option<PathBuf> {
    let mut parts: Vec<&str> = base.components().filter_map(|c| c.as_os_str().to_str()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.iter().collect())
}

/// The only schemes a URL from the site (front matter, markdown, raw HTML,
/// config, `extra` through the `safe_url` filter) may use; relative URLs are
/// always fine. An allow-list, because `javascript:`, `data:` and friends keep growing.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// `Ok` when `url` is relative or uses an allowed scheme; otherwise a message.
pub fn check_scheme(url: &str) -> Result<(), String> {
    match scheme_of(url) {
        Some(s) if !ALLOWED_SCHEMES.contains(&s.as_str()) => Err(format!(
            "`{}` uses the scheme `{s}:`, which is not allowed (only {} and relative URLs)",
            url.escape_debug(),
            ALLOWED_SCHEMES.iter().map(|s| format!("{s}:")).collect::<Vec<_>>().join(", ")
        )),
        _ => Ok(()),
    }
}

/// The scheme of `url` as a browser would read it, lower-cased: after
/// decoding HTML entities and percent-escapes (a page may hold either), with
/// whitespace and control characters removed (`java\tscript:`). `None` for a
/// relative URL. Decoding never makes a URL safer, so over-reading is harmless.
pub fn scheme_of(url: &str) -> Option<String> {
    let mut text = url.to_string();
    // Twice: `&#37;6A` decodes to `%6A`, which decodes to `j`.
    for _ in 0..2 {
        text = percent_decode(&decode_entities(&text));
    }
    let cleaned: String = text.chars().filter(|c| !c.is_control() && !c.is_whitespace()).collect();
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let first_ok = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    // Anything else before the colon (`/`, `?`, `#`) makes it a path, not a scheme.
    let rest_ok = scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then(|| scheme.to_ascii_lowercase())
}

/// Decodes numeric character references (`&#106;`, `&#x6A`, with or without
/// `;`, as browsers read them in attributes) and the named ones that can
/// spell a scheme (`&colon;`, `&Tab;`, `&NewLine;`, `&period;`, `&plus;`).
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        match entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// The character and byte length of the entity at the start of `s` (after `&`).
fn entity(s: &str) -> Option<(char, usize)> {
    const NAMED: &[(&str, char)] =
        &[("colon;", ':'), ("Tab;", '\t'), ("NewLine;", '\n'), ("period;", '.'), ("plus;", '+')];
    if let Some((name, c)) = NAMED.iter().find(|(name, _)| s.starts_with(name)) {
        return Some((*c, name.len()));
    }
    let num = s.strip_prefix('#')?;
    let (radix, digits_at) = if num.starts_with(['x', 'X']) { (16, 2) } else { (10, 1) };
    let digits = s[digits_at..].chars().take_while(|c| c.is_digit(radix)).count();
    let value = u32::from_str_radix(&s[digits_at..digits_at + digits], radix).ok()?;
    let len = digits_at + digits + usize::from(s[digits_at + digits..].starts_with(';'));
    Some((char::from_u32(value).unwrap_or('\u{FFFD}'), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_paths_map_to_pretty_urls() {
        assert_eq!(url_of_content(Path::new("a/b.md"), None), "a/b/");
        assert_eq!(url_of_content(Path::new("a/_index.md"), None), "a/");
        assert_eq!(url_of_content(Path::new("_index.md"), None), "");
        assert_eq!(url_of_content(Path::new("Getting Started/Some Note.md"), None), "getting-started/some-note/");
        assert_eq!(url_of_content(Path::new("a/b.md"), Some("c")), "a/c/");
    }

    #[test]
    fn output_file_refuses_escape() {
        assert_eq!(output_file("a/b/"), Some(PathBuf::from("a/b/index.html")));
        assert_eq!(output_file(""), Some(PathBuf::from("index.html")));
        assert_eq!(output_file("a/../../x/"), None);
        assert_eq!(output_file("a\\..\\x/"), None);
    }

    fn inside(p: &Path) -> bool {
        p.components().all(|c| matches!(c, Component::Normal(_)))
    }

    proptest::proptest! {
        /// Whatever a slug, path or alias says, an accepted one writes strictly
        /// inside the output folder.
        #[test]
        fn accepted_paths_stay_inside_the_output(s in "(\\PC|[./\\\\:%\u{0}]){0,40}") {
            if check_path(&s).is_ok() {
                let file = output_file(&url_of_path(&s));
                proptest::prop_assert!(file.as_deref().is_some_and(inside), "{:?} -> {:?}", s, file);
            }
            if check_slug(&s).is_ok() {
                let file = output_file(&url_of_content(Path::new("a/b.md"), Some(&s)));
                proptest::prop_assert!(file.as_deref().is_some_and(inside), "{:?} -> {:?}", s, file);
            }
            if let Some(file) = output_file(&s) {
                proptest::prop_assert!(inside(&file), "{:?} -> {:?}", s, file);
            }
        }
    }

    #[test]
    fn decomposed_and_composed_names_give_one_url() {
        assert_eq!(url_of_content(Path::new("cafe\u{301}.md"), None), "caf\u{e9}/");
        assert_eq!(url_of_content(Path::new("Cafe\u{301} Notes/x.md"), None), "caf\u{e9}-notes/x/");
        assert_eq!(url_of_content(Path::new("a/b.md"), Some("cafe\u{301}")), "a/caf\u{e9}/");
        assert_eq!(url_of_path("/cafe\u{301}/"), "caf\u{e9}/");
        assert_eq!(slugify("Cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn slugify_folds_punctuation() {
        assert_eq!(slugify("Rogers' Core Conditions — Today!"), "rogers-core-conditions-today");
        assert_eq!(slugify("Crossings versus Violations"), "crossings-versus-violations");
    }

    #[test]
    fn schemes_are_read_the_way_browsers_read_them() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "java\tscript:x",
            " \u{1}javascript:x",
            "&#106;avascript:x",
            "&#x6A;avascript:x",
            "&#106avascript:x",
            "javascript&colon;x",
            "%6Aavascript:x",
            "&#37;6Aavascript:x",
            "javascript://%0aalert(document.domain)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(check_scheme(bad).is_err(), "{bad:?} passed");
        }
        for good in
            ["https://x.org", "HTTP://x", "mailto:a@b", "tel:+1", "/a/b/", "a/b.md", "#x", "a/b:c", "?q=a:b", ""]
        {
            assert_eq!(check_scheme(good), Ok(()), "{good:?}");
        }
    }
}
