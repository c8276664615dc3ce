//! Templates: the theme, root overrides file by file, custom themes, chosen
//! templates, and errors that name the template, its line and the page.

use crate::support::SiteTest;

#[test]
fn root_templates_and_static_override_the_theme_file_by_file() {
    let t = SiteTest::from_fixture("templates/root_override");
    t.build().ok();
    assert_eq!(t.read("public/page/index.html"), "OVERRIDE Overridden|<p>Body.</p>\n");
    // Templates not overridden still come from the theme.
    t.assert_contains("public/index.html", &["<!doctype html>", "Welcome."]);
    assert_eq!(t.read("public/style.css"), "/* my own style */\n");
    t.assert_exists("public/theme.js");
}

#[test]
fn a_theme_folder_named_in_site_toml_is_used() {
    let t = SiteTest::from_fixture("templates/custom_theme");
    t.build().ok();
    assert_eq!(t.read("public/page/index.html"), "<html>MINI PAGE Mini page</html>\n");
    t.assert_contains("public/index.html", &["MINI HOME Home"]);
    t.assert_contains("public/404.html", &["MINI 404"]);
    assert_eq!(t.read("public/mini.css"), "body { color: teal; }\n");
    // The built-in theme's static files are not mixed in.
    t.assert_absent("public/style.css");
}

#[test]
fn a_theme_missing_a_required_template_is_an_error() {
    let t = SiteTest::from_fixture("templates/missing_template");
    t.build().fails(1).stderr_has("templates/404.html").stderr_has("the theme has no `404.html` template");
    t.assert_absent("public");
}

#[test]
fn template_syntax_error_names_the_file_and_line() {
    let t = SiteTest::from_fixture("templates/syntax_error");
    t.build().fails(1).stderr_has("error: templates/page.html:2:7").stderr_has("{% if %}");
    t.assert_absent("public");
    t.check().fails(1).stderr_has("templates/page.html:2:7");
}

#[test]
fn template_render_error_names_the_template_line_and_page() {
    let t = SiteTest::from_fixture("templates/render_error");
    let run = t.build();
    run.fails(1)
        .stderr_has("error: templates/page.html:2:7")
        .stderr_has("no_such_field")
        .stderr_has("while rendering content/");
    assert!(
        run.stderr.contains("content/first.md") || run.stderr.contains("content/second.md"),
        "the page being rendered is named:\n{}",
        run.stderr
    );
    // One template bug fails every page alike: reported once, not per page.
    assert_eq!(run.stderr_count("error: templates/page.html:2:7"), 1, "{}", run.stderr);
    t.assert_absent("public");
}

#[test]
fn render_error_in_an_included_partial_names_the_partial() {
    let t = SiteTest::from_fixture("templates/partial_error");
    t.build()
        .fails(1)
        .stderr_has("error: templates/partials/toc.html:2:4")
        .stderr_has("toc_entries_typo")
        .stderr_has("content/page.md");
}

#[test]
fn front_matter_chooses_page_and_section_templates() {
    let t = SiteTest::from_fixture("templates/chosen_templates");
    t.build().ok();
    assert_eq!(t.read("public/special/index.html"), "SPECIAL Chosen\n");
    assert_eq!(t.read("public/guides/one/index.html"), "GUIDE Guide one\n");
    assert_eq!(t.read("public/guides/index.html"), "LANDING Guides\n");
    t.assert_contains("public/plain/index.html", &["<!doctype html>", "Plain"]);
}
