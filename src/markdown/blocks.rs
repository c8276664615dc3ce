//! Obsidian block ids: `text ^blk1` at the end of a paragraph or list item
//! names that block; a `^blk1` line of its own names the block before it (a
//! paragraph, list, table, quote, callout or code block).
//!
//! A pass over the parsed events, before the page is rewritten, strips the
//! ids from the text and says which block each names (by where the block
//! starts in the source). The rewriter puts a marker before that block's
//! opening tag and [`apply`] turns it into an `id` once the HTML is written,
//! so no kind of block needs its own way of carrying an attribute.

use super::Rewriter;
use crate::diagnostic::Severity;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// The HTML id of block `^id`: `^` is not valid in a CSS selector, and a
/// prefix keeps block ids apart from heading slugs, which lack uppercase.
pub fn anchor(id: &str) -> String {
    format!("block-{id}")
}

/// The block id an anchor made by [`anchor`] names.
pub fn id_of(anchor: &str) -> Option<&str> {
    anchor.strip_prefix("block-")
}

/// The kinds of block an id can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Paragraph,
    Item,
    List,
    Table,
    Quote,
    Code,
}

impl Kind {
    pub fn of(tag: &Tag<'_>) -> Option<Kind> {
        Some(match tag {
            Tag::Paragraph => Kind::Paragraph,
            Tag::Item => Kind::Item,
            Tag::List(_) => Kind::List,
            Tag::Table(_) => Kind::Table,
            Tag::BlockQuote(_) => Kind::Quote,
            Tag::CodeBlock(_) => Kind::Code,
            _ => return None,
        })
    }
}

/// Which block (its kind and source start) each id names.
#[derive(Debug, Default)]
pub struct BlockIds {
    pub named: HashMap<(usize, Kind), String>,
}

/// Strips block ids from `events` and returns the blocks they name.
pub fn extract(events: &mut Vec<(Event<'_>, Range<usize>)>) -> BlockIds {
    let mut ids = BlockIds::default();
    let mut open: Vec<(Option<Kind>, usize)> = Vec::new();
    // The block that closed last and its depth: what a `^id` line names.
    let mut last_closed: Option<(usize, Option<Kind>, usize)> = None;
    let mut keep = vec![true; events.len()];
    let mut i = 0;
    while i < events.len() {
        match &events[i].0 {
            Event::Start(tag) => {
                let prev = last_closed.filter(|(depth, _, _)| *depth == open.len());
                if let (Some(id), Some((_, Some(kind), start))) = (own_line_id(events, i), prev) {
                    ids.named.insert((start, kind), id);
                    keep[i..i + 3].fill(false);
                    i += 3;
                    continue; // the block before may carry only one id
                }
                open.push((Kind::of(tag), events[i].1.start));
                last_closed = None;
            }
            Event::End(_) => {
                let (kind, start) = open.pop().unwrap_or((None, 0));
                last_closed = Some((open.len(), kind, start));
            }
            Event::Text(_) => {
                if let Some((block, id)) = trailing_id(events, i, &open) {
                    ids.named.insert(block, id);
                }
                last_closed = None;
            }
            _ => last_closed = None,
        }
        i += 1;
    }
    let mut flags = keep.into_iter();
    events.retain(|_| flags.next().unwrap_or(true));
    ids
}

/// `^id` when the paragraph opening at `i` holds nothing else.
fn own_line_id(events: &[(Event<'_>, Range<usize>)], i: usize) -> Option<String> {
    match events.get(i..i + 3)? {
        [(Event::Start(Tag::Paragraph), _), (Event::Text(t), _), (Event::End(TagEnd::Paragraph), _)] => {
            parse_id(t.trim()).map(str::to_string)
        }
        _ => None,
    }
}

/// A `^id` ending the text at `i` when the text ends its block (or the
/// line before an item's sub-list): cut from the text, with the block it names.
fn trailing_id(
    events: &mut [(Event<'_>, Range<usize>)],
    i: usize,
    open: &[(Option<Kind>, usize)],
) -> Option<((usize, Kind), String)> {
    let ends_block = matches!(
        events.get(i + 1).map(|(e, _)| e),
        Some(Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::List(_)))
    );
    let Event::Text(text) = &events[i].0 else { return None };
    let trimmed = text.trim_end();
    let caret = trimmed.rfind('^')?;
    let id = parse_id(&trimmed[caret..])?;
    let spaced = match trimmed[..caret].chars().next_back() {
        Some(c) => c.is_whitespace(),
        None => match i.checked_sub(1).map(|p| &events[p].0) {
            Some(Event::SoftBreak | Event::HardBreak) => true,
            Some(Event::Text(before)) => before.ends_with(char::is_whitespace),
            _ => false,
        },
    };
    if !ends_block || !spaced {
        return None;
    }
    let block = named_block(open)?;
    let id = id.to_string();
    let kept = trimmed[..caret].trim_end().to_string();
    events[i].0 = Event::Text(CowStr::from(kept));
    Some((block, id))
}

/// The block a trailing id names: the innermost paragraph or item; a
/// paragraph that is a list item's text stands for the item.
fn named_block(open: &[(Option<Kind>, usize)]) -> Option<(usize, Kind)> {
    let n = open.len();
    match open.last()? {
        (Some(Kind::Paragraph), _) if n >= 2 && open[n - 2].0 == Some(Kind::Item) => Some((open[n - 2].1, Kind::Item)),
        (Some(kind @ (Kind::Paragraph | Kind::Item)), start) => Some((*start, *kind)),
        _ => None,
    }
}

/// The id of `^id` (letters, digits and `-`), or `None`.
fn parse_id(s: &str) -> Option<&str> {
    let id = s.strip_prefix('^')?;
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some(id)
}

impl Rewriter<'_, '_> {
    /// Takes the page's block ids: each is an anchor, and heading slugs step
    /// around them. A second block with the same id is a warning and keeps none.
    pub(super) fn name_blocks(&mut self, ids: BlockIds) {
        let mut named: Vec<((usize, Kind), String)> = ids.named.into_iter().collect();
        named.sort();
        let mut seen = std::collections::HashSet::new();
        for ((start, kind), id) in named {
            if !seen.insert(id.clone()) {
                let message = format!("block id `^{id}` is already used on this page; links go to the first");
                self.diagnose(Severity::Warning, &(start..start), message);
                continue;
            }
            self.ids.allocate(Some(&anchor(&id)), "");
            self.rendered.anchors.push(anchor(&id));
            self.block_ids.insert((start, kind), id);
        }
    }

    /// Puts the marker [`apply`] turns into an `id` before a named block.
    pub(super) fn mark_block(&mut self, tag: &Tag<'_>, start: usize) {
        let Some(id) = Kind::of(tag).and_then(|kind| self.block_ids.remove(&(start, kind))) else { return };
        self.out.push(Event::Html(marker(self.blocks_marked.len()).into()));
        self.blocks_marked.push(id);
    }
}

/// The marker the rewriter puts before the opening tag of named block `index`.
pub fn marker(index: usize) -> String {
    format!("\u{FFFC}rapport-block-{index}\u{FFFC}")
}

/// Replaces each block marker by an `id` on the tag that follows it.
pub fn apply(html: &str, ids: &[String]) -> String {
    let mut html = html.to_string();
    for (index, id) in ids.iter().enumerate() {
        let m = marker(index);
        let Some(at) = html.find(&m) else { continue };
        html.replace_range(at..at + m.len(), "");
        let Some(open) = html[at..].find('<').map(|o| at + o) else { continue };
        let name_end = html[open + 1..].find([' ', '>', '/', '\n']).map_or(html.len(), |e| open + 1 + e);
        html.insert_str(name_end, &format!(" id=\"{}\"", anchor(id)));
    }
    html
}

/// The element whose id is `anchor`, from its opening tag to its matching
/// closing tag; a list item comes inside a list of its own.
pub fn element(html: &str, anchor: &str) -> Option<String> {
    let at = html.find(&format!(" id=\"{anchor}\""))?;
    let open = html[..at].rfind('<')?;
    let name = &html[open + 1..at];
    let (start_tag, end_tag) = (format!("<{name}"), format!("</{name}>"));
    let (mut depth, mut pos) = (0usize, open + 1);
    let end = loop {
        let next_close = html[pos..].find(&end_tag).map(|c| pos + c)?;
        match find_open(html, pos, &start_tag).filter(|&o| o < next_close) {
            Some(o) => {
                depth += 1;
                pos = o + 1;
            }
            None if depth == 0 => break next_close + end_tag.len(),
            None => {
                depth -= 1;
                pos = next_close + 1;
            }
        }
    };
    let block = &html[open..end];
    Some(if name == "li" { format!("<ul>\n{block}\n</ul>\n") } else { format!("{block}\n") })
}

/// Where the next `<name` tag opens from `from` (so `<p` does not match `<pre`).
fn find_open(html: &str, mut from: usize, start_tag: &str) -> Option<usize> {
    loop {
        let at = from + html[from..].find(start_tag)?;
        if html[at + start_tag.len()..].starts_with([' ', '>', '/', '\n']) {
            return Some(at);
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_matches_nested_tags_of_its_name() {
        let html = "<ul>\n<li id=\"block-a\">A<ul><li>B</li></ul></li>\n<li>C</li></ul><p id=\"block-p\">P<pre>x</pre><p>q</p></p>";
        assert_eq!(element(html, "block-a").unwrap(), "<ul>\n<li id=\"block-a\">A<ul><li>B</li></ul></li>\n</ul>\n");
        assert_eq!(element(html, "block-p").unwrap(), "<p id=\"block-p\">P<pre>x</pre><p>q</p></p>\n");
        assert!(element(html, "block-zzz").is_none());
    }

    #[test]
    fn apply_puts_the_id_on_the_next_tag() {
        let html = format!("{}\n<li>x</li>{}<ol start=\"2\">", marker(0), marker(1));
        let ids = ["a".to_string(), "b".to_string()];
        assert_eq!(apply(&html, &ids), "\n<li id=\"block-a\">x</li><ol id=\"block-b\" start=\"2\">");
    }

    #[test]
    fn ids_are_letters_digits_and_dashes() {
        assert_eq!(parse_id("^blk-1"), Some("blk-1"));
        for bad in ["^", "blk", "^a b", "^a_b", "^é"] {
            assert_eq!(parse_id(bad), None, "{bad}");
        }
    }
}
