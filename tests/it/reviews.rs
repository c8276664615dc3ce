//! Review dates: `reviewed`, `reviewed_by`, `review_every` and `[reviews]
//! every`; the theme's "Last reviewed" and "Review due since", JSON-LD,
//! `check` warnings (errors with `--strict-reviews`) and `check --reviews`.
//! Today is fixed with RAPPORT_TODAY so no test depends on the clock.

use crate::support::{rapport_in, Run, SiteTest};
use std::path::Path;

const TODAY: &str = "2026-12-02";

fn run_on(t: &SiteTest, args: &[&str]) -> Run {
    let root = t.root().to_string_lossy().into_owned();
    let mut all = vec!["--root", root.as_str()];
    all.extend_from_slice(args);
    rapport_in(t.root(), &all, &[("RAPPORT_TODAY", Path::new(TODAY))])
}

#[test]
fn pages_show_last_reviewed_and_review_due_since_when_overdue() {
    let t = SiteTest::from_fixture("reviews/dates");
    run_on(&t, &["build"]).ok();
    t.assert_contains(
        "public/overdue/index.html",
        &[
            "Last reviewed <time datetime=\"2025-06-01\">1 June 2025</time> by Dr Ada Example",
            "<span class=\"review-due\">Review due since 1 June 2026</span>",
            "\"lastReviewed\":\"2025-06-01\",\"reviewedBy\":{\"@type\":\"Person\",\"name\":\"Dr Ada Example\"}",
        ],
    );
    t.assert_contains("public/own/index.html", &["Review due since 13 October 2026"]);
    let fresh = t.assert_contains("public/fresh/index.html", &["Last reviewed <time datetime=\"2026-10-01\">"]);
    assert!(!fresh.contains("review-due") && !fresh.contains("reviewedBy"), "{fresh}");
    t.assert_lacks("public/never/index.html", &["Last reviewed", "review-due", "lastReviewed"]);
}

#[test]
fn the_french_theme_words_say_review_due() {
    let t = SiteTest::from_fixture("reviews/dates");
    let toml = t.read("site.toml").replace("title = \"Reviews\"", "title = \"Relectures\"\nlanguage = \"fr\"");
    t.write("site.toml", toml);
    run_on(&t, &["build"]).ok();
    t.assert_contains(
        "public/overdue/index.html",
        &["Relu le <time", "par Dr Ada Example", "Relecture attendue depuis le"],
    );
}

#[test]
fn check_warns_on_overdue_pages_and_strict_reviews_makes_them_errors() {
    let t = SiteTest::from_fixture("reviews/dates");
    let warn = run_on(&t, &["check"]);
    warn.ok()
        .stderr_has("content/overdue.md:3:1")
        .stderr_has("review overdue: due since 2026-06-01 (184 days ago)")
        .stderr_has("content/own.md:3:1")
        .stderr_has("0 errors, 2 warnings");
    warn.stderr_lacks("fresh.md").stderr_lacks("never.md");
    run_on(&t, &["check", "--strict-reviews"]).fails(1).stderr_has("2 errors, 0 warnings");
}

#[test]
fn check_reviews_prints_the_queue_most_overdue_first() {
    let t = SiteTest::from_fixture("reviews/dates");
    let run = run_on(&t, &["check", "--reviews"]);
    let out = run.ok().stdout.clone();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("2026-06-01  overdue by 184 days") && lines[0].contains("content/overdue.md"),
        "{out}"
    );
    assert!(lines[0].ends_with("(last reviewed by Dr Ada Example)"), "{out}");
    assert!(lines[1].starts_with("2026-10-13  overdue by 50 days") && lines[1].contains("content/own.md"), "{out}");
    assert!(lines[2].starts_with("2027-10-01  due in 303 days") && lines[2].contains("content/fresh.md"), "{out}");
}

#[test]
fn a_bad_period_is_an_error_at_its_value() {
    let t = SiteTest::from_fixture("reviews/bad_period");
    run_on(&t, &["build"])
        .fails(1)
        .stderr_has("content/page.md:4:15")
        .stderr_has("expected a period like \"12 months\"");
    let t = SiteTest::from_fixture("reviews/bad_config");
    run_on(&t, &["build"]).fails(1).stderr_has("site.toml:4:10").stderr_has("[reviews] every");
}

#[test]
fn a_bad_today_is_a_usage_error() {
    let t = SiteTest::from_fixture("reviews/dates");
    let root = t.root().to_string_lossy().into_owned();
    let run = rapport_in(t.root(), &["--root", &root, "build"], &[("RAPPORT_TODAY", Path::new("tomorrow"))]);
    run.fails(2).stderr_has("RAPPORT_TODAY must be a date like 2026-12-02, got `tomorrow`");
}
