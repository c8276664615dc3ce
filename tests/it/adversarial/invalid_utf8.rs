//! Files that are not UTF-8 (issue 12, item 9): content, `site.toml` and
//! templates alike are errors at the line and column of the first bad byte
//! (the column counts characters), in text and in `check --format json`.

use crate::support::SiteTest;

/// `build` fails with `needle`; `check --format json` has one error at `file:line:col`.
#[track_caller]
fn located(t: &SiteTest, needle: &str, (file, line, col): (&str, u64, u64)) {
    t.build().fails(1).stderr_has(needle);
    t.assert_absent("public");
    t.check().fails(1).stderr_has(needle);
    let run = t.run(&["check", "--format", "json"]);
    run.fails(1);
    let json = run.json();
    let errors: Vec<_> = json.as_array().unwrap().iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{json:#}");
    let at = (errors[0]["file"].as_str(), errors[0]["line"].as_u64(), errors[0]["col"].as_u64());
    assert_eq!(at, (Some(file), Some(line), Some(col)), "{json:#}");
}

#[test]
fn a_bad_byte_in_content_is_located_by_line_and_character_column() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/bad.md", b"+++\ntitle = \"x\"\n+++\n\xc3\xa9t\xc3\xa9 \xff here\n".as_slice());
    located(&t, "error: content/bad.md:4:5: not valid UTF-8 (byte 0xff)", ("content/bad.md", 4, 5));
}

#[test]
fn a_bad_byte_in_site_toml_is_located() {
    let t = SiteTest::from_fixture("basic/site");
    let mut bytes = t.read_bytes("site.toml");
    bytes.extend_from_slice(b"[extra]\nname = \"caf\xe9\"\n");
    t.write("site.toml", bytes);
    let line = t.read_bytes("site.toml").iter().filter(|&&b| b == b'\n').count() as u64;
    located(&t, &format!("error: site.toml:{line}:12: not valid UTF-8 (byte 0xe9)"), ("site.toml", line, 12));
}

#[test]
fn a_bad_byte_in_a_template_is_located() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("templates/page.html", b"<p>\n  \xe2\x80\x94 \x80</p>\n".as_slice());
    located(&t, "error: templates/page.html:2:5: not valid UTF-8 (byte 0x80)", ("templates/page.html", 2, 5));
}
