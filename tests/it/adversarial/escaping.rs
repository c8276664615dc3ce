//! Escaping (RELIABILITY.md): hostile titles, descriptions, tags and headings
//! stay text in HTML, attributes, JSON-LD, feeds and previews; link schemes
//! are allow-listed after entity decoding; a code-fence language cannot
//! reach an attribute raw; raw HTML is sanitised unless explicitly allowed.
//! The search UI shows results and the echoed query as text nodes.

use crate::cdp::Page;
use crate::markdown::built;
use crate::search_browser::{box_query, site, titles};
use crate::support::SiteTest;
use crate::theme::{json_ld, page};
use serde_json::Value;

#[test]
fn titles_descriptions_tags_and_headings_are_escaped_everywhere() {
    let t = SiteTest::from_fixture("adversarial/escaping/templates");
    t.build().ok();
    for file in ["public/page/index.html", "public/atom.xml", "public/index.html", "public/tags/index.html"] {
        let text = t.read(file);
        for raw in ["<script>alert", "<img src=x", "<b>now</b>"] {
            assert!(!text.contains(raw), "{file} has unescaped {raw:?}:\n{text}");
        }
    }
    t.assert_contains("public/page/index.html", &["&lt;script&gt;alert(", "&amp; co", "<em>Heading</em>"]);
    t.assert_contains("public/atom.xml", &["<title>&lt;script&gt;alert("]);
}

#[test]
fn hostile_titles_cannot_break_out_of_json_ld_or_attributes() {
    let t = SiteTest::from_fixture("theme/furniture");
    let evil = r#"</script><script>alert(1)</script><!-- "quote" & 'apos'"#;
    t.write(
        "content/guides/evil.md",
        format!(
            "+++\ntitle = '''{evil}'''\ndescription = '''desc </SCRIPT> <img src=x onerror=alert(2)>'''\nreviewed = 2025-01-01\ntags = ['''</script>tag''']\nauthors = ['''</script>author''']\n+++\nBody.\n"
        ),
    );
    t.build().ok();
    let html = page(&t, "guides/evil/");
    assert!(!html.contains("<script>alert(1)"), "raw title reached the page:\n{html}");
    assert!(!html.contains("<img src=x"), "raw description reached the page:\n{html}");
    assert!(!html.contains("</script>author") && !html.contains("</script>tag"), "{html}");
    let ld = json_ld(&html);
    // Intact but for smart punctuation, which titles get as the body does.
    let smart = r#"</script><script>alert(1)</script><!– “quote” & ‘apos’"#;
    assert_eq!(ld["@graph"][0]["name"], smart, "the title survives the round trip intact");
    assert_eq!(ld["@graph"][0]["description"], "desc </SCRIPT> <img src=x onerror=alert(2)>");
    let block = &html[html.find("application/ld+json").unwrap()..];
    let block = &block[..block.find("</script>").unwrap()];
    assert!(!block.contains('<'), "`<` must be escaped inside JSON-LD:\n{block}");
    // Every script element on the page is one of the theme's own five (colour
    // scheme, JSON-LD, the label table for theme.js, theme.js, search-ui.js).
    assert_eq!(html.matches("<script").count(), 5, "{html}");
    // The preview file is JSON data, shown with text nodes by theme.js.
    assert_eq!(crate::theme::preview_records(&t)["guides/evil/index.html"]["title"], evil);
}

#[test]
fn unsafe_link_schemes_are_neutralised() {
    let t = SiteTest::from_fixture("adversarial/escaping/unsafe_links");
    t.build().ok().stderr_has("scheme that is not allowed");
    let html = t.read("public/page/index.html");
    let lower = html.to_lowercase();
    for bad in ["javascript:", "vbscript:", "data:text"] {
        assert!(!lower.contains(bad), "{bad} survived:\n{html}");
    }
    assert!(html.contains("<h2 id=\"a-heading-link\">A <a href=\"#\">heading link</a>"), "{html}");
    assert!(html.contains("href=\"https://fine.example/\""), "{html}");
    assert!(html.contains("href=\"mailto:someone@example.org\""), "{html}");
}

#[test]
fn raw_html_is_sanitised_by_default() {
    let t = built("adversarial/escaping/raw_html");
    let html = t.read("public/page/index.html");
    for bad in ["<script", "alert(1)", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{bad} survived:\n{html}");
    }
    // Raw HTML inside a heading is sanitised too, even when it is the page's only raw HTML.
    let heading = t.assert_contains("public/heading-only/index.html", &["<img src=\"y.png\">", "Plain body."]);
    for bad in ["<script", "alert(7)", "onerror"] {
        assert!(!heading.contains(bad), "{bad} survived in a heading:\n{heading}");
    }
    for kept in ["<div class=\"keep\">kept", "<details><summary>More</summary>Inside.</details>", "<img src=\"x.png\">"]
    {
        assert!(html.contains(kept), "{kept} was lost:\n{html}");
    }
}

#[test]
fn raw_html_passes_through_when_explicitly_allowed() {
    let t = built("adversarial/escaping/raw_html_unsafe");
    t.assert_contains("public/page/index.html", &["<script>trusted()</script>", "onclick=\"x()\""]);
}

#[test]
fn unknown_language_and_long_lines_fall_back_to_escaped_plain_pre() {
    let t = built("adversarial/escaping/unknown_language");
    let html = t.assert_contains(
        "public/unknown/index.html",
        &[
            "<pre class=\"code\" data-lang=\"nosuchlang\"><code class=\"language-nosuchlang\">&lt;b&gt;bold?&lt;/b&gt; &amp; more",
            "<pre class=\"code\" data-lang=\"js\">",
            "<pre class=\"code\"><code>no language &lt;i&gt;here&lt;/i&gt;",
        ],
    );
    assert!(!html.contains("<b>bold") && !html.contains("onmouseover"), "{html}");
    let long = t.assert_contains("public/long/index.html", &["<pre class=\"code\" data-lang=\"rust\">", "aaaa"]);
    assert!(!long.contains("hl-"), "a line past the cap is not highlighted");
}

/// Found by the `markdown` fuzz target: raw-HTML-looking text with a
/// `javascript:` attribute must stay inert text, never a tag.
#[test]
fn fuzz_regression_javascript_in_broken_html_stays_text() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/fuzz.md", b"\t\0|<href=\"javascript:<\x01\0<<j\n");
    t.build().ok();
    let html = t.read("public/fuzz/index.html");
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("<href") && !body.contains("<a href=\"javascript"), "{body}");
}

/// Found by the `markdown` fuzz target: a link whose destination merely
/// contains `='javascript:` is a relative URL, percent-encoded, never a script URL.
#[test]
fn fuzz_regression_javascript_inside_a_relative_url_is_encoded() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/fuzz2.md", "+++\ntitle = \"F\"\n+++\n\n[x](\u{0}&\u{1}='javascript:alert(1))\n");
    t.build().ok();
    let html = t.read("public/fuzz2/index.html");
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("href=\"javascript") && !body.contains("href='javascript"), "{body}");
}

/// Found by the `markdown` fuzz target: a broken wikilink named like a
/// `javascript:` URL must not become a script link.
#[test]
fn fuzz_regression_broken_wikilink_with_a_script_scheme() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/fuzz3.md", "+++\ntitle = \"F\"\n+++\n\n[[javascript:alert(1)]] and [[JaVaScRiPt:x|label]]\n");
    t.build().ok();
    let html = t.read("public/fuzz3/index.html").to_lowercase();
    assert!(!html.contains("href=\"javascript"), "{html}");
}

#[test]
/// In headless Chromium: the search UI builds results from text nodes and
/// echoes the query as text, in the header box and on the results page.
fn markup_in_titles_and_queries_stays_text_in_the_search_ui() {
    let (_t, s, mut b) = site();
    let base = format!("http://127.0.0.1:{}", s.port);
    let mut p = b.open(&format!("{base}/"));
    let r = box_query(&mut p, "xssmarker");
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].0.contains("<img src=x onerror=") && r[0].0.contains("<script>"), "title shown as text: {r:?}");
    let attack = "<img src=x onerror=window.__xss='query'>";
    let r = box_query(&mut p, attack);
    let evil = "<img src=x onerror=\"window.__xss = 'title'\">Evil <script>window.__xss = 'script'</script> note";
    assert_eq!(titles(&r).first().copied(), Some(evil), "the note with that markup in its title comes first: {r:?}");
    assert!(r[0].1.ends_with("/notes/xss/"), "{r:?}");
    assert!(r.iter().all(|x| x.0.contains("<img src=x")), "only the page with that markup in its title: {r:?}");
    let injected = "document.querySelectorAll('.site-search img, .site-search script, main img, main script').length";
    let clean = |p: &mut Page<'_>| {
        assert_eq!(p.eval(injected), 0, "no element came from the text");
        assert_eq!(p.eval("window.__xss === undefined"), Value::Bool(true), "no script ran");
    };
    clean(&mut p);

    let q: String = attack.bytes().map(|b| format!("%{b:02X}")).collect();
    p.goto(&format!("{base}/search/?q={q}"));
    let wanted = serde_json::to_string(attack).unwrap();
    p.wait_for(&format!("document.querySelector('.search-page-results').dataset.query === {wanted}"), "results");
    let status = p.eval("document.querySelector('.search-page-status').textContent");
    assert!(status.as_str().unwrap().contains(attack), "the query is echoed as text: {status}");
    clean(&mut p);
    p.goto(&format!("{base}/search/?q=xssmarker"));
    p.wait_for("document.querySelector('.search-page-results').dataset.query === 'xssmarker'", "results");
    let title = p.eval("document.querySelector('.search-page-title').textContent");
    assert!(title.as_str().unwrap().starts_with("<img src=x"), "{title}");
    clean(&mut p);
    p.goto(&format!("{base}/notes/xss/"));
    clean(&mut p);
}
