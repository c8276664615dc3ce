//! Zola's front matter fields: pagination of section listings (its URLs,
//! `paginator` names, prev/next and `rel` links, followed by a live rebuild),
//! and template names that do not exist refused with a suggestion (feeds,
//! transparent sections and anchor links are in `zola_sections`).

use crate::support::SiteTest;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;
use std::path::Path;

/// A section of `n` pages, weighted 1..=n so their order is known.
fn paginated(n: usize, front: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\nbase_url = \"https://e.org/\"\n");
    t.write("content/guides/_index.md", format!("+++\ntitle = \"Guides\"\nsort_by = \"weight\"\n{front}+++\n"));
    for i in 1..=n {
        t.write(
            &format!("content/guides/g{i}.md"),
            format!("+++\ntitle = \"Guide {i}\"\nweight = {i}\n+++\nBody {i}.\n"),
        );
    }
    t
}

/// The titles a page's listing shows (the nav tree lists every page too).
pub(crate) fn listed(html: &str) -> Vec<String> {
    let list = html.split("<ul class=\"page-list\">").nth(1).and_then(|l| l.split("</ul>").next()).unwrap_or("");
    list.split("class=\"page-list-title\"><a href=\"")
        .skip(1)
        .filter_map(|a| a.split('>').nth(1)?.split('<').next())
        .map(String::from)
        .collect()
}

#[test]
fn paginate_by_splits_a_listing_into_pagers_with_zola_urls() {
    let t = paginated(5, "paginate_by = 2\n");
    t.build().ok();
    let first = t.assert_contains("public/guides/index.html", &["Guide 1", "Guide 2", "5 pages"]);
    assert_eq!(listed(&first), ["Guide 1", "Guide 2"], "page 1 shows only its two pages");
    assert!(first.contains("<link rel=\"next\" href=\"/guides/page/2/\">"), "{first}");
    assert!(!first.contains("rel=\"prev\""), "the first pager has no previous one");
    let second = t.assert_contains(
        "public/guides/page/2/index.html",
        &[
            "<title>Guides (2/3) · T</title>",
            "<link rel=\"prev\" href=\"/guides/\">",
            "<link rel=\"next\" href=\"/guides/page/3/\">",
        ],
    );
    assert_eq!(listed(&second), ["Guide 3", "Guide 4"]);
    // Each pager is its own canonical URL, and the sitemap lists pagers 2.. too.
    assert!(second.contains("<link rel=\"canonical\" href=\"https://e.org/guides/page/2/\">"), "{second}");
    assert!(first.contains("<link rel=\"canonical\" href=\"https://e.org/guides/\">"), "{first}");
    t.assert_contains(
        "public/sitemap.xml",
        &["<loc>https://e.org/guides/page/2/</loc>", "<loc>https://e.org/guides/page/3/</loc>"],
    );
    t.assert_lacks("public/sitemap.xml", &["guides/page/1/"]);
    let last = t.assert_contains("public/guides/page/3/index.html", &["rel=\"prev\" href=\"/guides/page/2/\""]);
    assert_eq!(listed(&last), ["Guide 5"]);
    assert!(!last.contains("rel=\"next\""), "the last pager has no next one");
    // Page 1 lives at the section's own URL; `/page/1/` sends readers there.
    t.assert_contains("public/guides/page/1/index.html", &["http-equiv=\"refresh\"", "url=/guides/\""]);
    t.assert_absent("public/guides/page/4/index.html");
}

#[test]
fn paginate_path_and_paginate_reversed_are_followed() {
    let t = paginated(3, "paginate_by = 2\npaginate_path = \"p\"\npaginate_reversed = true\n");
    t.build().ok();
    let first = t.assert_contains("public/guides/index.html", &["/guides/p/2/"]);
    assert_eq!(listed(&first), ["Guide 3", "Guide 2"], "reversed: the first pager holds the last pages");
    assert_eq!(listed(&t.read("public/guides/p/2/index.html")), ["Guide 1"]);
    t.assert_absent("public/guides/page/2/index.html");
}

#[test]
fn a_template_sees_the_paginator_under_zolas_names() {
    let t = paginated(3, "paginate_by = 2\ntemplate = \"listing.html\"\n");
    t.write(
        "templates/listing.html",
        "{{ paginator.current_index }}/{{ paginator.number_pagers }} first={{ paginator.first }} last={{ paginator.last }} \
         prev={{ paginator.previous | default(value='-') }} next={{ paginator.next | default(value='-') }} \
         [{% for p in paginator.pages %}{{ p.title }};{% endfor %}] section.pages={{ section.pages | length }}",
    );
    t.build().ok();
    assert_eq!(
        t.read("public/guides/page/2/index.html"),
        "2/2 first=/guides/ last=/guides/page/2/ prev=/guides/ next=- [Guide 3;] section.pages=0"
    );
}

fn served(live: &LiveSite, path: &str) -> String {
    String::from_utf8_lossy(&live.outputs[Path::new(path)]).into_owned()
}

/// The pager showing a page follows an edit to its title, and a page added
/// past the last pager makes a new one, with no pagination rule in the engine.
#[test]
fn pagers_follow_edits_in_a_live_rebuild() {
    let t = paginated(4, "paginate_by = 2\n");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    assert!(served(&live, "guides/page/2/index.html").contains("Guide 3"));
    let rename = |live: &mut LiveSite, rel: &str, text: &str, kind| {
        let path = root.join(rel);
        std::fs::write(&path, text).unwrap();
        live.apply(&Batch { changes: vec![(path, kind)], rescan: false }).unwrap();
    };
    rename(
        &mut live,
        "content/guides/g3.md",
        "+++\ntitle = \"Renamed\"\nweight = 3\n+++\nBody.\n",
        ChangeKind::Content,
    );
    let second = served(&live, "guides/page/2/index.html");
    assert!(second.contains("Renamed") && !second.contains("Guide 3"), "{second}");
    rename(&mut live, "content/guides/g5.md", "+++\ntitle = \"Fifth\"\nweight = 5\n+++\nBody.\n", ChangeKind::Content);
    assert!(served(&live, "guides/page/3/index.html").contains("Fifth"), "a new pager for the new page");
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

#[test]
fn an_unknown_page_template_is_an_error_at_its_line_with_a_suggestion() {
    let t = paginated(1, "page_template = \"pag.html\"\n");
    t.build().fails(1).stderr_has("content/guides/_index.md:4:").stderr_has("did you mean `page.html`?");
    t.assert_absent("public");
}

#[test]
fn a_zola_config_toml_without_site_toml_is_named_in_the_error() {
    let t = SiteTest::empty();
    t.write("config.toml", "base_url = \"https://e.org\"\n");
    t.build().fails(2).stderr_has("does not read Zola's config.toml").stderr_has("create site.toml");
}

#[test]
fn a_section_of_subsections_counts_the_pages_below_and_links_by_its_title() {
    let t = SiteTest::empty();
    t.write("site.toml", "title = \"T\"\n");
    t.write("content/topics/_index.md", "+++\ntitle = \"Topics\"\n+++\n");
    t.write("content/topics/grief/_index.md", "+++\ntitle = \"Grief\"\n+++\n");
    t.write("content/topics/grief/overview.md", "+++\ntitle = \"Overview\"\n+++\nA page titled Overview.\n");
    t.write("content/topics/grief/loss.md", "+++\ntitle = \"Loss\"\n+++\nLoss.\n");
    t.build().ok();
    let topics = t.assert_contains("public/topics/index.html", &["<p class=\"meta\">2 pages</p>"]);
    assert!(!topics.contains(">0 pages<"), "a section of subsections counts the pages below");
    let page = t.read("public/topics/grief/loss/index.html");
    assert_eq!(page.matches(">Overview</a>").count(), 1, "only the page is labelled Overview");
    assert!(page.contains("<a href=\"/topics/grief/\">Grief</a>"), "the section link carries its title");
}
