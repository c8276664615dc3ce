//! The basic site builds into the documented URL layout with every output file.

use crate::support::SiteTest;

#[test]
fn basic_site_has_pretty_urls_and_machine_outputs() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    for file in [
        "public/index.html",
        "public/guides/index.html",
        "public/guides/first/index.html",
        "public/guides/second/index.html",
        "public/notes/obsidian-note/index.html",
        "public/tags/index.html",
        "public/tags/basics/index.html",
        "public/sitemap.xml",
        "public/atom.xml",
        "public/robots.txt",
        "public/404.html",
        "public/highlight.css",
        "public/style.css",
    ] {
        assert!(t.exists(file), "missing {file}");
    }
    let sitemap = t.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guides/first/</loc>"), "{sitemap}");
    let atom = t.read("public/atom.xml");
    assert!(atom.contains("<title>Second guide</title>") && atom.contains("2024-02-03T00:00:00Z"), "{atom}");
}

#[test]
fn aliases_become_redirect_pages() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let redirect = t.read("public/old/first/index.html");
    assert!(redirect.contains("http-equiv=\"refresh\"") && redirect.contains("/guides/first/"), "{redirect}");
}

#[test]
fn drafts_only_with_flag() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/draft.md", "+++\ntitle = \"Draft\"\ndraft = true\n+++\nWIP\n");
    t.build().ok();
    assert!(!t.exists("public/guides/draft/index.html"));
    t.run(&["build", "--drafts"]).ok();
    assert!(t.exists("public/guides/draft/index.html"));
}

#[test]
fn assets_beside_pages_are_copied_and_links_rewritten() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    assert_eq!(t.read("public/guides/diagram.png"), "PNGDATA");
    assert!(t.read("public/guides/first/index.html").contains("src=\"/guides/diagram.png\""));
}

#[test]
fn custom_properties_reach_templates_and_root_templates_override_theme() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "templates/page.html",
        "STATUS={{ page.properties.status | default(value='none') }} TITLE={{ page.title }}",
    );
    t.build().ok();
    assert_eq!(t.read("public/guides/second/index.html"), "STATUS=in-review TITLE=Second guide");
    assert_eq!(t.read("public/guides/first/index.html"), "STATUS=none TITLE=First guide");
}

#[test]
fn backlinks_and_related_pages_are_shown() {
    let t = SiteTest::from_fixture("basic/site");
    t.build().ok();
    let second = t.read("public/guides/second/index.html");
    assert!(second.contains("Linked from"), "{second}");
    assert!(second.contains("Intro paragraph linking second and"), "backlink context missing:\n{second}");
    assert!(second.contains("Related guides"));
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("templates/page.html", "line one\n{% if %}\n");
    t.build().fails(1).stderr_has("templates/page.html:2:");
}

#[test]
fn template_render_error_names_template_line_and_page() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("templates/page.html", "ok\n{{ page.no_such_field }}\n");
    t.build().fails(1).stderr_has("templates/page.html:2:").stderr_has("content/guides/first.md");
    assert!(!t.exists("public"), "a failed build must write nothing");
}

#[test]
fn zola_section_fields_and_redirect_to() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/guides/_index.md",
        "+++\ntitle = \"Guides\"\nsort_by = \"weight\"\ninsert_anchor_links = \"left\"\nredirect_to = \"guides/first/\"\n[extra]\nx = 1\n+++\n",
    );
    t.build().ok();
    assert!(t.read("public/guides/index.html").contains("url=/guides/first/"));
}
