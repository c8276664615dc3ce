//! The default theme in headless Chromium: every page type at 375 px and
//! 1280 px in light and dark, with screenshots saved under
//! `<target>/screenshots/`, zero axe-core violations, no request leaving the
//! site, and the theme's behaviour (toggle, contents tracking, previews, copy
//! button, no-JS reading, skip link, print).
//!
//! The driver is `tests/browser/check.mjs` (playwright-core + axe-core from
//! npm, installed by `.ci/run` with `npm ci`); nothing is downloaded here.

use crate::support::{copy_dir, fixtures};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HOW_TO_INSTALL: &str = "install what the browser tests need with `bash .ci/run`, or by hand: \
`apt-get install -y chromium nodejs npm && (cd tests/browser && npm ci)`";

pub(crate) fn chromium() -> PathBuf {
    if let Ok(p) = std::env::var("RAPPORT_CHROMIUM") {
        return PathBuf::from(p);
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!("headless Chromium not found (looked in /usr/bin, or set RAPPORT_CHROMIUM): {HOW_TO_INSTALL}")
        })
}

pub(crate) fn check_node(browser_dir: &Path) {
    let node = Command::new("node").arg("--version").output();
    assert!(node.is_ok_and(|o| o.status.success()), "node not found: {HOW_TO_INSTALL}");
    for module in ["playwright-core", "axe-core"] {
        assert!(
            browser_dir.join("node_modules").join(module).join("package.json").exists(),
            "npm package {module} is not installed in tests/browser: {HOW_TO_INSTALL}"
        );
    }
}

pub(crate) fn screenshots_dir(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_absolute() { target } else { root.join(target) };
    target.join("screenshots")
}

/// Runs `node SCRIPT CONFIG` in `tests/browser`, failing the test past 9 minutes.
pub(crate) fn run_node(browser_dir: &Path, script: &str, config: &Path, what: &str) -> std::process::Output {
    let mut child = Command::new("node")
        .arg(script)
        .arg(config)
        .current_dir(browser_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let deadline = Instant::now() + Duration::from_secs(540);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} took longer than 9 minutes");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    child.wait_with_output().unwrap()
}

pub(crate) fn build(site: &Path, out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--root")
        .arg(site)
        .arg("build")
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "build of {} failed:\n{}", site.display(), String::from_utf8_lossy(&o.stderr));
}

#[test]
fn theme_pages_in_headless_chromium_are_accessible_and_self_contained() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    let chromium = chromium();
    check_node(&browser_dir);

    let tmp = tempfile::tempdir().unwrap();
    // The repository's own site, with the theme as it is on disk.
    let bundled = tmp.path().join("bundled");
    copy_dir(&root.join("content"), &bundled.join("content"));
    copy_dir(&root.join("themes"), &bundled.join("themes"));
    std::fs::copy(root.join("site.toml"), bundled.join("site.toml")).unwrap();
    std::fs::copy(root.join("references.bib"), bundled.join("references.bib")).unwrap();
    build(&bundled, &tmp.path().join("out-bundled"));
    // A page with every piece of furniture, rendered with the embedded theme.
    build(&fixtures().join("theme/furniture"), &tmp.path().join("out-furniture"));

    let shots = screenshots_dir(root);
    let _ = std::fs::remove_dir_all(&shots);
    let config = serde_json::json!({
        "chromium": chromium,
        "screenshots": shots,
        "sites": [
            {"name": "bundled", "dir": tmp.path().join("out-bundled"), "pages": [
                {"name": "home", "path": "/"},
                {"name": "section", "path": "/ruptures/"},
                {"name": "article", "path": "/ruptures/repair-sequence/"},
                {"name": "tags", "path": "/tags/"},
                {"name": "tag", "path": "/tags/ruptures/"},
                {"name": "cited", "path": "/building/what-the-meta-analyses-say/"},
                {"name": "reference", "path": "/references/fluckiger2018/"},
                {"name": "references", "path": "/references/"},
                {"name": "404", "path": "/no/such/page/", "status": 404}
            ]},
            {"name": "furniture", "dir": tmp.path().join("out-furniture"), "pages": [
                {"name": "article", "path": "/guides/kitchen-sink/"}
            ]}
        ],
        "article": {"site": "bundled", "path": "/ruptures/repair-sequence/", "link": "/glossary/rupture/"},
        "furniture": {"site": "furniture", "path": "/guides/kitchen-sink/"}
    });
    let config_path = tmp.path().join("browser.json");
    std::fs::write(&config_path, config.to_string()).unwrap();

    let out = run_node(&browser_dir, "check.mjs", &config_path, "browser checks");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser checks failed (screenshots and report.json in {}):\n{stdout}\n{stderr}",
        shots.display()
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("check.mjs prints JSON");
    assert_eq!(report["pages"], 40, "10 pages x 2 widths x 2 schemes: {stdout}");
    assert!(shots.join("bundled-article-375-dark.png").exists());
}
