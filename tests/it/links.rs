//! Knowledge-base linking: wikilinks, embeds, callouts, Obsidian extras, backlinks, tags, `check`.

use crate::support::SiteTest;

fn built() -> (SiteTest, crate::support::Run) {
    let t = SiteTest::from_fixture("links/vault");
    let run = t.build();
    run.ok();
    (t, run)
}

#[test]
fn wikilinks_resolve_like_obsidian() {
    let (t, run) = built();
    let hub = t.read("public/notes/hub/index.html");
    assert!(hub.contains("<a href=\"/notes/leaf/\">Leaf</a>"), "{hub}");
    assert!(hub.contains("<a href=\"/notes/leaf/\">a label</a>"));
    assert!(hub.contains("href=\"/notes/leaf/#part-two\""));
    assert!(hub.contains("href=\"/more/leaf-two/\""));
    assert_eq!(hub.matches("href=\"/notes/leaf/\">Other Name</a>").count(), 1, "alias resolves");
    assert!(hub.contains("href=\"#local\""));
    run.stderr_has("content/notes/Hub.md:7:12: ambiguous wikilink [[Dup]]: content/more/Dup.md, content/notes/Dup.md");
    run.stderr_has("content/notes/Hub.md:7:30: broken link: no page at `content/Nowhere.md`");
}

#[test]
fn wikilinks_inside_code_stay_literal() {
    let (t, _) = built();
    let hub = t.read("public/notes/hub/index.html");
    assert!(hub.contains("<code>[[Leaf]]</code>"), "{hub}");
    assert!(hub.contains("[[Leaf]] ![[Leaf]]"), "fence content kept: {hub}");
}

#[test]
fn section_embed_image_size_and_cycles() {
    let (t, run) = built();
    let hub = t.read("public/notes/hub/index.html");
    assert!(hub.contains("<div class=\"embed\">") && hub.contains("Second part body."), "{hub}");
    assert!(!hub.contains("Leaf intro."), "only the section is embedded");
    assert!(hub.contains("<img src=\"/img/pic.png\" alt=\"pic.png\" loading=\"lazy\" width=\"120\">"), "{hub}");
    run.stderr_has("embed cycle");
    let a = t.read("public/notes/cycle-a/index.html");
    assert!(a.contains("embed-error"), "{a}");
}

#[test]
fn obsidian_extras() {
    let (t, _) = built();
    let hub = t.read("public/notes/hub/index.html");
    assert!(hub.contains("<mark>highlighted</mark>"));
    assert!(!hub.contains("hidden comment"));
    assert!(hub.contains("<a class=\"tag\" href=\"/tags/inline-tag/\">#inline-tag</a>"));
    assert!(t.exists("public/tags/inline-tag/index.html"), "inline tags join the taxonomy");
    assert!(hub.contains("<details class=\"callout callout-question\" data-callout=\"faq\">"), "{hub}");
}

#[test]
fn backlinks_carry_context_and_tags_have_counts() {
    let (t, _) = built();
    let leaf = t.read("public/notes/leaf/index.html");
    assert!(leaf.contains("Linked from") && leaf.contains("href=\"/notes/hub/\""), "{leaf}");
    let tags = t.read("public/tags/index.html");
    assert!(tags.contains("href=\"/tags/hub/\">hub <span class=\"count\">") && tags.contains(">1<"), "{tags}");
}

#[test]
fn check_reports_drafts_anchors_missing_files_and_orphans() {
    let t = SiteTest::from_fixture("links/vault");
    let run = t.run(&["check"]);
    // check is the strict gate: broken links and anchors are errors there,
    // while build (without strict_links) only warns.
    run.fails(1)
        .stderr_has("error: content/notes/Checks.md:4:1: broken link: `content/notes/Secret.md` is a draft")
        .stderr_has(
            "error: content/notes/Checks.md:4:24: broken anchor: `content/notes/Leaf.md` has no heading `#nope`",
        )
        .stderr_has("broken anchor: this page has no heading `#missing`")
        .stderr_has("missing file: no `content/notes/gone.png`")
        .stderr_has("warning: content/notes/Checks.md: orphan page");
    t.build().ok().stderr_has("warning: content/notes/Checks.md:4:1: broken link");
    // Orphans are reported only with `[check] orphans = true`.
    let toml = t.read("site.toml").replace("orphans = true", "orphans = false");
    t.write("site.toml", toml);
    t.run(&["check"]).fails(1).stderr_lacks("orphan page");
}

#[test]
fn backlinks_with_context_and_related_pages_are_shown() {
    let t = SiteTest::from_fixture("links/backlinks");
    t.build().ok();
    t.assert_contains(
        "public/guides/second/index.html",
        &["Linked from", "href=\"/guides/first/\"", "Intro paragraph linking second and more.", "Related pages"],
    );
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let status = if request.url().starts_with("/ok") { 200 } else { 404 };
            let _ = request.respond(tiny_http::Response::empty(status));
        }
    });
    let t = SiteTest::from_fixture("links/vault");
    t.write(
        "content/notes/Web.md",
        format!("---\ntitle: Web\n---\n[fine](http://127.0.0.1:{port}/ok) and [gone](http://127.0.0.1:{port}/gone).\n"),
    );
    // The vault's deliberately broken internal links fail check either way.
    t.run(&["check"]).fails(1);
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 0, "no requests without --external");
    let run = t.run(&["check", "--external"]);
    run.fails(1)
        .stderr_has(&format!("content/notes/Web.md:4:39: external link http://127.0.0.1:{port}/gone: HTTP 404"));
    assert!(!run.stderr.contains("/ok: "), "{}", run.stderr);
}
