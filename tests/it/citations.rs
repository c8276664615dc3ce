//! Citations (Pandoc syntax) against `references.bib`: each syntax, the
//! reference list and reference pages, every error case, `check`'s note on
//! unused entries, search, and a bibliography edit served incrementally.
//! The main fixture is built once for every test that only reads it.

use crate::support::SiteTest;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;
use std::path::Path;
use std::sync::OnceLock;

fn site() -> &'static SiteTest {
    static SITE: OnceLock<SiteTest> = OnceLock::new();
    SITE.get_or_init(|| {
        let t = SiteTest::from_fixture("citations/basic");
        t.build().ok();
        t
    })
}

fn alliance() -> String {
    site().read("public/guides/alliance/index.html")
}

fn link(key: &str, text: &str) -> String {
    format!("<a class=\"citation\" href=\"#ref-{key}\" data-preview=\"/references/{key}/\">{text}</a>")
}

#[test]
fn bracketed_citation_links_to_its_entry() {
    let html = alliance();
    let cite =
        format!("predicts outcome <span class=\"cite\">({})</span>.", link("fluckiger2018", "Flückiger et al., 2018"));
    assert!(html.contains(&cite), "{html}");
}

#[test]
fn locator_is_formatted_by_the_style() {
    assert!(alliance().contains(&link("horvath1991", "Horvath &amp; Symonds, 1991, p. 140")));
}

#[test]
fn several_works_in_one_citation_each_link() {
    let both = format!(
        "({}; {})",
        link("fluckiger2018", "Flückiger et al., 2018"),
        link("horvath1991", "Horvath &amp; Symonds, 1991")
    );
    assert!(alliance().contains(&both));
}

#[test]
fn author_left_out_gives_the_year_in_brackets_with_its_locator() {
    let t = SiteTest::from_fixture("citations/basic");
    t.write(
        "content/guides/year.md",
        "+++\ntitle = \"Year\"\n+++\nHorvath and Symonds [-@horvath1991] and [-@horvath1991, p. 141].\n",
    );
    t.build().ok();
    let html = t.read("public/guides/year/index.html");
    let year = link("horvath1991", "1991");
    assert!(html.contains(&format!("Horvath and Symonds <span class=\"cite\">({year})</span> and <span class=\"cite\">({year}, p. 141)</span>.")), "{html}");
}

#[test]
fn same_author_same_year_works_get_year_letters_on_the_page_citing_both() {
    let t = SiteTest::from_fixture("citations/basic");
    let bib = t.read("references.bib")
        + "\n@article{smith2018a, author = {Smith, Jane}, title = {Alpha}, journaltitle = {J}, year = {2018}}\n\
           @article{smith2018b, author = {Smith, Jane}, title = {Beta}, journaltitle = {J}, year = {2018}}\n";
    t.write("references.bib", bib);
    t.write("content/guides/both.md", "+++\ntitle = \"Both\"\n+++\nOne [@smith2018a], two [@smith2018b].\n");
    t.write("content/guides/one.md", "+++\ntitle = \"One\"\n+++\nOnly [@smith2018b].\n");
    t.build().ok();
    let both = t.read("public/guides/both/index.html");
    assert!(both.contains(&link("smith2018a", "Smith, 2018a")) && both.contains(&link("smith2018b", "Smith, 2018b")));
    assert!(both.contains("Smith, J. (2018a). Alpha.") && both.contains("Smith, J. (2018b). Beta."), "{both}");
    let one = t.read("public/guides/one/index.html");
    assert!(one.contains(&link("smith2018b", "Smith, 2018")) && one.contains("Smith, J. (2018). Beta."), "{one}");
}

#[test]
fn narrative_citation_reads_as_prose() {
    let prose =
        format!("As <span class=\"cite\">{}</span> reported", link("horvath1991", "Horvath &amp; Symonds (1991)"));
    assert!(alliance().contains(&prose));
}

#[test]
fn emails_unknown_handles_escapes_and_code_stay_text() {
    let html = alliance();
    assert!(html.contains("Write to someone@example.org or ask @nobody; an escaped @horvath1991 stays text."));
    assert!(html.contains("<code>[@fluckiger2018]</code> in code stays code."));
}

#[test]
fn page_ends_with_its_reference_list_in_style_with_doi_links() {
    let html = alliance();
    let list = &html[html.find("class=\"reference-list cited\"").expect("a reference list")..];
    let fl = list.find("id=\"ref-fluckiger2018\"").unwrap();
    let fr = list.find("id=\"ref-friedlander2018\"").unwrap();
    let ho = list.find("id=\"ref-horvath1991\"").unwrap();
    assert!(fl < fr && fr < ho, "APA sorts by author");
    assert!(
        list.contains("<i>Psychotherapy</i>, <i>55</i>(4), 356–371. <a href=\"https://doi.org/10.1037/pst0000161\">")
    );
    assert!(!list.contains("bordin-unused"), "only cited works are listed");
}

#[test]
fn each_cited_work_has_a_page_with_its_citing_sentences() {
    let html = site().read("public/references/fluckiger2018/index.html");
    assert!(html.contains("<h1>The alliance in adult psychotherapy: A meta-analytic synthesis</h1>"));
    assert!(html.contains(
        "<a href=\"/guides/alliance/\">Alliance</a><p>The alliance predicts outcome (Flückiger et al., 2018).</p>"
    ));
    assert!(html.contains(
        "<a href=\"/guides/meta/\">Meta</a><p>A later synthesis pooled the studies (Flückiger et al., 2018).</p>"
    ));
    let doi = site().read("public/references/friedlander2018/index.html");
    assert!(doi.contains("<a href=\"https://doi.org/10.1037/pst0000161\">doi:10.1037/pst0000161</a>"));
    assert!(!site().exists("public/references/bordin-unused/index.html"), "an unused entry has no page");
}

#[test]
fn references_page_lists_every_cited_work() {
    let html = site().read("public/references/index.html");
    for key in ["fluckiger2018", "friedlander2018", "horvath1991"] {
        assert!(html.contains(&format!("href=\"/references/{key}/\"")), "{key} listed");
    }
    assert!(html.contains("Cited in 2</a>"), "fluckiger2018 is cited by two pages");
}

#[test]
fn reference_pages_are_preview_targets() {
    let previews: String = std::fs::read_dir(site().path("public/previews"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(previews.contains("\"references/horvath1991/index.html\":{\"title\":\"Relation between working alliance"));
}

#[test]
fn front_matter_references_keep_working() {
    let html = site().read("public/guides/other/index.html");
    assert!(html.contains("<ul class=\"reference-list\"><li>A free-text reference kept as written.</li></ul>"));
    assert!(!html.contains("reference-list cited"));
}

#[test]
fn search_finds_reference_titles_and_authors() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/query.mjs");
    let out = std::process::Command::new("node")
        .arg(script)
        .arg(site().path("public"))
        .args(["counseling psychology", "Symonds"])
        .output()
        .expect("node runs (install Node.js)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let results: serde_json::Value = serde_json::from_str(line).unwrap();
        let urls: Vec<&str> = results.as_array().unwrap().iter().map(|x| x["url"].as_str().unwrap()).collect();
        assert!(urls.iter().any(|u| u.starts_with("/guides/alliance/")), "{urls:?}");
    }
}

#[test]
fn check_notes_unused_entries_and_passes() {
    let run = site().check();
    run.ok();
    run.stderr_has("note: references.bib:32:1: entry `bordin-unused` is not cited by any page");
    assert_eq!(run.check_counts(), (0, 0));
}

#[test]
fn unknown_key_is_located_with_a_suggestion() {
    let t = SiteTest::from_fixture("citations/basic");
    t.write("content/guides/typo.md", "+++\ntitle = \"Typo\"\n+++\nFirst line.\nAs found [@horvath1919].\n");
    t.refused_everywhere(&[
        "content/guides/typo.md:5:11: unknown citation key `horvath1919`",
        "did you mean `horvath1991`?",
    ]);
}

#[test]
fn malformed_bibliography_names_file_and_line() {
    let t = SiteTest::from_fixture("citations/basic");
    let bib = t.read("references.bib");
    t.write("references.bib", bib.replace("  volume = {38},", "  volume = {38,"));
    let run = t.build();
    run.fails(1);
    run.stderr_has("references.bib:");
    run.stderr_has("the bibliography does not parse");
}

#[test]
fn missing_bibliography_and_unknown_style_are_config_errors() {
    let t = SiteTest::from_fixture("citations/basic");
    t.remove_file("references.bib");
    t.build().fails(1).stderr_has("site.toml:3:17: bibliography: no file references.bib in the site");
    let t = SiteTest::from_fixture("citations/basic");
    t.write("site.toml", format!("{}citation_style = \"nonesuch\"\n", t.read("site.toml")));
    t.build().fails(1).stderr_has("citation_style: `nonesuch` is not a style rapport knows");
}

#[test]
fn loose_suffix_is_kept_with_a_warning() {
    let t = SiteTest::from_fixture("citations/basic");
    t.write("content/guides/loose.md", "+++\ntitle = \"Loose\"\n+++\nSee [@horvath1991, for a review].\n");
    let run = t.build();
    run.ok().stderr_has("content/guides/loose.md:4:5: `for a review` is not a locator");
    assert!(t.read("public/guides/loose/index.html").contains("1991</a>)</span> for a review."));
}

#[test]
fn a_numeric_style_numbers_in_citation_order() {
    let t = SiteTest::from_fixture("citations/basic");
    t.write("site.toml", format!("{}citation_style = \"ieee\"\n", t.read("site.toml")));
    t.build().ok();
    let html = t.read("public/guides/alliance/index.html");
    assert!(html.contains(&format!("predicts outcome <span class=\"cite\">{}</span>", link("fluckiger2018", "[1]"))));
    assert!(html.contains(&format!("agreed <span class=\"cite\">{}</span>", link("horvath1991", "[2, p. 140]"))));
}

fn served(live: &LiveSite, path: &str) -> String {
    String::from_utf8_lossy(&live.outputs[Path::new(path)]).into_owned()
}

/// One entry edited in the .bib: exactly the pages citing it (and its own
/// reference page, the list and preview buckets) are written again, and the
/// result equals a full build.
#[test]
fn editing_one_entry_rerenders_only_the_pages_citing_it() {
    let t = SiteTest::from_fixture("citations/basic");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let bib = root.join("references.bib");
    let text = std::fs::read_to_string(&bib).unwrap();
    std::fs::write(&bib, text.replace("Relation between working alliance", "Relation between the working alliance"))
        .unwrap();
    let update = live.apply(&Batch { changes: vec![(bib, ChangeKind::Bibliography)], rescan: false }).unwrap();
    let written: Vec<String> = update.written.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    assert!(served(&live, "guides/alliance/index.html").contains("Relation between the working alliance"));
    for must in ["guides/alliance/index.html", "references/horvath1991/index.html", "references/index.html"] {
        assert!(written.iter().any(|w| w == must), "{must} rewritten: {written:?}");
    }
    for page in written.iter().filter(|w| w.ends_with(".html")) {
        let expected = ["guides/alliance/index.html", "references/horvath1991/index.html", "references/index.html"];
        assert!(expected.contains(&page.as_str()), "{page} was rewritten though it does not cite the entry");
    }
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}

/// A page that starts citing a work in serve gets it in its list, and the
/// work gets its page, as a full build would.
#[test]
fn a_first_citation_added_in_serve_equals_a_full_build() {
    let t = SiteTest::from_fixture("citations/basic");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let page = root.join("content/guides/other.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("only a plain reference list.", "only [@bordin-unused].")).unwrap();
    live.apply(&Batch { changes: vec![(page, ChangeKind::Content)], rescan: false }).unwrap();
    assert!(served(&live, "references/bordin-unused/index.html").contains("Unused entry"));
    let differing = crate::incremental::differing_from_full_build(&live, &root);
    assert!(differing.is_empty(), "differs from a full build in {differing:?}");
}
