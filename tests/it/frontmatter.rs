//! Front matter: both formats, typos, wrong types, fences, encodings; every bad file reported.

use crate::support::SiteTest;

#[test]
fn typo_gets_suggestion_with_location_from_top_of_file() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/typo.md", "+++\ntitle = \"T\"\ntitel = \"x\"\n+++\nbody\n");
    t.build().fails(1).stderr_has("content/guides/typo.md:3:1").stderr_has("did you mean `title`");
}

#[test]
fn wrong_types_unclosed_fence_and_bad_yaml_are_all_reported_at_once() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/a.md", "+++\ntitle = 42\n+++\n");
    t.write("content/b.md", "+++\ntags = \"x\"\n+++\n");
    t.write("content/c.md", "+++\ntitle = \"never closed\"\n");
    t.write("content/d.md", "---\ntitle: [unclosed\n---\n");
    let run = t.build();
    run.fails(1)
        .stderr_has("content/a.md:2:1")
        .stderr_has("content/b.md:2:1")
        .stderr_has("content/c.md:1:1")
        .stderr_has("never closed")
        .stderr_has("content/d.md:")
        .stderr_has("invalid YAML");
    assert!(!t.exists("public"), "nothing may be written when the build fails");
}

#[test]
fn invalid_utf8_is_named_with_byte_offset() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/bin.md", b"+++\ntitle = \"x\"\n+++\nok \xff\xfe bad\n");
    t.build().fails(1).stderr_has("content/bin.md").stderr_has("not valid UTF-8 at byte 23");
}

#[test]
fn bom_crlf_empty_and_front_matter_only_files_build() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/bom.md", "\u{feff}+++\r\ntitle = \"Bom\"\r\n+++\r\n\r\nBody with CRLF.\r\n");
    t.write("content/empty.md", "");
    t.write("content/only.md", "---\ntitle: Only\n---\n");
    t.build().ok();
    assert!(t.read("public/bom/index.html").contains("Body with CRLF."));
    assert!(t.exists("public/empty/index.html") && t.exists("public/only/index.html"));
}

#[test]
fn yaml_bombs_are_refused() {
    let t = SiteTest::from_fixture("basic/site");
    let mut bomb =
        String::from("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
        let name = ["b", "c", "d", "e", "f", "g", "h", "i"][i];
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    bomb.push_str("---\n");
    t.write("content/bomb.md", bomb);
    t.build().fails(1).stderr_has("content/bomb.md");
}

#[test]
fn unsafe_slug_path_and_alias_are_refused() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/p1.md", "+++\npath = \"../../etc\"\n+++\n");
    t.write("content/p2.md", "+++\nslug = \"a\\\\b\"\n+++\n");
    t.write("content/p3.md", "+++\naliases = [\"/x/../../y/\"]\n+++\n");
    t.build().fails(1).stderr_has("content/p1.md:2:1").stderr_has("content/p2.md:2:1").stderr_has("content/p3.md:2:1");
}

#[test]
fn duplicate_urls_list_every_source_even_by_case() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/First.md", "+++\ntitle = \"Dup\"\nslug = \"FIRST\"\n+++\n");
    t.build()
        .fails(1)
        .stderr_has("2 sources map to the same URL")
        .stderr_has("content/guides/first.md")
        .stderr_has("content/guides/First.md");
}
