//! `site.toml`: every error located as `site.toml:line:col`, nothing written on error.

use crate::support::SiteTest;

/// Builds `fixture`, expects exit 1 with every needle in stderr and no output folder.
#[track_caller]
fn config_error(fixture: &str, needles: &[&str]) -> SiteTest {
    let t = SiteTest::from_fixture(fixture);
    let run = t.build();
    run.fails(1);
    for n in needles {
        run.stderr_has(n);
    }
    t.assert_absent("public");
    // `check` reads the same config and reports the same error.
    let check = t.check();
    check.fails(1);
    for n in needles {
        check.stderr_has(n);
    }
    t
}

#[test]
fn unknown_key_is_located_and_lists_expected_keys() {
    config_error(
        "config/unknown_key",
        &[
            "site.toml:3:1",
            "unknown field `theme_colour`",
            "expected one of",
            "`title`",
            "`base_url`",
            "`output_dir`",
            "`markdown`",
            "theme_colour = \"red\"",
        ],
    );
}

#[test]
fn unknown_key_in_a_table_lists_that_tables_keys() {
    config_error(
        "config/unknown_nested_key",
        &["site.toml:5:1", "unknown field `highlight_them`", "`highlight_theme`", "`smart_punctuation`"],
    );
}

#[test]
fn base_url_without_scheme_is_refused() {
    config_error("config/bad_base_url", &["site.toml:2:1", "base_url must start with", "`example.org`"]);
}

#[test]
fn unknown_highlight_theme_lists_known_ones() {
    config_error(
        "config/unknown_highlight_theme",
        &["site.toml:5:1", "unknown highlight theme `Nope`", "InspiredGitHub", "base16-ocean.dark"],
    );
}

#[test]
fn unknown_dark_highlight_theme_is_refused_too() {
    config_error("config/unknown_dark_theme", &["site.toml:4:1", "unknown highlight theme `Nope Dark`"]);
}

#[test]
fn malformed_toml_is_located() {
    config_error("config/malformed", &["site.toml:1:19: invalid basic string"]);
}

#[test]
fn wrong_value_type_is_located() {
    config_error(
        "config/wrong_type",
        &["site.toml:3:16: invalid type: string \"yes\", expected a boolean", "strict_links"],
    );
}

#[test]
fn unknown_theme_is_a_located_site_error() {
    config_error("config/unknown_theme", &["site.toml:3:1", "theme `nope` not found"]);
}

#[test]
fn base_url_path_prefixes_links_and_absolute_urls() {
    let t = SiteTest::from_fixture("config/base_url_path");
    t.build().ok();
    t.assert_contains("public/index.html", &["href=\"/kb/page/\""]);
    t.assert_contains("public/page/index.html", &["href=\"/kb/\""]);
    t.assert_contains("public/sitemap.xml", &["<loc>https://example.org/kb/page/</loc>"]);
    t.assert_contains("public/robots.txt", &["Sitemap: https://example.org/kb/sitemap.xml"]);
}

#[test]
fn base_url_flag_overrides_the_config() {
    let t = SiteTest::from_fixture("config/base_url_path");
    t.run(&["build", "--base-url", "https://other.example/docs"]).ok();
    t.assert_contains("public/index.html", &["href=\"/docs/page/\""]);
    t.assert_contains("public/sitemap.xml", &["<loc>https://other.example/docs/page/</loc>"]);
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let t = SiteTest::from_fixture("config/base_url_path");
    t.run(&["build", "--base-url", "other.example"]).fails(2).stderr_has("base_url must start with");
    t.assert_absent("public");
}

#[test]
fn output_dir_setting_is_relative_to_the_site_root() {
    let t = SiteTest::from_fixture("config/output_dir");
    // Run from elsewhere: the setting must not depend on the working directory.
    let run = crate::support::rapport_in(t.outer(), &["--root", "site", "build"], &[]);
    run.ok();
    t.assert_exists("dist/index.html").assert_exists("dist/sitemap.xml").assert_absent("public");
}

#[test]
fn every_documented_key_is_accepted_and_reaches_the_site() {
    let t = SiteTest::from_fixture("config/every_key");
    t.build().ok();
    let page = t.assert_contains(
        "public/page/index.html",
        &["LANG=fr", "COLOUR=teal", "DISCLAIMER=Not advice.", "target=\"_blank\""],
    );
    assert!(
        page.contains("\"Straight quotes\"") || page.contains("&quot;Straight quotes&quot;"),
        "smart punctuation off: {page}"
    );
    t.assert_contains("public/topics/grief-work/index.html", &["/page/"]);
    t.assert_contains("public/tags/alpha/index.html", &["/page/"]);
    t.assert_contains("public/highlight.css", &["base16-ocean.light / base16-eighties.dark"]);
    t.assert_contains("public/index.html", &["lang=\"fr\""]);
}
