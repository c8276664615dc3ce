//! Obsidian vaults as they are (issue 14): each construct with its own
//! fixture under `tests/fixtures/obsidian/<case>/`.

use crate::markdown::built;

#[test]
fn a_heading_link_without_a_label_is_one_link_and_no_tag() {
    let t = built("obsidian/heading_link");
    let html = t.assert_contains(
        "public/links/index.html",
        &[
            "See <a href=\"#other\">#Other</a>, <a href=\"#other\">the other part</a>",
            "<a class=\"tag\" href=\"/tags/topic/\">#topic</a>",
        ],
    );
    assert!(!html.contains("/tags/other/"), "link text read as a tag:\n{html}");
    t.assert_absent("public/tags/other/index.html");
    t.assert_exists("public/tags/topic/index.html");
}

#[test]
fn an_opening_h1_is_the_title_once_and_the_toc_lists_what_is_under_it() {
    let t = built("obsidian/lead_h1");
    // No front matter title: the H1 becomes the title, shown once.
    let html = t.assert_contains(
        "public/untitled-note/index.html",
        &["<title>The working alliance", "<h1>The working alliance</h1>", "href=\"#goals\"", "href=\"#detail\""],
    );
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(!html.contains("id=\"the-working-alliance\""), "{html}");
    // A front matter title the H1 repeats (case aside): shown once.
    let html = t.assert_contains("public/titled/index.html", &["<h1>Rupture and repair</h1>", "href=\"#signs\""]);
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    // An H1 that differs from the title is a heading of its own.
    t.assert_contains(
        "public/different/index.html",
        &["<h1>A page title</h1>", "<h1 id=\"a-different-first-heading\">"],
    );
}

#[test]
fn callout_titles_render_their_markup() {
    let t = built("obsidian/callout_titles");
    let html = t.assert_contains(
        "public/callouts/index.html",
        &[
            "<p class=\"callout-title\">This is <strong>bold</strong> and <a href=\"/big-note/\">Big note</a></p>",
            "<summary class=\"callout-title\">A <code>code</code> title</summary>",
            "<p class=\"callout-title\">Warning</p>",
            "<summary class=\"callout-title\">Title with <a class=\"tag\"",
            "<mark>mark</mark></summary>",
            "<p>Body one.</p>",
        ],
    );
    assert!(!html.contains("[!info]"), "{html}");
    let backlinks = t.read("public/big-note/index.html");
    assert!(backlinks.contains("/callouts/"), "a wikilink in a callout title is a backlink:\n{backlinks}");
}
