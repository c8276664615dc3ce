//! Math: `$…$`, `$$…$$` and ```` ```math ```` fences become MathML at build
//! time; prices and `\$` stay text; a LaTeX error is a located warning and
//! the source shows as code.

use crate::support::SiteTest;

#[test]
fn inline_display_and_fenced_math_become_mathml_and_prices_stay_text() {
    let t = SiteTest::from_fixture("math/syntax");
    let run = t.build();
    run.ok().stderr_has("content/page.md:16:9").stderr_has("math left as code");
    assert_eq!(run.stderr_count("math left as code"), 1, "{}", run.stderr);
    let html = t.read("public/page/index.html");
    let main = &html[html.find("<main").expect("a main element")..];
    assert_eq!(main.matches("<math").count(), 3, "{main}");
    assert_eq!(main.matches("<math display=\"block\"").count(), 2, "{main}");
    for needle in
        ["<mfrac>", "<mi>d</mi>", "∑", "<mtable", "ℝ", "α", "a session costs $5 and a book $10.", "An escaped $ sign"]
    {
        assert!(main.contains(needle), "no {needle} in {main}");
    }
    assert!(main.contains("<code class=\"math-error\">$\\frac{1}$</code> stays visible"), "{main}");
    assert!(!main.contains("math-inline") && !main.contains("\u{FFFC}"), "{main}");
}

#[test]
fn math_survives_the_sanitiser_on_a_page_with_raw_html() {
    let t = SiteTest::from_fixture("math/syntax");
    t.write("content/raw.md", "---\ntitle: Raw\n---\n<div class=\"box\">Raw HTML</div>\n\nInline $x^2$ here.\n");
    t.build().ok();
    t.assert_contains("public/raw/index.html", &["<msup><mi>x</mi><mn>2</mn></msup>", "Raw HTML"]);
}
