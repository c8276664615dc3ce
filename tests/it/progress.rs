//! Progress and timings: the bar on a terminal for builds over a second (and
//! never on a pipe), `--quiet`, `--timings`, `RAPPORT_TIMINGS`. A debug
//! build sleeps `RAPPORT_TEST_SLOW_MS` per page's markdown, on one thread,
//! so a small site takes a known time.

use crate::support::{rapport_in, Run, SiteTest};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: usize = 12;
/// Per doc: 13 docs (12 pages and the home section) take about 2 s.
const SLOW_MS: &str = "150";

/// The fixture site with [`PAGES`] pages added.
fn site(fixture: &str) -> SiteTest {
    let t = SiteTest::from_fixture(fixture);
    for i in 0..PAGES {
        t.write(&format!("content/page-{i}.md"), format!("+++\ntitle = \"Page {i}\"\n+++\n\nText {i}.\n"));
    }
    t
}

fn slow() -> [(&'static str, &'static Path); 2] {
    [("RAPPORT_TEST_SLOW_MS", Path::new(SLOW_MS)), ("RAYON_NUM_THREADS", Path::new("1"))]
}

/// `rapport ARGS` in the site root on a pseudo-terminal (util-linux's
/// `script`), slowed down: its exit code and everything it printed.
fn on_terminal(t: &SiteTest, args: &[&str]) -> (i32, String) {
    let bin = shell_quote(env!("CARGO_BIN_EXE_rapport"));
    let args: Vec<String> = args.iter().map(|a| shell_quote(a)).collect();
    let command = format!("stty cols 120 rows 40; exec {bin} {}", args.join(" "));
    let mut script = Command::new("script");
    script.args(["-qec", &command, "/dev/null"]).current_dir(t.root()).stdin(Stdio::null());
    script.env("TERM", "xterm").env_remove("NO_COLOR");
    for (k, v) in slow() {
        script.env(k, v);
    }
    let out = script.output().unwrap_or_else(|e| {
        panic!("cannot run `script` ({e}): these tests need a pseudo-terminal; install util-linux")
    });
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// What a terminal shows for `transcript`, line by line: escape sequences
/// dropped, and of each line only what follows its last carriage return.
fn screen(transcript: &str) -> Vec<String> {
    let plain = strip_escapes(transcript);
    let lines = plain.split('\n').map(|l| l.trim_end_matches('\r'));
    let shown = lines.map(|l| l.rsplit('\r').next().unwrap_or_default().trim_end().to_string());
    shown.filter(|l| !l.is_empty()).collect()
}

/// `text` without ANSI CSI sequences (`ESC [ … final byte`).
fn strip_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
        } else if chars.next() == Some('[') {
            chars.by_ref().find(|c| ('@'..='~').contains(c));
        }
    }
    out
}

#[track_caller]
fn assert_summary(line: &str) {
    assert!(line.starts_with(&format!("built {PAGES} pages and 1 section in ")), "not the summary: {line:?}");
    assert!(line.contains(" ms: ") && line.contains(" written, "), "not the summary: {line:?}");
}

#[test]
fn a_long_build_on_a_terminal_shows_the_stage_then_only_the_summary() {
    let t = site("progress/site");
    let (code, transcript) = on_terminal(&t, &["build"]);
    assert_eq!(code, 0, "{transcript}");
    let plain = strip_escapes(&transcript);
    // The bar names the stage the build is in, with its count.
    assert!(plain.contains(" markdown ["), "no markdown stage on the bar:\n{transcript:?}");
    assert!(plain.contains(&format!("/{} ", PAGES + 1)), "no count of the docs:\n{transcript:?}");
    // Then it is cleared: all that stays on screen is the summary.
    let screen = screen(&transcript);
    assert_eq!(screen.len(), 1, "more than the summary stays:\n{screen:#?}");
    assert_summary(&screen[0]);
}

#[test]
fn a_long_build_on_a_pipe_prints_no_bar() {
    let t = site("progress/site");
    let start = Instant::now();
    let run = rapport_in(t.root(), &["build"], &slow());
    assert!(start.elapsed() > Duration::from_secs(1), "too quick for the bar to show: {:?}", start.elapsed());
    run.ok();
    assert_eq!(run.stdout, "");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "more than the summary:\n{}", run.stderr);
    assert_summary(lines[0]);
    for bar in ["\r", "\x1b", "markdown", "[="] {
        assert!(!run.stderr.contains(bar), "{bar:?} on a pipe:\n{:?}", run.stderr);
    }
}

#[test]
fn quiet_silences_the_bar_but_not_errors() {
    let t = site("progress/site");
    let (code, transcript) = on_terminal(&t, &["build", "--quiet"]);
    assert_eq!((code, transcript.as_str()), (0, ""), "a good quiet build printed something");
    let (code, transcript) = on_terminal(&t, &["check", "-q"]);
    assert_eq!((code, transcript.as_str()), (0, ""), "a good quiet check printed something");

    let broken = site("progress/broken");
    let (code, transcript) = on_terminal(&broken, &["build", "-q"]);
    assert_eq!(code, 1, "{transcript}");
    assert!(strip_escapes(&transcript).contains("content/bad.md:3:1"), "no error location:\n{transcript}");
    let run = rapport_in(broken.root(), &["build", "-q"], &[]);
    run.fails(1).stderr_has("content/bad.md:3:1").stderr_lacks("built ");
}

/// The rows of a `--timings` table in `stderr`: stage, wall ms, cpu ms, cpu/wall.
fn timings(stderr: &str) -> Vec<(String, f64, f64, String)> {
    let table = stderr.lines().skip_while(|l| !l.starts_with("stage ")).skip(1);
    let rows = table.map_while(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
        [stage, wall, cpu, ratio] => Some((stage.to_string(), wall.parse().ok()?, cpu.parse().ok()?, ratio.into())),
        _ => None,
    });
    rows.collect()
}

#[test]
fn timings_list_every_stage_with_wall_and_cpu_time() {
    let t = site("progress/site");
    let run = rapport_in(t.root(), &["build", "--timings"], &slow());
    run.ok();
    let rows = timings(&run.stderr);
    let stages: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let all =
        ["load", "cache", "discover", "parse", "layout", "markdown", "assembly", "render", "copy", "search", "write"];
    assert_eq!(stages, [&all[..], &["total"]].concat(), "{}", run.stderr);
    // The sleeping stage holds the time, and sleeping is no CPU time.
    let markdown = &rows[5];
    assert!(markdown.1 >= 13.0 * 150.0, "markdown took {} ms:\n{}", markdown.1, run.stderr);
    assert!(markdown.2 < markdown.1 / 2.0, "sleep counted as CPU:\n{}", run.stderr);
    let total = rows.last().unwrap();
    let sum: f64 = rows[..rows.len() - 1].iter().map(|r| r.1).sum();
    assert!((total.1 - sum).abs() < 1.0 && total.2 > 0.0, "{}", run.stderr);
    assert_summary(run.stderr.lines().last().unwrap());

    let run = rapport_in(t.root(), &["check", "--timings"], &[]);
    run.ok();
    let stages: Vec<String> = timings(&run.stderr).into_iter().map(|r| r.0).collect();
    assert_eq!(
        stages,
        ["load", "discover", "parse", "layout", "markdown", "assembly", "render", "copy", "check", "total"]
    );
    assert_eq!(run.stderr.lines().last(), Some("0 errors, 0 warnings"));
}

#[test]
fn no_timings_without_the_flag_and_rapport_timings_still_profiles() {
    let t = site("progress/site");
    let run: Run = t.build();
    run.ok().stderr_lacks("cpu/wall").stderr_lacks("timing:");
    let run = rapport_in(t.root(), &["build", "--no-cache"], &[("RAPPORT_TIMINGS", Path::new("1"))]);
    run.ok().stderr_lacks("cpu/wall");
    for stage in ["discover", "parse", "model", "markdown", "assembly", "render"] {
        run.stderr_has(&format!("timing: {stage} "));
    }
    assert_summary(run.stderr.lines().last().unwrap());
}
