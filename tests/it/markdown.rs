//! Markdown: heading ids and TOC, GFM extensions, link rewriting, broken
//! links, callouts, highlighting, summaries. Unsafe links, raw HTML and
//! pathological input are in `adversarial`.

use crate::support::SiteTest;

pub(crate) fn built(fixture: &str) -> SiteTest {
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
    t.check().fails(1).stderr_has("error: content/page.md:5:5: broken link");
}

#[test]
fn broken_md_link_is_an_error_with_strict_links() {
    let t = SiteTest::from_fixture("markdown/broken_link_strict");
    t.build().fails(1).stderr_has("error: content/page.md:5:5: broken link").stderr_has("2 errors found");
    t.assert_absent("public");
    t.check().fails(1).stderr_has("error: content/page.md:7:5: broken link");
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
