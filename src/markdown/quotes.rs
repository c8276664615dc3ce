//! Block quotes and callouts in the rewriter: a quote whose first line is a
//! `[!type]` marker opens a callout (see [`super::callouts`]), and the rest of
//! that line is its title, rendered as inline markdown.

use super::{callouts, Rewriter};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::Range;

impl<'s> Rewriter<'s, '_> {
    /// Opens a block quote, or a callout when its first line is a `[!type]`
    /// marker. The rest of that line is the title, rendered as inline
    /// markdown (emphasis, code, links and wikilinks all work in it).
    pub(super) fn block_quote<I>(&mut self, iter: &mut std::iter::Peekable<I>)
    where
        I: Iterator<Item = (Event<'s>, Range<usize>)> + Clone,
    {
        let body = &self.src.text[self.src.body_offset..];
        let marker = match iter.peek() {
            Some((Event::Start(Tag::Paragraph), range)) => {
                let line = body[range.start..].lines().next().unwrap_or("");
                callouts::parse_marker(line).map(|(callout, len)| (callout, range.start + len))
            }
            _ => None,
        };
        let Some((callout, marker_end)) = marker else {
            self.quotes.push(None);
            self.open_block(Event::Start(Tag::BlockQuote(None)));
            return;
        };
        iter.next(); // Start(Paragraph)
        let title = title_events(iter, marker_end);
        let (prefix, suffix) = callouts::open_html(&callout, !title.is_empty());
        self.out.push(Event::Html(prefix.into()));
        self.quotes.push(Some(callout.fold));
        self.depth += 1;
        for (event, range) in title {
            self.inline_event(event, range);
        }
        self.out.push(Event::Html(suffix.into()));
        self.settle_context();
        if consume_line_end(iter) {
            self.open_block(Event::Start(Tag::Paragraph));
        }
    }

    pub(super) fn end_block_quote(&mut self, kind: Option<pulldown_cmark::BlockQuoteKind>) {
        match self.quotes.pop().flatten() {
            Some(fold) => {
                self.depth = self.depth.saturating_sub(1);
                self.out.push(Event::Html(callouts::close_html(fold).into()));
            }
            None => self.close_block(TagEnd::BlockQuote(kind)),
        }
    }
}

/// The events of a callout's first line after its marker (which ends at
/// body offset `marker_end`): the title. Text the marker shares an event
/// with is cut at the marker's end.
fn title_events<'s, I>(iter: &mut std::iter::Peekable<I>, marker_end: usize) -> Vec<(Event<'s>, Range<usize>)>
where
    I: Iterator<Item = (Event<'s>, Range<usize>)>,
{
    let mut title = Vec::new();
    while let Some((event, _)) = iter.peek() {
        if matches!(event, Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)) {
            break;
        }
        let (event, range) = iter.next().expect("peeked");
        if range.end <= marker_end {
            continue;
        }
        let cut = text_after(&event, range.start.max(marker_end) - range.start);
        match event {
            Event::Text(text) if title.is_empty() => {
                let keep = text.get(cut..).unwrap_or("").trim_start().to_string();
                if !keep.is_empty() {
                    title.push((Event::Text(keep.into()), marker_end.max(range.start)..range.end));
                }
            }
            event => title.push((event, range)),
        }
    }
    while title.last().is_some_and(|(e, _)| matches!(e, Event::Text(t) if t.trim().is_empty())) {
        title.pop();
    }
    title
}

/// Where the title starts in a text event that begins `skip` source bytes
/// into the marker (its text is its source there: a marker has no escapes).
fn text_after(event: &Event<'_>, skip: usize) -> usize {
    match event {
        Event::Text(text) => text.len().min(skip),
        _ => 0,
    }
}

/// Drops the end of the marker line. Returns true when more text follows it
/// in the same paragraph, which the caller then reopens.
fn consume_line_end<'s, I>(iter: &mut I) -> bool
where
    I: Iterator<Item = (Event<'s>, Range<usize>)>,
{
    match iter.next() {
        Some((Event::SoftBreak | Event::HardBreak, _)) => true,
        _ => false, // End(Paragraph)
    }
}
