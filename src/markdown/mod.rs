//! Markdown → HTML for one page: a plain function of the page body, the
//! site's link targets and the highlighter.
//!
//! The event stream from pulldown-cmark is rewritten in one pass (heading ids
//! and anchors, callouts, code highlighting, link rewriting) and rendered with
//! pulldown-cmark's own HTML writer. The walk is iterative, so pathological
//! nesting cannot overflow the stack.

pub mod callouts;
pub mod embeds;
pub mod extras;
pub mod headings;
pub mod links;

use crate::diagnostic::{Diagnostic, Severity};
use crate::highlight::Highlighter;
use headings::{IdAllocator, TocEntry};
use links::{LinkTargets, Resolved};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Words per minute used for reading time.
const READING_WPM: usize = 200;

/// Everything a page's markdown produces.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// HTML before `<!-- more -->`, else the first paragraph.
    pub summary_html: String,
    /// Plain text of the first paragraph (for previews and meta descriptions).
    pub first_paragraph: String,
    pub word_count: usize,
    pub reading_time: usize,
    /// Heading ids, for anchor checks.
    pub anchors: Vec<String>,
    /// Internal page links: target content path and anchor.
    pub links: Vec<PageLink>,
    /// Inline `#tags` found in the text.
    pub inline_tags: Vec<String>,
    /// `![[Note]]` embeds, in marker order (see [`embeds`]).
    pub embeds: Vec<PageLink>,
    /// Links to other sites: (URL, line, column), for `check --external`.
    pub external: Vec<(String, usize, usize)>,
    /// Links to anchors of this same page: (anchor, line, column).
    pub own_anchor_links: Vec<(String, usize, usize)>,
    /// The page's plain text cut at its headings, for the search index.
    /// The first section has no heading (the text before the first one).
    pub sections: Vec<TextSection>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TextSection {
    /// Heading id (`None` before the first heading).
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PageLink {
    pub target: PathBuf,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
    /// The sentence around the link, as plain text (for backlinks).
    pub context: String,
}

/// Per-site settings and shared services for rendering markdown.
pub struct MarkdownContext<'a> {
    pub highlighter: &'a Highlighter,
    pub targets: &'a dyn LinkTargets,
    pub smart_punctuation: bool,
    pub highlight_code: bool,
    pub unsafe_html: bool,
    pub external_links_new_tab: bool,
    /// Broken links are errors rather than warnings.
    pub strict_links: bool,
}

/// Where the body sits, for locating diagnostics in the whole file.
pub struct Source<'a> {
    pub file: &'a Path,
    /// The page's folder relative to content/, for relative links.
    pub dir: &'a Path,
    pub text: &'a str,
    pub body_offset: usize,
}

pub fn options(smart: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    if smart {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

pub fn render(src: &Source<'_>, cx: &MarkdownContext<'_>) -> Rendered {
    let body = &src.text[src.body_offset..];
    let events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(body, options(cx.smart_punctuation)).into_offset_iter().collect();
    let mut w = Rewriter::new(src, cx);
    w.run(events);
    w.finish()
}

struct Rewriter<'s, 'c> {
    src: &'s Source<'s>,
    cx: &'c MarkdownContext<'c>,
    out: Vec<Event<'s>>,
    ids: IdAllocator,
    toc: Vec<TocEntry>,
    rendered: Rendered,
    /// Open block quotes: `Some(fold)` for a callout, `None` for a plain quote.
    quotes: Vec<Option<callouts::Fold>>,
    more_at: Option<usize>,
    first_paragraph: Option<Range<usize>>,
    depth: usize,
    has_raw_html: bool,
    /// Plain text of the current block, and links in it awaiting their context.
    block_text: String,
    pending_context: Vec<(usize, usize)>,
    /// Inside a `%%comment%%` that spans text events.
    in_comment: bool,
    lines: crate::diagnostic::LineIndex<'s>,
}

impl<'s, 'c> Rewriter<'s, 'c> {
    fn new(src: &'s Source<'s>, cx: &'c MarkdownContext<'c>) -> Self {
        Rewriter {
            src,
            cx,
            out: Vec::new(),
            ids: IdAllocator::default(),
            toc: Vec::new(),
            rendered: Rendered::default(),
            quotes: Vec::new(),
            more_at: None,
            first_paragraph: None,
            depth: 0,
            has_raw_html: false,
            block_text: String::new(),
            pending_context: Vec::new(),
            in_comment: false,
            lines: crate::diagnostic::LineIndex::new(src.text),
        }
    }

    fn run(&mut self, events: Vec<(Event<'s>, Range<usize>)>) {
        // Borrowed and cloned one at a time: the callout look-ahead clones this
        // iterator, which must not copy every remaining event (a `vec::IntoIter`
        // would, making 20,000 nested quotes quadratic).
        let mut iter = events.iter().cloned().peekable();
        while let Some((event, range)) = iter.next() {
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let inner = take_until_end_ranged(&mut iter);
                    self.heading(level, id, inner);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let inner = take_until_end(&mut iter);
                    self.code_block(kind, inner);
                }
                Event::Start(Tag::BlockQuote(_)) => self.block_quote(&mut iter),
                Event::End(TagEnd::BlockQuote(kind)) => self.end_block_quote(kind),
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let (dest_url, _) = self.rewrite_any(link_type, dest_url, &range);
                    self.open_block(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let wiki = matches!(link_type, LinkType::WikiLink { .. });
                    let (dest_url, is_page) = self.rewrite_any(link_type, dest_url, &range);
                    if wiki {
                        let inner = take_until_end(&mut iter);
                        if is_page {
                            self.embed_placeholder();
                        } else {
                            self.wiki_image(&dest_url, &inner);
                        }
                    } else {
                        self.open_block(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                    }
                }
                Event::Start(Tag::Paragraph) => {
                    if self.depth == 0 && self.first_paragraph.is_none() {
                        self.first_paragraph = Some(self.out.len()..self.out.len());
                    }
                    self.open_block(Event::Start(Tag::Paragraph));
                }
                Event::Start(tag) => self.open_block(Event::Start(tag)),
                Event::End(end) => self.close_block(end),
                Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html),
                Event::Text(text) => self.text(text),
                Event::Code(code) => {
                    self.rendered.word_count += 1;
                    self.block_text.push_str(&code);
                    self.section_text(&code);
                    self.out.push(Event::Code(code));
                }
                brk @ (Event::SoftBreak | Event::HardBreak) => {
                    self.block_text.push(' ');
                    self.section_text(" ");
                    self.out.push(brk);
                }
                Event::TaskListMarker(done) => self.out.push(Event::Html(task_marker(done).into())),
                other => self.out.push(other),
            }
        }
    }

    fn open_block(&mut self, event: Event<'s>) {
        self.depth += 1;
        self.out.push(event);
    }

    fn close_block(&mut self, end: TagEnd) {
        if matches!(end, TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) {
            self.settle_context();
            self.section_text(" ");
        }
        self.depth = self.depth.saturating_sub(1);
        self.out.push(Event::End(end));
        if end == TagEnd::Paragraph && self.depth == 0 {
            if let Some(r) = &mut self.first_paragraph {
                if r.start == r.end {
                    r.end = self.out.len();
                }
            }
        }
    }

    fn raw_html(&mut self, html: CowStr<'s>) {
        if html.trim() == "<!-- more -->" && self.more_at.is_none() {
            self.more_at = Some(self.out.len());
            return;
        }
        self.has_raw_html = true;
        self.out.push(Event::Html(html));
    }

    fn heading(&mut self, level: HeadingLevel, id: Option<CowStr<'s>>, inner: Vec<(Event<'s>, Range<usize>)>) {
        let events: Vec<Event<'s>> = inner.iter().map(|(e, _)| e.clone()).collect();
        let text = plain_text(&events);
        let id = self.ids.allocate(id.as_deref(), &text);
        let n = level as u32;
        self.out.push(Event::Html(format!("<h{n} id=\"{}\">", escape_attr(&id)).into()));
        self.rendered.word_count += text.split_whitespace().count();
        // Links and raw HTML in a heading get the same rewriting, scheme
        // checks and sanitising as anywhere else.
        let first_link = self.rendered.links.len();
        for (event, range) in inner {
            match event {
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    let (dest_url, _) = self.rewrite_any(link_type, dest_url, &range);
                    self.out.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let (dest_url, _) = self.rewrite_any(link_type, dest_url, &range);
                    self.out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    self.has_raw_html = true;
                    self.out.push(Event::InlineHtml(html));
                }
                other => self.out.push(other),
            }
        }
        // A link in a heading has the heading as its context.
        self.pending_context.retain(|(link, _)| *link < first_link);
        for link in &mut self.rendered.links[first_link..] {
            link.context = text.clone();
        }
        self.out.push(Event::Html(
            format!(
                "<a class=\"anchor\" href=\"#{0}\" aria-label=\"Link to this section\">#</a></h{n}>\n",
                escape_attr(&id)
            )
            .into(),
        ));
        self.rendered.anchors.push(id.clone());
        self.rendered.sections.push(TextSection { id: Some(id.clone()), heading: text.clone(), text: String::new() });
        self.toc.push(TocEntry { level: n, id, title: text, children: vec![] });
    }

    /// Body text, with Obsidian's inline extras: `%%comments%%` dropped,
    /// `==highlights==` marked, `#tags` linked and collected.
    fn text(&mut self, text: CowStr<'s>) {
        let visible = if self.in_comment || text.contains("%%") {
            extras::strip_comments(&text, &mut self.in_comment)
        } else {
            text.to_string()
        };
        if visible.is_empty() {
            return;
        }
        let plain = !visible.contains("==") && !visible.contains('#');
        if plain {
            self.plain_text_event(CowStr::from(visible));
            return;
        }
        for piece in extras::split(&visible) {
            match piece {
                extras::Piece::Text(t) => self.plain_text_event(CowStr::from(t)),
                extras::Piece::Mark(t) => {
                    self.out.push(Event::Html("<mark>".into()));
                    self.plain_text_event(CowStr::from(t));
                    self.out.push(Event::Html("</mark>".into()));
                }
                extras::Piece::Tag(tag) => {
                    let href = format!("{}tags/{}/", self.cx.targets.base_path(), crate::urls::slugify(&tag));
                    let html = format!("<a class=\"tag\" href=\"{}\">#{}</a>", escape_attr(&href), escape_attr(&tag));
                    self.block_text.push('#');
                    self.block_text.push_str(&tag);
                    self.section_text(&tag);
                    self.rendered.word_count += 1;
                    self.out.push(Event::Html(html.into()));
                    self.rendered.inline_tags.push(tag);
                }
            }
        }
    }

    fn plain_text_event(&mut self, text: CowStr<'s>) {
        self.rendered.word_count += count_words(&text);
        self.block_text.push_str(&text);
        self.section_text(&text);
        self.out.push(Event::Text(text));
    }

    /// `![[Note]]` or `![[Note#Heading]]`: a marker replaced by the note's
    /// content once every page is rendered (see [`embeds`]).
    fn embed_placeholder(&mut self) {
        let Some(link) = self.rendered.links.last().cloned() else { return };
        let index = self.rendered.embeds.len();
        self.rendered.embeds.push(link);
        self.out.push(Event::Html(embeds::marker(index).into()));
    }

    /// `![[image.png]]`, `![[image.png|300]]` or `|300x200`: an image with an optional size.
    fn wiki_image(&mut self, src: &str, inner: &[Event<'_>]) {
        let label = plain_text(inner);
        let size = extras::parse_size(&label);
        let alt =
            if size.is_some() || label.is_empty() { src.rsplit('/').next().unwrap_or(src).to_string() } else { label };
        let mut html = format!("<img src=\"{}\" alt=\"{}\" loading=\"lazy\"", escape_attr(src), escape_attr(&alt));
        if let Some((w, h)) = size {
            html.push_str(&format!(" width=\"{w}\""));
            if let Some(h) = h {
                html.push_str(&format!(" height=\"{h}\""));
            }
        }
        html.push('>');
        self.out.push(Event::Html(html.into()));
    }

    /// Appends body text to the current heading's section, word-separated.
    fn section_text(&mut self, text: &str) {
        if self.rendered.sections.is_empty() {
            self.rendered.sections.push(TextSection::default());
        }
        self.rendered.sections.last_mut().expect("just ensured").text.push_str(text);
    }

    fn code_block(&mut self, kind: CodeBlockKind<'s>, inner: Vec<Event<'s>>) {
        let code: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        let html = if self.cx.highlight_code {
            self.cx.highlighter.block(lang, &code)
        } else {
            crate::highlight::plain(lang, &code)
        };
        self.out.push(Event::Html(html.into()));
    }

    /// Opens a block quote, or a callout when its first line is a `[!type]` marker.
    fn block_quote<I>(&mut self, iter: &mut std::iter::Peekable<I>)
    where
        I: Iterator<Item = (Event<'s>, Range<usize>)> + Clone,
    {
        let marker_line = first_line_text(iter);
        match marker_line.as_deref().and_then(callouts::parse_marker) {
            Some(callout) => {
                let text_follows = consume_marker(iter);
                self.out.push(Event::Html(callouts::open_html(&callout).into()));
                self.quotes.push(Some(callout.fold));
                self.depth += 1;
                if text_follows {
                    self.open_block(Event::Start(Tag::Paragraph));
                }
            }
            None => {
                self.quotes.push(None);
                self.open_block(Event::Start(Tag::BlockQuote(None)));
            }
        }
    }

    fn end_block_quote(&mut self, kind: Option<pulldown_cmark::BlockQuoteKind>) {
        match self.quotes.pop().flatten() {
            Some(fold) => {
                self.depth = self.depth.saturating_sub(1);
                self.out.push(Event::Html(callouts::close_html(fold).into()));
            }
            None => self.close_block(TagEnd::BlockQuote(kind)),
        }
    }

    /// Rewrites a link or image destination; also says whether it points to a page.
    fn rewrite_any(&mut self, kind: LinkType, dest: CowStr<'s>, range: &Range<usize>) -> (CowStr<'s>, bool) {
        let resolved = match kind {
            LinkType::WikiLink { .. } => {
                let (resolved, candidates) = links::resolve_wiki(&dest, self.cx.targets);
                if !candidates.is_empty() {
                    let list: Vec<String> = candidates.iter().map(|c| format!("content/{}", c.display())).collect();
                    let message = format!("ambiguous wikilink [[{dest}]]: {} (using the first)", list.join(", "));
                    self.diagnose(Severity::Warning, range, message);
                }
                resolved
            }
            _ => links::resolve(&dest, self.src.dir, self.cx.targets),
        };
        let is_page = matches!(resolved, Resolved::Page { .. });
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
        (self.apply(resolved, dest, range), is_page)
    }

    fn apply(&mut self, resolved: Resolved, dest: CowStr<'s>, range: &Range<usize>) -> CowStr<'s> {
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
                let severity = if self.cx.strict_links { Severity::Error } else { Severity::Warning };
                let message = if self.cx.targets.is_draft(&target) {
                    format!("broken link: `content/{}` is a draft, left out of this build", target.display())
                } else {
                    format!("broken link: no page at `content/{}`", target.display())
                };
                self.diagnose(severity, range, message);
                dest
            }
            Resolved::MissingFile { target } => {
                let severity = if self.cx.strict_links { Severity::Error } else { Severity::Warning };
                self.diagnose(severity, range, format!("missing file: no `content/{}`", target.display()));
                dest
            }
        }
    }

    /// Gives the links of the block just closed the sentence around them.
    fn settle_context(&mut self) {
        for (link, at) in self.pending_context.drain(..) {
            self.rendered.links[link].context = sentence_around(&self.block_text, at);
        }
        self.block_text.clear();
    }

    fn line_col(&self, range: &Range<usize>) -> (usize, usize) {
        self.lines.line_col(self.src.body_offset + range.start)
    }

    fn diagnose(&mut self, severity: Severity, range: &Range<usize>, message: String) {
        let mut d = Diagnostic::error(self.src.file, message).at_index(&self.lines, self.src.body_offset + range.start);
        d.severity = severity;
        self.rendered.diagnostics.push(d);
    }

    fn finish(mut self) -> Rendered {
        self.settle_context();
        let events = std::mem::take(&mut self.out);
        let mut html = String::with_capacity(self.src.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
        let summary_events = match (self.more_at, &self.first_paragraph) {
            (Some(at), _) => &events[..at],
            (None, Some(r)) if r.start < r.end => &events[r.clone()],
            _ => &events[..0],
        };
        let mut summary = String::new();
        pulldown_cmark::html::push_html(&mut summary, summary_events.iter().cloned());
        if let Some(r) = &self.first_paragraph {
            if r.start < r.end {
                self.rendered.first_paragraph = plain_text(&events[r.clone()]);
            }
        }
        if self.has_raw_html && !self.cx.unsafe_html {
            html = crate::sanitize::clean(&html);
            summary = crate::sanitize::clean(&summary);
        }
        if self.cx.external_links_new_tab {
            html = html.replace("<a href=\"http", "<a rel=\"noopener\" target=\"_blank\" href=\"http");
        }
        let mut r = self.rendered;
        r.html = html;
        r.summary_html = summary;
        r.toc = headings::nest(self.toc);
        r.reading_time = r.word_count.div_ceil(READING_WPM);
        r
    }
}

/// Takes the events up to the end of the element just opened (nesting-aware).
fn take_until_end<'s, I>(iter: &mut I) -> Vec<Event<'s>>
where
    I: Iterator<Item = (Event<'s>, Range<usize>)>,
{
    take_until_end_ranged(iter).into_iter().map(|(event, _)| event).collect()
}

/// Like [`take_until_end`], keeping each event's source range.
fn take_until_end_ranged<'s, I>(iter: &mut I) -> Vec<(Event<'s>, Range<usize>)>
where
    I: Iterator<Item = (Event<'s>, Range<usize>)>,
{
    let mut depth = 0usize;
    let mut inner = Vec::new();
    for (event, range) in iter.by_ref() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        inner.push((event, range));
    }
    inner
}

/// The text of a block quote's first line, when it opens with a paragraph.
fn first_line_text<'s, I>(iter: &mut std::iter::Peekable<I>) -> Option<String>
where
    I: Iterator<Item = (Event<'s>, Range<usize>)> + Clone,
{
    let mut look = iter.clone();
    if !matches!(look.next(), Some((Event::Start(Tag::Paragraph), _))) {
        return None;
    }
    let mut line = String::new();
    for (event, _) in look {
        match event {
            Event::Text(t) => line.push_str(&t),
            Event::Code(c) => line.push_str(&c),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => break,
            _ => return None,
        }
        if line.len() > 1_000 {
            return None;
        }
    }
    Some(line)
}

/// Drops the marker line. Returns true when more text follows it in the same
/// paragraph, which the caller then reopens.
fn consume_marker<'s, I>(iter: &mut std::iter::Peekable<I>) -> bool
where
    I: Iterator<Item = (Event<'s>, Range<usize>)>,
{
    iter.next(); // Start(Paragraph)
    while let Some((event, _)) = iter.peek() {
        match event {
            Event::SoftBreak | Event::HardBreak => {
                iter.next();
                return true;
            }
            Event::End(TagEnd::Paragraph) => {
                iter.next();
                return false;
            }
            _ => {
                iter.next();
            }
        }
    }
    false
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The sentence of `text` containing byte offset `at`, at most ~240 characters.
/// A sentence ends at `.`, `!` or `?` followed by white space (so ".38" stays whole).
fn sentence_around(text: &str, at: usize) -> String {
    const MAX: usize = 240;
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let is_end =
        |i: usize| matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace);
    let start = (0..at).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let end = (at..bytes.len()).find(|&i| is_end(i)).map_or(bytes.len(), |i| i + 1);
    let sentence = text[start..end].trim();
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}

/// Words in `text`: runs of bytes that are not ASCII white space.
fn count_words(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for b in text.bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
    }
    count
}

/// A task list checkbox with an accessible name (pulldown-cmark's has none).
fn task_marker(done: bool) -> &'static str {
    if done {
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
    } else {
        "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
    }
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::sentence_around;

    #[test]
    fn sentence_keeps_decimals_whole() {
        let text = "First one. The correlation was .38 here, see X. Last.";
        assert_eq!(sentence_around(text, text.find("see").unwrap()), "The correlation was .38 here, see X.");
        assert_eq!(sentence_around("No stop", 3), "No stop");
    }
}
