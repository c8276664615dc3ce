//! Inline text of a page: Obsidian's extras (comments, highlights, inline
//! tags), note embeds and sized wiki images, and the per-heading plain text.

use super::files::{self, FileKind};
use super::linking::Points;
use super::{count_words, escape_attr, extras, plain_text, Rewriter};
use super::{embeds, TextSection};
use crate::diagnostic::Diagnostic;
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;

/// One `![[…]]`: its target as written, the URL it resolved to, what that is.
pub(super) struct Embed<'a> {
    pub written: &'a str,
    pub url: &'a str,
    pub points: Points,
}

impl<'s> Rewriter<'s, '_> {
    /// Body text, with Obsidian's inline extras: `%%comments%%` dropped,
    /// `==highlights==` marked, `#tags` linked and collected.
    pub(super) fn text(&mut self, text: CowStr<'s>) {
        let visible = if self.in_comment || text.contains("%%") {
            extras::strip_comments(&text, &mut self.in_comment)
        } else {
            text.to_string()
        };
        if visible.is_empty() {
            return;
        }
        // A link's text is never a tag: `[[#Heading]]` shows `#Heading`.
        let tags = self.links_open.is_empty();
        let plain = !(visible.contains("==") || tags && visible.contains('#'));
        if plain {
            self.plain_text_event(CowStr::from(visible));
            return;
        }
        for piece in extras::split(&visible, tags) {
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

    pub(super) fn plain_text_event(&mut self, text: CowStr<'s>) {
        self.rendered.word_count += count_words(&text);
        self.block_text.push_str(&text);
        self.section_text(&text);
        if self.links_open.is_empty() && !self.glossary.is_done() {
            self.glossary_links(text);
        } else {
            self.out.push(Event::Text(text));
        }
    }

    /// Text outside links, with the first use of each glossary term linked.
    fn glossary_links(&mut self, text: CowStr<'s>) {
        let mut rest: &str = &text;
        while let Some(found) = self.glossary.find(rest) {
            if found.start > 0 {
                self.out.push(Event::Text(CowStr::from(rest[..found.start].to_string())));
            }
            let open = format!("<a class=\"glossary-term\" href=\"{}\">", escape_attr(&found.url));
            self.out.push(Event::Html(open.into()));
            self.out.push(Event::Text(CowStr::from(rest[found.start..found.end].to_string())));
            self.out.push(Event::Html("</a>".into()));
            rest = &rest[found.end..];
        }
        if !rest.is_empty() {
            self.out.push(Event::Text(CowStr::from(rest.to_string())));
        }
    }

    /// `![[Note]]` or `![[Note#Heading]]`: a marker replaced by the note's
    /// content once every page is rendered (see [`embeds`]).
    pub(super) fn embed_placeholder(&mut self) {
        let Some(link) = self.rendered.links.last().cloned() else { return };
        let index = self.rendered.embeds.len();
        self.rendered.embeds.push(link);
        self.out.push(Event::Html(embeds::marker(index).into()));
    }

    /// `![[…]]`: a note (expanded later), an image, the element for another
    /// kind of file, or, when nothing is there, its name as plain text.
    pub(super) fn wiki_embed(&mut self, embed: Embed<'_>, inner: &[Event<'_>], range: &Range<usize>) {
        let file = embed.written.split('#').next().unwrap_or(embed.written).trim();
        let name = file.rsplit('/').next().unwrap_or(file);
        match (embed.points, files::kind_of(file)) {
            (Points::Page, _) => self.embed_placeholder(),
            (Points::UnresolvedNote, _) => {
                let html = format!("<span class=\"unresolved\">{}</span>", escape_attr(embed.written));
                self.out.push(Event::Html(html.into()));
            }
            (Points::Elsewhere, FileKind::Image) => self.wiki_image(embed.url, inner),
            (Points::Elsewhere, kind) => {
                if let FileKind::Unsupported(what) = kind {
                    self.unsupported(embed.url, name, what, range);
                }
                let size = extras::parse_size(&plain_text(inner));
                let index = self.files.len();
                self.files.push(files::element(kind, embed.url, name, size));
                self.out.push(Event::Html(files::marker(index).into()));
            }
        }
    }

    /// Warns about a file format rapport cannot show, once per file for the site.
    fn unsupported(&mut self, url: &str, name: &str, what: &str, range: &Range<usize>) {
        let message = format!("`{name}` is an {what}, which rapport cannot show; its embeds say so instead");
        let at = self.src.body_offset + range.start;
        let d = Diagnostic::warning(self.src.file, message).at_index(&self.lines, at);
        self.rendered.once.push((url.to_string(), d));
    }

    /// `![[image.png]]`, `![[image.png|300]]` or `|300x200`: an image with an optional size.
    pub(super) fn wiki_image(&mut self, src: &str, inner: &[Event<'_>]) {
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
    pub(super) fn section_text(&mut self, text: &str) {
        if self.rendered.sections.is_empty() {
            self.push_section(TextSection::default());
        }
        self.section_text.push_str(text);
    }
}
