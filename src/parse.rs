//! Parsing one source file into a [`Doc`]: read, split front matter, type it.
//! A pure function of the file's bytes, so `serve` can re-parse a single file.

use crate::diagnostic::Diagnostic;
use crate::frontmatter::{self, FrontMatter, Typos};
use crate::load::{self, SourceFile, SourceKind};
use serde_json::{Map, Value};
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
    /// The plain text of a `# Heading` that opens the body, as most
    /// Obsidian notes do: the title when front matter gives none, and never
    /// shown twice (see [`Doc::lead_h1_is_title`]).
    pub lead_h1: Option<String>,
    /// What parsing found that does not stop the file (a likely typo).
    pub warnings: Vec<Diagnostic>,
    /// Its front matter holds values cascaded from a section above.
    pub cascaded: bool,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.source[self.body_offset..]
    }

    /// The title readers see: front matter's, else the body's opening H1,
    /// else the file name (the folder's, for `_index.md` and `index.md`).
    pub fn title(&self) -> String {
        self.fm.title.clone().or_else(|| self.lead_h1.clone()).unwrap_or_else(|| {
            let stem = self.rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            if stem == "_index" || stem == "index" {
                self.rel
                    .parent()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                stem
            }
        })
    }

    /// True when the body opens with an H1 that is the page's title (which
    /// the theme already shows), so the body leaves it out.
    pub fn lead_h1_is_title(&self) -> bool {
        match (&self.lead_h1, &self.fm.title) {
            (Some(h1), Some(title)) => same_title(h1, title),
            (Some(_), None) => true,
            (None, _) => false,
        }
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
            lead_h1: None,
            warnings: Vec::new(),
            cascaded: false,
        }
    }
}

/// Reads and parses one markdown file. Every problem in it is returned at once.
pub fn parse_file(file: &SourceFile, typos: Typos) -> Result<Doc, Vec<Diagnostic>> {
    let display = Path::new("content").join(&file.rel);
    let text = load::read_text(&file.abs, &display).map_err(|d| vec![d])?;
    parse_text(&file.rel, file.kind, Arc::from(text), typos, &Map::new())
}

/// Parses `text`, with `defaults` (cascaded from the sections above) filling
/// in what its front matter does not set.
pub fn parse_text(
    rel: &Path,
    kind: SourceKind,
    text: Arc<str>,
    typos: Typos,
    defaults: &Map<String, Value>,
) -> Result<Doc, Vec<Diagnostic>> {
    let display = Path::new("content").join(rel);
    let split = frontmatter::split(&display, &text).map_err(|d| vec![d])?;
    let (fm, warnings) = frontmatter::parse(&display, &text, &split, typos, defaults)?;
    let body_offset = split.body_offset;
    let lead_h1 = lead_h1(&text[body_offset..]);
    let file = display;
    let cascaded = !defaults.is_empty();
    Ok(Doc { rel: rel.to_path_buf(), file, kind, source: text, body_offset, fm, lead_h1, warnings, cascaded })
}

/// The text of an ATX `# Heading` on the body's first non-blank line. Only
/// that line is parsed (as markdown, so `# The **alliance**` gives "The
/// alliance"), never the whole body.
fn lead_h1(body: &str) -> Option<String> {
    let line = body.lines().find(|l| !l.trim().is_empty())?;
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line.trim_start_matches(' ');
    if indent > 3 || !(rest.starts_with("# ") || rest.starts_with("#\t")) {
        return None;
    }
    let events: Vec<pulldown_cmark::Event<'_>> =
        pulldown_cmark::Parser::new_ext(line, crate::markdown::options(false)).collect();
    let text = crate::markdown::text::plain_text(&events);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Titles compare as a reader reads them: case, spacing and curly quotes aside.
pub fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\"")
    };
    norm(a) == norm(b)
}
