//! Citations in a page's markdown: found in its text before the rewrite
//! (pulldown-cmark splits `[@key]` into several text events, so adjacent
//! text is joined first), formatted together with hayagriva, then emitted
//! in place by the rewriter, with the reference list closing the page.
//!
//! Code, links, images and headings are left alone; a `\@` or `&#64;` never
//! starts a citation (only bytes the source holds as they are can). Every
//! key looked up is asked through the link index, so the memo renders the
//! page again when one of its entries changes.

use super::links::LinkTargets;
use super::text::count_words;
use super::Rewriter;
use crate::citations::format::{self, FormattedCitation, ListedReference, Segment};
use crate::citations::parse::{self, Citation};
use crate::citations::CiteUse;
use crate::diagnostic::Severity;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// A page's citations, found and formatted.
pub(super) struct Citing {
    /// Source start of each citation's text event → its index.
    at: HashMap<usize, usize>,
    citations: Vec<Citation>,
    formatted: Vec<FormattedCitation>,
    references: Vec<ListedReference>,
    /// Problems found: (body offset, severity, message).
    problems: Vec<(usize, Severity, String)>,
}

/// One text event of a run: where its text starts in the joined run, and its source.
struct Piece {
    start: usize,
    len: usize,
    source: Range<usize>,
    /// The source holds the text as it is (no escape, entity or smart quote).
    verbatim: bool,
}

/// Finds and formats the citations of `events`, splitting each citation's
/// text into an event of its own. `None` when the site has no bibliography
/// or the body holds no `@`.
pub(super) fn prepare<'s>(
    events: &mut Vec<(Event<'s>, Range<usize>)>,
    body: &'s str,
    targets: &dyn LinkTargets,
) -> Option<Citing> {
    let bib = targets.bibliography()?;
    if !body.contains('@') {
        return None;
    }
    let mut c =
        Citing { at: HashMap::new(), citations: vec![], formatted: vec![], references: vec![], problems: vec![] };
    let mut out = Vec::with_capacity(events.len());
    let mut skip = 0usize;
    let mut run: Vec<(Event<'s>, Range<usize>)> = Vec::new();
    for (event, range) in events.drain(..) {
        match &event {
            Event::Text(_) if skip == 0 => {
                run.push((event, range));
                continue;
            }
            Event::Start(tag) if skips(tag) => skip += 1,
            Event::End(end) if ends_skip(end) => skip = skip.saturating_sub(1),
            _ => {}
        }
        flush(&mut run, &mut out, body, targets, &mut c);
        out.push((event, range));
    }
    flush(&mut run, &mut out, body, targets, &mut c);
    *events = out;
    if c.citations.is_empty() {
        return (!c.problems.is_empty()).then_some(c);
    }
    let links = format::Links { base_path: targets.base_path() };
    let f = format::format(bib, &c.citations, &links);
    c.formatted = f.citations;
    c.references = f.references;
    Some(c)
}

fn skips(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::Heading { .. } | Tag::MetadataBlock(_)
    )
}

fn ends_skip(end: &TagEnd) -> bool {
    matches!(end, TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::Heading(_) | TagEnd::MetadataBlock(_))
}

/// Joins a run of text events, finds its citations and puts the run back,
/// each citation's text an event of its own.
fn flush<'s>(
    run: &mut Vec<(Event<'s>, Range<usize>)>,
    out: &mut Vec<(Event<'s>, Range<usize>)>,
    body: &'s str,
    targets: &dyn LinkTargets,
    c: &mut Citing,
) {
    if run.is_empty() {
        return;
    }
    let mut text = String::new();
    let mut pieces = Vec::with_capacity(run.len());
    for (event, range) in run.iter() {
        let Event::Text(t) = event else { continue };
        let verbatim = body.get(range.clone()) == Some(t.as_ref());
        pieces.push(Piece { start: text.len(), len: t.len(), source: range.clone(), verbatim });
        text.push_str(t);
    }
    if !text.contains('@') {
        out.append(run);
        return;
    }
    let piece_at = |i: usize| pieces.iter().find(|p| p.start <= i && i < p.start + p.len);
    let source_of = |i: usize| piece_at(i).map_or(0, |p| p.source.start + (i - p.start));
    // `\@key`: pulldown-cmark leaves the backslash out of the text event.
    let plain = |i: usize| piece_at(i).is_some_and(|p| p.verbatim) && !body[..source_of(i)].ends_with('\\');
    let known = |key: &str| targets.cite_print(key).is_some();
    let found = parse::find(&text, &known, &plain);
    let mut kept = Vec::new();
    for citation in found {
        let unknown: Vec<&parse::CiteItem> = citation.items.iter().filter(|i| !known(&i.key)).collect();
        if unknown.is_empty() {
            kept.push(citation);
            continue;
        }
        for item in unknown {
            let bib = targets.bibliography().expect("a bibliography is loaded");
            let hint = bib.closest(&item.key).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
            let message =
                format!("unknown citation key `{}`: {} has no such entry{hint}", item.key, bib.file.display());
            c.problems.push((source_of(item.at.start), Severity::Error, message));
        }
    }
    if kept.is_empty() {
        out.append(run);
        return;
    }
    let last = run.last().map(|(_, r)| r.end).unwrap_or(0);
    let mut done = 0;
    for citation in kept {
        let start = source_of(citation.span.start);
        if citation.span.start > done {
            out.push((Event::Text(CowStr::from(text[done..citation.span.start].to_string())), source_of(done)..start));
        }
        let end = start + citation.span.len();
        out.push((Event::Text(CowStr::from(text[citation.span.clone()].to_string())), start..end));
        c.at.insert(start, c.citations.len());
        done = citation.span.end;
        let mut citation = citation;
        for item in &mut citation.items {
            item.at = source_of(item.at.start)..source_of(item.at.start) + item.at.len();
        }
        citation.span = start..end;
        c.citations.push(citation);
    }
    if done < text.len() {
        out.push((Event::Text(CowStr::from(text[done..].to_string())), source_of(done)..last));
    }
    run.clear();
}

impl<'s> Rewriter<'s, '_> {
    /// A text event: a citation found by [`prepare`], or text.
    pub(super) fn text_event(&mut self, text: CowStr<'s>, range: &Range<usize>) {
        match self.citing.as_ref().and_then(|c| c.at.get(&range.start).copied()) {
            Some(i) => self.cite(i),
            None => self.text(text),
        }
    }

    fn cite(&mut self, i: usize) {
        let c = self.citing.as_ref().expect("a citation was found");
        let (f, citation) = (c.formatted[i].clone(), c.citations[i].clone());
        if let Some(loose) = &f.loose_suffix {
            let message = format!(
                "`{loose}` is not a locator (such as `p. 33`, `pp. 4-5`, `chap. 2`): it is shown after the citation"
            );
            self.diagnose(Severity::Warning, &citation.span, message);
        }
        for item in &citation.items {
            self.pending_cites.push((self.rendered.citations.len(), self.block_text.len()));
            self.rendered.citations.push(CiteUse { key: item.key.clone(), context: String::new() });
        }
        self.rendered.word_count += count_words(&f.text);
        self.block_text.push_str(&f.text);
        self.section_text(&f.text);
        for segment in f.segments {
            self.out.push(match segment {
                Segment::Html(h) => Event::Html(h.into()),
                Segment::Text(t) => Event::Text(t.into()),
            });
        }
    }

    /// Reports what [`prepare`] found, and keeps the page's reference list
    /// (the theme shows it; its text is searchable under the list's heading).
    pub(super) fn finish_citations(&mut self) {
        let Some(c) = self.citing.take() else { return };
        for (at, severity, message) in &c.problems {
            self.diagnose(*severity, &(*at..*at), message.clone());
        }
        if c.references.is_empty() {
            return;
        }
        let text = c.references.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ");
        let id = Some(REFERENCES_ID.to_string());
        self.push_section(super::TextSection { id, heading: "References".into(), text: text.into() });
        self.rendered.bibliography = c.references;
    }
}

/// The id of the theme's references heading.
const REFERENCES_ID: &str = "references-title";
