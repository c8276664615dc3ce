//! Parsing one source file into a [`Doc`]: read, split front matter, type it.
//! A pure function of the file's bytes, so `serve` can re-parse a single file.

use crate::diagnostic::Diagnostic;
use crate::frontmatter::{self, FrontMatter};
use crate::load::{self, SourceFile, SourceKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A parsed markdown file: front matter typed, body not yet rendered.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path relative to `content/`.
    pub rel: PathBuf,
    /// Path shown in messages (`content/a/b.md`).
    pub file: PathBuf,
    pub kind: SourceKind,
    pub source: Arc<str>,
    pub body_offset: usize,
    pub fm: FrontMatter,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// A section page for a folder that has no `_index.md`.
    pub fn implicit_section(folder: &Path) -> Doc {
        let rel = folder.join("_index.md");
        let title = folder.file_name().map(|n| n.to_string_lossy().into_owned());
        Doc {
            file: Path::new("content").join(&rel),
            rel,
            kind: SourceKind::Section,
            source: Arc::from(""),
            body_offset: 0,
            fm: FrontMatter { title, ..FrontMatter::default() },
        }
    }
}

/// Reads and parses one markdown file. Every problem in it is returned at once.
pub fn parse_file(file: &SourceFile) -> Result<Doc, Vec<Diagnostic>> {
    let display = Path::new("content").join(&file.rel);
    let text = load::read_text(&file.abs, &display).map_err(|d| vec![d])?;
    parse_text(&file.rel, file.kind, text)
}

pub fn parse_text(rel: &Path, kind: SourceKind, text: String) -> Result<Doc, Vec<Diagnostic>> {
    let display = Path::new("content").join(rel);
    let split = frontmatter::split(&display, &text).map_err(|d| vec![d])?;
    let fm = frontmatter::parse(&display, &text, &split)?;
    let body_offset = split.body_offset;
    Ok(Doc { rel: rel.to_path_buf(), file: display, kind, source: Arc::from(text), body_offset, fm })
}
