//! Markdown: heading ids and TOC, GFM extensions, link rewriting, broken and
//! unsafe links, raw HTML, callouts, highlighting, summaries, hostile input.

use crate::support::SiteTest;

fn built(fixture: &str) -> SiteTest {
    let t = SiteTest::from_fixture(fixture);
    t.build().ok();
    t
}

#[test]
fn headings_get_unique_ids_self_links_and_a_nested_toc() {
    let t = built("markdown/headings");
    let html = t.assert_contains(
        "public/page/index.html",
        &[
            "<h2 id=\"notes\">",
            "<h3 id=\"detail\">",
            "<h2 id=\"notes-1\">",
            "<h2 id=\"my-id\">",
            "<h2 id=\"ünïcode-heading\">",
            "<h2 id=\"notes-2\">",
            "<a class=\"anchor\" href=\"#notes-1\"",
            "<a class=\"anchor\" href=\"#my-id\"",
        ],
    );
    assert!(!html.contains("{#my-id}"), "heading attribute syntax must not leak: {html}");
    t.assert_contains(
        "public/page/index.html",
        &["TOC=[notes:Notes:detail,][notes-1:Notes:][my-id:Custom:][ünïcode-heading:Ünïcode – Heading!:][notes-2:Notes:]"],
    );
}

#[test]
fn tables_footnotes_strikethrough_task_lists_and_smart_punctuation_render() {
    let t = built("markdown/gfm");
    t.assert_contains(
        "public/page/index.html",
        &[
            "<table>",
            "<th style=\"text-align: left\">Left</th>",
            "<del>gone</del>",
            "<input type=\"checkbox\" disabled checked aria-label=\"Done\">",
            "<input type=\"checkbox\" disabled aria-label=\"To do\">",
            "class=\"footnote-reference\"",
            "The footnote text.",
            "“Quoted” – and it’s smart.",
        ],
    );
}

#[test]
fn relative_and_at_links_are_rewritten_to_urls() {
    let t = SiteTest::from_fixture("markdown/internal_links");
    t.build().ok().stderr_lacks("broken");
    t.assert_contains(
        "public/a/one/index.html",
        &[
            "href=\"/a/two/\">sibling</a>",
            "href=\"/a/two/#second-part\">sibling anchor</a>",
            "href=\"/b/three/#part\">up and over</a>",
            "href=\"/b/three/#part\">zola style</a>",
            "href=\"/a/two/\">zola plain</a>",
            "href=\"/b/\">section</a>",
            "href=\"/\">home</a>",
            "href=\"https://example.com/x.md\">external</a>",
            "<h2 id=\"see-two\">See <a href=\"/a/two/\">two</a>",
        ],
    );
    t.assert_contains("public/index.html", &["href=\"/a/one/\""]);
}

#[test]
fn broken_md_link_is_a_located_warning() {
    let t = SiteTest::from_fixture("markdown/broken_link");
    let run = t.build();
    run.ok()
        .stderr_has("warning: content/page.md:5:5: broken link: no page at `content/gone.md`")
        .stderr_has("warning: content/page.md:7:5: broken link: no page at `content/missing.md`");
    t.assert_exists("public/page/index.html");
    t.check().ok().stderr_has("content/page.md:5:5: broken link");
}

#[test]
fn broken_md_link_is_an_error_with_strict_links() {
    let t = SiteTest::from_fixture("markdown/broken_link_strict");
    t.build().fails(1).stderr_has("error: content/page.md:5:5: broken link").stderr_has("2 error(s)");
    t.assert_absent("public");
    t.check().fails(1).stderr_has("error: content/page.md:7:5: broken link");
}

#[test]
fn unsafe_link_schemes_are_neutralised() {
    let t = SiteTest::from_fixture("markdown/unsafe_links");
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
    let t = built("markdown/raw_html");
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
    let t = built("markdown/raw_html_unsafe");
    t.assert_contains("public/page/index.html", &["<script>trusted()</script>", "onclick=\"x()\""]);
}

#[test]
fn callouts_foldable_callouts_and_github_alerts() {
    let t = built("markdown/callouts");
    let html = t.assert_contains(
        "public/page/index.html",
        &[
            "<div class=\"callout callout-note\" data-callout=\"note\">\n<p class=\"callout-title\">Custom title</p>",
            "Body of the note.",
            "<details class=\"callout callout-tip\" data-callout=\"tip\">\n<summary class=\"callout-title\">Folded tip</summary>",
            "Hidden body.",
            "<details class=\"callout callout-warning\" data-callout=\"warning\" open",
            "<p class=\"callout-title\">Note</p>\n<div class=\"callout-body\">\n<p>GitHub style.</p>",
            "<div class=\"callout callout-question\" data-callout=\"faq\">",
            "class=\"callout callout-note\" data-callout=\"custom-kind\"",
            "<p class=\"callout-title\">Tom &amp; Jerry</p>",
            "<blockquote>\n<p>A plain quote.</p>",
        ],
    );
    assert!(!html.contains("[!"), "callout markers must not leak: {html}");
    assert_eq!(html.matches("<blockquote>").count(), 1, "only the plain quote is a blockquote: {html}");
}

#[test]
fn code_is_highlighted_with_classes_and_a_light_and_dark_stylesheet() {
    let t = built("markdown/highlighting");
    let html = t.assert_contains(
        "public/page/index.html",
        &["<pre class=\"code\" data-lang=\"rust\"><code class=\"language-rust\">", "class=\"hl-"],
    );
    assert!(!html.contains("style="), "highlighting must use classes, not inline styles: {html}");
    let css = t.assert_contains(
        "public/highlight.css",
        &["@media (prefers-color-scheme: dark)", "[data-theme=\"dark\"]", ".hl-"],
    );
    let dark = css.split("prefers-color-scheme: dark").nth(1).unwrap();
    assert!(dark.contains(".hl-"), "the dark section has rules: {css}");
}

#[test]
fn unknown_language_and_long_lines_fall_back_to_escaped_plain_pre() {
    let t = built("markdown/unknown_language");
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

#[test]
fn sublime_syntax_files_in_syntaxes_are_used() {
    let t = built("markdown/user_syntax");
    t.assert_contains(
        "public/page/index.html",
        &["data-lang=\"demo\"", "<span class=\"hl-keyword hl-demo\">DEMO</span>"],
    );
}

#[test]
fn highlighting_can_be_turned_off() {
    let t = built("markdown/highlight_off");
    let html =
        t.assert_contains("public/page/index.html", &["<pre class=\"code\" data-lang=\"rust\">", "fn main() {}"]);
    assert!(!html.contains("hl-"), "{html}");
}

#[test]
fn summaries_word_count_and_reading_time() {
    let t = built("markdown/summaries");
    let more =
        t.assert_contains("public/more/index.html", &["<p>Intro <em>paragraph</em>.</p>", "<p>Still intro.</p>"]);
    assert!(!more.split("SUMMARY=").nth(1).unwrap().split(']').next().unwrap().contains("The rest"), "{more}");
    let first =
        t.assert_contains("public/first/index.html", &["SUMMARY=[<p>First paragraph.</p>\n]", "WORDS=4", "MINUTES=1"]);
    assert!(!first.contains("Second paragraph"), "{first}");
    t.assert_contains("public/long/index.html", &["WORDS=450", "MINUTES=3"]);
}

#[test]
fn template_syntax_in_content_stays_literal() {
    let t = built("markdown/template_syntax_literal");
    t.assert_contains(
        "public/page/index.html",
        &["<code>{{ config.base_url }}</code>", "{{ page.title }} {% if x %}", "{% for p in section.pages %}"],
    );
}

#[test]
fn pathological_markdown_builds_without_crashing() {
    let t = SiteTest::from_fixture("markdown/pathological");
    let page = |name: &str, body: String| {
        t.write(&format!("content/{name}.md"), format!("+++\ntitle = \"{name}\"\n+++\n{body}"))
    };
    page("brackets", "[".repeat(50_000));
    page("quotes", format!("{} deep\n", ">".repeat(20_000)));
    page("lists", (0..1_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect());
    page("emphasis", "*a".repeat(60_000));
    page("references", (0..20_000).map(|i| format!("[r{i}]: /x{i}\n")).collect());
    page("long_line", "word ".repeat(400_000));
    page("long_fence", format!("```rust\n{}\n```\n", "a".repeat(1_000_000)));
    page("wide_table", format!("|{}\n|{}\n|{}\n", "a|".repeat(2_000), "-|".repeat(2_000), "b|".repeat(2_000)));
    page("same_headings", "## Same\n\n".repeat(5_000));
    page("nested_callouts", (1..=500).map(|i| format!("{} [!note] level {i}\n", ">".repeat(i))).collect());
    t.build().ok();
    for name in [
        "brackets",
        "quotes",
        "lists",
        "emphasis",
        "references",
        "long-line",
        "long-fence",
        "wide-table",
        "nested-callouts",
    ] {
        t.assert_exists(&format!("public/{name}/index.html"));
    }
    t.assert_contains("public/same-headings/index.html", &["id=\"same\"", "id=\"same-4999\""]);
    t.assert_contains("public/quotes/index.html", &["deep"]);
}

/// Found by the `markdown` fuzz target: raw-HTML-looking text with a
/// `javascript:` attribute must stay inert text, never a tag.
#[test]
fn fuzz_regression_javascript_in_broken_html_stays_text() {
    let t = crate::support::SiteTest::from_fixture("basic/site");
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
    let t = crate::support::SiteTest::from_fixture("basic/site");
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
    let t = crate::support::SiteTest::from_fixture("basic/site");
    t.write("content/fuzz3.md", "+++\ntitle = \"F\"\n+++\n\n[[javascript:alert(1)]] and [[JaVaScRiPt:x|label]]\n");
    t.build().ok();
    let html = t.read("public/fuzz3/index.html").to_lowercase();
    assert!(!html.contains("href=\"javascript"), "{html}");
}
