//! Control characters from files (issue 12, item 12): a value, a line or a
//! file name holding ESC, BEL or a bidi override is printed escaped, so it
//! cannot retitle the terminal or clear the screen; JSON stays valid.

use crate::serve::start_with_status;
use crate::support::SiteTest;

/// Raw bytes a terminal would act on.
const RAW: [char; 4] = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'];

#[track_caller]
fn no_raw_controls(what: &str, text: &str) {
    assert!(!text.contains(RAW), "{what} echoes raw control characters: {text:?}");
}

#[test]
fn values_lines_and_file_names_are_escaped_in_build_and_check() {
    let t = SiteTest::from_fixture("basic/site");
    // TOML decodes the escapes: the message echoes the raw value.
    t.write("content/guides/first.md", "+++\ntitle = \"x\"\ndate = \"\\u001b]0;pwned\\u0007\\u001b[2J\"\n+++\n");
    // A raw ESC is a TOML error whose snippet echoes the line.
    t.write("content/guides/second.md", "+++\ntitle = \"x\"\ndate = \"\u{1b}]0;pwned\u{7}\u{1b}[2J\"\n+++\n");
    t.write("content/\u{1b}[2Jname\u{202e}\u{9b}.md", "+++\ntitle = 5\n+++\n");
    let build = t.build();
    build.fails(1);
    no_raw_controls("build", &build.stderr);
    build
        .stderr_has("content/guides/first.md:3:1: `date` must be a date like 2024-05-31 or 2024-05-31T10:00:00Z, got `\\u{1b}]0;pwned\\u{7}\\u{1b}[2J`")
        .stderr_has("content/guides/second.md:3:9: invalid TOML front matter")
        .stderr_has("3 | date = \"\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\"\n  |         ^")
        .stderr_has("error: content/\\u{1b}[2Jname\\u{202e}\\u{9b}.md:2:1");
    let check = t.check();
    check.fails(1);
    no_raw_controls("check", &check.stderr);
    let json = t.run(&["check", "--format", "json"]);
    no_raw_controls("check --format json", &json.stdout);
    let items = json.json();
    let date = items.as_array().unwrap().iter().find(|d| d["file"] == "content/guides/first.md").unwrap();
    assert!(
        date["message"].as_str().unwrap().contains("got `\u{1b}]0;pwned\u{7}"),
        "JSON keeps the exact value: {date}"
    );
}

#[test]
fn a_template_file_name_with_controls_is_escaped() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("templates/\u{1b}]0;t\u{7}.html", "{% if %}");
    let run = t.build();
    run.fails(1).stderr_has("templates/\\u{1b}]0;t\\u{7}.html:1:7");
    no_raw_controls("build", &run.stderr);
}

#[test]
fn serve_escapes_file_names_and_errors_in_its_log() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/\u{1b}[2Jbad.md", "+++\ntitle = 5\n+++\n");
    let s = start_with_status(&t, &[], 503);
    let log = s.log();
    assert!(log.contains("content/\\u{1b}[2Jbad.md:2:1"), "{log}");
    no_raw_controls("serve", &log);
}
