//! Pathological inputs (the classic CommonMark list plus front-matter bombs):
//! each page builds or fails with a clear error, never a crash or a hang.
//! Times are printed, not asserted (`cargo test -- --nocapture` shows them;
//! `benches/pathological.sh` reports them); the harness's watchdog fails the
//! test if one input runs away.

use crate::support::SiteTest;
use std::time::{Duration, Instant};

fn inputs() -> Vec<(&'static str, String)> {
    let mut table = String::from("|");
    table.push_str(&"c|".repeat(2_000));
    table.push('\n');
    table.push('|');
    table.push_str(&"-|".repeat(2_000));
    table.push('\n');
    let refs: String = (0..20_000).map(|i| format!("[r{i}]: /u{i}\n")).collect::<String>() + "[r1] [r19999]\n";
    let nested_lists: String = (0..1_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    vec![
        ("nested brackets", "[".repeat(50_000) + "a" + &"]".repeat(50_000)),
        ("nested quotes", ">".repeat(20_000) + " deep"),
        ("nested lists", nested_lists),
        ("emphasis run", "*a".repeat(60_000)),
        ("underscore run", "_a".repeat(60_000)),
        ("link reference definitions", refs),
        ("huge line", "word ".repeat(400_000)),
        ("huge line in a code fence", format!("```rust\nlet x = \"{}\";\n```\n", "a".repeat(1_000_000))),
        ("wide table", table),
        ("identical headings", "## Same\n\ntext\n\n".repeat(5_000)),
        ("nested wikilinks", "[[".repeat(20_000) + "x" + &"]]".repeat(20_000)),
        ("deep callouts", "> [!note] a\n".repeat(5_000)),
        ("unclosed code spans", "`a ".repeat(50_000)),
        ("many embeds", "![[p]]\n".repeat(5_000)),
        ("html comment soup", "<!-- ".repeat(50_000)),
        ("nested raw html", "<div>".repeat(50_000) + "x" + &"</div>".repeat(50_000)),
        ("nested quotes with raw html", "<b>x</b>\n\n".to_string() + &">".repeat(20_000) + " deep"),
        (
            "many footnotes",
            (0..20_000).map(|i| format!("a[^{i}] ")).collect::<String>()
                + "\n\n"
                + &(0..20_000).map(|i| format!("[^{i}]: n [^{}]\n", i + 1)).collect::<String>(),
        ),
        ("many broken wikilinks", "[[Nowhere]] ".repeat(100_000)),
        ("deeply nested tag", format!("#{}", ["t"; 3_000].join("/"))),
        ("deep toml arrays", format!("+++\nx = {}1{}\n+++\n", "[".repeat(10_000), "]".repeat(10_000))),
        ("deep yaml", format!("---\nx: {}1{}\n---\n", "[".repeat(10_000), "]".repeat(10_000))),
    ]
}

#[test]
fn pathological_inputs_finish_without_crashing() {
    let mut slowest = (Duration::ZERO, "");
    for (name, text) in inputs() {
        let t = SiteTest::from_fixture("basic/site");
        t.write("content/patho.md", &text);
        // The harness kills a run that hangs (its watchdog fails the test).
        let start = Instant::now();
        let run = t.run(&["build", "--output", &t.root().join("out").to_string_lossy()]);
        let took = start.elapsed();
        // Exit 0 (built) or 1 (a clear, located error): never a signal, never a panic message.
        let code = run.code;
        assert!(code != -1, "{name}: killed by a signal\n{}", run.stderr);
        assert!(
            code == 0 || (code == 1 && run.stderr.contains("content/patho.md")),
            "{name}: exit {code}\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{name}: {}", run.stderr);
        println!("{name:<28} {:>8.1} ms  exit {code}", took.as_secs_f64() * 1000.0);
        if took > slowest.0 {
            slowest = (took, name);
        }
    }
    println!("slowest: {} ({:.1} ms)", slowest.1, slowest.0.as_secs_f64() * 1000.0);
}
