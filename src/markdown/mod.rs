//! Markdown → HTML for one page: a plain function of the page body, the
//! site's link targets and the highlighter.
//!
//! The event stream from pulldown-cmark is rewritten in one pass (heading ids
//! and anchors, callouts, code highlighting, link rewriting) and rendered with
//! pulldown-cmark's own HTML writer. The walk is iterative, so pathological
//! nesting cannot overflow the stack.

pub mod blocks;
pub mod callouts;
mod citing;
pub mod diagrams;
pub mod embeds;
pub mod extras;
pub mod files;
pub mod glossary;
pub mod headings;
mod inline;
mod linking;
pub mod links;
pub mod math;
pub mod properties;
mod quotes;
mod shortcoded;
pub use shortcoded::foreign_warnings;
pub mod text;

use text::{count_words, escape_attr, plain_text, sentence_around, task_marker};

use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::shared_text::SharedText;
use headings::{IdAllocator, TocEntry};
use links::LinkTargets;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Words per minute used for reading time.
const READING_WPM: usize = 200;

/// Everything a page's markdown produces.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Rendered {
    /// Shared with the saved renderings it was read from, in a warm build.
    #[serde(deserialize_with = "crate::shared_text::deserialize")]
    pub html: SharedText,
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
    /// Front matter properties as the properties block shows them (see [`properties`]).
    pub properties: Vec<properties::Property>,
    /// The page's plain text cut at its headings, for the search index.
    /// The first section has no heading (the text before the first one).
    pub sections: Vec<TextSection>,
    /// Works cited, each use once, with the sentence around it.
    pub citations: Vec<crate::citations::CiteUse>,
    /// The page's reference list, formatted in the site's citation style.
    pub bibliography: Vec<crate::citations::format::ListedReference>,
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
    /// Findings reported once per site however many pages make them, keyed
    /// by what they are about (a file format embedded from many pages).
    #[serde(skip)]
    pub once: Vec<(String, Diagnostic)>,
    /// Hugo shortcodes left as written: name and where, reported per name
    /// for the whole site (see `pipeline`).
    #[serde(skip)]
    pub foreign_shortcodes: Vec<(String, Diagnostic)>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct TextSection {
    /// Heading id (`None` before the first heading).
    pub id: Option<String>,
    pub heading: String,
    /// Shared with the saved renderings it was read from, in a warm build.
    #[serde(deserialize_with = "crate::shared_text::deserialize")]
    pub text: SharedText,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
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
    /// The site's shortcode templates.
    pub shortcodes: &'a crate::shortcodes::Registry,
}

/// Where the body sits, for locating diagnostics in the whole file.
pub struct Source<'a> {
    pub file: &'a Path,
    /// The page's folder relative to content/, for relative links.
    pub dir: &'a Path,
    pub text: &'a str,
    pub body_offset: usize,
    /// The page's title, for its shortcodes.
    pub title: &'a str,
    /// What to do with a `# Heading` that opens the body.
    pub lead_h1: LeadH1,
}

/// A body's opening H1 is dropped when it is the page's title, which the
/// theme already shows: Obsidian notes start with one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LeadH1 {
    Show,
    Hide,
}

pub fn options(smart: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
        | Options::ENABLE_DEFINITION_LIST;
    if smart {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// A front matter `summary` (Hugo's field) as the listing summary: its
/// markdown rendered with the site's options and sanitised like any summary.
pub fn front_matter_summary(markdown: &str, cx: &MarkdownContext<'_>) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, options(cx.smart_punctuation)));
    crate::sanitize::clean(&html)
}

pub fn render(src: &Source<'_>, cx: &MarkdownContext<'_>) -> Rendered {
    let body = &src.text[src.body_offset..];
    let pass = shortcoded::run(src, cx, body);
    let body = pass.as_ref().map_or(body, |p| p.masked.as_str());
    let mut events: Vec<(Event<'_>, Range<usize>)> =
        Parser::new_ext(body, options(cx.smart_punctuation)).into_offset_iter().collect();
    let block_ids = blocks::extract(&mut events);
    let citing = citing::prepare(&mut events, body, cx.targets);
    let mut w = Rewriter::new(src, cx);
    w.citing = citing;
    w.name_blocks(block_ids);
    w.run(events);
    let mut rendered = w.finish();
    if let Some(pass) = pass {
        shortcoded::fill(&mut rendered, pass);
    }
    rendered
}

/// The URL of the page being rendered, when the site knows it.
fn own_url(src: &Source<'_>, cx: &MarkdownContext<'_>) -> Option<String> {
    let name = src.file.file_name()?;
    cx.targets.url_of(&src.dir.join(name))
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
    /// The text of the last of `rendered.sections` while it grows ([`Rewriter::push_section`]).
    section_text: String,
    pending_context: Vec<(usize, usize)>,
    /// Inside a `%%comment%%` that spans text events.
    in_comment: bool,
    /// Links open around the current text (their text holds no tags), and
    /// whether each is an unresolved note shown as a span.
    links_open: Vec<linking::Points>,
    /// Elements of embedded files, put in place of their markers once the
    /// page is sanitised (see [`files`]).
    files: Vec<String>,
    /// Which of `files` each math event in `out` stands for, in order.
    math_slots: Vec<usize>,
    /// Blocks named by a `^id`, by source start, and the ids marked so far.
    block_ids: std::collections::HashMap<(usize, blocks::Kind), String>,
    blocks_marked: Vec<String>,
    lines: crate::diagnostic::LineIndex<'s>,
    /// Glossary terms not yet linked on this page.
    glossary: glossary::Linker,
    /// The page's citations (see [`citing`]), and those awaiting their sentence.
    citing: Option<citing::Citing>,
    pending_cites: Vec<(usize, usize)>,
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
            section_text: String::new(),
            pending_context: Vec::new(),
            in_comment: false,
            links_open: Vec::new(),
            files: Vec::new(),
            math_slots: Vec::new(),
            block_ids: Default::default(),
            blocks_marked: Vec::new(),
            lines: crate::diagnostic::LineIndex::new(src.text),
            glossary: glossary::Linker::new(cx.targets.glossary_terms(), own_url(src, cx).as_deref()),
            citing: None,
            pending_cites: Vec::new(),
        }
    }

    fn run(&mut self, events: Vec<(Event<'s>, Range<usize>)>) {
        // Borrowed and cloned one at a time: the callout look-ahead clones this
        // iterator, which must not copy every remaining event (a `vec::IntoIter`
        // would, making 20,000 nested quotes quadratic).
        let mut iter = events.iter().cloned().peekable();
        while let Some((event, range)) = iter.next() {
            if let Event::Start(tag) = &event {
                self.mark_block(tag, range.start);
            }
            match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let inner = take_until_end_ranged(&mut iter);
                    self.heading(level, id, inner);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let inner = take_until_end(&mut iter);
                    self.code_block(kind, inner, &range);
                }
                Event::Start(Tag::BlockQuote(_)) => self.block_quote(&mut iter),
                Event::End(TagEnd::BlockQuote(kind)) => self.end_block_quote(kind),
                link @ (Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)) => self.inline_event(link, range),
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let wiki = matches!(link_type, LinkType::WikiLink { .. });
                    let written = dest_url.clone();
                    let (dest_url, points) = self.rewrite_any(link_type, dest_url, &range);
                    if wiki {
                        let inner = take_until_end(&mut iter);
                        self.wiki_embed(inline::Embed { written: &written, url: &dest_url, points }, &inner, &range);
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
                Event::Text(text) => self.text_event(text, &range),
                Event::Code(code) => self.code_span(code),
                brk @ (Event::SoftBreak | Event::HardBreak) => {
                    self.block_text.push(self.break_in_context(&range));
                    self.section_text(" ");
                    self.out.push(brk);
                }
                Event::TaskListMarker(done) => self.out.push(Event::Html(task_marker(done).into())),
                Event::InlineMath(latex) => self.math(latex, math::Display::Inline, &range),
                Event::DisplayMath(latex) => self.math(latex, math::Display::Block, &range),
                other => self.out.push(other),
            }
        }
    }

    fn open_block(&mut self, event: Event<'s>) {
        // Text before a nested block (a list item's own line before its
        // sub-list) is a block of its own: its links take their sentence
        // from it, and its last word is not glued to the next block's first.
        if matches!(&event, Event::Start(tag) if starts_block(tag)) {
            self.settle_context();
            self.section_text(" ");
        }
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
        let opens_body = self.out.is_empty() && self.toc.is_empty();
        if opens_body && level == HeadingLevel::H1 && self.src.lead_h1 == LeadH1::Hide {
            return;
        }
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
                link @ (Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link)) => self.inline_event(link, range),
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    let (dest_url, _) = self.rewrite_any(link_type, dest_url, &range);
                    self.out.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    self.has_raw_html = true;
                    self.out.push(Event::InlineHtml(html));
                }
                Event::InlineMath(latex) | Event::DisplayMath(latex) => self.math(latex, math::Display::Inline, &range),
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
        self.push_section(TextSection { id: Some(id.clone()), heading: text.clone(), text: SharedText::new() });
        self.toc.push(TocEntry { level: n, id, title: text, children: vec![] });
    }

    fn code_block(&mut self, kind: CodeBlockKind<'s>, inner: Vec<Event<'s>>, range: &Range<usize>) {
        let code: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let code = crate::shortcodes::parse::unescape_in_code(&code).into_owned();
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or(""),
            CodeBlockKind::Indented => "",
        };
        match lang {
            "math" => return self.math(code.into(), math::Display::Block, range),
            "mermaid" => return self.diagram(&code, range),
            _ => {}
        }
        let html = if self.cx.highlight_code {
            let (html, left_plain) = self.cx.highlighter.block(lang, &code);
            if let Some(why) = left_plain {
                let message = format!("code block left without highlighting: {why}");
                self.diagnose(crate::diagnostic::Severity::Warning, range, message);
            }
            html
        } else {
            crate::highlight::plain(lang, &code)
        };
        self.out.push(Event::Html(html.into()));
    }

    /// An inline event of a callout title: text, code, emphasis and links.
    fn inline_event(&mut self, event: Event<'s>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let (dest_url, points) = self.rewrite_any(link_type, dest_url, &range);
                self.links_open.push(points);
                if points == linking::Points::UnresolvedNote {
                    // As Obsidian Publish and Quartz show them: text, not a link that 404s.
                    self.out.push(Event::InlineHtml("<span class=\"unresolved\">".into()));
                } else {
                    self.open_block(Event::Start(Tag::Link { link_type, dest_url, title, id }));
                }
            }
            Event::End(TagEnd::Link) => match self.links_open.pop() {
                Some(linking::Points::UnresolvedNote) => self.out.push(Event::InlineHtml("</span>".into())),
                _ => self.close_block(TagEnd::Link),
            },
            Event::Start(tag) => self.open_block(Event::Start(tag)),
            Event::End(end) => self.close_block(end),
            Event::Text(text) => self.text_event(text, &range),
            Event::Code(code) => self.code_span(code),
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(html),
            Event::InlineMath(latex) => self.math(latex, math::Display::Inline, &range),
            Event::DisplayMath(latex) => self.math(latex, math::Display::Block, &range),
            other => self.out.push(other),
        }
    }

    fn code_span(&mut self, code: CowStr<'s>) {
        let code: CowStr<'s> = match crate::shortcodes::parse::unescape_in_code(&code) {
            std::borrow::Cow::Owned(s) => s.into(),
            std::borrow::Cow::Borrowed(_) => code,
        };
        self.rendered.word_count += 1;
        self.block_text.push_str(&code);
        self.section_text(&code);
        self.out.push(Event::Code(code));
    }

    /// Ends the section whose text is growing and starts `section`.
    fn push_section(&mut self, section: TextSection) {
        self.close_section();
        self.rendered.sections.push(section);
    }

    /// Puts the growing text into its section.
    fn close_section(&mut self) {
        if let Some(last) = self.rendered.sections.last_mut() {
            if !self.section_text.is_empty() {
                let mut grown = std::mem::take(&mut self.section_text);
                grown.shrink_to_fit();
                last.text = if last.text.is_empty() { grown.into() } else { format!("{}{grown}", last.text).into() };
            }
        }
    }

    fn finish(mut self) -> Rendered {
        self.settle_context();
        self.finish_citations();
        self.close_section();
        let events = std::mem::take(&mut self.out);
        if let Some(r) = &self.first_paragraph {
            if r.start < r.end {
                self.rendered.first_paragraph = plain_text(&events[r.clone()]);
            }
        }
        let events = if self.math_slots.is_empty() { events } else { self.place_math(events) };
        let mut html = String::with_capacity(self.src.text.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
        let summary_events = match (self.more_at, &self.first_paragraph) {
            (Some(at), _) => &events[..at],
            (None, Some(r)) if r.start < r.end => &events[r.clone()],
            _ => &events[..0],
        };
        let mut summary = String::new();
        pulldown_cmark::html::push_html(&mut summary, summary_events.iter().cloned());
        html = blocks::apply(&html, &self.blocks_marked);
        summary = blocks::apply(&summary, &self.blocks_marked);
        if self.has_raw_html && !self.cx.unsafe_html {
            let depth = crate::sanitize::nesting_depth(&html);
            if depth > crate::sanitize::MAX_DEPTH {
                let message = format!(
                    "elements nest {depth} levels deep; a page with raw HTML may nest at most {} (sanitising deeper HTML is too slow)",
                    crate::sanitize::MAX_DEPTH
                );
                self.diagnose(crate::diagnostic::Severity::Error, &(0..0), message);
                html.clear();
                summary.clear();
            }
            html = crate::sanitize::clean(&html);
            summary = crate::sanitize::clean(&summary);
        }
        if !self.files.is_empty() {
            html = files::fill(&html, &self.files);
            summary = files::fill(&summary, &self.files);
        }
        if self.cx.external_links_new_tab {
            html = html.replace("<a href=\"http", "<a rel=\"noopener\" target=\"_blank\" href=\"http");
        }
        let mut r = self.rendered;
        html.shrink_to_fit();
        r.html = html.into();
        r.summary_html = summary;
        r.toc = headings::nest(self.toc);
        r.reading_time = r.word_count.div_ceil(READING_WPM);
        r
    }
}

/// Block-level tags: where one block's text ends and another's begins.
fn starts_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Item
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
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
