//! `rapport check` as the gate CI runs: every stage `build` runs except
//! writing, so whatever fails `build` fails `check`, and broken internal
//! links and anchors fail it even where `build` only warns. Orphan pages are
//! reported only when `[check] orphans = true` asks for them.

use crate::support::SiteTest;

const SITE: &str = "title = \"Gate\"\nbase_url = \"https://example.org/\"\n";

/// A two-page site whose home links to both pages.
fn site() -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", SITE);
    t.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\n[A](a.md) and [B](b.md).\n");
    t.write("content/a.md", "+++\ntitle = \"A\"\n+++\n\n## Part\n\nText.\n");
    t.write("content/b.md", "+++\ntitle = \"B\"\n+++\n\nSee [A](a.md#part).\n");
    t
}

#[test]
fn check_fails_on_an_undefined_variable_that_fails_build() {
    let t = site();
    t.write("templates/page.html", "<h1>{{ page.title }}</h1>\n{{ page.no_such_field }}\n");
    t.build().fails(1).stderr_has("error: templates/page.html:2:4");
    let run = t.check();
    run.fails(1).stderr_has("error: templates/page.html:2:4").stderr_has("no_such_field");
    assert_eq!(run.check_counts().0, 1, "{}", run.stderr);
    t.assert_absent("public");
}

#[test]
fn check_fails_on_an_unknown_filter_that_fails_build() {
    let t = site();
    t.write("templates/page.html", "<h1>{{ page.title }}</h1>\n{{ page.title | no_such_filter }}\n");
    t.build().fails(1).stderr_has("templates/page.html");
    t.check().fails(1).stderr_has("templates/page.html").stderr_has("no_such_filter");
    t.assert_absent("public");
}

#[test]
fn check_fails_on_a_broken_link_and_anchor_that_build_only_warns_about() {
    let t = site();
    t.write("content/b.md", "+++\ntitle = \"B\"\n+++\n\nSee [A](a.md#nope) and [gone](gone.md).\n");
    t.build().ok().stderr_has("warning: content/b.md:5:24: broken link: no page at `content/gone.md`");
    let run = t.check();
    run.fails(1)
        .stderr_has("error: content/b.md:5:5: broken anchor: `content/a.md` has no heading `#nope`")
        .stderr_has("error: content/b.md:5:24: broken link: no page at `content/gone.md`");
    assert_eq!(run.check_counts(), (2, 0), "{}", run.stderr);
}

#[test]
fn a_clean_site_passes_check() {
    let t = site();
    let run = t.check();
    run.ok();
    assert_eq!(run.check_counts(), (0, 0), "{}", run.stderr);
}

#[test]
fn orphan_pages_are_reported_only_when_asked() {
    let t = site();
    t.write("content/lonely.md", "+++\ntitle = \"Lonely\"\n+++\n\nNobody links here.\n");
    t.check().ok().stderr_lacks("orphan");
    t.write("site.toml", format!("{SITE}\n[check]\norphans = true\n"));
    let run = t.check();
    run.ok().stderr_has("warning: content/lonely.md: orphan page");
    assert_eq!(run.check_counts(), (0, 1), "{}", run.stderr);
    t.write("site.toml", format!("{SITE}\n[check]\norphanz = true\n"));
    t.check().fails(1).stderr_has("site.toml:5:1").stderr_has("orphanz");
}
