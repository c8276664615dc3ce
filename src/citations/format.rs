//! Formatting one page's citations with hayagriva: every citation of the
//! page goes through one driver run, so numeric styles number in order of
//! first citation and author-date styles tell same-author-same-year works
//! apart, as a CSL processor does for a document. hayagriva's output is
//! walked here into HTML: text escaped, formatting as `<i>`/`<b>`/`<sup>`
//! (no inline styles), links only for http(s), each cited work's part of an
//! in-text citation a link to its entry.

use super::parse::{Citation, CiteItem};
use super::Bibliography;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{FontStyle, FontVariant, FontWeight, TextDecoration, VerticalAlign};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild, ElemChildren,
    ElemMeta, LocatorPayload, SpecificLocator,
};
use std::collections::HashMap;

/// A piece of formatted output: markup rapport made, or text to escape.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Html(String),
    Text(String),
}

/// One in-text citation, formatted.
#[derive(Debug, Clone)]
pub struct FormattedCitation {
    /// Its markup and text in order (text stays text for summaries and search).
    pub segments: Vec<Segment>,
    /// As plain text (for search and the citing sentence).
    pub text: String,
    /// A suffix that is no locator, shown after the citation (with a warning).
    pub loose_suffix: Option<String>,
}

/// One entry of a page's reference list.
#[derive(Debug, Clone, PartialEq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ListedReference {
    pub key: String,
    /// The key as an id and URL segment (the entry is `#ref-<slug>`).
    pub slug: String,
    pub html: String,
    pub text: String,
}

/// A page's citations and its reference list, formatted together.
pub struct Formatted {
    pub citations: Vec<FormattedCitation>,
    pub references: Vec<ListedReference>,
}

/// Where an in-text citation's parts link: the entry on the page, with the
/// reference page as the preview target.
pub struct Links<'a> {
    pub base_path: &'a str,
}

impl Links<'_> {
    pub fn page_of(&self, key: &str) -> String {
        format!("{}references/{}/", self.base_path, crate::urls::encode_path(&super::slug_of(key)))
    }
}

/// Formats `citations` (every key in them known to `bib`). The reference
/// list's entries are the works' own when the page cannot change them (see
/// [`super::memo`]); then hayagriva's run for the page only orders them.
pub fn format(bib: &Bibliography, citations: &[Citation], links: &Links<'_>) -> Formatted {
    let cites: Vec<(&str, bool)> =
        citations.iter().flat_map(|c| c.items.iter().map(|i| (i.key.as_str(), c.narrative))).collect();
    let shared = bib.context_free && unambiguous(bib, &cites);
    format_with(bib, citations, links, shared)
}

/// [`format`], the list's entries shared (`shared`) or the page's own.
fn format_with(bib: &Bibliography, citations: &[Citation], links: &Links<'_>, shared: bool) -> Formatted {
    let list_style = if shared { &bib.order_style } else { &bib.style };
    let mut driver = BibliographyDriver::new();
    let mut loose = Vec::new();
    for c in citations {
        let items = c.items.iter().map(|item| citation_item(bib, item, c.narrative)).collect::<Vec<_>>();
        loose.push(loose_suffix(&c.items));
        driver.citation(CitationRequest::from_items(items, &bib.style, &bib.locales));
    }
    let rendered = driver.finish(BibliographyRequest::new(list_style, None, &bib.locales));
    let formatted = rendered.citations.iter().zip(citations).zip(loose).map(|((r, c), loose_suffix)| {
        let keys: Vec<&str> = c.items.iter().map(|i| i.key.as_str()).collect();
        let prefix: Vec<&str> = c.items.iter().map(|i| i.prefix.as_str()).filter(|p| !p.is_empty()).collect();
        let mut w = Writer::new(links, &keys);
        w.children(&r.citation);
        let mut segments = Vec::new();
        if !prefix.is_empty() {
            segments.push(Segment::Text(format!("{} ", prefix.join(" "))));
        }
        // `[-@key]`: the style gives the year alone, without brackets or locator.
        let year_only = !c.narrative && c.items.iter().all(|i| i.suppress_author);
        segments.push(Segment::Html("<span class=\"cite\">".into()));
        if year_only {
            segments.push(Segment::Text("(".into()));
        }
        if !w.linked {
            segments.push(Segment::Html(citation_link(links, keys[0])));
        }
        segments.append(&mut w.segments);
        if !w.linked {
            segments.push(Segment::Html("</a>".into()));
        }
        if year_only {
            let located = c.items.iter().map(|i| i.suffix.trim()).filter(|s| locator_of(s).is_some());
            let located: Vec<&str> = located.collect();
            let tail = if located.is_empty() { ")".to_string() } else { format!(", {})", located.join("; ")) };
            segments.push(Segment::Text(tail));
        }
        segments.push(Segment::Html("</span>".into()));
        if let Some(s) = &loose_suffix {
            segments.push(Segment::Text(format!(" {s}")));
        }
        let text = segments
            .iter()
            .filter_map(|s| match s {
                Segment::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        FormattedCitation { segments, text, loose_suffix }
    });
    let citations = formatted.collect();
    let items = rendered.bibliography.map(|b| b.items).unwrap_or_default();
    let references = if shared {
        items.iter().filter_map(|item| bib.reference(&item.key)).collect()
    } else {
        items.iter().map(|item| listed(bib, links, &item.key, item.first_field.as_ref(), &item.content)).collect()
    };
    Formatted { citations, references }
}

/// A whole entry formatted on its own (for its reference page, and for
/// reference lists that the page cannot change): ask [`Bibliography::reference`],
/// which formats each work once.
pub(super) fn reference_alone(bib: &Bibliography, key: &str) -> Option<ListedReference> {
    // A reference list links no citation, so the base path does not matter.
    let links = &Links { base_path: "/" };
    let entry = bib.get(key)?;
    let mut driver = BibliographyDriver::new();
    let items = vec![CitationItem::with_entry(entry)];
    driver.citation(CitationRequest::from_items(items, &bib.style, &bib.locales));
    let rendered = driver.finish(BibliographyRequest::new(&bib.style, None, &bib.locales));
    let item = rendered.bibliography?.items.into_iter().next()?;
    // A numeric label ("[1]") means nothing on a page of its own.
    Some(listed(bib, links, key, None, &item.content))
}

fn listed(
    bib: &Bibliography,
    links: &Links<'_>,
    key: &str,
    first: Option<&ElemChild>,
    content: &ElemChildren,
) -> ListedReference {
    let mut w = Writer::new(links, &[]);
    if let Some(first) = first {
        w.html("<span class=\"reference-label\">".into());
        w.child(first);
        w.html("</span>".into());
        w.text(" ");
    }
    w.children(content);
    let text: String = w.plain();
    if let Some(pmid) = bib.get(key).and_then(|e| e.pmid()).filter(|_| !text.contains("PMID")) {
        let url = format!("https://pubmed.ncbi.nlm.nih.gov/{}/", crate::urls::encode_path(pmid));
        w.text(" PMID: ");
        w.html(format!("<a href=\"{}\">", escape_attr(&url)));
        w.text(pmid);
        w.html("</a>".into());
    }
    let slug = super::slug_of(key);
    let (html, text) = (w.to_html(), w.plain());
    ListedReference { key: key.to_string(), slug, html, text: text.trim().to_string() }
}

fn citation_link(links: &Links<'_>, key: &str) -> String {
    let href = format!("#ref-{}", super::slug_of(key));
    format!(
        "<a class=\"citation\" href=\"{}\" data-preview=\"{}\">",
        escape_attr(&href),
        escape_attr(&links.page_of(key))
    )
}

fn citation_item<'a>(bib: &'a Bibliography, item: &'a CiteItem, narrative: bool) -> CitationItem<'a, hayagriva::Entry> {
    let entry = bib.get(&item.key).expect("only known keys are formatted");
    let locator = locator_of(&item.suffix).map(|(l, v)| SpecificLocator(l, LocatorPayload::Str(v)));
    let mut c = CitationItem::with_locator(entry, locator);
    if narrative {
        c = c.kind(CitePurpose::Prose);
    } else if item.suppress_author {
        c = c.kind(CitePurpose::Year);
    }
    c
}

/// The suffixes of a citation that are not locators, joined.
fn loose_suffix(items: &[CiteItem]) -> Option<String> {
    let loose: Vec<&str> =
        items.iter().map(|i| i.suffix.as_str()).filter(|s| !s.is_empty() && locator_of(s).is_none()).collect();
    (!loose.is_empty()).then(|| loose.join("; "))
}

/// `p. 33`, `pp. 4-5`, `chap. 2`, `33`: the kind of locator and its value.
pub fn locator_of(suffix: &str) -> Option<(Locator, &str)> {
    let s = suffix.trim();
    if s.is_empty() {
        return None;
    }
    if s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || "-–, ".contains(c))
    {
        return Some((Locator::Page, s));
    }
    const TERMS: [(&str, Locator); 20] = [
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("pages", Locator::Page),
        ("page", Locator::Page),
        ("chap.", Locator::Chapter),
        ("chapter", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("sec.", Locator::Section),
        ("section", Locator::Section),
        ("§", Locator::Section),
        ("fig.", Locator::Figure),
        ("figure", Locator::Figure),
        ("vol.", Locator::Volume),
        ("volume", Locator::Volume),
        ("para.", Locator::Paragraph),
        ("paragraph", Locator::Paragraph),
        ("¶", Locator::Paragraph),
        ("table", Locator::Table),
        ("tbl.", Locator::Table),
        ("no.", Locator::Issue),
    ];
    let lower = s.to_lowercase();
    TERMS.iter().find_map(|(term, locator)| {
        let rest = lower.strip_prefix(term)?;
        let value = s[s.len() - rest.len()..].trim();
        (!value.is_empty() && value.chars().next().is_some_and(|c| c.is_alphanumeric())).then_some((*locator, value))
    })
}

/// Walks hayagriva's output into HTML and plain text.
struct Writer<'a, 'k> {
    links: &'a Links<'a>,
    /// The citation's keys, by item index (empty for reference lists).
    keys: &'k [&'k str],
    /// Some item's part was linked (else the whole citation is).
    linked: bool,
    segments: Vec<Segment>,
}

impl<'a, 'k> Writer<'a, 'k> {
    fn new(links: &'a Links<'a>, keys: &'k [&'k str]) -> Self {
        Writer { links, keys, linked: false, segments: Vec::new() }
    }

    fn html(&mut self, html: String) {
        self.segments.push(Segment::Html(html));
    }

    fn text(&mut self, text: &str) {
        match self.segments.last_mut() {
            Some(Segment::Text(t)) => t.push_str(text),
            _ => self.segments.push(Segment::Text(text.to_string())),
        }
    }

    fn plain(&self) -> String {
        self.segments.iter().filter_map(|s| if let Segment::Text(t) = s { Some(t.as_str()) } else { None }).collect()
    }

    fn to_html(&self) -> String {
        let mut html = String::new();
        for s in &self.segments {
            match s {
                Segment::Html(h) => html.push_str(h),
                Segment::Text(t) => html.push_str(&escape_attr(t)),
            }
        }
        html
    }

    fn children(&mut self, children: &ElemChildren) {
        for child in &children.0 {
            self.child(child);
        }
    }

    fn child(&mut self, child: &ElemChild) {
        match child {
            ElemChild::Text(t) => self.formatted(&t.text, &t.formatting),
            ElemChild::Markup(m) => self.formatted(m, &Default::default()),
            ElemChild::Link { text, url } => {
                let safe = url.starts_with("https://") || url.starts_with("http://");
                if safe {
                    self.html(format!("<a href=\"{}\">", escape_attr(url)));
                }
                self.formatted(&text.text, &text.formatting);
                if safe {
                    self.html("</a>".into());
                }
            }
            ElemChild::Elem(e) => match (&e.meta, self.keys.is_empty()) {
                (Some(ElemMeta::Entry(i)), false) => {
                    let key = self.keys.get(*i).unwrap_or(&self.keys[0]);
                    self.html(citation_link(self.links, key));
                    self.children(&e.children);
                    self.html("</a>".into());
                    self.linked = true;
                }
                _ => self.children(&e.children),
            },
            ElemChild::Transparent { .. } => {}
        }
    }

    fn formatted(&mut self, text: &str, f: &hayagriva::Formatting) {
        let tags: Vec<(&str, &str)> = [
            (matches!(f.font_style, FontStyle::Italic), ("<i>", "</i>")),
            (matches!(f.font_weight, FontWeight::Bold), ("<b>", "</b>")),
            (matches!(f.vertical_align, VerticalAlign::Sup), ("<sup>", "</sup>")),
            (matches!(f.vertical_align, VerticalAlign::Sub), ("<sub>", "</sub>")),
            (matches!(f.text_decoration, TextDecoration::Underline), ("<u>", "</u>")),
            (matches!(f.font_variant, FontVariant::SmallCaps), ("<span class=\"small-caps\">", "</span>")),
        ]
        .into_iter()
        .filter_map(|(on, t)| on.then_some(t))
        .collect();
        for (open, _) in &tags {
            self.html(open.to_string());
        }
        self.text(text);
        for (_, close) in tags.iter().rev() {
            self.html(close.to_string());
        }
    }
}

/// No two different works among `cites` (key, narrative) render alike
/// before disambiguation, so hayagriva disambiguates none of them.
pub fn unambiguous(bib: &Bibliography, cites: &[(&str, bool)]) -> bool {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for &(key, narrative) in cites {
        let text = bib.memo().first_render(bib, key, narrative);
        match seen.get(&text) {
            Some(other) if *other != key => return false,
            _ => {
                seen.insert(text, key);
            }
        }
    }
    true
}

/// Text escaped for HTML, as markdown escapes it (citations sit in its output).
fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIB: &str = "@article{smith2018a, author = {Smith, Jane}, title = {Alpha}, journaltitle = {J}, year = {2018}}
@article{smith2018b, author = {Smith, Jane}, title = {Beta}, journaltitle = {J}, year = {2018}}
@book{lee2001, author = {Lee, Ann and Kim, Bo}, title = {Gamma}, publisher = {P}, year = {2001}, doi = {10.1/x}}
@article{ng1999, author = {Ng, Wu}, title = {Delta}, journaltitle = {K}, year = {1999}, pmid = {123}}";

    fn formatted(style: &str, text: &str, shared: Option<bool>) -> (Vec<Vec<Segment>>, Vec<ListedReference>) {
        let bib = Bibliography::parse(std::path::Path::new("r.bib"), BIB, style).unwrap();
        let citations = super::super::parse::find(text, &|k| bib.contains(k), &|_| true);
        let links = Links { base_path: "/" };
        let f = match shared {
            Some(shared) => format_with(&bib, &citations, &links, shared),
            None => format(&bib, &citations, &links),
        };
        (f.citations.into_iter().map(|c| c.segments).collect(), f.references)
    }

    #[test]
    fn shared_entries_equal_the_pages_own_and_disambiguation_holds() {
        let pages = [
            "[@smith2018a] and [@lee2001, p. 3]; @ng1999 says [-@ng1999].",
            "[@smith2018a; @smith2018b] then @smith2018b.",
            "[@smith2018b] [@lee2001] [@ng1999].",
        ];
        for style in ["apa", "chicago-author-date", "ieee"] {
            for page in pages {
                let own = formatted(style, page, Some(false));
                assert_eq!(formatted(style, page, None), own, "{style}: {page}");
                // Where sharing applies (a style whose entries cannot depend on the page,
                // no works alike on it), the shared entries are the page's own.
                let free = Bibliography::parse(std::path::Path::new("r.bib"), BIB, style).unwrap().context_free;
                if free && !page.contains("smith2018a; @smith2018b") {
                    assert_eq!(formatted(style, page, Some(true)), own, "{style}: {page}");
                }
            }
        }
        let (cites, refs) = formatted("apa", pages[1], None);
        let html = |s: &[Segment]| s.iter().map(|s| format!("{s:?}")).collect::<String>();
        assert!(html(&cites[0]).contains("2018a") && html(&cites[0]).contains("2018b"), "{cites:?}");
        assert!(refs[0].text.contains("(2018a)") && refs[1].text.contains("(2018b)"), "{refs:?}");
        // Alone on its page, the same work is plain 2018 (its key, in the link, still says 2018b).
        let (cites, _) = formatted("apa", pages[2], None);
        let text: String =
            cites[0].iter().filter_map(|s| if let Segment::Text(t) = s { Some(t.as_str()) } else { None }).collect();
        assert_eq!(text, "(Smith, 2018)", "{cites:?}");
    }

    #[test]
    fn locators() {
        assert_eq!(locator_of("p. 33"), Some((Locator::Page, "33")));
        assert_eq!(locator_of("pp. 4-5"), Some((Locator::Page, "4-5")));
        assert_eq!(locator_of("chap. 2"), Some((Locator::Chapter, "2")));
        assert_eq!(locator_of("12"), Some((Locator::Page, "12")));
        assert_eq!(locator_of("for a review"), None);
        assert_eq!(locator_of(""), None);
    }
}
