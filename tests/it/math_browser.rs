//! A page with inline and display math, a Mermaid flowchart and a citation in headless
//! Chromium with JavaScript off (`tests/browser/math.mjs`): MathML and SVG
//! are laid out, the diagram's text colour follows the scheme, zero axe
//! violations, no request outside the site, at 375 and 1280 px.

use crate::browser::{build, check_node, chromium, run_node, screenshots_dir};
use crate::support::fixtures;
use std::path::Path;

#[test]
fn math_a_flowchart_and_citations_render_without_script_at_phone_and_desktop_widths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    check_node(&browser_dir);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixtures().join("math/browser"), &out);
    let html = std::fs::read_to_string(out.join("page/index.html")).unwrap();
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    assert!(!main.contains("<script"), "math and diagrams must need no script: {main}");
    assert!(main.contains("<a class=\"citation\" href=\"#ref-cohen1992\""), "the citation links its entry: {main}");
    assert!(main.contains("<li id=\"ref-cohen1992\">Cohen, J. (1992). A power primer."), "{main}");
    let config = serde_json::json!({
        "chromium": chromium(),
        "screenshots": screenshots_dir(root),
        "dir": out,
        "path": "/page/",
        "maths": 4,
        "diagrams": 1
    });
    let config_path = tmp.path().join("math-browser.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let run = run_node(&browser_dir, "math.mjs", &config_path, "math browser checks");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "math browser checks failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("math.mjs prints JSON");
    assert_eq!(report["pages"].as_array().map(Vec::len), Some(4), "{stdout}");
}
