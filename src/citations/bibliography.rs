//! The site's bibliography: `bibliography = "references.bib"` read once with
//! hayagriva (BibLaTeX or BibTeX; a `.json` file is CSL-JSON), with the CSL style from hayagriva's
//! bundled archive. Each entry gets a fingerprint of its own data, so the
//! pages citing it (and its reference page) are rendered again exactly when
//! it changes.

use crate::diagnostic::Diagnostic;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::Entry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The loaded bibliography and the style it is formatted in.
pub struct Bibliography {
    /// The file as site.toml names it (relative to the site root), for messages.
    pub file: PathBuf,
    pub style: IndependentStyle,
    /// `style` with empty entries, to order a list whose entries are shared.
    pub order_style: IndependentStyle,
    /// Entries in `style` are the same on every page (see [`super::memo`]).
    pub context_free: bool,
    pub locales: Vec<Locale>,
    memo: super::memo::Memo,
    entries: HashMap<String, Entry>,
    /// Fingerprint of each entry's own data.
    prints: HashMap<String, u64>,
    /// Where each entry starts in the file: (key, line).
    lines: Vec<(String, usize)>,
}

impl std::fmt::Debug for Bibliography {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bibliography({}, {} entries)", self.file.display(), self.entries.len())
    }
}

/// A style name site.toml may give (`apa`, `ieee`, any of hayagriva's archive).
pub fn style_named(name: &str) -> Option<IndependentStyle> {
    match hayagriva::archive::ArchivedStyle::by_name(name)?.get() {
        Style::Independent(style) => Some(style),
        Style::Dependent(_) => None,
    }
}

impl Bibliography {
    /// Reads `root/file`; a file that does not parse is an error naming it and the line.
    pub fn load(root: &Path, file: &Path, style: &str) -> Result<Bibliography, Diagnostic> {
        let path = root.join(file);
        let source = std::fs::read_to_string(&path)
            .map_err(|e| Diagnostic::error(file, format!("cannot read the bibliography: {e}")))?;
        Self::parse(file, &source, style)
    }

    pub fn parse(file: &Path, source: &str, style: &str) -> Result<Bibliography, Diagnostic> {
        let style = style_named(style)
            .ok_or_else(|| Diagnostic::error("site.toml", format!("citation_style `{style}` is not a known style")))?;
        let csl_json = file.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let library = if csl_json {
            super::csl_json::parse(file, source)?
        } else {
            hayagriva::io::from_biblatex_str(source).map_err(|errors| bib_error(file, source, &errors))?
        };
        let mut entries = HashMap::new();
        let mut prints = HashMap::new();
        for entry in library.iter() {
            prints.insert(entry.key().to_string(), fingerprint(entry));
            entries.insert(entry.key().to_string(), entry.clone());
        }
        let lines = if csl_json { json_entry_lines(source) } else { entry_lines(source) };
        Ok(Bibliography {
            file: file.to_path_buf(),
            order_style: super::memo::order_only(&style),
            context_free: super::memo::context_free(&style),
            style,
            locales: hayagriva::archive::locales(),
            memo: Default::default(),
            entries,
            prints,
            lines,
        })
    }

    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Entry `key` formatted on its own, once per bibliography.
    pub fn reference(&self, key: &str) -> Option<super::format::ListedReference> {
        self.memo.reference(self, key)
    }

    pub(super) fn memo(&self) -> &super::memo::Memo {
        &self.memo
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The fingerprint of entry `key`, `None` when there is none.
    pub fn print(&self, key: &str) -> Option<u64> {
        self.prints.get(key).copied()
    }

    /// Every key, in file order, with the line its entry starts on.
    pub fn keys_with_lines(&self) -> &[(String, usize)] {
        &self.lines
    }

    /// The known key closest to `key`, for a did-you-mean.
    pub fn closest(&self, key: &str) -> Option<&str> {
        let score = |k: &&String| strsim::normalized_damerau_levenshtein(&key.to_lowercase(), &k.to_lowercase());
        let best = self.entries.keys().max_by(|a, b| score(a).total_cmp(&score(b)).then_with(|| b.cmp(a)))?;
        (score(&best) >= 0.5).then_some(best.as_str())
    }
}

fn fingerprint(entry: &Entry) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    format!("{entry:?}").hash(&mut h);
    h.finish()
}

/// The first error of a .bib that did not parse, at its line in the file.
fn bib_error(file: &Path, source: &str, errors: &[hayagriva::io::BibLaTeXError]) -> Diagnostic {
    let (offset, what) = match errors.first() {
        Some(hayagriva::io::BibLaTeXError::Parse(e)) => (e.span.start, e.kind.to_string()),
        Some(hayagriva::io::BibLaTeXError::Type(e)) => (e.span.start, e.kind.to_string()),
        None => (0, "unknown error".to_string()),
    };
    let more = if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() };
    Diagnostic::error(file, format!("the bibliography does not parse: {what}{more}")).at_offset(source, offset)
}

/// Where each `@type{key,` starts, by line (for notes about unused entries).
fn entry_lines(source: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix('@') else { continue };
        let Some((kind, key)) = rest.split_once(['{', '(']) else { continue };
        let kind = kind.trim().to_ascii_lowercase();
        if ["comment", "string", "preamble"].contains(&kind.as_str()) {
            continue;
        }
        let key = key.split(',').next().unwrap_or("").trim();
        if !key.is_empty() {
            found.push((key.to_string(), n + 1));
        }
    }
    found
}

/// Where each `"id": "key"` of a CSL-JSON file is, by line.
fn json_entry_lines(source: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let Some((_, rest)) = line.split_once("\"id\"") else { continue };
        let Some(value) = rest.trim_start().strip_prefix(':') else { continue };
        if let Some(key) = value.trim_start().strip_prefix('"').and_then(|v| v.split('"').next()) {
            found.push((key.to_string(), n + 1));
        }
    }
    found
}
