//! Output safety (RELIABILITY.md): unsafe output folders are refused before
//! anything is touched, only files from the previous build's manifest are
//! pruned, foreign files and dotfiles survive, and a failed build leaves the
//! previous output as it was.

use crate::support::{assert_same_tree, rapport_in, snapshot, SiteTest};

#[test]
fn files_rapport_did_not_write_survive_pruning() {
    let t = SiteTest::from_fixture("adversarial/output_safety/foreign_files");
    t.build().ok();
    t.write("public/CNAME", "example.org\n");
    t.write("public/.well-known/security.txt", "Contact: x\n");
    t.write("public/notes/page/notes.txt", "mine\n");
    t.remove("content/notes/page.md");
    t.build().ok();
    t.assert_absent("public/notes/page/index.html");
    assert_eq!(t.read("public/CNAME"), "example.org\n");
    assert_eq!(t.read("public/.well-known/security.txt"), "Contact: x\n");
    assert_eq!(t.read("public/notes/page/notes.txt"), "mine\n", "a folder holding a foreign file is kept");
}

#[test]
fn a_file_rapport_did_not_write_is_never_overwritten() {
    let t = SiteTest::from_fixture("adversarial/output_safety/refuse_overwrite");
    let before = snapshot(&t.path("public"));
    t.build()
        .fails(1)
        .stderr_has("refusing to overwrite")
        .stderr_has("robots.txt")
        .stderr_has("rapport did not write it");
    assert_same_tree(&before, &snapshot(&t.path("public")), "nothing may be written when refusing");
}

#[test]
fn a_hand_written_page_in_the_output_is_never_overwritten() {
    let t = SiteTest::from_fixture("adversarial/output_safety/refuse_overwrite_page");
    let before = snapshot(&t.path("public"));
    t.build().fails(1).stderr_has("refusing to overwrite").stderr_has("about/index.html");
    assert_same_tree(&before, &snapshot(&t.path("public")), "files changed");
}

#[test]
fn unsafe_output_folders_are_refused_before_anything_is_written() {
    let t = SiteTest::from_fixture("adversarial/output_safety/refuse_folders");
    let home = t.outer().join("home");
    std::fs::create_dir(&home).unwrap();
    let before = snapshot(t.outer());
    let home_arg = home.to_string_lossy().into_owned();
    for out in [".", "content", "content/x", "content/new", "themes", "templates", "static", "..", home_arg.as_str()] {
        let run = rapport_in(t.root(), &["build", "--output", out], &[("HOME", home.as_path())]);
        run.fails(1).stderr_has("refusing to use");
        assert_same_tree(&before, &snapshot(t.outer()), &format!("`--output {out}` changed files"));
    }
    // The same through --root from another folder: --output is relative to the root.
    rapport_in(t.outer(), &["--root", "site", "build", "--output", "content"], &[])
        .fails(1)
        .stderr_has("refusing to use");
    assert_same_tree(&before, &snapshot(t.outer()), "files changed");
}

#[test]
fn unsafe_output_dir_in_site_toml_is_refused() {
    for case in ["output_dir_content", "output_dir_root", "output_dir_parent"] {
        let t = SiteTest::from_fixture(&format!("adversarial/output_safety/{case}"));
        let before = snapshot(t.outer());
        t.build().fails(1).stderr_has("refusing to use");
        assert_same_tree(&before, &snapshot(t.outer()), &format!("{case} changed files"));
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_unchanged() {
    let t = SiteTest::from_fixture("adversarial/output_safety/failed_build");
    t.build().ok();
    let good = snapshot(&t.path("public"));
    let page = t.read("content/page.md");

    t.write("content/page.md", "+++\ntitle = 42\n+++\nBroken body.\n");
    t.build().fails(1).stderr_has("content/page.md:2:1");
    assert_same_tree(&good, &snapshot(&t.path("public")), "broken front matter touched the output");

    t.write("content/page.md", &page);
    t.write("templates/page.html", "{{ page.nope }}");
    t.build().fails(1).stderr_has("templates/page.html");
    assert_same_tree(&good, &snapshot(&t.path("public")), "a template error touched the output");

    t.write("content/new.md", "+++\ntitle = \"New\"\nslug = \"..\"\n+++\n");
    t.remove("templates/page.html");
    t.build().fails(1).stderr_has("content/new.md:3:1");
    assert_same_tree(&good, &snapshot(&t.path("public")), "an unsafe slug touched the output");

    t.remove("content/new.md");
    t.build().ok();
    t.assert_contains("public/page/index.html", &["Good body."]);
}

#[test]
fn a_tampered_manifest_cannot_delete_files_outside_the_output() {
    let t = SiteTest::from_fixture("adversarial/output_safety/manifest_escape");
    t.build().ok();
    let zero = "0".repeat(64);
    crate::manifest::forge(
        &t,
        &format!("{zero}\t../victim.txt\n{zero}\t../content/_index.md\n{zero}\t/etc/hostname\n"),
    );
    t.build().ok();
    assert_eq!(t.read("victim.txt"), "must survive\n");
    t.assert_exists("content/_index.md");
}

#[test]
fn readers_never_see_a_half_written_file() {
    let t = SiteTest::from_fixture("basic/site");
    let version = |mark: &str| format!("+++\ntitle = \"Big\"\n+++\n{}\n", format!("{mark} ").repeat(400_000));
    t.write("content/big.md", version("alpha"));
    t.build().ok();
    let page = t.path("public/big/index.html");
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (page, done) = (page.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let html = std::fs::read_to_string(&page).expect("the page is always there");
                let whole = html.trim_end().ends_with("</html>");
                let one = html.contains("alpha alpha") != html.contains("omega omega");
                assert!(whole && one, "a reader saw a partial page ({} bytes)", html.len());
                reads += 1;
            }
            reads
        })
    };
    for i in 0..6 {
        t.write("content/big.md", version(if i % 2 == 0 { "omega" } else { "alpha" }));
        t.build().ok();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 6, "the reader ran alongside the builds");
    let leftovers: Vec<String> =
        crate::support::snapshot(t.outer()).into_keys().map(|p| p.display().to_string()).collect();
    assert!(!leftovers.iter().any(|p| p.contains("rapport-tmp") || p.contains("rapport-staging")), "{leftovers:?}");
}

#[test]
fn a_first_build_is_staged_and_leaves_nothing_behind_when_it_fails() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("content/bad.md", "+++\ntitle = 42\n+++\n");
    t.build().fails(1).stderr_has("content/bad.md:2:1");
    let names = || std::fs::read_dir(t.root()).unwrap().map(|e| e.unwrap().file_name()).collect::<Vec<_>>();
    assert!(!names().iter().any(|n| n.to_string_lossy().contains("public")), "{:?}", names());
    t.remove("content/bad.md");
    t.build().ok();
    let public: Vec<_> = names().into_iter().filter(|n| n.to_string_lossy().contains("public")).collect();
    assert_eq!(public, ["public"], "the staging folder was renamed into place");
}

#[test]
fn an_output_path_that_is_a_file_is_refused_and_kept() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("public", "my notes\n");
    t.build().fails(1).stderr_has("refusing to use").stderr_has("it is a file, not a folder");
    assert_eq!(t.read("public"), "my notes\n");
    let names: Vec<_> = std::fs::read_dir(t.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!names.iter().any(|n| n.to_string_lossy().contains("staging")), "{names:?}");
}

/// An alias or `path` naming a file the site writes itself (the sitemap, the
/// search page, a stylesheet, the tag list) would silently replace it.
#[test]
fn aliases_and_paths_cannot_overwrite_generated_files() {
    let t = SiteTest::from_fixture("basic/site");
    t.write(
        "content/thief.md",
        "+++\ntitle = \"Thief\"\naliases = [\"/sitemap.xml\", \"/search/\", \"/style.css\"]\n+++\nx\n",
    );
    t.write("content/squatter.md", "+++\ntitle = \"Squatter\"\npath = \"tags\"\n+++\nx\n");
    t.build()
        .fails(1)
        .stderr_has("content/thief.md:3:13: alias `/sitemap.xml` would overwrite sitemap.xml")
        .stderr_has("alias `/search/` would overwrite search/index.html")
        .stderr_has("alias `/style.css` would overwrite style.css")
        .stderr_has("content/squatter.md:3:9")
        .stderr_has("path `tags/` would overwrite tags/index.html");
    t.assert_absent("public");
    // Found only once every page was rendered into the stage: the stage goes too.
    let names: Vec<_> = std::fs::read_dir(t.root()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!names.iter().any(|n| n.to_string_lossy().contains("staging")), "{names:?}");
}

/// A static file over a generated one is deliberate, and wins every time.
#[test]
fn a_static_robots_txt_replaces_the_generated_one() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("static/robots.txt", "User-agent: *\nDisallow: /private/\n");
    t.build().ok();
    assert_eq!(t.read("public/robots.txt"), "User-agent: *\nDisallow: /private/\n");
    // The first build staged the generated file as it rendered, then the static one over it.
    t.write("content/extra.md", "+++\ntitle = \"Extra\"\n+++\nx\n");
    t.build().ok();
    assert_eq!(t.read("public/robots.txt"), "User-agent: *\nDisallow: /private/\n");
}

/// On a first build (which stages its files), a static file at one of the
/// search index's paths wins over the index's file, and the manifest names
/// the path once.
#[test]
fn a_static_file_replaces_a_search_file_on_a_first_build() {
    let t = SiteTest::from_fixture("output/machine_files");
    t.write("static/search/search.js", "// the site's own client\n");
    t.build().ok();
    assert_eq!(t.read("public/search/search.js"), "// the site's own client\n");
    let fragments = t.files_under("public").into_iter().filter(|f| f.contains("search/f/")).count();
    assert!(fragments > 0, "the index's own files are still written");
    let manifest = t.read(&crate::manifest::record_of(&t, "public"));
    assert_eq!(manifest.matches("\tsearch/search.js\n").count(), 1, "{manifest}");
    assert!(manifest.contains("\tsearch/f/"), "{manifest}");
}

/// A content asset and a static file at one path: the asset wins, every
/// time, instead of whichever parallel write finished last.
#[test]
fn a_content_asset_and_a_static_file_at_one_path_resolve_the_same_way_every_time() {
    let t = SiteTest::from_fixture("basic/site");
    t.write("static/guides/diagram.png", "from static\n");
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(t.path("public"));
        t.build().ok();
        assert_ne!(t.read_bytes("public/guides/diagram.png"), b"from static\n", "the content asset wins");
    }
}

/// Every folder rapport reads from is refused as the output folder, or as a
/// folder inside or around it, by name: `syntaxes/` (custom grammars) and
/// `.obsidian/` (vault settings) as much as `content/`.
#[test]
fn every_input_folder_is_refused_as_the_output_folder() {
    let t = SiteTest::from_fixture("adversarial/output_safety/refuse_folders");
    t.write("syntaxes/notes.txt", "kept");
    t.write(".obsidian/app.json", "{}");
    let before = snapshot(t.outer());
    for folder in ["content", "themes", "templates", "static", "syntaxes", ".obsidian"] {
        for out in [folder.to_string(), format!("{folder}/x"), format!("{folder}/../{folder}")] {
            let run = t.run(&["build", "--output", &out]);
            run.fails(1).stderr_has(&format!("it overlaps the site's `{folder}/` folder"));
            assert_same_tree(&before, &snapshot(t.outer()), &format!("`--output {out}` changed files"));
        }
    }
}
