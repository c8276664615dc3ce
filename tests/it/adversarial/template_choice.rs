//! `template` and `page_template` in front matter (issue 12, item 10): a
//! name the theme lacks, or one that leaves `templates/`, is an error at the
//! field's value in `build` and `check`, never a silent fallback to `page.html`.

use crate::support::SiteTest;

/// The basic fixture with a page whose front matter has `line` after its title.
fn page_with(line: &str) -> SiteTest {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/chosen.md", format!("+++\ntitle = \"Chosen\"\n{line}\n+++\nBody.\n"));
    t
}

#[test]
fn an_unknown_page_template_is_an_error_at_its_value() {
    let t = page_with("template = \"nosuch.html\"");
    t.refused_everywhere(
        &[
            "error: content/guides/chosen.md:3:12: unknown template `nosuch.html` in `template`; the theme has: 404.html, base.html",
            "3 | template = \"nosuch.html\"\n  |            ^",
        ],
    );
    let json = t.run(&["check", "--format", "json"]).json();
    let d = &json.as_array().unwrap().iter().find(|d| d["severity"] == "error").unwrap();
    assert_eq!((d["line"].as_u64(), d["col"].as_u64()), (Some(3), Some(12)), "{d}");
}

#[test]
fn a_template_path_out_of_the_templates_folder_is_an_error() {
    for (line, col) in [
        ("template = \"../site.toml\"", 12),
        ("template = \"/base.html\"", 12),
        ("template = \"partials/../page.html\"", 12),
    ] {
        let t = page_with(line);
        t.refused_everywhere(&[&format!(
            "content/guides/chosen.md:3:{col}: `template` must name a file inside templates/"
        )]);
    }
}

#[test]
fn an_unknown_section_page_template_is_an_error_in_the_section_file() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/_index.md", "---\ntitle: Guides\npage_template:   nosuch.html\n---\nAll guides.\n");
    t.refused_everywhere(&["content/guides/_index.md:3:18: unknown template `nosuch.html` in `page_template`"]);
    assert_eq!(t.build().stderr_count("unknown template"), 1, "reported once, not once per page");
}

#[test]
fn an_unknown_section_template_is_an_error() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/_index.md", "+++\ntitle = \"Guides\"\ntemplate = \"sektion.html\"\n+++\n");
    t.refused_everywhere(&["content/guides/_index.md:3:12: unknown template `sektion.html` in `template`"]);
}

#[test]
fn a_template_the_theme_has_is_still_used() {
    let t = page_with("template = \"special.html\"");
    t.write("templates/special.html", "SPECIAL {{ page.title }}");
    t.build().ok();
    t.assert_contains("public/guides/chosen/index.html", &["SPECIAL Chosen"]);
}
