//! Pagination of section and taxonomy term listings (Zola's `paginate_by` /
//! `paginate_path`, in a section's front matter or a `[[taxonomies]]` table):
//! which pages each pager shows, its URL (`/section/page/2/`, page 1 being
//! the listing itself), and the `paginator` object templates receive under
//! Zola's names. Every pager is an output of its section's or term's target,
//! so what it reads is recorded like any other render.

use super::context::PageSummary;
use super::View;
use crate::config::Paging;
use serde::Serialize;

/// The `paginator` a paginated section's template receives.
#[derive(Serialize)]
pub struct Paginator<'a> {
    pub paginate_by: usize,
    /// The section's own URL (page 1).
    pub base_url: String,
    /// This pager's absolute URL (its canonical URL).
    pub permalink: String,
    pub number_pagers: usize,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageSummary<'a>>,
    /// 1 for the section page itself.
    pub current_index: usize,
    /// How many pages all pagers show together.
    pub total_pages: usize,
}

/// A listing to cut into pagers: a section's pages or a taxonomy term's.
pub struct Listing<'l> {
    /// The listing's own URL (its pager 1).
    pub url: &'l str,
    /// Its pages, in listing order.
    pub pages: &'l [usize],
    /// Zola's `paginate_reversed`: pagers show the pages last first.
    pub reversed: bool,
    pub paging: Paging,
}

/// Section `s`'s listing, when it is paginated.
pub fn section_listing<'a>(v: &View<'a>, s: usize) -> Option<Listing<'a>> {
    let section = v.section(s);
    let fm = &section.doc.fm;
    let paging = Paging::of(fm.paginate_by.map(|n| n as usize), fm.paginate_path.as_deref())?;
    Some(Listing { url: &section.url, pages: v.section_pages(s), reversed: fm.paginate_reversed, paging })
}

/// Term `j` of taxonomy `i`'s listing, when the taxonomy paginates its terms.
pub fn term_listing<'a>(v: &View<'a>, i: usize, j: usize) -> Option<Listing<'a>> {
    let paging = v.config().paginated_taxonomies.get(&v.site.taxonomies[i].name)?.clone();
    let term = v.term(i, j);
    Some(Listing { url: &term.url, pages: &term.pages, reversed: false, paging })
}

/// The site-relative URL of pager `n` (1-based) of a listing at `listing_url`.
pub fn pager_url(listing_url: &str, path: &str, n: usize) -> String {
    if n <= 1 {
        listing_url.to_string()
    } else {
        format!("{listing_url}{path}/{n}/")
    }
}

impl Listing<'_> {
    /// How many pagers it makes (one even when empty).
    pub fn count(&self) -> usize {
        pager_count(self.pages.len(), self.paging.by)
    }

    /// The site-relative URL of its pager `n`.
    pub fn url_of(&self, n: usize) -> String {
        pager_url(self.url, &self.paging.path, n)
    }

    /// The URLs of pagers 2.. (pager 1 is the listing itself).
    pub fn further(&self) -> Vec<String> {
        (2..=self.count()).map(|n| self.url_of(n)).collect()
    }
}

/// How many pagers `total` pages make, `by` to a pager (one even when empty).
pub fn pager_count(total: usize, by: usize) -> usize {
    total.div_ceil(by).max(1)
}

/// The paginator of pager `n` (1-based) of a listing.
pub fn paginator<'a>(v: &View<'a>, l: &Listing<'_>, n: usize) -> Paginator<'a> {
    let (by, count) = (l.paging.by, l.count());
    let link = |k: usize| v.full_url(&l.url_of(k));
    let order: Box<dyn Iterator<Item = &usize>> =
        if l.reversed { Box::new(l.pages.iter().rev()) } else { Box::new(l.pages.iter()) };
    let shown = order.skip((n - 1) * by).take(by).map(|&p| v.page_summary(p)).collect();
    Paginator {
        paginate_by: by,
        base_url: link(1),
        permalink: format!("{}{}", v.config().base_url, l.url_of(n)),
        number_pagers: count,
        first: link(1),
        last: link(count),
        previous: (n > 1).then(|| link(n - 1)),
        next: (n < count).then(|| link(n + 1)),
        pages: shown,
        current_index: n,
        total_pages: l.pages.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_one_is_the_section_and_the_rest_follow_the_path() {
        assert_eq!(pager_url("guides/", "page", 1), "guides/");
        assert_eq!(pager_url("guides/", "page", 3), "guides/page/3/");
        assert_eq!(pager_url("", "p", 2), "p/2/");
    }

    #[test]
    fn pagers_round_up_and_an_empty_section_has_one() {
        assert_eq!(pager_count(0, 5), 1);
        assert_eq!(pager_count(5, 5), 1);
        assert_eq!(pager_count(6, 5), 2);
    }
}
