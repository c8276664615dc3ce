//! Machine-readable outputs: `sitemap.xml`, `atom.xml`, `robots.txt`, and the
//! redirect pages aliases turn into. Everything is escaped for XML.

use super::{Output, View};

/// Most recent pages in the feed.
const FEED_LIMIT: usize = 20;

pub fn sitemap(v: &View<'_>) -> Output {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base_url = &v.config().base_url;
    let mut entry = |url: &str, lastmod: Option<&str>| {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&format!("{base_url}{url}")));
        xml.push_str("</loc>");
        if let Some(d) = lastmod.and_then(|d| d.get(..10)) {
            xml.push_str(&format!("<lastmod>{}</lastmod>", escape_xml(d)));
        }
        xml.push_str("</url>\n");
    };
    // One entry per page written: a folder note is its page, and a page that
    // introduces a taxonomy page is listed as that page.
    for i in 0..v.section_count() {
        let s = v.section(i);
        let shown = s.doc.fm.render != Some(false) && s.doc.fm.redirect_to.is_none();
        if shown && !s.folder_note && v.taxonomy_introduced_by(i).is_none() {
            entry(&s.url, None);
            for url in super::pager::section_listing(v, i).map(|l| l.further()).unwrap_or_default() {
                entry(&url, None);
            }
        }
    }
    for i in 0..v.page_count() {
        if v.term_introduced_by(i).is_none() && !v.is_headless(i) {
            let d = v.page_dates(i);
            entry(d.url, d.updated.or(d.reviewed).or(d.date));
        }
    }
    for (i, t) in v.taxonomies().iter().enumerate() {
        entry(&t.url, None);
        for (j, term) in t.terms.iter().enumerate() {
            entry(&term.url, None);
            for url in super::pager::term_listing(v, i, j).map(|l| l.further()).unwrap_or_default() {
                entry(&url, None);
            }
        }
    }
    xml.push_str("</urlset>\n");
    Output::new("sitemap.xml", xml)
}

/// The site feed, `/atom.xml`: the most recent dated pages of the whole site.
pub fn atom(v: &View<'_>) -> Output {
    let c = v.config();
    let title = c.title.clone();
    feed(v, &FeedOf { title: &title, path: "atom.xml".into(), home: "", pages: (0..v.page_count()).collect() })
}

/// What one Atom feed covers: its title, its file (site-relative), the page
/// it belongs to, and the pages it may list (the most recent dated ones are).
pub struct FeedOf<'a> {
    pub title: &'a str,
    pub path: String,
    pub home: &'a str,
    pub pages: Vec<usize>,
}

/// The feed file of a section or term at `url`, as Zola names it.
pub fn feed_path(url: &str) -> String {
    format!("{url}atom.xml")
}

/// An Atom feed of the most recent dated pages among `of.pages`.
pub fn feed(v: &View<'_>, of: &FeedOf<'_>) -> Output {
    let mut dated: Vec<(usize, &str)> = of.pages.iter().filter_map(|&i| v.page_dates(i).date.map(|d| (i, d))).collect();
    dated.sort_by(|&(a, da), &(b, db)| db.cmp(da).then(a.cmp(&b)));
    dated.truncate(FEED_LIMIT);
    let updated = dated.first().map(|&(_, d)| rfc3339(d)).unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let c = v.config();
    let (home, own) =
        (escape_xml(&format!("{}{}", c.base_url, of.home)), escape_xml(&format!("{}{}", c.base_url, of.path)));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <link rel=\"self\" href=\"{own}\"/>\n  <link href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{updated}</updated>\n  <generator>rapport</generator>\n",
        escape_xml(&c.language), escape_xml(of.title), escape_xml(&c.description)
    );
    for (i, _) in dated {
        xml.push_str(&entry(v, i));
    }
    xml.push_str("</feed>\n");
    Output::new(of.path.clone(), xml)
}

/// One page's `<entry>`.
fn entry(v: &View<'_>, i: usize) -> String {
    let p = v.page(i);
    let link = escape_xml(&format!("{}{}", v.config().base_url, p.url));
    let date = p.doc.fm.date.as_deref().map(rfc3339).unwrap_or_default();
    let upd = p.doc.fm.updated.as_deref().map(rfc3339).unwrap_or_else(|| date.clone());
    let summary = p.doc.fm.description.clone().unwrap_or_else(|| p.rendered.first_paragraph.clone());
    format!(
        "  <entry>\n    <title>{}</title>\n    <link href=\"{link}\"/>\n    <id>{link}</id>\n    <published>{date}</published>\n    <updated>{upd}</updated>\n    <summary>{}</summary>\n  </entry>\n",
        escape_xml(&p.doc.title()),
        escape_xml(&summary)
    )
}

pub fn robots(v: &View<'_>) -> Output {
    Output::new("robots.txt", format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", v.config().base_url))
}

/// A page that sends the browser on to `to` (an alias or a section redirect).
pub fn redirect_html(to: &str) -> String {
    let to = escape_xml(to);
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Redirecting…</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\"></head>\n<body><p>This page has moved to <a href=\"{to}\">{to}</a>.</p></body></html>\n"
    )
}

/// Redirect pages for the path aliases of every page and section (as
/// [`crate::redirects`] resolved them).
pub fn aliases(v: &View<'_>) -> Vec<Output> {
    let pages = (0..v.page_count()).map(|p| v.redirects(p));
    let sections = (0..v.section_count()).map(|s| v.section(s)).map(|s| (s.redirects.as_slice(), s.url.as_str()));
    let mut out = Vec::new();
    for (redirects, url) in pages.chain(sections) {
        for alias in redirects {
            if let Some(path) = crate::urls::output_file(&crate::urls::url_of_path(alias)) {
                out.push(Output::new(path, redirect_html(&v.full_url(url))));
            }
        }
    }
    out
}

fn rfc3339(date: &str) -> String {
    if date.len() == 10 {
        format!("{date}T00:00:00Z")
    } else {
        date.replace(' ', "T")
    }
}

pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
