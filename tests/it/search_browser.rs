//! The search box and results page in headless Chromium, against `rapport
//! serve`: real keystrokes in, rendered results out.

use crate::cdp::{Browser, Page};
use crate::serve::start;
use crate::support::SiteTest;

/// Types `query` into the header search box (focused with `/`) and returns
/// the options shown for it: (title, url, section, excerpt).
pub(crate) fn box_query(p: &mut Page<'_>, query: &str) -> Vec<(String, String, String, String)> {
    p.eval("document.activeElement && document.activeElement.blur()");
    p.press("/");
    assert_eq!(p.eval("document.activeElement.id"), "site-search-input", "`/` focuses the search box");
    p.type_text(query);
    let wanted = serde_json::to_string(query).unwrap();
    p.wait_for(&format!("document.getElementById('site-search-listbox').dataset.query === {wanted}"), query);
    let v = p.eval(
        "[...document.querySelectorAll('#site-search-listbox .site-search-option')].map(o => [
            o.querySelector('.site-search-title').textContent, o.dataset.url,
            (o.querySelector('.site-search-section') || {}).textContent || '',
            o.querySelector('.site-search-excerpt').textContent])",
    );
    serde_json::from_value(v).unwrap()
}

pub(crate) fn titles(results: &[(String, String, String, String)]) -> Vec<&str> {
    results.iter().map(|r| r.0.as_str()).collect()
}

pub(crate) fn site() -> (SiteTest, crate::serve::Server, Browser) {
    let t = SiteTest::from_fixture("search/site");
    let server = start(&t);
    (t, server, Browser::launch())
}

#[test]
fn search_box_finds_prefixes_stems_typos_and_phrases() {
    let (_t, s, mut b) = site();
    let mut p = b.open(&format!("http://127.0.0.1:{}/guides/transference/", s.port));
    let r = box_query(&mut p, "rupt");
    assert_eq!(titles(&r).first(), Some(&"Rupture and repair"), "prefix: {r:?}");
    assert!(r[0].3.to_lowercase().contains("rupture"), "excerpt around the match: {r:?}");
    assert!(p.eval("document.querySelectorAll('#site-search-listbox mark').length").as_u64() > Some(0));
    assert_eq!(p.eval("document.getElementById('site-search-input').getAttribute('aria-expanded')"), "true");

    let r = box_query(&mut p, "boundary");
    assert_eq!(titles(&r), ["Professional boundaries"], "stemming: boundary finds boundaries");

    let r = box_query(&mut p, "trasnference");
    assert_eq!(titles(&r).first(), Some(&"Transference"), "one typo: {r:?}");

    let r = box_query(&mut p, "countertransference ");
    assert_eq!(r[0].1, "/guides/transference/#working-with-countertransference", "section anchor: {r:?}");
    assert_eq!(r[0].2, "Working with countertransference");

    let loose = box_query(&mut p, "rupture repair ");
    assert!(titles(&loose).contains(&"Professional boundaries"), "{loose:?}");
    let phrase = box_query(&mut p, "\"rupture and repair\"");
    assert_eq!(titles(&phrase), ["Rupture and repair"], "a quoted phrase needs the words together");

    // Arrow keys and Enter open the selected result.
    box_query(&mut p, "rupt");
    p.press("ArrowDown");
    assert_eq!(
        p.eval("document.getElementById('site-search-input').getAttribute('aria-activedescendant')"),
        "site-search-option-0"
    );
    p.expect_navigation();
    p.press("Enter");
    p.wait_navigation();
    assert_eq!(p.eval("location.pathname"), "/guides/rupture-and-repair/");
}

#[test]
fn results_page_reads_the_query_and_tag_from_the_url() {
    let (_t, s, mut b) = site();
    let base = format!("http://127.0.0.1:{}", s.port);
    let mut p = b.open(&format!("{base}/search/?q=rupture"));
    let all = p.wait_for("document.querySelector('.search-page-results').children.length", "results");
    assert!(all.as_u64() >= Some(2), "rupture is on two pages");
    assert_eq!(p.eval("document.getElementById('search-page-input').value"), "rupture");

    p.goto(&format!("{base}/search/?q=rupture&tag=ethics"));
    p.wait_for("document.querySelector('.search-page-results').dataset.query === 'rupture'", "tagged results");
    let tagged = p.eval("[...document.querySelectorAll('.search-page-title')].map(a => a.textContent)");
    assert_eq!(tagged, serde_json::json!(["Professional boundaries"]), "tag filter");

    // The module's own contract, called as the theme calls it.
    let direct = p.eval(
        "import('/search/search.js').then(m => m.search('rupture', {tags: ['Alliance']})).then(r => r.map(x => [x.title, x.url, typeof x.excerpt, typeof x.score]))",
    );
    assert_eq!(direct[0][0], "Rupture and repair");
    assert_eq!(direct.as_array().unwrap().len(), 1, "{direct}");
    assert_eq!(direct[0][2], "string");
    assert_eq!(direct[0][3], "number");
    let none = p.eval("import('/search/search.js').then(m => m.search('hiddenword draftword zolahiddenword'))");
    assert_eq!(none, serde_json::json!([]), "drafts and search = false pages are not indexed");
}
