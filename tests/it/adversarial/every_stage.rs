//! One run reports every problem of every stage: bad front matter no longer
//! hides duplicate URLs, broken links, embed cycles or template errors, and
//! every bad field of one front matter block is reported at its own line. A
//! page that fails to parse is left out; links to it are not reported again.

use crate::support::SiteTest;

/// A site with one problem of each stage, and a good page that links to the broken one.
fn broken_everywhere() -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"All\"\nbase_url = \"https://example.org/\"\n");
    t.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\n\n[Bad](bad.md), [[bad]], [Good](good.md).\n");
    t.write("content/bad.md", "+++\ntitle = 42\nweight = 1\ndate = [1]\ntitel = \"x\"\n+++\n\nBody.\n");
    t.write("content/guide.md", "+++\ntitle = \"Guide\"\n+++\n\nOne.\n");
    t.write("content/other.md", "+++\ntitle = \"Other\"\nweight = 2\nslug = \"guide\"\n+++\n\nTwo.\n");
    t.write("content/good.md", "+++\ntitle = \"Good\"\n+++\n\nSee [gone](gone.md).\n\n![[loop]]\n");
    t.write("content/loop.md", "+++\ntitle = \"Loop\"\ntemplate = \"odd.html\"\n+++\n\n![[good]]\n");
    t.write("templates/odd.html", "<h1>{{ page.title }}</h1>\n{{ page.no_such_field }}\n");
    t
}

/// Every problem the site has (a typo is a warning), whichever command found them.
const ERRORS: [&str; 5] = [
    "error: content/bad.md:2:1: front matter field `title`",
    "error: content/bad.md:4:1: front matter field `date`",
    // A likely typo is a warning (an error under strict_front_matter), kept beside the errors.
    "warning: content/bad.md:5:1: unknown front matter field `titel`",
    "2 sources map to the same URL /guide/: content/guide.md:1:1 (as /guide/), content/other.md:4:1 (as /guide/)",
    "error: templates/odd.html:2:4",
];

#[test]
fn check_reports_every_problem_of_every_stage_in_one_run() {
    let t = broken_everywhere();
    let run = t.check();
    run.fails(1);
    for needle in ERRORS {
        run.stderr_has(needle);
    }
    run.stderr_has("error: content/good.md:5:5: broken link: no page at `content/gone.md`")
        .stderr_has("warning: content/good.md:7:1: embed cycle: loop.md → good.md → loop.md")
        // The bad page's own errors explain links to it.
        .stderr_lacks("content/_index.md");
    assert_eq!(run.check_counts(), (5, 3), "{}", run.stderr);
    t.assert_absent("public");
}

#[test]
fn build_reports_every_problem_before_exiting_and_writes_nothing() {
    let t = broken_everywhere();
    let run = t.build();
    run.fails(1).stderr_has("nothing was written").stderr_has("4 errors found");
    for needle in ERRORS {
        run.stderr_has(needle);
    }
    // Without strict_links a broken link stays a warning in build.
    run.stderr_has("warning: content/good.md:5:5: broken link");
    t.assert_absent("public");
}

#[test]
fn yaml_front_matter_reports_every_bad_field_too() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"All\"\n");
    t.write("content/p.md", "---\ntitle: [a, b]\ntags: x\nweight: heavy\ndraft: maybe\n---\nBody.\n");
    let run = t.check();
    run.fails(1)
        .stderr_has("content/p.md:2:1: front matter field `title`")
        .stderr_has("content/p.md:4:1: front matter field `weight`")
        .stderr_has("content/p.md:5:1: front matter field `draft`");
    assert_eq!(run.check_counts().0, 3, "{}", run.stderr);
}
