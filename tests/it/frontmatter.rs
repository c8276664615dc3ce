//! Front matter: TOML and YAML, Zola and Obsidian fields. Broken front matter
//! (typos, wrong types, fences, encodings, bombs) is in `adversarial::bad_content`.

use crate::support::SiteTest;

#[test]
fn toml_and_yaml_front_matter_both_work() {
    let t = SiteTest::from_fixture("frontmatter/toml_and_yaml");
    t.build().ok();
    t.assert_contains(
        "public/toml/index.html",
        &[
            "TITLE=In TOML",
            "DESC=Written with plus fences.",
            "DATE=2024-03-01",
            "TAGS=alpha,beta,",
            "AUTHORS=Ana,Ben",
            "WEIGHT=7",
            "TOML body.",
        ],
    );
    t.assert_contains(
        "public/yaml/index.html",
        &[
            "TITLE=In YAML",
            "DESC=Written with dash fences.",
            "DATE=2024-03-02",
            "TAGS=alpha,gamma,",
            "AUTHORS=Ana,Ben",
            "WEIGHT=8",
            "YAML body.",
        ],
    );
    // Both formats feed the same taxonomy.
    t.assert_contains("public/tags/alpha/index.html", &["/toml/", "/yaml/"]);
    t.assert_contains("public/tags/gamma/index.html", &["/yaml/"]);
}

#[test]
fn obsidian_custom_properties_reach_templates() {
    let t = SiteTest::from_fixture("frontmatter/obsidian_properties");
    t.build().ok();
    t.assert_contains(
        "public/note/index.html",
        &["STATUS=in-review", "CLINICIAN=Dr Okafor", "SCORE=4", "CSS=wide", "TAGS=one,two,"],
    );
    // `publish: false` keeps a note off the web, like a draft.
    t.assert_absent("public/private/index.html");
}

#[test]
fn zola_page_and_section_fields_are_accepted() {
    let t = SiteTest::from_fixture("frontmatter/zola_fields");
    t.build().ok();
    // `page_template` on the section picks the template of its pages.
    t.assert_contains("public/guides/first/index.html", &["GUIDE First"]);
    // `[taxonomies]` feeds the site's taxonomies.
    t.assert_contains("public/categories/intro/index.html", &["/guides/first/"]);
    t.assert_contains("public/tags/zola/index.html", &["/guides/first/"]);
    // `redirect_to` turns the section page into a redirect.
    t.assert_contains("public/old/index.html", &["http-equiv=\"refresh\"", "url=/guides/first/"]);
    // `updated` is the page's last modification.
    t.assert_contains(
        "public/sitemap.xml",
        &["<loc>https://example.org/guides/first/</loc><lastmod>2024-02-01</lastmod>"],
    );
}
