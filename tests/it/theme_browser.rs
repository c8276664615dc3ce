//! The theme's reader features in headless Chromium (`tests/browser/theme.mjs`,
//! playwright-core + axe-core from npm): the phone drawer, the reachable
//! header, favicon, touch previews, glossary links, offline reading, the
//! section print view, wide tables and the 404 page, at 375 and 1280 px in
//! light and dark. And `rapport serve` never installs the service worker.

use crate::browser::{build, check_node, chromium, run_node, screenshots_dir};
use crate::cdp::Browser;
use crate::support::{copy_dir, fixtures, SiteTest};
use std::path::Path;

#[test]
fn theme_reader_features_work_at_phone_and_desktop_widths_in_both_schemes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    check_node(&browser_dir);
    let tmp = tempfile::tempdir().unwrap();
    let bundled = tmp.path().join("bundled");
    copy_dir(&root.join("content"), &bundled.join("content"));
    copy_dir(&root.join("themes"), &bundled.join("themes"));
    std::fs::copy(root.join("site.toml"), bundled.join("site.toml")).unwrap();
    std::fs::copy(root.join("references.bib"), bundled.join("references.bib")).unwrap();
    build(&bundled, &tmp.path().join("out-bundled"));
    build(&fixtures().join("theme/furniture"), &tmp.path().join("out-furniture"));
    // The same furniture in French, with no site words of its own.
    let french = tmp.path().join("french");
    copy_dir(&fixtures().join("theme/furniture"), &french);
    let toml = std::fs::read_to_string(french.join("site.toml")).unwrap();
    let toml = toml.split("\n[labels]").next().unwrap().to_string() + "\nlanguage = \"fr\"\n";
    std::fs::write(french.join("site.toml"), toml).unwrap();
    build(&french, &tmp.path().join("out-french"));

    let shots = screenshots_dir(root);
    let config = serde_json::json!({
        "chromium": chromium(),
        "screenshots": shots,
        "sites": [
            {"name": "bundled", "dir": tmp.path().join("out-bundled")},
            {"name": "furniture", "dir": tmp.path().join("out-furniture")},
            {"name": "french", "dir": tmp.path().join("out-french")}
        ],
        "bundled": {"site": "bundled", "article": "/ruptures/repair-sequence/", "section": "/ruptures/",
            "glossary_term": "/glossary/rupture/", "missing": "/ruptures/repair-sequense/",
            "missing_suggests": "/ruptures/repair-sequence/"},
        "furniture": {"site": "furniture", "article": "/guides/kitchen-sink/"},
        "french": {"site": "french", "article": "/guides/kitchen-sink/"}
    });
    let config_path = tmp.path().join("theme-browser.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let out = run_node(&browser_dir, "theme.mjs", &config_path, "theme browser checks");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "theme browser checks failed (screenshots in {}):\n{stdout}\n{}",
        shots.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("theme.mjs prints JSON");
    let checks = report["checks"].as_array().unwrap();
    assert!(checks.len() >= 40 && checks.iter().all(|c| c["ok"] == true), "{stdout}");
    assert!(shots.join("theme-drawer-open-375-dark.png").exists());
}

#[test]
fn serve_never_installs_the_offline_service_worker() {
    let t = SiteTest::from_fixture("theme/furniture");
    let toml = t.read("site.toml");
    t.write("site.toml", format!("offline = true\n{toml}"));
    let server = crate::serve::start(&t);
    let mut browser = Browser::launch();
    let mut page = browser.open(&format!("http://127.0.0.1:{}/guides/kitchen-sink/", server.port));
    assert_eq!(page.eval("document.documentElement.dataset.offline"), "/sw.js", "the site opted in");
    // Past the load event, when a built site registers it.
    page.eval("new Promise(r => setTimeout(r, 1500))");
    let registered = page.eval("navigator.serviceWorker.getRegistrations().then(rs => rs.length)");
    assert_eq!(registered, 0, "serve installed a service worker");
}

#[test]
fn the_youtube_shortcode_loads_no_player_until_clicked() {
    let t = SiteTest::from_fixture("shortcodes/theme");
    let server = crate::serve::start(&t);
    let mut browser = Browser::launch();
    let mut page = browser.open(&format!("http://127.0.0.1:{}/demo/", server.port));
    page.wait_for("document.readyState === 'complete'", "the page loads");
    let fetched = "performance.getEntriesByType('resource').filter(e => /youtube/.test(e.name)).length";
    assert_eq!(page.eval(fetched), 0, "a request went to YouTube before any click");
    assert_eq!(page.eval("document.querySelectorAll('iframe').length"), 0);
    assert_eq!(page.eval("document.querySelector('.youtube-link').getAttribute('role')"), "button");
    // Record the player's address instead of loading it: this machine has no network.
    page.eval(
        "void Object.defineProperty(HTMLIFrameElement.prototype, 'src', \
         {set(v) { this.dataset.wanted = v; }, get() { return this.dataset.wanted || ''; }, configurable: true})",
    );
    page.eval("document.querySelector('.youtube-link').click()");
    let src = page.wait_for("document.querySelector('.youtube iframe')?.dataset.wanted", "the player after a click");
    assert_eq!(src, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
    assert_eq!(page.eval("document.querySelector('.youtube iframe').title"), "Repairing a rupture, a worked example");
}
