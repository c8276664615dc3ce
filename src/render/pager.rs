//! Pagination of section listings (Zola's `paginate_by` / `paginate_path`):
//! which pages each pager shows, its URL (`/section/page/2/`, page 1 being
//! the section itself), and the `paginator` object templates receive under
//! Zola's names. Every pager is an output of its section's target, so what
//! it reads is recorded like any other render.

use super::context::PageSummary;
use super::View;
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

/// How section `s` is paginated: pages per pager and the path segment.
pub fn settings(v: &View<'_>, s: usize) -> Option<(usize, String)> {
    let fm = &v.section(s).doc.fm;
    let by = fm.paginate_by.filter(|&n| n > 0)? as usize;
    let path = fm.paginate_path.as_deref().unwrap_or("page").trim_matches('/').to_string();
    Some((by, if path.is_empty() { "page".into() } else { path }))
}

/// The site-relative URL of pager `n` (1-based) of a section at `section_url`.
pub fn pager_url(section_url: &str, path: &str, n: usize) -> String {
    if n <= 1 {
        section_url.to_string()
    } else {
        format!("{section_url}{path}/{n}/")
    }
}

/// The URLs of pagers 2.. of section `s`, when it is paginated (page 1 is the section).
pub fn further_pagers(v: &View<'_>, s: usize) -> Vec<String> {
    let Some((by, path)) = settings(v, s) else { return Vec::new() };
    let url = &v.section(s).url;
    (2..=pager_count(v.section_pages(s).len(), by)).map(|n| pager_url(url, &path, n)).collect()
}

/// How many pagers `total` pages make, `by` to a pager (one even when empty).
pub fn pager_count(total: usize, by: usize) -> usize {
    total.div_ceil(by).max(1)
}

/// The paginator of pager `n` (1-based) of section `s`.
pub fn paginator<'a>(v: &View<'a>, s: usize, by: usize, path: &str, n: usize) -> Paginator<'a> {
    let pages = v.section_pages(s);
    let count = pager_count(pages.len(), by);
    let url = &v.section(s).url;
    let link = |k: usize| v.full_url(&pager_url(url, path, k));
    let order: Box<dyn Iterator<Item = &usize>> =
        if v.section(s).doc.fm.paginate_reversed { Box::new(pages.iter().rev()) } else { Box::new(pages.iter()) };
    let shown = order.skip((n - 1) * by).take(by).map(|&p| v.page_summary(p)).collect();
    Paginator {
        paginate_by: by,
        base_url: link(1),
        permalink: format!("{}{}", v.config().base_url, pager_url(url, path, n)),
        number_pagers: count,
        first: link(1),
        last: link(count),
        previous: (n > 1).then(|| link(n - 1)),
        next: (n < count).then(|| link(n + 1)),
        pages: shown,
        current_index: n,
        total_pages: pages.len(),
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
