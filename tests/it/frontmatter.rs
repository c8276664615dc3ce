//! Front matter: TOML and YAML, typos, wrong types, fences, encodings, Zola
//! and Obsidian fields. Errors name `file:line:col` counted from the top of
//! the file, every bad file is reported in one run, and nothing is written.

use crate::support::SiteTest;

/// Builds `fixture`, expects exit 1, every needle in stderr and no output folder.
#[track_caller]
fn build_fails(fixture: &str, needles: &[&str]) -> SiteTest {
    let t = SiteTest::from_fixture(fixture);
    let run = t.build();
    run.fails(1);
    for n in needles {
        run.stderr_has(n);
    }
    t.assert_absent("public");
    t
}

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
fn toml_typo_suggests_the_field_at_its_line_from_the_top_of_the_file() {
    build_fails(
        "frontmatter/typo_toml",
        &["content/typo.md:4:1", "unknown front matter field `titel`", "did you mean `title`", "titel = \"oops\""],
    );
}

#[test]
fn yaml_typo_suggests_the_field() {
    build_fails("frontmatter/typo_yaml", &["content/notes/typo.md:3:1", "did you mean `description`"]);
}

#[test]
fn wrong_type_for_title_is_located() {
    build_fails("frontmatter/wrong_type_title", &["content/page.md:2:1", "`title`", "title = 42"]);
}

#[test]
fn string_where_tags_list_expected_is_located() {
    build_fails("frontmatter/wrong_type_tags", &["content/page.md:3:1", "`tags`", "expected a sequence"]);
}

#[test]
fn unclosed_fence_is_reported_at_the_opening_fence() {
    build_fails("frontmatter/unclosed_fence", &["content/page.md:1:1", "never closed", "`+++`"]);
}

#[test]
fn malformed_yaml_is_located_in_the_file() {
    build_fails("frontmatter/malformed_yaml", &["content/page.md:3:6", "invalid YAML front matter"]);
}

#[test]
fn malformed_toml_is_located_in_the_file() {
    build_fails("frontmatter/malformed_toml", &["content/page.md:3:", "invalid TOML front matter"]);
}

#[test]
fn bad_date_is_located() {
    build_fails("frontmatter/bad_date", &["content/page.md:3:1", "must be a date", "`yesterday`"]);
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let t = build_fails(
        "frontmatter/many_broken",
        &[
            "content/a/typo.md:2:1",
            "content/b/wrong_type.md:2:1",
            "content/c/unclosed.md:1:1",
            "content/d/bad_yaml.md:",
            "content/d/_index.md:2:1",
            "5 error(s)",
        ],
    );
    let run = t.check();
    run.fails(1).stderr_has("5 error(s)");
    for file in ["a/typo.md", "b/wrong_type.md", "c/unclosed.md", "d/bad_yaml.md", "d/_index.md"] {
        run.stderr_has(&format!("content/{file}"));
    }
    assert!(!run.stderr.contains("content/good.md"), "the good file has no error:\n{}", run.stderr);
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
fn invalid_utf8_is_named_with_its_byte_offset() {
    build_fails("frontmatter/invalid_utf8", &["content/bin.md", "not valid UTF-8 at byte 23", "1 error(s)"]);
}

#[test]
fn byte_order_mark_and_crlf_files_build() {
    let t = SiteTest::from_fixture("frontmatter/bom_crlf");
    t.build().ok();
    // No stray `\r` or BOM in values.
    t.assert_contains("public/bom/index.html", &["[Bom]|[CRLF toml]", "Body with CRLF."]);
    t.assert_contains("public/crlf-yaml/index.html", &["[Crlf]|[CRLF yaml]", "id=\"heading\"", "YAML body."]);
    let bom_only = t.assert_contains("public/bom-only/index.html", &["No front matter, just a BOM."]);
    assert!(!bom_only.contains('\u{feff}'), "BOM leaked into the page: {bom_only:?}");
}

#[test]
fn empty_and_front_matter_only_files_build() {
    let t = SiteTest::from_fixture("frontmatter/empty_files");
    t.build().ok();
    for page in ["empty", "only-front", "empty-front", "no-front"] {
        t.assert_exists(&format!("public/{page}/index.html"));
    }
    t.assert_contains("public/only-front/index.html", &["Only front matter"]);
    t.assert_contains("public/no-front/index.html", &["Just a body."]);
}

#[test]
fn yaml_alias_bomb_is_refused() {
    build_fails("frontmatter/yaml_bomb", &["content/bomb.md", "invalid YAML front matter"]);
}

#[test]
fn deeply_nested_arrays_are_refused_without_a_crash() {
    build_fails(
        "frontmatter/deep_nesting",
        &[
            "content/deep_toml.md:2:",
            "invalid TOML front matter",
            "content/deep_yaml.md:2:",
            "invalid YAML front matter",
        ],
    );
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
