//! The theme fits any site: its words come from one table (`[labels]`,
//! `language = "fr"`), its schema.org type from `[schema]`, plus favicon and
//! logo, smart titles, "< 1 min read", glossary links and opting in to
//! offline reading. Browser behaviour is in `theme_browser.rs`.

use crate::support::SiteTest;
use crate::theme::{json_ld, page};
use std::path::Path;

/// A small site: home, one section with a short and a long page.
fn small_site(toml: &str) -> SiteTest {
    let t = SiteTest::empty();
    t.write("site.toml", format!("title = \"Small\"\nbase_url = \"https://small.example.org/\"\n{toml}"));
    t.write("content/_index.md", "+++\ntitle = \"Small\"\n+++\nWelcome.\n");
    t.write("content/notes/_index.md", "+++\ntitle = \"Notes\"\n+++\n");
    t.write("content/notes/short.md", "+++\ntitle = \"Short\"\ntags = [\"a\"]\n+++\nA few words only.\n");
    let long = "word ".repeat(450);
    t.write(
        "content/notes/long.md",
        format!("+++\ntitle = \"Long\"\ntags = [\"a\"]\n+++\n## One\n\n{long}\n\n## Two\n\nMore.\n"),
    );
    t
}

fn all_html(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| (e.path().display().to_string(), std::fs::read_to_string(e.path()).unwrap()))
        .collect()
}

/// The page with what came from the content cut out: `<main>` (whose
/// theme-made headings are checked one by one) and `<head>` (titles and
/// descriptions), keeping the label table the scripts use.
fn theme_words(html: &str) -> String {
    let cut = |s: &str, open: &str, close: &str| match (s.find(open), s.find(close)) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &s[..a], &s[b + close.len()..]),
        _ => s.to_string(),
    };
    let labels = html.split("id=\"theme-labels\">").nth(1).and_then(|s| s.split("</script>").next()).unwrap_or("");
    let mut out = cut(&cut(html, "<main", "</main>"), "<head>", "</head>");
    out.push_str(labels);
    for (open, close) in
        [("<h2 id=\"pages-list\">", "</h2>"), ("<h2 id=\"related-title\">", "</h2>"), ("<p class=\"lede\">", "</p>")]
    {
        for piece in html.split(open).skip(1) {
            out.push_str(piece.split(close).next().unwrap_or(""));
        }
    }
    out
}

#[test]
fn obsidian_tasks_docs_with_no_settings_say_page_not_guide_and_are_plain_web_pages() {
    let t =
        SiteTest::from_corpus("obsidian-tasks-docs/docs", "title = \"Tasks\"\nbase_url = \"https://example.org/\"\n");
    t.build().ok();
    let pages = all_html(&t.path("public"));
    assert!(pages.len() > 100, "the corpus builds to many pages");
    let mut types = std::collections::BTreeSet::new();
    for (file, html) in &pages {
        assert!(
            !html.contains("MedicalWebPage") && !html.contains("MedicalAudience"),
            "{file} is marked up as medical"
        );
        let words = theme_words(html).to_lowercase();
        assert!(!words.contains("guide"), "{file}: the theme says \"guide\":\n{words}");
        if html.contains("application/ld+json") {
            let ld = json_ld(html);
            types.insert(ld["@graph"][0]["@type"].as_str().unwrap().to_string());
            if let Some(crumbs) = ld["@graph"].get(1) {
                let first = &crumbs["itemListElement"][0]["name"];
                assert!(first.as_str().is_some_and(|n| !n.trim().is_empty()), "{file}: first breadcrumb has no name");
            }
        }
    }
    assert_eq!(types.into_iter().collect::<Vec<_>>(), ["CollectionPage", "WebPage"]);
    // Its section listings and cards count pages.
    let listing = page(&t, "getting-started/");
    assert!(listing.contains(" pages in this section</h2>"), "{}", theme_words(&listing));
}

#[test]
fn the_bundled_site_keeps_its_guide_wording_and_medical_audience() {
    let t = SiteTest::bundled();
    t.build().ok();
    let section = page(&t, "ruptures/");
    assert!(section.contains("guides in this section</h2>"), "{}", theme_words(&section));
    let article = page(&t, "ruptures/repair-sequence/");
    assert!(article.contains("<h2 id=\"related-title\">Related guides</h2>"));
    let ld = json_ld(&article);
    assert_eq!(ld["@graph"][0]["@type"], "MedicalWebPage");
    assert_eq!(
        ld["@graph"][0]["audience"],
        serde_json::json!({"@type": "MedicalAudience", "audienceType": "Clinician"})
    );
}

#[test]
fn french_language_translates_every_theme_word() {
    let t = small_site("language = \"fr\"\n");
    t.build().ok();
    let article = page(&t, "notes/long/");
    for needle in [
        "<html lang=\"fr\"",
        ">Sur cette page</h2>",
        "3 min de lecture",
        ">Accueil</a>",
        "Aller au contenu",
        "Étiquettes",
    ] {
        assert!(article.contains(needle), "missing {needle}:\n{article}");
    }
    assert!(page(&t, "notes/").contains("2 pages dans cette rubrique</h2>"));
    assert!(t.read("public/404.html").contains("<h1>Page introuvable</h1>"));
    // No English theme word is left anywhere (words of three letters or
    // more, placeholders aside; some are the same in both languages).
    let en: toml::Table = toml::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/rapport/labels/en.toml")).unwrap(),
    )
    .unwrap();
    let fr: toml::Table = toml::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/rapport/labels/fr.toml")).unwrap(),
    )
    .unwrap();
    for (file, html) in all_html(&t.path("public")) {
        for (key, value) in &en {
            let value = value.as_str().unwrap();
            let english = value.split(['{', '}']).step_by(2).map(str::trim).filter(|w| w.len() > 4);
            for piece in english {
                let same = fr[key].as_str().unwrap().contains(piece);
                let at = html.find(piece).filter(|_| !same);
                let around = at.map(|i| &html[i.saturating_sub(80)..(i + 80).min(html.len())]);
                assert!(around.is_none(), "{file}: English `{piece}` ({key}) in a French site: {around:?}");
            }
        }
    }
}

#[test]
fn any_label_can_be_changed_and_page_names_its_plural() {
    let t = small_site("[labels]\npage = \"note\"\non_this_page = \"In this note\"\n");
    t.build().ok();
    assert!(page(&t, "notes/").contains("2 notes in this section</h2>"));
    assert!(page(&t, "notes/long/").contains(">In this note</h2>"));
    assert!(page(&t, "tags/a/").contains("2 notes tagged “a”"));
}

#[test]
fn short_pages_read_in_under_a_minute_and_titles_get_smart_punctuation() {
    let t = small_site("");
    t.write(
        "content/notes/quoted.md",
        "+++\ntitle = \"\\\"Good enough\\\" -- it's fine...\"\ndescription = \"The 'real' thing\"\n+++\nShort.\n",
    );
    t.build().ok();
    let short = page(&t, "notes/short/");
    assert!(short.contains("&lt; 1 min read") && !short.contains("0 min read"), "{short}");
    assert!(page(&t, "notes/long/").contains("3 min read"));
    let quoted = page(&t, "notes/quoted/");
    assert!(quoted.contains("<h1>“Good enough” – it’s fine…</h1>"), "{quoted}");
    assert!(quoted.contains("<p class=\"lede\">The ‘real’ thing</p>"));
    assert!(quoted.contains("<title>“Good enough” – it’s fine… · Small</title>"));
    assert!(page(&t, "notes/").contains(">“Good enough” – it’s fine…</a>"), "listings show the same title");
    // Off with the body's smart punctuation.
    let t = small_site("[markdown]\nsmart_punctuation = false\n");
    t.write("content/notes/quoted.md", "+++\ntitle = \"It's -- plain\"\n+++\nShort.\n");
    t.build().ok();
    assert!(page(&t, "notes/quoted/").contains("<h1>It&#39;s -- plain</h1>"));
}

#[test]
fn favicon_and_logo_default_to_the_theme_and_can_be_set() {
    let t = small_site("");
    t.build().ok();
    let html = page(&t, "notes/short/");
    assert!(html.contains("<link rel=\"icon\" href=\"/favicon.svg\">"), "{html}");
    assert!(t.read("public/favicon.svg").starts_with("<svg") && t.exists("public/favicon.ico"));
    assert!(!html.contains("site-logo"));
    let t = small_site("favicon = \"img/icon.png\"\nlogo = \"img/logo.svg\"\n");
    t.write("static/img/icon.png", b"\x89PNG");
    t.write("static/img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    t.build().ok();
    let html = page(&t, "notes/short/");
    assert!(html.contains("<link rel=\"icon\" href=\"/img/icon.png\">"), "{html}");
    assert!(html.contains("<img class=\"site-logo\" src=\"/img/logo.svg\" alt=\"\""), "{html}");
    let t = small_site("logo = \"missing.svg\"\n");
    t.build().fails(1).stderr_has("site.toml:3:9").stderr_has("logo: no file static/missing.svg");
}

#[test]
fn schema_type_defaults_to_web_page_and_rejects_what_is_no_type_name() {
    let t = small_site("");
    t.build().ok();
    let ld = json_ld(&page(&t, "notes/short/"));
    assert_eq!(ld["@graph"][0]["@type"], "WebPage");
    assert!(ld["@graph"][0].get("audience").is_none());
    let t = small_site("[schema]\ntype = \"Web Page\"\n");
    t.build().fails(1).stderr_has("site.toml:4:9").stderr_has("`Web Page` is not a schema.org type name");
}

#[test]
fn breadcrumbs_name_an_untitled_home() {
    let t = small_site("");
    t.write("content/_index.md", "Welcome, with no title.\n");
    t.build().ok();
    let ld = json_ld(&page(&t, "notes/short/"));
    let items = &ld["@graph"][1]["itemListElement"];
    assert_eq!(items[0]["name"], "Small", "the site's title names the home crumb");
}

#[test]
fn glossary_terms_link_on_first_use_only() {
    let t = small_site("glossary = \"terms\"\n");
    t.write("content/terms/_index.md", "+++\ntitle = \"Terms\"\n+++\n");
    t.write(
        "content/terms/rupture.md",
        "+++\ntitle = \"Rupture\"\naliases = [\"strain\"]\n+++\nA rupture is a strain.\n",
    );
    t.write("content/terms/withdrawal-rupture.md", "+++\ntitle = \"Withdrawal rupture\"\n+++\nMoving away.\n");
    t.write(
        "content/notes/uses.md",
        "+++\ntitle = \"Uses\"\n+++\n## Rupture heading\n\nA withdrawal rupture differs from a rupture.\n\nAnother rupture, and a strain, and [a link about rupture](short.md).\n\n`rupture` in code.\n",
    );
    t.build().ok();
    let html = page(&t, "notes/uses/");
    let links = |url: &str| html.matches(&format!("<a class=\"glossary-term\" href=\"{url}\">")).count();
    assert_eq!(links("/terms/withdrawal-rupture/"), 1, "{html}");
    assert_eq!(links("/terms/rupture/"), 1, "{html}");
    assert!(html.contains("<a class=\"glossary-term\" href=\"/terms/withdrawal-rupture/\">withdrawal rupture</a>"));
    assert!(html.contains("from a <a class=\"glossary-term\" href=\"/terms/rupture/\">rupture</a>"), "{html}");
    assert!(html.contains("<h2 id=\"rupture-heading\">Rupture heading"), "headings are left alone");
    let entry = page(&t, "terms/rupture/");
    assert!(!entry.contains("href=\"/terms/rupture/\">"), "an entry does not link to itself:\n{entry}");
    // Without the setting nothing is linked.
    let t = small_site("");
    t.write("content/notes/uses.md", "+++\ntitle = \"Uses\"\n+++\nA rupture.\n");
    t.build().ok();
    assert!(!page(&t, "notes/uses/").contains("glossary-term"));
    let t = small_site("glossary = \"nowhere\"\n");
    t.build().fails(1).stderr_has("site.toml:3:13").stderr_has("glossary: no folder content/nowhere");
}

#[test]
fn offline_reading_is_opt_in() {
    let t = small_site("");
    t.build().ok();
    assert!(!page(&t, "notes/short/").contains("data-offline"));
    let t = small_site("offline = true\n");
    t.build().ok();
    assert!(page(&t, "notes/short/").contains("data-offline=\"/sw.js\""));
    assert!(t.read("public/sw.js").contains("addEventListener(\"fetch\""));
}
