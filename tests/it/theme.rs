//! The default theme: overrides, metadata, JSON-LD, link previews, the
//! disclaimer, and page weight. Browser behaviour is in `browser.rs`; hostile
//! titles are in `adversarial::escaping`.

use crate::support::{copy_dir, SiteTest};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn page(t: &SiteTest, url: &str) -> String {
    t.read(&format!("public/{url}index.html"))
}

/// The parsed JSON-LD block of a page: the text up to the first `</script>`
/// after it must be one valid JSON document (so nothing broke out of it).
pub(crate) fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("page has JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").expect("JSON-LD is closed");
    serde_json::from_str(&html[start..end])
        .unwrap_or_else(|e| panic!("JSON-LD is not JSON ({e}):\n{}", &html[start..end]))
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn root_partial_overrides_the_theme_partial() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.write("templates/partials/nav.html", "<p class=\"my-nav\">MY NAV: {{ site.nav | length }} sections</p>\n");
    t.build().ok();
    let html = page(&t, "guides/kitchen-sink/");
    assert!(html.contains("<p class=\"my-nav\">MY NAV: 1 sections</p>"), "{html}");
    assert!(!html.contains("class=\"nav-tree\""), "the theme's nav is still there:\n{html}");
    // Everything else still comes from the theme.
    assert!(html.contains("class=\"article-header\"") && html.contains("class=\"toc\""));
}

#[test]
fn nav_tree_opens_the_current_section_and_marks_the_page() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let html = page(&t, "guides/kitchen-sink/");
    assert!(html.contains("<li><details open><summary>Guides <span class=\"count\">2</span></summary>"), "{html}");
    assert!(html.contains("href=\"/guides/kitchen-sink/\" aria-current=\"page\">Kitchen Sink</a>"), "{html}");
    let home = t.read("public/index.html");
    assert!(home.contains("<li><details><summary>Guides"), "sections are closed away from them:\n{home}");
}

/// A vault with hundreds of folders: the nav lists 60 sections a level and
/// says how many more, yet always leads to the page being read.
#[test]
fn nav_lists_sixty_sections_a_level_and_always_the_current_one() {
    let t = SiteTest::from_fixture("theme/furniture");
    for i in 0..100 {
        t.write(&format!("content/z{i:03}/note.md"), format!("+++\ntitle = \"Note {i}\"\n+++\nBody.\n"));
        t.write(&format!("content/guides/sub{i:03}/p.md"), format!("+++\ntitle = \"Sub {i}\"\n+++\nBody.\n"));
    }
    t.build().ok();
    let nav = |html: &str| html[html.find("class=\"nav-tree\"").unwrap()..].split("</nav>").next().unwrap().to_string();
    let home = nav(&t.read("public/index.html"));
    assert!(home.contains(">41 more sections</a>"), "{home}");
    assert!(home.contains("href=\"/guides/sub000/\"") && !home.contains("href=\"/guides/sub099/\""), "{home}");
    assert!(home.contains(">40 more sections in Guides</a>"), "{home}");
    let deep = nav(&page(&t, "guides/sub099/p/"));
    assert!(deep.contains("href=\"/guides/sub099/p/\" aria-current=\"page\">Sub 99</a>"), "{deep}");
    assert!(deep.contains(">39 more sections in Guides</a>"), "{deep}");
    let far = nav(&page(&t, "z099/note/"));
    assert!(far.contains("href=\"/z099/note/\" aria-current=\"page\">Note 99</a>"), "{far}");
    assert!(far.contains(">40 more sections</a>"), "{far}");
}

/// Most pages of a large section are past the nav's 60: they share one
/// rendering of the nav partial, which still opens their section and marks
/// nothing, while each listed page gets its own, marking itself.
#[test]
fn pages_the_nav_does_not_list_share_a_nav_that_opens_their_section() {
    let t = SiteTest::from_fixture("theme/furniture");
    for i in 0..70 {
        t.write(&format!("content/big/p{i:02}.md"), format!("+++\ntitle = \"Big {i}\"\n+++\nBody.\n"));
    }
    t.write("content/other/q.md", "+++\ntitle = \"Other page\"\n+++\nBody.\n");
    t.build().ok();
    let nav = |html: &str| html[html.find("class=\"nav-tree\"").unwrap()..].split("</nav>").next().unwrap().to_string();
    let mut unlisted = Vec::new();
    for i in 0..70 {
        let url = format!("/big/p{i:02}/");
        let html = nav(&page(&t, &url[1..]));
        assert!(html.contains("<li><details open><summary>big <span class=\"count\">70</span>"), "{url}:\n{html}");
        assert!(!html.contains("<details open><summary>other"), "{url}:\n{html}");
        if html.contains(&format!("href=\"{url}\"")) {
            assert!(html.contains(&format!("href=\"{url}\" aria-current=\"page\">")), "{url}:\n{html}");
            assert_eq!(html.matches("aria-current").count(), 1, "{url}:\n{html}");
        } else {
            assert!(!html.contains("aria-current"), "{url}:\n{html}");
            unlisted.push(html);
        }
    }
    assert_eq!(unlisted.len(), 10);
    assert!(unlisted.windows(2).all(|w| w[0] == w[1]));
    let other = nav(&page(&t, "other/q/"));
    assert!(other.contains("<details open><summary>other") && !other.contains("<details open><summary>big"), "{other}");
    assert!(other.contains("href=\"/other/q/\" aria-current=\"page\">Other page</a>"), "{other}");
}

/// The nav partial is rendered from the tree alone, so one that reads the
/// page fails, naming itself, rather than showing one page's title on others.
#[test]
fn a_nav_partial_that_reads_the_page_is_an_error_naming_it() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.write("templates/partials/nav.html", "<p>{{ page.title }}</p>\n");
    t.build().fails(1).stderr_has("templates/partials/nav.html").stderr_has("page.title");
}

/// A base template of one's own (as the theme's was before the nav was
/// rendered on its own) may still include the nav partial, which then sees
/// the whole page context, and the marks in the tree.
#[test]
fn a_base_template_that_includes_the_nav_partial_still_marks_the_page() {
    let t = SiteTest::from_fixture("theme/furniture");
    let base =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/rapport/templates/base.html"))
            .unwrap();
    let own = base.replace("{{ nav_html | safe }}", "{% include \"partials/nav.html\" %}");
    // An included template uses the macros its includer imports.
    t.write("templates/base.html", format!("{{%- import \"partials/nav_tree.html\" as tree -%}}{own}"));
    t.build().ok();
    let html = page(&t, "guides/kitchen-sink/");
    assert!(html.contains("href=\"/guides/kitchen-sink/\" aria-current=\"page\">Kitchen Sink</a>"), "{html}");
    assert!(html.contains("<li><details open><summary>Guides"), "{html}");
}

#[test]
fn every_page_has_description_feed_link_and_disclaimer() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let files = html_files(&t.root().join("public"));
    assert!(files.len() >= 7, "{files:?}");
    for f in files {
        let html = std::fs::read_to_string(&f).unwrap();
        let name = f.display();
        assert!(html.contains("<meta name=\"description\" content=\""), "{name}: no description");
        assert!(html.contains("type=\"application/atom+xml\""), "{name}: no feed link");
        assert!(html.contains("<p class=\"disclaimer\"><strong>Please note:</strong> Educational content"), "{name}");
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#main\">") && html.contains("<main id=\"main\""),
            "{name}"
        );
        // The stored colour scheme is applied by an inline script before any stylesheet: no flash.
        let script = html.find("localStorage.getItem(\"rapport-theme\")").expect("theme script");
        assert!(script < html.find("rel=\"stylesheet\"").unwrap(), "{name}: theme script after the stylesheet");
    }
}

#[test]
fn article_has_canonical_open_graph_and_medical_json_ld() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let html = page(&t, "guides/kitchen-sink/");
    for needle in [
        "<link rel=\"canonical\" href=\"https://furniture.example.org/guides/kitchen-sink/\">",
        "<meta property=\"og:type\" content=\"article\">",
        "<meta property=\"og:title\" content=\"Kitchen Sink\">",
        "<meta property=\"og:description\" content=\"Callouts, footnotes, code, tables, quotes, lists and references on one page.\">",
        "<meta property=\"og:site_name\" content=\"Furniture\">",
        "Last reviewed <time datetime=\"2025-03-01\">1 March 2025</time>",
        "<p class=\"lede\">Callouts, footnotes",
        "<h2 id=\"references-title\">References</h2>",
        "<h2 id=\"linked-from\">Linked from</h2>",
        "rel=\"tag\">furniture</a>",
    ] {
        assert!(html.contains(needle), "missing {needle}:\n{html}");
    }
    let ld = json_ld(&html);
    let graph = ld["@graph"].as_array().unwrap();
    let pg = &graph[0];
    assert_eq!(pg["@type"], "MedicalWebPage");
    assert_eq!(pg["lastReviewed"], "2025-03-01");
    assert_eq!(pg["url"], "https://furniture.example.org/guides/kitchen-sink/");
    assert_eq!(pg["author"][0]["name"], "A. Practitioner");
    let crumbs = &graph[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    let items: Vec<(i64, &str, &str)> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["position"].as_i64().unwrap(), i["name"].as_str().unwrap(), i["item"].as_str().unwrap()))
        .collect();
    assert_eq!(
        items,
        [
            (1, "Furniture test site", "https://furniture.example.org/"),
            (2, "Guides", "https://furniture.example.org/guides/"),
            (3, "Kitchen Sink", "https://furniture.example.org/guides/kitchen-sink/"),
        ]
    );
    // No review date, no lastReviewed.
    let second = json_ld(&page(&t, "guides/second/"));
    assert!(second["@graph"][0].get("lastReviewed").is_none(), "{second}");
    // Sections are collections.
    assert_eq!(json_ld(&page(&t, "guides/"))["@graph"][0]["@type"], "CollectionPage");
}

/// Every link-preview record of a built site, by output path, read from the
/// bucket files that `<html data-previews>` counts.
pub(crate) fn preview_records(t: &SiteTest) -> serde_json::Map<String, serde_json::Value> {
    let html = t.read("public/index.html");
    let count: usize = html.split("data-previews=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let files = t.files_under("public/previews");
    assert!(files.len() <= count && count.is_power_of_two(), "{count} buckets, files: {files:?}");
    let mut all = serde_json::Map::new();
    for file in files {
        let records: serde_json::Value = serde_json::from_str(&t.read(&format!("public/previews/{file}"))).unwrap();
        all.extend(records.as_object().unwrap().clone());
    }
    all
}

#[test]
fn previews_are_written_for_pages_and_sections() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let records = preview_records(&t);
    let sink = &records["guides/kitchen-sink/index.html"];
    assert_eq!(sink["title"], "Kitchen Sink");
    assert_eq!(sink["summary"], "Callouts, footnotes, code, tables, quotes, lists and references on one page.");
    assert_eq!(sink["section"], "Guides");
    assert_eq!(sink["reviewed"], "2025-03-01");
    assert_eq!(records["guides/index.html"]["title"], "Guides");
    assert_eq!(records["index.html"]["title"], "Furniture test site");
    // Without a description the first paragraph is the summary.
    t.write("content/guides/plain.md", "+++\ntitle = \"Plain\"\n+++\nFirst *paragraph* here.\n\nSecond.\n");
    t.build().ok();
    assert_eq!(preview_records(&t)["guides/plain/index.html"]["summary"], "First paragraph here.");
}

/// A site large enough for many bucket files: every record sits in the
/// bucket its key hashes to, so the script finds it.
#[test]
fn preview_buckets_hold_every_page_once() {
    let t = SiteTest::from_fixture("theme/furniture");
    for i in 0..150 {
        t.write(&format!("content/many/p{i}.md"), format!("+++\ntitle = \"Page {i}\"\n+++\nBody {i}.\n"));
    }
    t.build().ok();
    let records = preview_records(&t);
    let files = t.files_under("public/previews");
    assert!(files.len() >= 4, "150 pages spread over several files: {files:?}");
    for i in 0..150 {
        assert_eq!(records[&format!("many/p{i}/index.html")]["title"], format!("Page {i}"));
    }
}

#[test]
fn highlight_stylesheet_only_where_code_is_highlighted() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    assert!(page(&t, "guides/kitchen-sink/").contains("highlight.css"));
    assert!(!page(&t, "guides/second/").contains("highlight.css"));
    let css = t.read("public/highlight.css");
    assert!(css.contains("pre.code {"), "code blocks take the highlight theme's background:\n{css}");
}

#[test]
fn tag_and_404_pages_use_the_theme() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let term = page(&t, "tags/testing/");
    assert!(term.contains("2 guides tagged “testing”"), "{term}");
    assert!(term.contains("<link rel=\"canonical\" href=\"https://furniture.example.org/tags/testing/\">"));
    let missing = t.read("public/404.html");
    assert!(
        missing.contains("<h1>Page not found</h1>") && missing.contains("<meta name=\"robots\" content=\"noindex\">")
    );
}

/// Each page's HTML plus the CSS and JS it loads (module imports followed:
/// `tests/it/page_assets.rs`), gzip-compressed, for the
/// repository's own site; every page must stay under the budget.
#[test]
fn page_weight_stays_under_60_kb_compressed() {
    const BUDGET: usize = 60_000;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    copy_dir(&root.join("content"), &site.join("content"));
    std::fs::copy(root.join("site.toml"), site.join("site.toml")).unwrap();
    std::fs::copy(root.join("references.bib"), site.join("references.bib")).unwrap();
    copy_dir(&root.join("themes"), &site.join("themes"));
    let o = Command::new(env!("CARGO_BIN_EXE_rapport")).arg("--root").arg(&site).arg("build").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let public = site.join("public");
    let gz = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap().len()
    };
    let mut rows: Vec<(String, usize, usize, usize)> = Vec::new();
    let mut searchable = 0;
    for f in html_files(&public) {
        let html = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&html).into_owned();
        let linked = crate::page_assets::page_assets(&public, &text);
        // The search box's module and the client it imports count too.
        if text.contains("data-search-module") {
            searchable += 1;
            for module in ["search-ui.js", "search/search.js"] {
                assert!(linked.iter().any(|a| a == module), "{}: {module} not counted in {linked:?}", f.display());
            }
        }
        let assets: usize =
            linked.iter().map(|a| gz(&std::fs::read(public.join(a)).unwrap_or_else(|e| panic!("{a}: {e}")))).sum();
        let rel = f.strip_prefix(&public).unwrap().display().to_string();
        rows.push((rel, html.len(), gz(&html), assets));
    }
    assert!(searchable * 2 > rows.len(), "most pages have the search box: {searchable} of {}", rows.len());
    rows.sort_by_key(|r| std::cmp::Reverse(r.2 + r.3));
    let kind = |rel: &str| match rel {
        "index.html" => "home",
        "404.html" => "404",
        "tags/index.html" => "tag list",
        r if r.starts_with("tags/") => "tag page",
        r if site.join("content").join(r.replace("index.html", "_index.md")).exists() => "section",
        _ => "article",
    };
    let mut report = String::from("page weight (gzip): heaviest page of each type\n");
    for k in ["home", "section", "article", "tag list", "tag page", "404"] {
        if let Some((rel, raw, html, assets)) = rows.iter().find(|r| kind(&r.0) == k) {
            report.push_str(&format!(
                "  {k:9} {rel:60} html {raw:>6} B raw, {html:>5} B gz + css/js {assets:>5} B gz = {:>5} B\n",
                html + assets
            ));
        }
    }
    eprintln!("{report}");
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let _ = std::fs::write(root.join(target).join("page-weight.txt"), &report);
    for (rel, _, html, assets) in &rows {
        assert!(html + assets < BUDGET, "{rel} weighs {} B compressed (budget {BUDGET})\n{report}", html + assets);
    }
}

#[test]
fn task_list_checkboxes_have_accessible_names() {
    let t = SiteTest::from_fixture("theme/furniture");
    t.build().ok();
    let html = page(&t, "guides/kitchen-sink/");
    assert!(html.contains("<input type=\"checkbox\" disabled checked aria-label=\"Done\"> done task"), "{html}");
    assert!(html.contains("<input type=\"checkbox\" disabled aria-label=\"To do\"> open task"), "{html}");
}
