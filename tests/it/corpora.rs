//! Real sites written elsewhere (../shared/corpora) build unchanged, and so
//! does the bundled site at the repository root. A missing corpus fails.

use crate::support::SiteTest;

#[test]
fn zola_docs_build_and_check_without_broken_links() {
    let t =
        SiteTest::from_corpus("zola-docs/docs/content", "title = \"Zola\"\nbase_url = \"https://www.getzola.org/\"\n");
    // The corpus copied only documentation/ (the themes/ section is third-party
    // READMEs under other licences); its `@/themes/_index.md` links need that section.
    t.write("content/themes/_index.md", "+++\ntitle = \"Themes\"\n+++\n");
    // `documentation/_index.md` asks for Zola's own `documentation.html`; an
    // unknown template is an error, so the site provides one.
    t.write("templates/documentation.html", "{% extends \"section.html\" %}");
    // The image-processing page calls the docs site's own shortcodes (Zola's
    // repository has them in docs/templates/shortcodes/): stand-ins here.
    for name in ["resize_image", "resize_image_relative", "high_res_image"] {
        t.write(
            &format!("templates/shortcodes/{name}.html"),
            "<img class=\"{{ op | default(value='x') }}\" src=\"/{{ path | safe }}\" alt=\"\">",
        );
    }
    t.write("templates/shortcodes/gallery.html", "<div class=\"gallery\">{{ page.title }}</div>");
    t.build().ok().stderr_lacks("broken link").stderr_lacks("shortcode");
    let check = t.check();
    check.ok().stderr_lacks("broken link").stderr_lacks("broken anchor");
    assert_eq!(check.check_counts().0, 0, "{}", check.stderr);
    // `@/…md#anchor` links are rewritten to page URLs.
    t.assert_contains("public/documentation/themes/overview/index.html", &["href=\"/themes/\""]);
    let linking = t.read("public/documentation/content/linking/index.html");
    assert!(!linking.contains("<a href=\"@/"), "an @/ link was left as written");
    // Shortcode escapes print as Zola prints them, in code and prose alike;
    // real calls run (with their arguments and the page's context).
    let shortcodes = t.read("public/documentation/content/shortcodes/index.html");
    for printed in [
        "{{ youtube(id=&quot;dQw4w9WgXcQ&quot;, autoplay=true) }}",
        "{% quote(author=&quot;Vincent&quot;) %}",
        "{% end %}",
        "{{ true_statement(value=2) }}",
        "escape it by using <code>{{/*</code> and <code>*/}}</code>",
    ] {
        assert!(shortcodes.contains(printed), "`{printed}` not printed as Zola prints it");
    }
    assert!(!shortcodes.contains("{{/* youtube") && !shortcodes.contains("{%/* end"), "an escape was left escaped");
    t.assert_contains(
        "public/documentation/content/image-processing/index.html",
        &[
            "<img class=\"fit_width\" src=\"/documentation/content/image-processing/01-zola.png\"",
            "<div class=\"gallery\">Image processing</div>",
        ],
    );
    // Tera syntax in code stays literal.
    t.assert_contains("public/documentation/templates/overview/index.html", &["{{ config.base_url }}"]);
}

#[test]
fn obsidian_vault_builds_with_wikilinks_and_callouts() {
    let t =
        SiteTest::from_corpus("obsidian-tasks-docs/docs", "title = \"Tasks\"\nbase_url = \"https://example.org/\"\n");
    // The vault's Templater settings, as upstream has them (the corpus left `.obsidian/` out).
    t.write(
        "content/.obsidian/plugins/templater-obsidian/data.json",
        "{\"data_version\": 2, \"templates_folder\": \"_meta/templates\"}",
    );
    t.build().ok().stderr_lacks("broken link");
    t.assert_contains("public/getting-started/statuses/index.html", &["data-callout="]);
    // Its template notes are not published, so `_meta` is no section in the nav.
    t.assert_absent("public/meta/templates/standard-frontmatter/index.html");
    let home = t.read("public/index.html");
    let nav = &home[home.find("id=\"site-nav\"").expect("a nav")..];
    assert!(!nav.contains("_meta"), "{nav}");
    assert!(nav.contains("<summary>Getting Started <span class=\"count\">24</span>"), "{nav}");
    let check = t.check();
    check.ok();
    assert_eq!(check.check_counts().0, 0, "{}", check.stderr);
}

#[test]
fn quartz_docs_build_as_shipped_with_tag_pages_introducing_their_terms() {
    let t = SiteTest::from_corpus("quartz-docs/docs", "title = \"Quartz\"\nbase_url = \"https://example.org/\"\n");
    let run = t.build();
    run.ok();
    // `tags/component.md` is the description of the `component` tag, as in Quartz.
    t.assert_contains(
        "public/tags/component/index.html",
        &["<span class=\"term-kind\">Tags:</span> Components</h1>", "creating components", "Graph View"],
    );
}

#[test]
fn bundled_site_builds_and_checks_without_errors() {
    let t = SiteTest::bundled();
    let check = t.check();
    check.ok();
    assert_eq!(check.check_counts().0, 0, "{}", check.stderr);
    t.build().ok();
    t.assert_exists("public/index.html").assert_exists("public/sitemap.xml").assert_exists("public/404.html");
}
