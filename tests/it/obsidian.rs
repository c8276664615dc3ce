//! Obsidian vaults as they are (issue 14): each construct with its own
//! fixture under `tests/fixtures/obsidian/<case>/`.

use crate::markdown::built;

#[test]
fn a_heading_link_without_a_label_is_one_link_and_no_tag() {
    let t = built("obsidian/heading_link");
    let html = t.assert_contains(
        "public/links/index.html",
        &[
            "See <a href=\"#other\">#Other</a>, <a href=\"#other\">the other part</a>",
            "<a class=\"tag\" href=\"/tags/topic/\">#topic</a>",
        ],
    );
    assert!(!html.contains("/tags/other/"), "link text read as a tag:\n{html}");
    t.assert_absent("public/tags/other/index.html");
    t.assert_exists("public/tags/topic/index.html");
}

#[test]
fn an_opening_h1_is_the_title_once_and_the_toc_lists_what_is_under_it() {
    let t = built("obsidian/lead_h1");
    // No front matter title: the H1 becomes the title, shown once.
    let html = t.assert_contains(
        "public/untitled-note/index.html",
        &["<title>The working alliance", "<h1>The working alliance</h1>", "href=\"#goals\"", "href=\"#detail\""],
    );
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(!html.contains("id=\"the-working-alliance\""), "{html}");
    // A front matter title the H1 repeats (case aside): shown once.
    let html = t.assert_contains("public/titled/index.html", &["<h1>Rupture and repair</h1>", "href=\"#signs\""]);
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    // An H1 that differs from the title is a heading of its own.
    t.assert_contains(
        "public/different/index.html",
        &["<h1>A page title</h1>", "<h1 id=\"a-different-first-heading\">"],
    );
}

#[test]
fn callout_titles_render_their_markup() {
    let t = built("obsidian/callout_titles");
    let html = t.assert_contains(
        "public/callouts/index.html",
        &[
            "<p class=\"callout-title\">This is <strong>bold</strong> and <a href=\"/big-note/\">Big note</a></p>",
            "<summary class=\"callout-title\">A <code>code</code> title</summary>",
            "<p class=\"callout-title\">Warning</p>",
            "<summary class=\"callout-title\">Title with <a class=\"tag\"",
            "<mark>mark</mark></summary>",
            "<p>Body one.</p>",
        ],
    );
    assert!(!html.contains("[!info]"), "{html}");
    let backlinks = t.read("public/big-note/index.html");
    assert!(backlinks.contains("/callouts/"), "a wikilink in a callout title is a backlink:\n{backlinks}");
}

#[test]
fn nested_heading_links_resolve_and_unresolved_notes_are_text() {
    let t = built("obsidian/wikilinks");
    let html = t.assert_contains(
        "public/linker/index.html",
        &[
            "<a href=\"/headings/#inner\">Headings#Outer#Inner</a>",
            "<span class=\"unresolved\">Nowhere</span> and <span class=\"unresolved\">a label</span>",
        ],
    );
    assert!(!html.contains("href=\"Nowhere"), "an unresolved note became a link:\n{html}");
    // Still reported, at its line and column.
    t.check()
        .stderr_has("content/Linker.md:3:18: broken link: no page at `content/Nowhere.md`")
        .stderr_has("broken anchor: `content/Headings.md` has no heading `#nope`")
        .stderr_lacks("#inner`");
}

#[test]
fn embedding_another_section_of_the_same_note_is_no_cycle() {
    let t = built("obsidian/self_embed");
    let html = t.read("public/self-embed/index.html");
    let part_one = &html[html.find("id=\"part-one\"").unwrap()..html.rfind("<h2 id=\"part-two\"").unwrap()];
    assert!(part_one.contains("<div class=\"embed\">") && part_one.contains("Second part text."), "{part_one}");
    assert_eq!(html.matches("would include itself").count(), 1, "only the real cycle is one:\n{html}");
    let run = t.check();
    run.stderr_has("content/Self embed.md:11:1: embed cycle: Self embed.md → Self embed.md#loop → Self embed.md#loop");
    assert_eq!(run.stderr_count("embed cycle"), 1, "{}", run.stderr);
}

#[test]
fn an_alias_equal_to_the_own_url_is_a_no_op_and_one_meeting_a_page_warns() {
    let t = crate::support::SiteTest::from_fixture("obsidian/aliases");
    let run = t.build();
    run.ok()
        .stderr_lacks("Aliased.md:1:1")
        .stderr_has("warning: content/other.md:5:5: alias `/real/` is the URL of content/real.md");
    assert_eq!(run.stderr_count("warning"), 1, "{}", run.stderr);
    t.assert_contains("public/aliased/index.html", &["Body of Aliased."]);
    t.assert_contains("public/real/index.html", &["The real page."]);
    t.assert_contains("public/old-other/index.html", &["<meta http-equiv=\"refresh\" content=\"0; url=/other/\">"]);
}

#[test]
fn two_aliases_at_one_url_stay_an_error_naming_both_lines() {
    let t = crate::support::SiteTest::from_fixture("obsidian/aliases_clash");
    t.build().fails(1).stderr_has(
        "2 sources map to the same URL /same/: content/one.md:3:1 (as /same/), content/two.md:3:1 (as /same/)",
    );
}

#[test]
fn custom_properties_build_and_near_misses_warn_unless_strict() {
    let t = crate::support::SiteTest::from_fixture("obsidian/properties");
    let run = t.build();
    run.ok()
        .stderr_has("warning: content/props.md:3:1: unknown front matter field `reference`; did you mean `references`?")
        .stderr_has("warning: content/props.md:6:1: unknown front matter field `titel`; did you mean `title`?")
        .stderr_lacks("alias")
        .stderr_lacks("reviewer");
    assert_eq!(run.stderr_count("warning:"), 2, "{}", run.stderr);
    t.assert_contains("public/props/index.html", &["Body"]);
    t.write("site.toml", format!("{}strict_front_matter = true\n", t.read("site.toml")));
    t.build().fails(1).stderr_has("error: content/props.md:6:1: unknown front matter field `titel`");
}

#[test]
fn a_yaml_value_json_cannot_hold_is_located_at_its_key() {
    let t = crate::support::SiteTest::from_fixture("obsidian/yaml_error");
    t.check().fails(1).stderr_has(
        "content/daily.md:6:1: invalid YAML front matter: `created`: key must be a string (is it a template placeholder like `{{date}}`? quote it)",
    );
}

// Items 12 (properties block, property links as backlinks) and 13 (permalink, home note).

#[test]
fn properties_render_as_a_block_with_links_dates_and_chips_in_file_order() {
    let t = built("obsidian/property_links");
    let html = t.assert_contains(
        "public/linker/index.html",
        &[
            "<dl class=\"properties\">",
            "<dt>status</dt><dd><span class=\"value\">in review</span></dd>",
            "<dt>related</dt><dd><span class=\"value\"><a href=\"/big-note/\">Big note</a></span></dd>",
            "<dt>see also</dt><dd class=\"chips\"><span class=\"chip\"><a href=\"/big-note/#part\">the part</a></span>\
             <span class=\"visually-hidden\">, </span><span class=\"chip\"><span class=\"unresolved\">Nowhere</span></span></dd>",
            "<dt>session date</dt><dd><span class=\"value\"><time datetime=\"2024-05-31\">31 May 2024</time></span></dd>",
            "<dt>source</dt><dd><span class=\"value\"><a href=\"https://example.org/paper\">https://example.org/paper</a></span></dd>",
            "<dt>trap</dt><dd><span class=\"value\">javascript:alert(1)</span></dd>",
            "<dt>score</dt><dd><span class=\"value\">4</span></dd>",
            "<dt>done</dt><dd><span class=\"value\">Yes</span></dd>",
        ],
    );
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at("<dt>status") < at("<dt>related") && at("<dt>related") < at("<dt>see also"), "file order");
    assert!(at("<dt>see also") < at("<dt>session date") && at("<dt>score") < at("<dt>done"), "file order");
    for shown_elsewhere in ["<dt>title", "<dt>tags", "<dt>aliases", "<dt>cssclasses", "<dt>empty", "href=\"javascript"]
    {
        assert!(!html.contains(shown_elsewhere), "{shown_elsewhere} in the properties block:\n{html}");
    }
}

#[test]
fn a_wikilink_in_a_property_is_a_backlink_and_a_broken_one_is_located() {
    let t = built("obsidian/property_links");
    let target = t.read("public/big-note/index.html");
    let backlinks = &target[target.find("id=\"linked-from\"").expect("a backlinks list")..];
    assert!(backlinks.contains("<a href=\"/linker/\">Linker</a><p>related</p>"), "{backlinks}");
    let run = t.check();
    run.stderr_has("content/Linker.md:7:6: broken link: no page at `content/Nowhere.md`");
    assert_eq!(run.stderr_count("broken"), 1, "{}", run.stderr);
    // Off with one setting; the links still count.
    t.write("site.toml", format!("{}[markdown]\nproperties = false\n", t.read("site.toml")));
    t.build().ok();
    t.assert_lacks("public/linker/index.html", &["class=\"properties\"", "in review"]);
    t.assert_contains("public/big-note/index.html", &["<a href=\"/linker/\">Linker</a><p>related</p>"]);
}

#[test]
fn editing_a_property_link_in_serve_moves_the_backlink() {
    use rapport::build::BuildOptions;
    use rapport::incremental::LiveSite;
    use rapport::serve::watch::{Batch, ChangeKind};
    let t = crate::support::SiteTest::from_fixture("obsidian/property_links");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).expect("first build");
    let linker = root.join("content/Linker.md");
    let text = std::fs::read_to_string(&linker).unwrap().replace("related: \"[[Big note]]\"", "related: \"[[Other]]\"");
    std::fs::write(&linker, text).unwrap();
    let update = live.apply(&Batch { changes: vec![(linker, ChangeKind::Content)], rescan: false }).unwrap();
    assert_eq!(update.how, "front matter edit");
    let page =
        |live: &LiveSite, rel: &str| String::from_utf8(live.outputs[std::path::Path::new(rel)].to_vec()).unwrap();
    let other = page(&live, "other/index.html");
    assert!(other.contains("<a href=\"/linker/\">Linker</a><p>related</p>"), "{other}");
    // Big note is still linked, by the other property now.
    let big = page(&live, "big-note/index.html");
    assert!(big.contains("<a href=\"/linker/\">Linker</a><p>see also</p>") && !big.contains("<p>related</p>"), "{big}");
    let fresh = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let differing: Vec<_> = fresh.outputs.keys().filter(|p| fresh.outputs.get(*p) != live.outputs.get(*p)).collect();
    assert!(differing.is_empty(), "incremental differs from a full build in {differing:?}");
}

#[test]
fn permalink_sets_the_url_and_links_follow_it() {
    let t = built("obsidian/permalink");
    t.assert_contains("public/short/index.html", &["The long note."]);
    t.assert_absent("public/folder/long-note-name/index.html");
    t.assert_contains("public/other/index.html", &["<a href=\"/short/\">Long note name</a>"]);
}

#[test]
fn a_bad_permalink_or_one_beside_path_is_an_error_at_its_line() {
    let t = crate::support::SiteTest::from_fixture("obsidian/permalink");
    t.write("content/up.md", "---\ntitle: Up\npermalink: ../outside\n---\nUp.\n");
    t.write("content/both.md", "+++\npath = \"one/\"\ntitle = \"Both\"\npermalink = \"two\"\n+++\nBoth.\n");
    t.build()
        .fails(1)
        .stderr_has("content/up.md:3:1: permalink: path must not contain `..`: `../outside`")
        .stderr_has("content/both.md:4:1: `permalink` and `path` both set the page's URL; keep one");
    assert!(!t.path("outside").exists() && !t.exists("public/one/index.html"));
}

#[test]
fn a_home_note_is_the_front_page_and_the_listing_stays() {
    let t = built("obsidian/home_note");
    let html = t.assert_contains(
        "public/index.html",
        &[
            "<h1>Welcome</h1>",
            "<dt>status</dt>",
            "Start with <a href=\"/guide/\">Guide</a>",
            "href=\"/topics/\"",
            "<a href=\"/guide/\">",
        ],
    );
    assert!(html.find("Start with").unwrap() < html.find("id=\"sections\"").unwrap(), "the note comes first");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    t.assert_absent("public/home/index.html");
    t.assert_contains("public/guide/index.html", &["Back to <a href=\"/\">Home</a>"]);
    t.check().ok().stderr_lacks("broken");
}

#[test]
fn an_index_body_keeps_the_home_unless_site_toml_names_one() {
    let t = crate::support::SiteTest::from_fixture("obsidian/home_note");
    t.write("content/_index.md", "+++\ntitle = \"Front\"\n+++\nIntro body.\n");
    t.build().ok();
    t.assert_contains("public/index.html", &["Intro body."]);
    t.assert_contains("public/home/index.html", &["Start with"]);
    // `home` wins over the body of `_index.md`.
    t.write("site.toml", format!("{}home = \"Guide\"\n", t.read("site.toml")));
    t.build().ok();
    t.assert_lacks("public/index.html", &["Intro body."]);
    t.assert_contains("public/index.html", &["A guide. Back to", "href=\"/home/\""]);
    t.assert_absent("public/guide/index.html");
    t.write("site.toml", format!("{}home = \"Nope.md\"\n", t.read("site.toml").replace("home = \"Guide\"\n", "")));
    t.build().fails(1).stderr_has("site.toml:3:9: home: no file content/Nope.md");
}

#[test]
fn a_quartz_index_note_is_the_home_page_with_its_listing() {
    let t = crate::support::SiteTest::from_fixture("obsidian/home_note");
    t.remove("content/Home.md");
    t.write("content/index.md", "The Quartz front page, see [[Guide]].\n");
    t.build().ok();
    t.assert_contains("public/index.html", &["<h1>Vault</h1>", "The Quartz front page", "href=\"/topics/\""]);
    t.assert_contains("public/guide/index.html", &["<span class=\"unresolved\">Home</span>"]);
}

#[test]
fn editing_the_home_note_in_serve_updates_the_front_page() {
    use rapport::build::BuildOptions;
    use rapport::incremental::LiveSite;
    use rapport::serve::watch::{Batch, ChangeKind};
    let t = crate::support::SiteTest::from_fixture("obsidian/home_note");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).expect("first build");
    let home = root.join("content/Home.md");
    std::fs::write(&home, std::fs::read_to_string(&home).unwrap().replace("Start with", "Begin with")).unwrap();
    live.apply(&Batch { changes: vec![(home, ChangeKind::Content)], rescan: false }).unwrap();
    let front = String::from_utf8(live.outputs[std::path::Path::new("index.html")].to_vec()).unwrap();
    assert!(front.contains("Begin with <a href=\"/guide/\">Guide</a>"), "{front}");
    let fresh = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let differing: Vec<_> = fresh.outputs.keys().filter(|p| fresh.outputs.get(*p) != live.outputs.get(*p)).collect();
    assert!(differing.is_empty(), "incremental differs from a full build in {differing:?}");
}
