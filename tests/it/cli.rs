//! The command line: init, new, completions, exit codes, `--root` placement,
//! flags and their help, quiet and verbose, colour, check output.

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
    for command in ["build", "serve", "check", "init", "new", "completions", "--root", "--quiet", "--verbose"] {
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
    run.ok().stderr_has("built 1 page and 1 section in");
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

#[test]
fn version_names_the_commit_it_was_built_from() {
    let git = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output();
    let version = SiteTest::empty().run_here(&["--version"]);
    version.ok().stdout_has(concat!("rapport ", env!("CARGO_PKG_VERSION")));
    // Outside git (a packaged crate) there is no commit to show, and no failure either.
    if let Some(out) = git.ok().filter(|o| o.status.success()) {
        let commit = String::from_utf8(out.stdout).unwrap();
        version.stdout_has(&format!("({})", commit.trim()));
    }
}

#[test]
fn completions_generate_for_bash_zsh_and_fish() {
    let t = SiteTest::empty();
    for (shell, marker) in [("bash", "_rapport()"), ("zsh", "#compdef rapport"), ("fish", "complete -c rapport")] {
        let run = t.run_here(&["completions", shell]);
        run.ok().stdout_has(marker);
        // Subcommands and flags are in it, not just a stub.
        run.stdout_has("completions").stdout_has("output").stdout_has("base-url");
        assert!(run.stderr.is_empty(), "{shell}: {}", run.stderr);
    }
    t.run_here(&["completions", "tcsh"]).fails(2).stderr_has("tcsh");
}

/// Every flag, argument and command says what it does in `--help` (serve's
/// --bind, --port, --drafts, check's --drafts and init's DIR had nothing).
#[test]
fn every_flag_and_command_has_help_text() {
    let t = SiteTest::empty();
    for command in ["build", "check", "serve", "init", "new", "completions"] {
        let help = t.run_here(&[command, "--help"]);
        help.ok();
        let lines: Vec<&str> = help.stdout.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let item = line.trim_start();
            let flag = item.starts_with("--") || (item.starts_with('-') && item.as_bytes().get(2) == Some(&b','));
            if flag || item.starts_with('<') {
                // Short help sits after the flag; long help on the next, deeper line.
                let same_line = item.split_once("  ").is_some_and(|(_, text)| !text.trim().is_empty());
                let next = lines.get(i + 1).is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
                assert!(same_line || next, "`rapport {command} --help` has no text for {item:?}:\n{}", help.stdout);
            }
        }
    }
    let top = t.run_here(&["--help"]);
    for line in top.stdout.lines().skip_while(|l| *l != "Commands:").skip(1).take_while(|l| !l.is_empty()) {
        assert!(line.trim().split_once("  ").is_some(), "command without help: {line:?}");
    }
}

#[test]
fn short_flags_work() {
    let t = SiteTest::from_fixture("cli/site");
    rapport_in(t.outer(), &["-r", "site", "build", "-o", "out", "-u", "https://short.example/"], &[]).ok();
    t.assert_contains("out/sitemap.xml", &["https://short.example/"]);
    rapport_in(t.outer(), &["check", "-r", "site", "-f", "json"], &[]).ok();
}

/// `init` wrote "Educational content, not professional advice." into every new site.
#[test]
fn init_writes_a_neutral_starter_and_the_disclaimer_only_on_request() {
    let t = SiteTest::empty();
    t.run_here(&["init", "plain"]).ok();
    let plain = t.root().join("plain");
    assert!(!std::fs::read_to_string(plain.join("site.toml")).unwrap().contains("disclaimer"));
    rapport_in(&plain, &["build"], &[]).ok();
    let home = std::fs::read_to_string(plain.join("public/index.html")).unwrap();
    assert!(!home.contains("class=\"disclaimer\""), "{home}");

    t.run_here(&["init", "kb", "--template", "knowledge-base"]).ok();
    let kb = t.root().join("kb");
    rapport_in(&kb, &["build"], &[]).ok();
    let home = std::fs::read_to_string(kb.join("public/index.html")).unwrap();
    assert!(home.contains("not professional advice"), "{home}");
    let check = rapport_in(&kb, &["check"], &[]);
    assert_eq!(check.check_counts(), (0, 0), "{}", check.stderr);
}

/// `init` listed a `--root` it ignored.
#[test]
fn init_takes_its_folder_not_root() {
    let t = SiteTest::empty();
    t.run_here(&["init", "--help"]).ok().stdout_has("<DIR>").stdout_has("--template");
    assert!(!t.run_here(&["init", "--help"]).stdout.contains("--root"));
    t.run_here(&["--root", "elsewhere", "init", "kb"]).fails(2).stderr_has("--root does not apply");
    t.run_here(&["init", "kb", "--root", "elsewhere"]).fails(2);
    assert!(!t.path("kb").exists() && !t.path("elsewhere").exists());
}

#[test]
fn new_creates_a_page_from_the_built_in_archetype() {
    let t = SiteTest::from_fixture("cli/site");
    t.run(&["new", "guides/rupture-and-repair"]).ok().stderr_has("created ").stderr_has("rupture-and-repair.md");
    let page = t.read("content/guides/rupture-and-repair.md");
    assert!(page.starts_with("+++\ntitle = \"Rupture and repair\"\ndate = 20"), "{page}");
    assert!(page.contains("draft = true\n+++\n"), "{page}");
    // A draft: left out of a build, there with --drafts, and valid front matter either way.
    t.build().ok();
    t.assert_absent("public/guides/rupture-and-repair/index.html");
    t.run(&["build", "--drafts"]).ok();
    t.assert_contains("public/guides/rupture-and-repair/index.html", &["Rupture and repair"]);
}

#[test]
fn new_uses_the_site_archetype() {
    let t = SiteTest::from_fixture("cli/archetype");
    t.run(&["new", "notes/first.md"]).ok();
    let page = t.read("content/notes/first.md");
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert_eq!(
        page,
        format!("---\ntitle: \"First\"\ndate: {date}\ntags: [draft-notes]\n---\n\nWrite the guide here.\n")
    );
    t.build().ok();
    t.assert_contains("public/notes/first/index.html", &["Write the guide here."]);
}

#[test]
fn new_refuses_to_overwrite_or_leave_content() {
    let t = SiteTest::from_fixture("cli/site");
    let before = snapshot(t.root());
    t.run(&["new", "page.md"]).fails(2).stderr_has("content/page.md already exists; nothing was changed");
    t.run(&["new", "page"]).fails(2).stderr_has("already exists");
    for outside in ["../escape.md", "a/../../escape.md", "/tmp/rapport-new-escape.md"] {
        t.run(&["new", outside]).fails(2).stderr_has("relative to content/");
    }
    assert_same_tree(&before, &snapshot(t.root()), "new changed files it must not touch");
    assert!(!t.outer().join("escape.md").exists() && !std::path::Path::new("/tmp/rapport-new-escape.md").exists());
    // No site: a usage error, and nothing created.
    let empty = SiteTest::empty();
    empty.run_here(&["new", "x.md"]).fails(2).stderr_has("no site.toml");
    empty.assert_absent("content");
}

#[test]
fn quiet_prints_nothing_on_success() {
    let t = SiteTest::from_fixture("cli/warnings");
    for args in [&["build", "-q"][..], &["--quiet", "build"], &["new", "-q", "n.md"], &["init", "-q", "../kb"]] {
        let run = t.run_here(args);
        run.ok();
        assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""), "`rapport {}`", args.join(" "));
    }
    let fine = SiteTest::from_fixture("cli/site");
    let run = fine.run_here(&["check", "-q"]);
    run.ok();
    assert_eq!(run.stderr, "", "a clean check with -q");
    // Errors still show, with their location and count.
    let broken = SiteTest::from_fixture("cli/broken");
    broken.run_here(&["build", "-q"]).fails(1).stderr_has("content/bad.md:3:1").stderr_has("1 error found");
    broken.run_here(&["check", "-q"]).fails(1).stderr_has("content/bad.md:3:1").stderr_has("1 error, ");
    t.run_here(&["-q", "-v", "build"]).fails(2).stderr_has("cannot be used with");
}

#[test]
fn verbose_shows_every_finding() {
    let t = SiteTest::from_fixture("cli/site");
    let links: String = (0..25).map(|i| format!("[x](gone{i}.md)\n")).collect();
    t.write("content/page.md", format!("+++\ntitle = \"Page\"\n+++\n{links}"));
    t.build().ok().stderr_has("5 more findings not shown").stderr_lacks("gone24.md");
    t.run(&["build", "-v"]).ok().stderr_has("gone24.md").stderr_lacks("not shown");
}

#[test]
fn summaries_count_in_the_singular_and_plural() {
    let t = SiteTest::from_fixture("cli/site");
    t.build().ok().stderr_has("built 1 page and 1 section in");
    t.write("content/two.md", "+++\ntitle = \"Two\"\n+++\n[Page](page.md)\n");
    t.build().ok().stderr_has("built 2 pages and 1 section in");
    let check = SiteTest::from_fixture("cli/broken").check();
    check.fails(1).stderr_has("\n1 error, ").stderr_lacks("(s)");
    let warnings = SiteTest::from_fixture("cli/warnings").build();
    warnings.ok().stderr_lacks("(s)");
}

/// `--output` was relative to the working folder while `output_dir` is relative to the root.
#[test]
fn output_is_relative_to_the_site_root() {
    let t = SiteTest::from_fixture("cli/site");
    rapport_in(t.outer(), &["--root", "site", "build", "--output", "out"], &[]).ok().stderr_has("site/out");
    t.assert_exists("out/page/index.html");
    assert!(!t.outer().join("out").exists(), "written relative to the working folder");
    let help = t.run_here(&["build", "--help"]);
    help.stdout_has("relative to the site root");
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let t = SiteTest::from_fixture("cli/broken");
    // Piped (as here): no escape codes, unless asked for.
    t.check().fails(1).stderr_lacks("\u{1b}[");
    t.run(&["check", "--color", "always"]).fails(1).stderr_has("\u{1b}[1;31merror\u{1b}[0m: content/bad.md:3:1");
    // On a terminal, `script` gives the command one.
    let on_tty = |no_color: &str| {
        let command = format!("{} --root {} check", env!("CARGO_BIN_EXE_rapport"), t.root().display());
        let out = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("NO_COLOR", no_color)
            .output()
            .expect("script (util-linux) runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(on_tty("").contains("\u{1b}[1;31merror"), "no colour on a terminal");
    let plain = on_tty("1");
    assert!(plain.contains("error: ") && !plain.contains("\u{1b}["), "NO_COLOR ignored: {plain:?}");
}

/// `serve --bind 0.0.0.0` printed `http://0.0.0.0:PORT/`, which no phone can open.
#[test]
fn serve_on_every_interface_prints_addresses_a_browser_can_open() {
    let t = SiteTest::from_fixture("cli/site");
    let server = crate::serve::start_with(&t, &["--bind", "0.0.0.0"]);
    let log = server.log();
    assert!(log.contains(&format!("at http://localhost:{}/", server.port)), "{log}");
    assert!(!log.contains("0.0.0.0"), "{log}");
    let quiet = crate::serve::start_with(&t, &["-q"]);
    let log = quiet.log();
    assert!(log.contains("serving ") && !log.contains("built "), "{log}");
}
