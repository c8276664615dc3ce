//! Obsidian vaults as they are (issue 14): each construct with its own
//! fixture under `tests/fixtures/obsidian/<case>/`.

use crate::markdown::built;

/// Embeds keep no ids: a page would otherwise have two elements with one.
#[track_caller]
fn assert_unique_ids(html: &str) {
    let mut ids: Vec<&str> = html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "an id appears twice:\n{html}");
}
use crate::support::SiteTest;

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
fn retitling_a_note_by_its_opening_h1_updates_every_page_that_shows_the_title_in_serve() {
    let t = built("obsidian/lead_h1");
    let s = crate::serve::start(&t);
    t.write("content/Untitled note.md", "# The renamed alliance\n\nOpening paragraph.\n\n## Goals\n");
    crate::serve::wait_for(&s, "/untitled-note/", |_, b| b.contains("<h1>The renamed alliance</h1>"));
    // The home listing and the other pages' navigation show the new title too.
    crate::serve::wait_for(&s, "/", |_, b| b.contains("The renamed alliance") && !b.contains("The working alliance"));
    crate::serve::wait_for(&s, "/titled/", |_, b| b.contains("The renamed alliance"));
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
    assert_unique_ids(&html);
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

#[test]
fn the_vaults_templates_and_excluded_files_and_site_ignore_globs_are_not_published() {
    let t = built("obsidian/vault_settings");
    // Home.md is the vault's home note, shown at `/`.
    t.assert_contains("public/index.html", &["<a href=\"/notes/kept/\">Kept</a>"]);
    t.assert_exists("public/notes/kept/index.html");
    for gone in [
        "public/templates/daily/index.html",    // templates.json `folder`
        "public/archive/old/index.html",        // userIgnoreFilters prefix
        "public/drawing-excalidraw/index.html", // userIgnoreFilters `/regex/`
        "public/private/secret/index.html",     // site.toml `ignore` folder
        "public/notes/idea-draft/index.html",   // site.toml `ignore` glob
        "public/hidden/index.html",             // `publish: false` still works
    ] {
        t.assert_absent(gone);
    }
    let all = t.files_under("public").join("\n");
    assert!(!all.contains("{{") && !all.to_lowercase().contains("templates/"), "{all}");
    let search = t.read("public/search/index.json");
    assert!(!search.contains("Daily"), "a template reached the search index:\n{search}");
    // A link to a left-out note is as broken as a link to no note.
    let run = t.check();
    run.fails(1)
        .stderr_has("content/Home.md:3:18: broken link: no page at `content/Old.md`")
        .stderr_has("content/Home.md:4:6: broken link: no page at `content/Daily.md`")
        .stderr_has("content/Home.md:4:17: broken link: no page at `content/secret.md`")
        .stderr_has("content/Home.md:4:32: broken link: no page at `content/idea.draft.md`")
        .stderr_lacks("Kept.md`");
}

#[test]
fn a_vault_at_the_site_root_has_paths_relative_to_it_and_templater_folders_count() {
    let t = built("obsidian/vault_at_site_root");
    t.assert_exists("public/public/index.html");
    t.assert_absent("public/private-notes/index.html").assert_absent("public/private/diary/index.html");
    t.assert_absent("public/_meta/templates/new-note/index.html");
    assert!(!t.read("public/index.html").contains("_meta"), "the templates folder is in the nav");
}

#[test]
fn a_malformed_vault_setting_is_a_located_warning_not_a_crash() {
    let t = SiteTest::from_fixture("obsidian/vault_settings");
    t.write("content/.obsidian/app.json", "{\n  \"userIgnoreFilters\": [\"Archive/\",]\n}\n");
    t.build().ok().stderr_has("warning: content/.obsidian/app.json:2:36: vault setting ignored: trailing comma");
    // Without its settings the vault publishes what they left out.
    t.assert_exists("public/archive/old/index.html");
    // A template read as a note: its placeholders are the error, located too.
    t.write("content/.obsidian/templates.json", "{\"folder\": 3}");
    t.build()
        .fails(1)
        .stderr_has("warning: content/.obsidian/templates.json:1:12: vault setting ignored: invalid type")
        .stderr_has("content/Templates/Daily.md:")
        .stderr_has("invalid YAML front matter");
    t.write("content/.obsidian/templates.json", "{\"folder\": \"Templates\"}");
    t.write("content/.obsidian/app.json", "{\"userIgnoreFilters\": [\"/(unclosed/\"]}");
    t.build().ok().stderr_has("content/.obsidian/app.json:1:24: excluded files: `/(unclosed/` is not a regex");
}

#[test]
fn a_bad_ignore_glob_is_an_error_at_its_line() {
    let t = SiteTest::from_fixture("obsidian/vault_settings");
    t.write("site.toml", "title = \"Vault\"\nignore = [\n  \"private\",\n  \"notes/[x\",\n]\n");
    t.build().fails(1).stderr_has("site.toml:4:4: ignore: `notes/[x` is not a glob: unclosed character class");
    t.assert_absent("public");
}

#[test]
fn serve_never_rebuilds_for_a_left_out_file_and_rereads_the_vault_settings() {
    let t = SiteTest::from_fixture("obsidian/vault_settings");
    let s = crate::serve::start(&t);
    t.write("content/Templates/Daily.md", "# {{title}} edited\n");
    t.write("content/private/new.md", "New secret.\n");
    std::thread::sleep(std::time::Duration::from_millis(500));
    t.write("content/notes/Kept.md", "Kept, edited.\n");
    crate::serve::wait_for(&s, "/notes/kept/", |_, b| b.contains("Kept, edited."));
    let log = s.log();
    assert_eq!(log.matches("rewritten").count(), 1, "only the kept note rebuilt:\n{log}");
    assert_eq!(crate::serve::get(s.port, "/private/new/", "").0, 404);
    // Excluding a folder in Obsidian takes it off the served site.
    t.write("content/.obsidian/app.json", "{\"userIgnoreFilters\": [\"notes\"]}");
    crate::serve::wait_for(&s, "/notes/kept/", |status, _| status == 404);
    crate::serve::wait_for(&s, "/archive/old/", |status, _| status == 200);
}

#[test]
fn embedded_pdfs_audio_and_video_become_their_elements_and_bases_a_note() {
    let t = SiteTest::from_fixture("obsidian/file_embeds");
    let run = t.build();
    run.ok();
    let html = t.assert_contains(
        "public/media/index.html",
        &[
            "<object class=\"embed-pdf\" data=\"/files/talk.pdf\" type=\"application/pdf\"><a href=\"/files/talk.pdf\">talk.pdf</a></object>",
            "data=\"/files/talk.pdf#page=3\"",
            "<audio class=\"embed-audio\" controls preload=\"metadata\" src=\"/files/Interview.M4A\"><a href=\"/files/Interview.M4A\">Interview.M4A</a></audio>",
            "<video class=\"embed-video\" controls preload=\"metadata\" src=\"/clip.mp4\" width=\"320\">",
            "<video class=\"embed-video\" controls preload=\"metadata\" src=\"/loop.webm\">",
            "<span class=\"embed-unsupported\">Albums.base: an Obsidian Base, which this site cannot show</span>",
            "<span class=\"unresolved\">lost.pdf</span>",
            "<span class=\"unresolved\">Nowhere</span>",
            "<span class=\"unresolved\">lost.mp3</span>",
            "<b>HTML</b>",
        ],
    );
    assert!(!html.contains("<img"), "a file embed became an image:\n{html}");
    assert_eq!(html.matches("embed-unsupported").count(), 2, "{html}");
    // One warning for the Base, at its first embed, however many pages embed it.
    let warning = "content/Media.md:11:9: `Albums.base` is an Obsidian Base, which rapport cannot show";
    run.stderr_has(warning);
    assert_eq!(run.stderr_count("is an Obsidian Base"), 1, "{}", run.stderr);
    t.assert_contains("public/other/index.html", &["embed-unsupported"]);
    // Missing files are missing files, named as written, never `lost.pdf.md`.
    let check = t.check();
    check
        .fails(1)
        .stderr_has("content/Media.md:17:7: missing file: no `content/lost.pdf`")
        .stderr_has("content/Media.md:17:42: missing file: no `content/lost.mp3`")
        .stderr_has("content/Media.md:17:25: broken link: no page at `content/Nowhere.md`")
        .stderr_lacks(".pdf.md")
        .stderr_lacks(".base.md");
    assert_eq!(check.check_counts(), (3, 1), "{}", check.stderr);
}

#[test]
fn the_nav_counts_every_page_below_a_section_and_hides_folders_with_none() {
    let t = built("obsidian/nav_counts");
    let home = t.read("public/index.html");
    let nav = &home[home.find("id=\"site-nav\"").expect("a nav")..];
    assert!(!nav.contains("_meta") && !nav.contains("templates") && !nav.contains("images"), "{nav}");
    // Reference holds one page and three in its subsections.
    assert!(nav.contains("<summary>Reference <span class=\"count\">4</span>"), "{nav}");
    assert!(nav.contains("<summary>Formats <span class=\"count\">2</span>"), "{nav}");
    t.assert_contains(
        "public/index.html",
        &["<a href=\"/reference/\">Reference</a></h3><p class=\"meta\">4 pages</p>"],
    );
    t.assert_absent("public/meta/index.html");
    // The attachment in the folder is still there for the notes that embed it.
    t.assert_exists("public/_meta/images/pic.png");
}

#[test]
fn a_note_at_a_tag_url_introduces_the_tag_page_written_once() {
    let t = built("obsidian/tag_pages");
    t.assert_contains(
        "public/tags/grief/index.html",
        &["Tags:</span> Grief and loss</h1>", "<p>Notes on <strong>bereavement</strong> work.</p>", "Mourning"],
    );
    t.assert_contains("public/tags/index.html", &["<h1>All topics</h1>", "Every topic on this site.", "grief"]);
    // Editing the note re-renders the tag page in serve as in a build.
    let s = crate::serve::start(&t);
    t.write("content/tags/grief.md", "---\ntitle: Grief\n---\nEdited intro.\n");
    crate::serve::wait_for(&s, "/tags/grief/", |_, b| b.contains("Edited intro.") && b.contains("Mourning"));
}

// Issue 14, items 7 (block references) and 15 (backlink context).

#[test]
fn backlink_context_is_the_sentence_a_reader_sees() {
    let t = built("obsidian/backlink_context");
    let html = t.assert_contains(
        "public/target/index.html",
        &[
            // A nested list item is a block of its own, not glued to its parent.
            "<a href=\"/outline/\">Outline</a><p>Target</p>",
            // A line starting with a list marker starts a new line, also when
            // CommonMark reads it as a paragraph's lazy continuation.
            "<a href=\"/api/\">Api</a><p>the user completed a task like this, which uses Target’s delete facility:</p>",
            // A task's checkbox is no text; emphasis is text without its `**`.
            "<a href=\"/tasks/\">Tasks</a><p>Call Target about the plan</p>",
            "<a href=\"/table/\">Table</a><p>Target</p>",
        ],
    );
    for raw in ["[ ]", "**", "[[", "TargetSpecify"] {
        assert!(!html.contains(raw), "backlink context shows {raw:?}:\n{html}");
    }
}

#[test]
fn block_ids_are_anchors_links_and_embeds_and_never_text() {
    let t = built("obsidian/block_refs");
    let blocks = t.assert_contains(
        "public/blocks/index.html",
        &[
            "<p id=\"block-para1\">A plain paragraph with an id.</p>",
            "<li id=\"block-item-2\">Second item\n<ul>\n<li>Its child</li>",
            "<table id=\"block-tbl\">",
            "<blockquote id=\"block-quote\">\n<p>Quoted wisdom.</p>",
            "<div id=\"block-call\" class=\"callout callout-note\"",
            "<ul id=\"block-whole-list\">\n<li>List one</li>",
            "<p id=\"block-next-line\">Text on two lines\n</p>",
            "<pre id=\"block-code\" class=\"code\"",
            // A heading whose slug is a block's id steps aside.
            "<h2 id=\"block-para1-1\">",
            "Not an id: x^2 and ^bad_id and a caret ^ alone.",
        ],
    );
    let body = &blocks[..blocks.find("class=\"article-links\"").unwrap()];
    for id in ["^para1", "^item-2", "^tbl", "^quote", "^call", "^whole-list", "^next-line", "^code"] {
        assert!(!body.contains(id), "block id {id} shown as text:\n{body}");
    }
    let linker = t.assert_contains(
        "public/linker/index.html",
        &[
            "<a href=\"/blocks/#block-para1\">",
            "<a href=\"/blocks/#block-item-2\">the item</a>",
            "<a href=\"/blocks/#block-tbl\">md</a>",
            "<a href=\"#block-mine\">",
            "<p id=\"block-mine\">Here</p>",
        ],
    );
    // Each embed holds its block and nothing after it.
    let embeds: Vec<&str> = linker.split("<div class=\"embed\">").skip(1).collect();
    let expect = [
        ("block-para1", "<p data-embedded-id=\"block-para1\">A plain paragraph with an id.</p>\n</div>"),
        (
            "block-item-2",
            "<ul>\n<li data-embedded-id=\"block-item-2\">Second item\n<ul>\n<li>Its child</li>\n</ul>\n</li>\n</ul>\n</div>",
        ),
        ("block-tbl", "<tr><td>alpha</td><td>one</td></tr>\n</tbody></table>\n</div>"),
        ("block-quote", "<blockquote data-embedded-id=\"block-quote\">\n<p>Quoted wisdom.</p>\n</blockquote>\n</div>"),
        ("block-call", "<p>Callout body.</p>\n</div>\n</div>\n</div>"),
        ("block-whole-list", "<li>List one</li>\n<li>List two</li>\n</ul>\n</div>"),
        ("block-next-line", "<p data-embedded-id=\"block-next-line\">Text on two lines\n</p>\n</div>"),
        ("block-code", "</code></pre>\n</div>"),
    ];
    assert_eq!(embeds.len(), expect.len(), "{linker}");
    for (embed, (id, body)) in embeds.iter().zip(expect) {
        assert!(
            embed.contains(&format!("data-embedded-id=\"{id}\"")) && embed.contains(body),
            "embed of {id}:\n{embed}"
        );
        assert!(!embed.contains("Third item") && !embed.contains("Body."), "embed of {id} runs on:\n{embed}");
    }
    assert_unique_ids(&linker);
    let run = t.check();
    run.fails(1)
        .stderr_has("content/Linker.md:3:10: broken anchor: `content/Blocks.md` has no block `^nope`")
        .stderr_has("content/Linker.md:5:21: broken anchor: this page has no block `^gone`");
    assert_eq!(run.check_counts(), (2, 0), "{}", run.stderr);
}

#[test]
fn a_block_id_used_twice_warns_at_the_second_and_links_go_to_the_first() {
    let t = crate::support::SiteTest::from_fixture("obsidian/block_ref_twice");
    let run = t.build();
    run.ok().stderr_has(
        "warning: content/Twice.md:3:1: block id `^same` is already used on this page; links go to the first",
    );
    let html = t.assert_contains("public/twice/index.html", &["<p id=\"block-same\">First.</p>", "<p>Second.</p>"]);
    assert_eq!(html.matches("id=\"block-same\"").count(), 1, "{html}");
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
