//! Command line: init, check, exit codes, `--root` placement.

use crate::support::SiteTest;
use std::process::Command;

fn rapport(args: &[&str]) -> crate::support::Run {
    let o = Command::new(env!("CARGO_BIN_EXE_rapport")).args(args).output().unwrap();
    crate::support::Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

#[test]
fn init_creates_a_site_that_builds_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kb");
    let site_s = site.to_string_lossy().into_owned();
    rapport(&["init", &site_s]).ok();
    rapport(&["build", "--root", &site_s]).ok();
    assert!(site.join("public/guides/getting-started/index.html").exists());
    rapport(&["init", &site_s]).fails(2).stderr_has("already holds a site");
}

#[test]
fn usage_errors_exit_2() {
    rapport(&["frobnicate"]).fails(2);
    rapport(&["build", "--no-such-flag"]).fails(2);
    let dir = tempfile::tempdir().unwrap();
    rapport(&["--root", &dir.path().to_string_lossy(), "build"]).fails(2).stderr_has("no site.toml");
}

#[test]
fn root_may_follow_the_command() {
    let t = SiteTest::from_fixture("basic/site");
    rapport(&["build", "--root", &t.root().to_string_lossy()]).ok();
    assert!(t.exists("public/index.html"));
}

#[test]
fn check_reports_json_and_exit_code() {
    let t = SiteTest::from_fixture("basic/site");
    let ok = t.run(&["check", "--format", "json"]);
    ok.ok();
    let findings: serde_json::Value = serde_json::from_str(&ok.stdout).expect("valid JSON");
    assert!(findings.as_array().is_some());
    assert!(!t.exists("public"), "check writes nothing");
    t.write("content/bad.md", "+++\ntitel = \"x\"\n+++\n");
    let bad = t.run(&["check", "--format", "json"]);
    bad.fails(1);
    let findings: serde_json::Value = serde_json::from_str(&bad.stdout).expect("valid JSON");
    let first = &findings[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/bad.md");
    assert_eq!(first["line"], 2);
}

#[test]
fn check_warns_about_orphans() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/lonely.md", "+++\ntitle = \"Lonely\"\n+++\nNo one links here.\n");
    t.run(&["check"]).ok().stderr_has("content/lonely.md: orphan page");
}
