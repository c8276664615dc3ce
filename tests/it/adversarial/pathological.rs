//! Pathological inputs (the classic CommonMark list plus front-matter bombs):
//! each page builds, or fails with the located error it states, never a
//! crash or a hang.
//! Times are printed, not asserted (`cargo test -- --nocapture` shows them;
//! `benches/pathological.sh` reports them); the harness's watchdog fails the
//! test if one input runs away.

use crate::support::SiteTest;
use std::time::{Duration, Instant};

/// What an input must do: build (warnings allowed), or fail with an error
/// whose first line starts with this `file:line:col: message`.
#[derive(Clone, Copy)]
enum Outcome {
    Builds,
    Fails(&'static str),
}
use Outcome::{Builds, Fails};

fn inputs() -> Vec<(&'static str, String, Outcome)> {
    let mut table = String::from("|");
    table.push_str(&"c|".repeat(2_000));
    table.push('\n');
    table.push('|');
    table.push_str(&"-|".repeat(2_000));
    table.push('\n');
    let refs: String = (0..20_000).map(|i| format!("[r{i}]: /u{i}\n")).collect::<String>() + "[r1] [r19999]\n";
    let nested_lists: String = (0..1_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    vec![
        ("nested brackets", "[".repeat(50_000) + "a" + &"]".repeat(50_000), Builds),
        ("nested quotes", ">".repeat(20_000) + " deep", Builds),
        ("nested lists", nested_lists, Builds),
        ("emphasis run", "*a".repeat(60_000), Builds),
        ("underscore run", "_a".repeat(60_000), Builds),
        ("link reference definitions", refs, Builds),
        ("huge line", "word ".repeat(400_000), Builds),
        ("huge line in a code fence", format!("```rust\nlet x = \"{}\";\n```\n", "a".repeat(1_000_000)), Builds),
        ("wide table", table, Builds),
        ("identical headings", "## Same\n\ntext\n\n".repeat(5_000), Builds),
        ("nested wikilinks", "[[".repeat(20_000) + "x" + &"]]".repeat(20_000), Builds),
        ("deep callouts", "> [!note] a\n".repeat(5_000), Builds),
        ("unclosed code spans", "`a ".repeat(50_000), Builds),
        ("many embeds", "![[p]]\n".repeat(5_000), Builds),
        ("html comment soup", "<!-- ".repeat(50_000), Builds),
        (
            "nested raw html",
            "<div>".repeat(50_000) + "x" + &"</div>".repeat(50_000),
            Fails("content/patho.md:1:1: elements nest 50000 levels deep"),
        ),
        (
            "nested quotes with raw html",
            "<b>x</b>\n\n".to_string() + &">".repeat(20_000) + " deep",
            Fails("content/patho.md:1:1: elements nest 20000 levels deep"),
        ),
        (
            "many footnotes",
            (0..20_000).map(|i| format!("a[^{i}] ")).collect::<String>()
                + "\n\n"
                + &(0..20_000).map(|i| format!("[^{i}]: n [^{}]\n", i + 1)).collect::<String>(),
            Builds,
        ),
        ("many broken wikilinks", "[[Nowhere]] ".repeat(100_000), Builds),
        ("deeply nested tag", format!("#{}", ["t"; 3_000].join("/")), Builds),
        (
            "deep toml arrays",
            format!("+++\nx = {}1{}\n+++\n", "[".repeat(10_000), "]".repeat(10_000)),
            Fails("content/patho.md:2:85: invalid TOML front matter: cannot recurse further"),
        ),
        (
            "deep yaml",
            format!("---\nx: {}1{}\n---\n", "[".repeat(10_000), "]".repeat(10_000)),
            Fails("content/patho.md:2:131: invalid YAML front matter: recursion limit exceeded"),
        ),
    ]
}

#[test]
fn pathological_inputs_finish_without_crashing() {
    let mut slowest = (Duration::ZERO, "");
    for (name, text, outcome) in inputs() {
        let t = SiteTest::from_fixture("basic/site");
        t.write("content/patho.md", &text);
        // The harness kills a run that hangs (its watchdog fails the test).
        let start = Instant::now();
        let run = t.run(&["build", "--output", &t.root().join("out").to_string_lossy()]);
        let took = start.elapsed();
        let code = run.code;
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{name}: {}", run.stderr);
        match outcome {
            Builds => assert!(code == 0 && t.exists("out/patho/index.html"), "{name}: exit {code}\n{}", run.stderr),
            Fails(error) => {
                let first = run.stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
                assert!(
                    code == 1 && first.starts_with(&format!("error: {error}")),
                    "{name}: exit {code}\n{}",
                    run.stderr
                );
                assert!(!t.exists("out/patho/index.html"), "{name}: a failed build wrote the page");
            }
        }
        println!("{name:<28} {:>8.1} ms  exit {code}", took.as_secs_f64() * 1000.0);
        if took > slowest.0 {
            slowest = (took, name);
        }
    }
    println!("slowest: {} ({:.1} ms)", slowest.1, slowest.0.as_secs_f64() * 1000.0);
}
