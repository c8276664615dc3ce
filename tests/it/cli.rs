//! The command line: init, exit codes, `--root` placement, check output.

use crate::support::{assert_same_tree, rapport_in, snapshot, SiteTest};

#[test]
fn init_creates_a_site_that_builds_and_checks_clean() {
    let t = SiteTest::empty();
    rapport_in(t.outer(), &["init", "kb"], &[]).ok().stderr_has("created a site in kb");
    let kb = t.outer().join("kb");
    assert!(kb.join("site.toml").is_file() && kb.join("content/_index.md").is_file());
    // No themes/ folder: the built-in theme is embedded in the binary.
    assert!(!kb.join("themes").exists());
    rapport_in(&kb, &["build"], &[]).ok();
    for file in [
        "public/index.html",
        "public/guides/index.html",
        "public/guides/getting-started/index.html",
        "public/style.css",
    ] {
        assert!(kb.join(file).is_file(), "init site lacks {file}");
    }
    let check = rapport_in(&kb, &["check"], &[]);
    check.ok().stderr_lacks("broken link");
    assert_eq!(check.check_counts(), (0, 0), "{}", check.stderr);
}

#[test]
fn init_refuses_a_folder_that_holds_a_site() {
    let t = SiteTest::from_fixture("cli/site");
    let before = snapshot(t.root());
    t.run_here(&["init", "."]).fails(2).stderr_has("already holds a site");
    assert_same_tree(&before, &snapshot(t.root()), "init changed an existing site");

    // A content/ folder alone is enough to refuse.
    let t = SiteTest::empty();
    t.write("content/note.md", "mine\n");
    let before = snapshot(t.root());
    t.run_here(&["init", "."]).fails(2).stderr_has("already holds a site");
    assert_same_tree(&before, &snapshot(t.root()), "files changed");
}

#[test]
fn usage_errors_exit_2() {
    let t = SiteTest::from_fixture("cli/site");
    t.run_here(&["frobnicate"]).fails(2).stderr_has("frobnicate");
    t.run_here(&["build", "--no-such-flag"]).fails(2).stderr_has("--no-such-flag");
    t.run_here(&["--no-such-flag", "build"]).fails(2);
    t.run_here(&["check", "--format", "xml"]).fails(2).stderr_has("xml");
    t.run_here(&["init"]).fails(2);
    t.run_here(&[]).fails(2);
    t.assert_absent("public");
}

#[test]
fn help_and_version_exit_0() {
    let t = SiteTest::empty();
    let help = t.run_here(&["--help"]);
    help.ok();
    for command in ["build", "serve", "check", "init", "--root"] {
        help.stdout_has(command);
    }
    t.run_here(&["--version"]).ok().stdout_has("rapport");
}

#[test]
fn missing_site_toml_is_a_usage_error() {
    let t = SiteTest::empty();
    t.run_here(&["build"]).fails(2).stderr_has("no site.toml").stderr_has("rapport init");
    t.run_here(&["check"]).fails(2).stderr_has("no site.toml");
    assert!(snapshot(t.root()).len() <= 1, "nothing may be created");
}

#[test]
fn root_works_before_and_after_the_command() {
    let t = SiteTest::from_fixture("cli/site");
    // Run from the folder above, so only --root can find the site.
    rapport_in(t.outer(), &["--root", "site", "build"], &[]).ok();
    t.assert_exists("public/page/index.html");
    std::fs::remove_dir_all(t.path("public")).unwrap();
    rapport_in(t.outer(), &["build", "--root", "site"], &[]).ok();
    t.assert_exists("public/page/index.html");
    rapport_in(t.outer(), &["check", "--root", "site", "--format", "json"], &[]).ok();
    rapport_in(t.outer(), &["--root", "site", "check"], &[]).ok();
}

#[test]
fn build_prints_a_summary_line() {
    let t = SiteTest::from_fixture("cli/site");
    let run = t.build();
    run.ok().stderr_has("built 1 pages and 1 sections");
    assert!(run.summary().written > 3, "{}", run.stderr);
}

#[test]
fn check_json_is_valid_and_empty_for_a_clean_site() {
    let t = SiteTest::from_fixture("cli/site");
    let run = t.run(&["check", "--format", "json"]);
    run.ok();
    assert_eq!(run.json(), serde_json::json!([]), "{}", run.stdout);
    t.assert_absent("public");
}

#[test]
fn check_json_reports_errors_with_locations_and_exits_1() {
    let t = SiteTest::from_fixture("cli/broken");
    let run = t.run(&["check", "--format", "json"]);
    run.fails(1);
    let findings = run.json();
    let list = findings.as_array().expect("a JSON array");
    let error = list.iter().find(|d| d["severity"] == "error").expect("an error finding");
    assert_eq!(error["file"], "content/bad.md");
    assert_eq!(error["line"], 3);
    assert_eq!(error["col"], 1);
    assert!(error["message"].as_str().unwrap().contains("did you mean `title`"), "{error}");
    assert_eq!(error["snippet"], "titel = \"x\"");
    t.assert_absent("public");
}

#[test]
fn check_json_reports_a_broken_link_as_an_error_that_build_only_warns_about() {
    let t = SiteTest::from_fixture("cli/warnings");
    t.build().ok().stderr_has("warning: content/_index.md:5:21");
    let run = t.run(&["check", "--format", "json"]);
    run.fails(1);
    let findings = run.json();
    let finding = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("broken link")))
        .unwrap_or_else(|| panic!("no broken-link finding in {findings}"));
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["file"], "content/_index.md");
    assert_eq!(finding["line"], 5);
}

#[test]
fn check_text_counts_errors_and_writes_nothing() {
    let t = SiteTest::from_fixture("cli/broken");
    let check = t.check();
    check.fails(1).stderr_has("content/bad.md:3:1");
    assert_eq!(check.check_counts().0, 1, "{}", check.stderr);
    t.assert_absent("public");
    t.run(&["build"]).fails(1).stderr_has("nothing was written");
}

#[test]
fn check_with_drafts_includes_them() {
    let t = SiteTest::from_fixture("content/drafts");
    t.write("content/wip.md", "+++\ntitle = \"WIP\"\ndraft = true\n+++\n[gone](gone.md)\n");
    t.check().ok().stderr_lacks("content/wip.md:5:1");
    t.run(&["check", "--drafts"]).fails(1).stderr_has("error: content/wip.md:5:1: broken link");
}
