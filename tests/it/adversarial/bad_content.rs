//! Bad content (RELIABILITY.md, first part): malformed, mistyped or unclosed
//! front matter, bad encodings, YAML bombs and deep nesting, unsafe `slug`,
//! `path` and `aliases`, duplicate URLs, symlink loops, a panic in one page
//! and pathological markdown. Errors name `file:line:col`, every bad file is
//! reported in one run, the exit code is 1 and nothing is written.

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
fn toml_typo_suggests_the_field_at_its_line_from_the_top_of_the_file() {
    build_fails(
        "adversarial/bad_content/typo_toml",
        &["content/typo.md:4:1", "unknown front matter field `titel`", "did you mean `title`", "titel = \"oops\""],
    );
}

#[test]
fn yaml_typo_suggests_the_field() {
    build_fails("adversarial/bad_content/typo_yaml", &["content/notes/typo.md:3:1", "did you mean `description`"]);
}

#[test]
fn wrong_type_for_title_is_located() {
    build_fails("adversarial/bad_content/wrong_type_title", &["content/page.md:2:1", "`title`", "title = 42"]);
}

#[test]
fn string_where_tags_list_expected_is_located() {
    build_fails("adversarial/bad_content/wrong_type_tags", &["content/page.md:3:1", "`tags`", "expected a sequence"]);
}

#[test]
fn unclosed_fence_is_reported_at_the_opening_fence() {
    build_fails("adversarial/bad_content/unclosed_fence", &["content/page.md:1:1", "never closed", "`+++`"]);
}

#[test]
fn malformed_yaml_is_located_in_the_file() {
    build_fails("adversarial/bad_content/malformed_yaml", &["content/page.md:3:6", "invalid YAML front matter"]);
}

#[test]
fn malformed_toml_is_located_in_the_file() {
    build_fails("adversarial/bad_content/malformed_toml", &["content/page.md:3:8", "invalid TOML front matter"]);
}

#[test]
fn bad_date_is_located() {
    build_fails("adversarial/bad_content/bad_date", &["content/page.md:3:1", "must be a date", "`yesterday`"]);
}

#[test]
fn every_broken_file_is_reported_in_one_run() {
    let t = build_fails(
        "adversarial/bad_content/many_broken",
        &[
            "content/a/typo.md:2:1",
            "content/b/wrong_type.md:2:1",
            "content/c/unclosed.md:1:1",
            "content/d/bad_yaml.md:3:1",
            "content/d/_index.md:2:1",
            "5 errors found",
        ],
    );
    let run = t.check();
    run.fails(1).stderr_has("5 errors, ");
    for file in ["a/typo.md", "b/wrong_type.md", "c/unclosed.md", "d/bad_yaml.md", "d/_index.md"] {
        run.stderr_has(&format!("content/{file}"));
    }
    assert!(!run.stderr.contains("content/good.md"), "the good file has no error:\n{}", run.stderr);
}

#[test]
fn invalid_utf8_is_named_with_its_line_and_column() {
    build_fails(
        "adversarial/bad_content/invalid_utf8",
        &["content/bin.md:4:4: not valid UTF-8 (byte 0xff)", "4 | ok \u{fffd}\u{fffd} bad", "1 error found"],
    );
}

#[test]
fn byte_order_mark_and_crlf_files_build() {
    let t = SiteTest::from_fixture("adversarial/bad_content/bom_crlf");
    t.build().ok();
    // No stray `\r` or BOM in values.
    t.assert_contains("public/bom/index.html", &["[Bom]|[CRLF toml]", "Body with CRLF."]);
    t.assert_contains("public/crlf-yaml/index.html", &["[Crlf]|[CRLF yaml]", "id=\"heading\"", "YAML body."]);
    let bom_only = t.assert_contains("public/bom-only/index.html", &["No front matter, just a BOM."]);
    assert!(!bom_only.contains('\u{feff}'), "BOM leaked into the page: {bom_only:?}");
}

#[test]
fn empty_and_front_matter_only_files_build() {
    let t = SiteTest::from_fixture("adversarial/bad_content/empty_files");
    t.build().ok();
    for page in ["empty", "only-front", "empty-front", "no-front"] {
        t.assert_exists(&format!("public/{page}/index.html"));
    }
    t.assert_contains("public/only-front/index.html", &["Only front matter"]);
    t.assert_contains("public/no-front/index.html", &["Just a body."]);
}

#[test]
fn yaml_alias_bomb_is_refused() {
    build_fails(
        "adversarial/bad_content/yaml_bomb",
        &["content/bomb.md:1:1: invalid YAML front matter: repetition limit exceeded"],
    );
}

#[test]
fn deeply_nested_arrays_are_refused_without_a_crash() {
    build_fails(
        "adversarial/bad_content/deep_nesting",
        &[
            "content/deep_toml.md:2:85",
            "invalid TOML front matter",
            "content/deep_yaml.md:2:131",
            "invalid YAML front matter",
        ],
    );
}

#[test]
fn unsafe_slug_path_and_aliases_are_refused_with_their_line() {
    let t = SiteTest::from_fixture("adversarial/bad_content/unsafe_paths");
    let run = t.build();
    run.fails(1)
        .stderr_has("content/dotdot_path.md:3:1")
        .stderr_has("content/dotdot_slug.md:4:1")
        .stderr_has("content/backslash_slug.md:3:1")
        .stderr_has("content/backslash_path.md:2:1")
        .stderr_has("content/nul_path.md:3:1")
        .stderr_has("NUL")
        .stderr_has("content/dotdot_alias.md:3:1")
        .stderr_has("content/url_path.md:2:1")
        .stderr_has("7 errors found");
    t.assert_absent("public");
    assert_eq!(crate::support::snapshot(t.outer()).keys().filter(|p| p.starts_with("outside")).count(), 0);
}

#[test]
fn duplicate_urls_are_one_error_listing_every_source() {
    let t = SiteTest::from_fixture("adversarial/bad_content/duplicate_urls");
    let run = t.build();
    run.fails(1)
        .stderr_has("3 sources map to the same URL /guide/")
        .stderr_has("content/guide.md")
        .stderr_has("content/upper.md")
        .stderr_has("content/other/page.md");
    assert_eq!(run.stderr_count("map to the same URL"), 1, "{}", run.stderr);
    run.stderr_lacks("content/fine.md");
    t.assert_absent("public");
}

#[test]
fn urls_equal_after_unicode_normalisation_are_duplicates() {
    let t = SiteTest::from_fixture("adversarial/bad_content/duplicate_unicode");
    t.build()
        .fails(1)
        .stderr_has("2 sources map to the same URL")
        .stderr_has("content/composed.md")
        .stderr_has("content/decomposed.md");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_outside_the_site_are_skipped() {
    use std::os::unix::fs::symlink;
    let t = SiteTest::from_fixture("adversarial/bad_content/symlinks");
    let outside = t.outer().join("outside.md");
    std::fs::write(&outside, "+++\ntitle = \"Outside\"\n+++\nSecret.\n").unwrap();
    symlink(&outside, t.path("content/outside.md")).unwrap();
    symlink(t.path("content"), t.path("content/loop")).unwrap();
    symlink(t.path("content/nowhere.md"), t.path("content/dangling.md")).unwrap();
    symlink(t.path("content/real.md"), t.path("content/alias.md")).unwrap();
    t.build().ok().stderr_has("outside the site").stderr_has("content/loop").stderr_has("content/dangling.md");
    t.assert_absent("public/outside/index.html").assert_absent("public/loop").assert_absent("public/dangling");
    t.assert_contains("public/real/index.html", &["Real page."]);
    t.assert_contains("public/alias/index.html", &["Real page."]);
}

#[test]
fn a_panic_while_parsing_one_page_is_that_pages_error() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/guides/typo.md", "+++\ntitel = \"x\"\n+++\n");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--root", &t.root().to_string_lossy(), "build"])
        .env("RAPPORT_TEST_PANIC", "second.md")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/guides/second.md: internal error while processing this file"), "{stderr}");
    assert!(stderr.contains("content/guides/typo.md:2:1"), "the other pages are still reported: {stderr}");
    assert!(!t.root().join("public").exists());
}

#[test]
fn pathological_markdown_builds_without_crashing() {
    let t = SiteTest::from_fixture("adversarial/bad_content/pathological");
    let page = |name: &str, body: String| {
        t.write(&format!("content/{name}.md"), format!("+++\ntitle = \"{name}\"\n+++\n{body}"))
    };
    page("brackets", "[".repeat(50_000));
    page("quotes", format!("{} deep\n", ">".repeat(20_000)));
    page("lists", (0..1_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect());
    page("emphasis", "*a".repeat(60_000));
    page("references", (0..20_000).map(|i| format!("[r{i}]: /x{i}\n")).collect());
    page("long_line", "word ".repeat(400_000));
    page("long_fence", format!("```rust\n{}\n```\n", "a".repeat(1_000_000)));
    page("wide_table", format!("|{}\n|{}\n|{}\n", "a|".repeat(2_000), "-|".repeat(2_000), "b|".repeat(2_000)));
    page("same_headings", "## Same\n\n".repeat(5_000));
    page("nested_callouts", (1..=500).map(|i| format!("{} [!note] level {i}\n", ">".repeat(i))).collect());
    t.build().ok();
    for name in [
        "brackets",
        "quotes",
        "lists",
        "emphasis",
        "references",
        "long-line",
        "long-fence",
        "wide-table",
        "nested-callouts",
    ] {
        t.assert_exists(&format!("public/{name}/index.html"));
    }
    t.assert_contains("public/same-headings/index.html", &["id=\"same\"", "id=\"same-4999\""]);
    t.assert_contains("public/quotes/index.html", &["deep"]);
}

#[test]
fn absolute_paths_and_aliases_stay_inside_the_output() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/abs.md",
        "+++\ntitle = \"Abs\"\npath = \"/etc/cron.d/job\"\naliases = [\"/tmp/x/\", \"//double/\"]\n+++\nAbsolute.\n",
    );
    t.build().ok();
    t.assert_contains("public/etc/cron.d/job/index.html", &["Absolute."]);
    t.assert_contains("public/tmp/x/index.html", &["url=/etc/cron.d/job/"]);
    t.assert_contains("public/double/index.html", &["url=/etc/cron.d/job/"]);
    let outside: Vec<_> = crate::support::snapshot(t.outer())
        .into_keys()
        .filter(|p| !p.as_os_str().is_empty() && !p.starts_with("site"))
        .collect();
    assert!(outside.is_empty(), "written outside the site: {outside:?}");
}

/// Folders nested hundreds deep: the nav tree stops at a fixed depth, so no
/// recursion (ours, serde's or a template macro's) can overflow the stack.
#[test]
fn deeply_nested_folders_build_without_a_stack_overflow() {
    let t = SiteTest::from_fixture("basic/site");
    let deep = "d/".repeat(300);
    t.write(&format!("content/{deep}leaf.md"), "+++\ntitle = \"Leaf\"\n+++\nDeep down.\n");
    t.build().ok();
    t.assert_contains(&format!("public/{deep}leaf/index.html"), &["Deep down."]);
}

/// Names no file system can hold: a front matter slug is refused at its
/// line; a tag thousands of characters long gets a shortened slug.
#[test]
fn overlong_slugs_are_refused_or_shortened() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/long.md", format!("+++\ntitle = \"Long\"\nslug = \"{}\"\n+++\n", "s".repeat(300)));
    t.build().fails(1).stderr_has("content/long.md:3:1").stderr_has("300 bytes long");
    t.remove("content/long.md");
    t.write("content/tagged.md", format!("+++\ntitle = \"Tagged\"\n+++\nA #{} tag.\n", ["deep"; 2_000].join("/")));
    t.build().ok();
    let terms = t.files_under("public/tags");
    let longest = terms.iter().flat_map(|f| f.split('/')).map(str::len).max().unwrap();
    assert!(longest <= 200, "a tag's folder name is {longest} bytes");
    t.assert_contains("public/tagged/index.html", &["A <a"]);
}

/// Raw HTML nested past what the sanitiser parses quickly is a located
/// error, not a build that takes seconds per page.
#[test]
fn raw_html_nested_too_deep_is_a_located_error() {
    let t = SiteTest::from_fixture("basic/site");
    let divs = "<div>".repeat(50_000) + "x" + &"</div>".repeat(50_000);
    t.write("content/divs.md", format!("+++\ntitle = \"Divs\"\n+++\nIntro.\n\n{divs}\n"));
    t.build()
        .fails(1)
        .stderr_has("content/divs.md:4:1")
        .stderr_has("elements nest 50000 levels deep")
        .stderr_has("at most 1000");
    t.remove("content/divs.md");
    t.write("content/ok.md", format!("+++\ntitle = \"Ok\"\n+++\n{}x{}\n", "<div>".repeat(500), "</div>".repeat(500)));
    t.build().ok();
}

/// The embed version of a billion laughs: twelve notes, each embedding the
/// next ten times, would make a page of 10¹¹ copies. Expansion stops at a
/// per-page budget, says so at the page's first embed, and the site builds.
#[test]
fn an_embed_bomb_is_cut_off_with_a_warning() {
    let t = SiteTest::from_fixture("basic/site");
    for i in 0..12 {
        t.write(
            &format!("content/e{i}.md"),
            format!("+++\ntitle = \"E{i}\"\n+++\nLevel {i}.\n\n{}", format!("![[e{}]]\n\n", i + 1).repeat(10)),
        );
    }
    t.build().ok().stderr_has("content/e0.md:6:1: 60 embeds not shown: a page expands at most 1000 embeds");
    let top = t.read("public/e0/index.html");
    let embeds = top.matches("class=\"embed\"").count();
    assert!((900..=1000).contains(&embeds), "{embeds} embeds expanded");
    assert!(top.contains("This embed is not shown: the page embeds too much."));
}

/// A page with thousands of tags is listed on each of their pages; listings
/// show its first twelve, so the site does not grow with the square.
#[test]
fn a_page_with_thousands_of_tags_stays_linear() {
    let t = SiteTest::from_fixture("basic/site");
    let tags: Vec<String> = (0..2_000).map(|i| format!("\"t{i}\"")).collect();
    t.write("content/tagged.md", format!("+++\ntitle = \"Tagged\"\ntags = [{}]\n+++\nBody.\n", tags.join(", ")));
    t.build().ok();
    let term = t.assert_contains("public/tags/t1500/index.html", &["Tagged", "and 1988 more"]);
    assert!(term.len() < 40_000, "a term page is {} bytes", term.len());
    t.assert_contains("public/tagged/index.html", &["href=\"/tags/t1999/\""]);
}

/// A named pipe would block a build that reads it for ever; a file name that
/// is not UTF-8 has no URL anyone could link to.
#[cfg(unix)]
#[test]
fn pipes_are_skipped_and_non_utf8_file_names_are_errors() {
    use std::os::unix::ffi::OsStrExt;
    let t = SiteTest::from_fixture("basic/site");
    for fifo in ["content/pipe.md", "content/guides/pic.png"] {
        let status = std::process::Command::new("mkfifo").arg(t.path(fifo)).status().unwrap();
        assert!(status.success(), "mkfifo {fifo}");
    }
    t.build()
        .ok()
        .stderr_has("warning: content/pipe.md: skipped: not a regular file")
        .stderr_has("warning: content/guides/pic.png: skipped: not a regular file");
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.md");
    std::fs::write(t.path("content").join(name), "+++\ntitle = \"Bad\"\n+++\n").unwrap();
    t.build().fails(1).stderr_has("content/bad").stderr_has("the file name is not valid UTF-8");
}
