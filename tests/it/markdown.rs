//! Markdown rendering: headings, links, callouts, highlighting, escaping.

use crate::support::SiteTest;

fn page(t: &SiteTest, url: &str) -> String {
    t.read(&format!("public/{url}index.html"))
}

#[test]
fn headings_get_unique_ids_anchors_and_a_toc() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let html = page(&t, "guides/first/");
    assert!(html.contains("<h2 id=\"notes\">") && html.contains("<h2 id=\"notes-1\">"), "{html}");
    assert!(html.contains("href=\"#notes-1\""));
    assert!(page(&t, "guides/second/").contains("<h2 id=\"details\">"));
}

#[test]
fn internal_links_resolve_to_urls() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let first = page(&t, "guides/first/");
    assert!(first.contains("href=\"/guides/second/#details\""), "relative .md link: {first}");
    assert!(first.contains("href=\"/notes/obsidian-note/\""), "wikilink: {first}");
    assert!(page(&t, "guides/second/").contains("href=\"/guides/first/\""), "@/ link");
    let note = page(&t, "notes/obsidian-note/");
    assert!(note.contains("href=\"/guides/first/\">the guide</a>"), "{note}");
    assert!(note.contains("href=\"/guides/second/#details\""), "{note}");
}

#[test]
fn broken_links_warn_or_fail_when_strict() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/bad.md", "+++\ntitle = \"Bad\"\n+++\n\nSee [gone](gone.md).\n");
    t.build().ok().stderr_has("warning: content/guides/bad.md:5:5: broken link");
    let toml = t.read("site.toml");
    t.write("site.toml", format!("strict_links = true\n{toml}"));
    t.build().fails(1).stderr_has("error: content/guides/bad.md:5:5: broken link");
}

#[test]
fn gfm_extensions_render() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/ext.md",
        "+++\ntitle = \"Ext\"\n+++\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n\nNote[^1].\n\n[^1]: The footnote.\n",
    );
    t.build().ok();
    let html = page(&t, "ext/");
    for needle in ["<table>", "<del>gone</del>", "type=\"checkbox\"", "The footnote."] {
        assert!(html.contains(needle), "missing {needle}: {html}");
    }
}

#[test]
fn callouts_and_alerts() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/c.md",
        "+++\ntitle = \"C\"\n+++\n\n> [!summary] Key points\n> - one\n\n> [!NOTE]\n> GitHub style.\n\n> [!custom-kind] Mine\n> text\n\n> plain quote\n",
    );
    t.build().ok();
    let html = page(&t, "c/");
    assert!(html.contains("class=\"callout callout-summary\"") && html.contains(">Key points</p>"), "{html}");
    assert!(html.contains("data-callout=\"note\"") && html.contains(">Note</p>"), "{html}");
    assert!(html.contains("callout-note\" data-callout=\"custom-kind\""), "custom type falls back: {html}");
    assert!(html.contains("<blockquote>"), "{html}");
    let second = page(&t, "guides/second/");
    assert!(
        second.contains("<details class=\"callout callout-tip\"") && second.contains("Folded tip</summary>"),
        "{second}"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_fall_back() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/code.md", "+++\ntitle = \"Code\"\n+++\n\n```nosuchlang\n<b>x</b>\n```\n");
    t.build().ok();
    let first = page(&t, "guides/first/");
    assert!(first.contains("class=\"hl-") && !first.contains("style=\"color"), "{first}");
    let code = page(&t, "code/");
    assert!(code.contains("&lt;b&gt;x&lt;/b&gt;") && !code.contains("<b>x</b>"), "{code}");
    let css = t.read("public/highlight.css");
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("[data-theme=\"dark\"]"));
}

#[test]
fn user_syntaxes_are_loaded() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "syntaxes/demo.sublime-syntax",
        "%YAML 1.2\n---\nname: Demo\nfile_extensions: [demo]\nscope: source.demo\ncontexts:\n  main:\n    - match: '\\bDEMO\\b'\n      scope: keyword.demo\n",
    );
    t.write("content/d.md", "+++\ntitle = \"D\"\n+++\n\n```demo\nDEMO here\n```\n");
    t.build().ok();
    assert!(page(&t, "d/").contains("hl-keyword hl-demo"), "{}", page(&t, "d/"));
}

#[test]
fn scripts_and_javascript_links_are_neutralised() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/x.md",
        "+++\ntitle = \"<script>alert(1)</script>\"\n+++\n\n<script>alert(2)</script>\n\n[a](javascript:alert(3)) [b](JaVaScRiPt:alert(4)) [c](&#106;avascript:alert(5))\n\n```js\" onmouseover=\"x\nx\n```\n",
    );
    t.build().ok();
    let html = page(&t, "x/");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.to_lowercase().contains("javascript:"), "{html}");
    assert!(!html.contains("onmouseover=\""), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"), "title escaped: {html}");
}
