//! Real sites written elsewhere build unchanged (../shared/corpora), and so does the bundled site.

use crate::support::{copy_dir, shared, SiteTest};
use std::path::Path;

fn site_from(content: &Path, toml: &str) -> SiteTest {
    assert!(content.is_dir(), "corpus missing at {}: it ships in ../shared beside the repository", content.display());
    let dir = tempfile::tempdir().unwrap();
    copy_dir(content, &dir.path().join("content"));
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    SiteTest { dir }
}

#[test]
fn zola_docs_build_without_broken_links() {
    let t = site_from(
        &shared().join("corpora/zola-docs/docs/content"),
        "title = \"Zola\"\nbase_url = \"https://www.getzola.org/\"\n",
    );
    // The corpus copied only documentation/; its links to the themes section need that section.
    t.write("content/themes/_index.md", "+++\ntitle = \"Themes\"\n+++\n");
    let run = t.build();
    run.ok();
    assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
    let html = t.read("public/documentation/templates/overview/index.html");
    assert!(html.contains("{{ config.base_url }}"), "template syntax in code stays literal");
}

#[test]
fn obsidian_vault_builds_with_wikilinks_and_callouts() {
    let t = site_from(
        &shared().join("corpora/obsidian-tasks-docs/docs"),
        "title = \"Tasks\"\nbase_url = \"https://example.org/\"\n",
    );
    let run = t.build();
    run.ok();
    let broken = run.stderr.matches("broken link").count();
    assert_eq!(broken, 0, "{}", run.stderr);
    let index = t.read("public/getting-started/statuses/index.html");
    assert!(index.contains("data-callout="), "callouts render");
}

#[test]
fn bundled_site_checks_clean() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        copy_dir(&repo.join(part), &dir.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    let t = SiteTest { dir };
    let run = t.run(&["check"]);
    run.ok().stderr_has("0 error(s), 0 warning(s)");
    t.build().ok();
}
