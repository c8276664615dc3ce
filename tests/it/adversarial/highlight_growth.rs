//! Highlighted HTML is bounded relative to its code: token soup within the
//! size caps (a 238 KB block of short Python tokens became 28 MB of spans)
//! is cut off while highlighting and left plain, with a warning at the
//! block's `file:line:col`, so output and memory stay proportional to the input.

use crate::support::SiteTest;

/// About 238 KB of one-line calls, each wrapped by syntect in a dozen spans.
fn soup() -> String {
    "f(a,b)\n".repeat(34_000)
}

#[test]
fn token_soup_blocks_are_left_plain_with_a_located_warning() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"Soup\"\nbase_url = \"https://example.org/\"\n");
    let mut page = String::from("+++\ntitle = \"Soup\"\n+++\n\n```python\ndef ok():\n    return 1\n```\n");
    let mut lines = Vec::new();
    for _ in 0..4 {
        lines.push(page.lines().count() + 2);
        page.push_str(&format!("\n```python\n{}```\n", soup()));
    }
    t.write("content/soup.md", &page);
    let run = t.build();
    run.ok();
    for line in &lines {
        run.stderr_has(&format!(
            "warning: content/soup.md:{line}:1: code block left without highlighting: its highlighted HTML would be over 32 times"
        ));
    }
    assert_eq!(run.stderr_count("left without highlighting"), 4, "{}", run.stderr);
    let html = t.read("public/soup/index.html");
    assert!(html.len() < 2 * page.len(), "{} bytes of HTML for {} of markdown", html.len(), page.len());
    // The ordinary block before them is still highlighted.
    let first = &html[html.find("data-lang=\"python\"").unwrap()..];
    let first = &first[..first.find("</pre>").unwrap()];
    assert!(first.contains("hl-"), "{first}");
    assert_eq!(html.matches("f(a,b)\n").count(), 4 * 34_000, "the soup is kept as plain text");
    let check = t.check();
    check.ok();
    assert_eq!(check.check_counts(), (0, 4), "{}", check.stderr);
}
