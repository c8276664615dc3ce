//! Discovery: walks `content/` and sorts every file into a page, a section
//! index or an asset, skipping what editors and version control leave behind.
//!
//! Symlinks are followed only when they point to a file inside the site;
//! links to folders are skipped with a warning, so a loop can never stall a walk.
//! What the site says to leave out ([`Exclusions`]) is never read at all.

use crate::diagnostic::Diagnostic;
use crate::vault::VaultRules;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceKind {
    /// `_index.md`: the page of its folder's section.
    Section,
    /// Any other `.md` file.
    Page,
    /// A file copied beside the pages (image, PDF...).
    Asset,
}

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators.
    pub rel: PathBuf,
    pub abs: PathBuf,
    pub kind: SourceKind,
}

/// True for files that editors, OSes and tools write beside real content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig", ".crdownload", ".part"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// What the site leaves out of `content/` beyond editor files: `site.toml`'s
/// `ignore` globs and the Obsidian vault's settings ([`crate::vault`]).
#[derive(Debug, Clone, Default)]
pub struct Exclusions {
    globs: globset::GlobSet,
    vaults: Vec<VaultRules>,
}

impl Exclusions {
    /// The exclusions of the site at `root` with `site.toml`'s `ignore`
    /// globs, and warnings about vault settings that do not parse.
    pub fn of(root: &Path, globs: &globset::GlobSet) -> (Exclusions, Vec<Diagnostic>) {
        let (vaults, warnings) = crate::vault::load(root);
        (Exclusions { globs: globs.clone(), vaults }, warnings)
    }

    /// True when `rel` (relative to `content/`) or a folder above it is left out.
    pub fn excludes(&self, rel: &Path) -> bool {
        rel.ancestors().filter(|a| !a.as_os_str().is_empty()).any(|a| {
            let path = a.to_string_lossy().replace('\\', "/");
            self.globs.is_match(&path) || self.vaults.iter().any(|v| v.excludes(&path))
        })
    }
}

pub fn kind_of(rel: &Path) -> SourceKind {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "_index.md" {
        SourceKind::Section
    } else if rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown")) {
        SourceKind::Page
    } else {
        SourceKind::Asset
    }
}

/// Every content file under `content_dir` that `exclusions` keeps, in a
/// stable order, plus findings (files skipped with a warning, file names that are an error).
pub fn discover(root: &Path, content_dir: &Path, exclusions: &Exclusions) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walker = WalkDir::new(content_dir).follow_links(false).sort_by_file_name().into_iter();
    let kept = |e: &walkdir::DirEntry| {
        let rel = e.path().strip_prefix(content_dir).unwrap_or(e.path());
        e.depth() == 0 || !(is_ignored_name(&e.file_name().to_string_lossy()) || exclusions.excludes(rel))
    };
    let walker = walker.filter_entry(kept);
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| content_dir.to_path_buf());
                warnings.push(Diagnostic::warning(path, format!("cannot read: {err}")));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let abs = entry.path().to_path_buf();
        if !entry.file_type().is_file() && !entry.path_is_symlink() {
            // Reading a named pipe would block the build for ever.
            warnings.push(Diagnostic::warning(&abs, "skipped: not a regular file (a pipe, socket or device)"));
            continue;
        }
        if entry.path_is_symlink() {
            if let Some(w) = check_symlink(&abs, &canonical_root) {
                warnings.push(w);
                continue;
            }
        }
        let rel = abs.strip_prefix(content_dir).expect("walkdir stays under its root").to_path_buf();
        if rel.to_str().is_none() {
            // Its URL and every link to it would be guesswork.
            warnings.push(Diagnostic::error(&abs, "the file name is not valid UTF-8; rename the file"));
            continue;
        }
        files.push(SourceFile { kind: kind_of(&rel), rel, abs });
    }
    crate::diagnostic::relative_to(root, &mut warnings);
    (files, warnings)
}

/// A warning when a symlink must be skipped: it points to a folder, outside the site, or nowhere.
pub(crate) fn check_symlink(path: &Path, canonical_root: &Path) -> Option<Diagnostic> {
    match path.canonicalize() {
        Err(_) => Some(Diagnostic::warning(path, "skipped: symlink points nowhere (or loops)")),
        Ok(target) if !target.starts_with(canonical_root) => Some(Diagnostic::warning(
            path,
            format!("skipped: symlink points outside the site, to {}", target.display()),
        )),
        Ok(target) if target.is_dir() => Some(Diagnostic::warning(path, "skipped: symlinked folders are not followed")),
        Ok(target) if !target.is_file() => {
            Some(Diagnostic::warning(path, "skipped: symlink points to a pipe, socket or device, not a regular file"))
        }
        Ok(_) => None,
    }
}

/// Reads one source file as UTF-8 text, dropping a byte-order mark.
pub fn read_text(abs: &Path, display: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(abs).map_err(|e| Diagnostic::error(display, format!("cannot read: {e}")))?;
    let mut text = utf8_text(bytes, display)?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Bytes as text, or an error at the line and column of the first byte that
/// is not UTF-8 (the column counts the characters before it on its line).
pub fn utf8_text(bytes: Vec<u8>, display: &Path) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bad = e.as_bytes()[offset];
        // The lossy text keeps every byte before `offset`, so positions agree.
        let text = String::from_utf8_lossy(e.as_bytes());
        Diagnostic::error(display, format!("not valid UTF-8 (byte 0x{bad:02x}); save the file as UTF-8"))
            .at_offset(&text, offset)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [".hidden.md", "a.md~", "4913", ".a.md.swp", "#a.md#", "a.bak", ".#a.md"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("a.md"));
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of(Path::new("a/_index.md")), SourceKind::Section);
        assert_eq!(kind_of(Path::new("a/b.md")), SourceKind::Page);
        assert_eq!(kind_of(Path::new("a/b.png")), SourceKind::Asset);
    }
}
