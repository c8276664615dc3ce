//! Diagnostics: every problem rapport reports, with `file:line:col`, a snippet and a caret.
//!
//! Stages never print; they return diagnostics so that a build can report every
//! problem at once and decide the exit code at the end (and `check` can emit JSON).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, nothing to fix (`check` only: an unused bibliography entry).
    Note,
    Warning,
    Error,
}

/// One located problem. `line` and `col` are 1-based, counted from the top of
/// the file (front matter included); 0 means "the whole file".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), message.into())
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), message.into())
    }

    /// The same finding, as a warning.
    pub fn into_warning(self) -> Self {
        Diagnostic { severity: Severity::Warning, ..self }
    }

    fn new(severity: Severity, file: PathBuf, message: String) -> Self {
        Diagnostic { severity, file, line: 0, col: 0, message, snippet: None }
    }

    /// Locates the diagnostic at a 1-based line and column of `source` and
    /// keeps that line as the snippet.
    pub fn at(mut self, source: &str, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col.max(1);
        self.snippet = source.lines().nth(line.saturating_sub(1)).map(|l| truncate(l, 160));
        self
    }

    /// Locates the diagnostic at a byte offset of `source`.
    pub fn at_offset(self, source: &str, offset: usize) -> Self {
        let (line, col) = line_col(source, offset);
        self.at(source, line, col)
    }

    /// Locates the diagnostic at a byte offset using a prepared [`LineIndex`]
    /// (for code that reports many problems in one long file).
    pub fn at_index(mut self, index: &LineIndex<'_>, offset: usize) -> Self {
        let (line, col) = index.line_col(offset);
        self.line = line;
        self.col = col;
        self.snippet = Some(truncate(index.line_text(line), 160));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Line starts of one text, so many offsets can be located without rescanning.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Characters before every [`CHUNK`]-th byte (made on first use), so a
    /// column on a megabyte-long line costs a few kilobytes of counting.
    chars_at: std::cell::OnceCell<Vec<(usize, usize)>>,
}

/// Bytes between two character-count checkpoints.
const CHUNK: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { text, starts, chars_at: std::cell::OnceCell::new() }
    }

    /// The text of 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end.max(start)]
    }

    /// Same answer as [`line_col`], in logarithmic time plus at most two chunks.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = if offset - start <= CHUNK {
            self.text[start..offset].chars().count()
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line, col + 1)
    }

    /// How many characters come before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let marks = self.chars_at.get_or_init(|| {
            let mut marks = vec![(0, 0)];
            let (mut at, mut count) = (0, 0);
            while at + CHUNK < self.text.len() {
                let mut next = at + CHUNK;
                while !self.text.is_char_boundary(next) {
                    next += 1;
                }
                count += self.text[at..next].chars().count();
                marks.push((next, count));
                at = next;
            }
            marks
        });
        let (at, count) = marks[marks.partition_point(|&(b, _)| b <= offset) - 1];
        count + self.text[at..offset].chars().count()
    }
}

fn truncate(line: &str, max: usize) -> String {
    let line = line.trim_end_matches('\r');
    match line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// How much a command prints: `-q` keeps only errors, `-v` lifts the cap of
/// [`SHOWN_PER_FILE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    Quiet,
    #[default]
    Normal,
    Verbose,
}

impl Verbosity {
    /// `items` as [`format_capped`] shows them at this verbosity; None when nothing is left to show.
    pub fn format(self, items: &[Diagnostic]) -> Option<String> {
        let text = match self {
            Verbosity::Quiet => format_capped(&items.iter().filter(|d| d.is_error()).cloned().collect::<Vec<_>>()),
            Verbosity::Normal => format_capped(items),
            Verbosity::Verbose => items.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"),
        };
        (!text.is_empty()).then(|| paint(&text))
    }
}

/// Whether text printed for a person is coloured; decided once by `main`.
/// A global rather than a parameter: it is a fact about the terminal, and
/// diagnostics are also formatted for the browser overlay, never coloured.
static COLOUR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn set_colour(on: bool) {
    COLOUR.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// `text` with the `error:`, `warning:` and `note:` that open its lines in
/// colour when [`set_colour`] turned it on. Messages are [`terminal_safe`],
/// so no line of a message itself can start with one of these words.
pub fn paint(text: &str) -> String {
    if !COLOUR.load(std::sync::atomic::Ordering::Relaxed) {
        return text.to_string();
    }
    let paint_line = |line: &str| {
        for (word, style) in [("error:", "1;31"), ("warning:", "1;33"), ("note:", "1;36")] {
            if let Some(rest) = line.strip_prefix(word) {
                return format!("\x1b[{style}m{}\x1b[0m:{rest}", &word[..word.len() - 1]);
            }
        }
        line.to_string()
    };
    text.split('\n').map(paint_line).collect::<Vec<_>>().join("\n")
}

/// Most findings shown for one file; a page with a hundred thousand broken
/// links would otherwise print for seconds and bury everything else.
pub const SHOWN_PER_FILE: usize = 20;

/// `items` as text, one finding per paragraph, at most [`SHOWN_PER_FILE`] per
/// file, then a line per file saying how many more there are.
pub fn format_capped(items: &[Diagnostic]) -> String {
    let mut shown: std::collections::HashMap<&Path, usize> = std::collections::HashMap::new();
    let mut out: Vec<String> = Vec::new();
    for d in items {
        let n = shown.entry(d.file.as_path()).or_default();
        *n += 1;
        if *n <= SHOWN_PER_FILE {
            out.push(d.to_string());
        }
    }
    let mut hidden: Vec<(&Path, usize)> =
        shown.into_iter().filter(|&(_, n)| n > SHOWN_PER_FILE).map(|(f, n)| (f, n - SHOWN_PER_FILE)).collect();
    hidden.sort();
    for (file, n) in hidden {
        out.push(format!(
            "note: {}: {} not shown (`-v` or `rapport check --format json` lists every one)",
            terminal_path(file),
            count(n, "more finding")
        ));
    }
    out.join("\n")
}

/// `n` and the noun, in the plural unless `n` is 1: `count(1, "page")` is
/// "1 page". Every noun rapport counts takes a plain `s`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `text` safe to print on a terminal: control characters but tab (ESC, BEL,
/// CR, newline, C1) and bidirectional controls are shown escaped (`\u{1b}`),
/// so a file's name or bytes cannot retitle the window, clear the screen,
/// fake a line of output or reorder what the reader sees.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\t') || is_bidi_control(c);
    if !text.contains(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// JSON text with the characters serde leaves raw but a terminal acts on
/// (C1 controls, bidirectional controls) written as `\uXXXX`; they only
/// occur inside strings, so the JSON means the same.
pub fn json_terminal_safe(json: String) -> String {
    if !json.contains(|c: char| c.is_control() || is_bidi_control(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        match c {
            c if (c.is_control() && !c.is_ascii()) || is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// A path for a terminal line (see [`terminal_safe`]).
pub fn terminal_path(path: &Path) -> String {
    terminal_safe(&path.display().to_string()).into_owned()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{kind}: {}", terminal_path(&self.file))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col)?;
        }
        write!(f, ": {}", terminal_safe(&self.message))?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            // The caret sits under the escaped text as printed.
            let before: String = snippet.chars().take(self.col.saturating_sub(1)).collect();
            let caret_pad: String =
                terminal_safe(&before).chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            write!(f, "\n{pad} |\n{gutter} | {}\n{pad} | {caret_pad}^", terminal_safe(snippet))?;
        }
        Ok(())
    }
}

/// Diagnostics of one run, in a stable order (file, line, column).
#[derive(Debug, Default)]
pub struct Report {
    pub items: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message)));
    }
}

/// Path shown to the user: relative to the site root when it lies inside.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

/// Names each finding's file from the site root (`content/a.md`), like every other message.
pub fn relative_to(root: &Path, findings: &mut [Diagnostic]) {
    for d in findings {
        d.file = display_path(root, &d.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let s = "ab\ncdé\nf";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, 7), (2, 4));
        assert_eq!(line_col(s, 8), (3, 1));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let s = "ab\ncdé\n\nf";
        let index = LineIndex::new(s);
        for offset in 0..=s.len() + 2 {
            assert_eq!(index.line_col(offset), line_col(s, offset), "offset {offset}");
        }
    }

    #[test]
    fn findings_are_capped_per_file() {
        let mut items: Vec<Diagnostic> = (0..25).map(|i| Diagnostic::warning("a.md", format!("w{i}"))).collect();
        items.push(Diagnostic::error("b.md", "only"));
        let text = format_capped(&items);
        assert!(text.contains("w19") && !text.contains("w20") && text.contains("only"), "{text}");
        assert!(text.ends_with(
            "note: a.md: 5 more findings not shown (`-v` or `rapport check --format json` lists every one)"
        ));
    }

    #[test]
    fn counts_are_singular_only_for_one() {
        assert_eq!([count(0, "page"), count(1, "page"), count(2, "error")], ["0 pages", "1 page", "2 errors"]);
    }

    #[test]
    fn quiet_shows_errors_only_and_verbose_lifts_the_cap() {
        let mut items: Vec<Diagnostic> = (0..25).map(|i| Diagnostic::warning("a.md", format!("w{i}"))).collect();
        assert_eq!(Verbosity::Quiet.format(&items), None);
        items.push(Diagnostic::error("b.md", "only"));
        let quiet = Verbosity::Quiet.format(&items).unwrap();
        assert!(quiet.contains("only") && !quiet.contains("w0"), "{quiet}");
        let all = Verbosity::Verbose.format(&items).unwrap();
        assert!(all.contains("w24") && !all.contains("not shown"), "{all}");
    }

    /// Long lines take the checkpoint path; multi-byte characters straddle chunks.
    #[test]
    fn line_index_agrees_on_long_lines() {
        let s = format!("x\n{}\n{}", "é a".repeat(5_000), "b".repeat(9_000));
        let index = LineIndex::new(&s);
        for offset in (0..s.len()).step_by(997).chain([s.len(), 4_097, 8_195]) {
            assert_eq!(index.line_col(offset), line_col(&s, offset), "offset {offset}");
        }
    }

    #[test]
    fn control_characters_are_escaped_and_the_caret_follows() {
        let mut d = Diagnostic::error("a\u{1b}]0;pwned\u{7}.md", "bad `\u{1b}[2J` \u{202e}x\nfake").at(
            "\u{1b}[2J\tv = 1",
            1,
            7,
        );
        d.file = PathBuf::from("a\u{1b}]0;t\u{7}\n.md");
        let text = d.to_string();
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{text:?}");
        assert!(text.starts_with("error: a\\u{1b}]0;t\\u{7}\\n.md:1:7: bad `\\u{1b}[2J` \\u{202e}x\\nfake"), "{text}");
        assert!(text.ends_with("1 | \\u{1b}[2J\tv = 1\n  |          \t ^"), "{text:?}");
    }

    #[test]
    fn display_has_caret_under_column() {
        let d = Diagnostic::error("a.md", "bad").at("x = 1\ntitle = 42\n", 2, 9);
        let text = d.to_string();
        assert!(text.starts_with("error: a.md:2:9: bad"), "{text}");
        assert!(text.contains("2 | title = 42\n  |         ^"), "{text}");
    }
}
