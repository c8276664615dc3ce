//! Link and image destinations inside a page: resolution, diagnostics at
//! `file:line:col`, and the sentence around each link for backlinks.

use super::links::{self, Resolved};
use super::text::starts_list_item;
use super::{sentence_around, PageLink, Rewriter};
use crate::diagnostic::{Diagnostic, Severity};
use pulldown_cmark::{CowStr, LinkType};
use std::ops::Range;

/// The warning for `[[dest]]` naming several notes.
pub(super) fn ambiguous(dest: &str, candidates: &[std::path::PathBuf]) -> String {
    const LISTED: usize = 5;
    let mut list: Vec<String> = candidates.iter().take(LISTED).map(|c| format!("content/{}", c.display())).collect();
    if candidates.len() > LISTED {
        list.push(format!("and {} more", candidates.len() - LISTED));
    }
    format!("ambiguous wikilink [[{dest}]]: {} (using the first)", list.join(", "))
}

/// The finding for a link to `target`, which is not in the site; `None` for
/// a page that failed to parse (its own error explains the link).
pub(super) fn broken(cx: &super::MarkdownContext<'_>, target: &std::path::Path) -> Option<(Severity, String)> {
    let severity = if cx.strict_links { Severity::Error } else { Severity::Warning };
    let message = if cx.targets.is_draft(target) {
        format!("broken link: `content/{}` is a draft, left out of this build", target.display())
    } else {
        format!("broken link: no page at `content/{}`", target.display())
    };
    (!cx.targets.is_unparsed(target)).then_some((severity, message))
}

/// What a rewritten destination points to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Points {
    Page,
    /// A wikilink to a note or file that is not in the site: shown as plain text.
    UnresolvedNote,
    Elsewhere,
}

impl<'s> Rewriter<'s, '_> {
    /// Rewrites a link or image destination; also says what it points to.
    pub(super) fn rewrite_any(
        &mut self,
        kind: LinkType,
        dest: CowStr<'s>,
        range: &Range<usize>,
    ) -> (CowStr<'s>, Points) {
        let resolved = match kind {
            LinkType::WikiLink { .. } => {
                let (resolved, candidates) = links::resolve_wiki(&dest, self.cx.targets);
                if !candidates.is_empty() {
                    self.diagnose(Severity::Warning, range, ambiguous(&dest, &candidates));
                }
                resolved
            }
            _ => links::resolve(&dest, self.src.dir, self.cx.targets),
        };
        let points = match (&resolved, kind) {
            (Resolved::Page { .. }, _) => Points::Page,
            (Resolved::Broken { .. } | Resolved::MissingFile { .. }, LinkType::WikiLink { .. }) => {
                Points::UnresolvedNote
            }
            _ => Points::Elsewhere,
        };
        if resolved == Resolved::Keep && (dest.starts_with("http://") || dest.starts_with("https://")) {
            let (line, col) = self.line_col(range);
            self.rendered.external.push((dest.to_string(), line, col));
        }
        let own_anchor = match &resolved {
            Resolved::Keep => dest.strip_prefix('#'),
            Resolved::Url(url) => url.strip_prefix('#'),
            _ => None,
        };
        if let Some(anchor) = own_anchor.filter(|a| !a.is_empty()) {
            let (line, col) = self.line_col(range);
            self.rendered.own_anchor_links.push((anchor.to_string(), line, col));
        }
        (self.apply(resolved, dest, range), points)
    }

    pub(super) fn apply(&mut self, resolved: Resolved, dest: CowStr<'s>, range: &Range<usize>) -> CowStr<'s> {
        match resolved {
            Resolved::Keep => dest,
            Resolved::Url(url) => url.into(),
            Resolved::Unsafe => {
                self.diagnose(
                    Severity::Warning,
                    range,
                    format!("link `{dest}` uses a scheme that is not allowed; it was removed"),
                );
                "#".into()
            }
            Resolved::Page { url, target, anchor } => {
                let (line, col) = self.line_col(range);
                self.pending_context.push((self.rendered.links.len(), self.block_text.len()));
                let context = String::new();
                self.rendered.links.push(PageLink { target, anchor, line, col, context });
                url.into()
            }
            Resolved::Broken { target } => {
                if let Some((severity, message)) = broken(self.cx, &target) {
                    self.diagnose(severity, range, message);
                }
                // A broken wikilink's text is the note name, which may look like
                // any URL (`[[javascript:x]]`): keep it only when its scheme is safe.
                if links::safe_destination(&dest) {
                    dest
                } else {
                    "#".into()
                }
            }
            Resolved::MissingFile { target } => {
                let severity = if self.cx.strict_links { Severity::Error } else { Severity::Warning };
                self.diagnose(severity, range, format!("missing file: no `content/{}`", target.display()));
                dest
            }
        }
    }

    /// Gives the links of the block just closed the sentence around them.
    pub(super) fn settle_context(&mut self) {
        for (link, at) in self.pending_context.drain(..) {
            self.rendered.links[link].context = sentence_around(&self.block_text, at);
        }
        for (cite, at) in self.pending_cites.drain(..) {
            self.rendered.citations[cite].context = sentence_around(&self.block_text, at);
        }
        self.block_text.clear();
    }

    /// What a line break is in the context text: a space, or a sentence end
    /// (`\n`) before a line that starts with a list marker. Obsidian shows
    /// such a line as a list item even where CommonMark reads it as the
    /// paragraph's lazy continuation, so it is not part of the sentence.
    pub(super) fn break_in_context(&self, range: &Range<usize>) -> char {
        let body = &self.src.text[self.src.body_offset..];
        let next = body.get(range.end..).and_then(|rest| rest.lines().next()).unwrap_or("");
        if starts_list_item(next.trim_start_matches(|c: char| c.is_whitespace() || c == '>')) {
            '\n'
        } else {
            ' '
        }
    }

    pub(super) fn line_col(&self, range: &Range<usize>) -> (usize, usize) {
        self.lines.line_col(self.src.body_offset + range.start)
    }

    pub(super) fn diagnose(&mut self, severity: Severity, range: &Range<usize>, message: String) {
        let mut d = Diagnostic::error(self.src.file, message).at_index(&self.lines, self.src.body_offset + range.start);
        d.severity = severity;
        self.rendered.diagnostics.push(d);
    }
}
