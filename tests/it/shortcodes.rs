//! Shortcodes: Zola's run as templates (site's over theme's), their escapes
//! print literally, Hugo's are left as written with one warning per name,
//! errors sit at the call, and definition lists render.

use crate::support::SiteTest;
use rapport::build::BuildOptions;
use rapport::changes::{Batch, ChangeKind};
use rapport::incremental::LiveSite;

/// The article body of a built page.
fn content(t: &SiteTest, rel: &str) -> String {
    let html = t.read(rel);
    let start = html.find("<div class=\"content\">").expect("a content div");
    let end = start + html[start..].find("</article>").expect("an article end");
    html[start..end].to_string()
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[test]
fn a_zola_layout_runs_inline_and_body_shortcodes_as_zola_would() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.build().ok().stderr_lacks("warning");
    let body = content(&t, "public/blog/post/index.html");
    // Every kind of argument reaches the template, and inline output stays in its sentence.
    assert!(
        body.contains("<p>Inline <span class=\"badge\" data-n=\"2\" data-f=\"1.5\" data-on=\"true\">New[a][b]</span> in a sentence.</p>"),
        "{body}"
    );
    // `nth` counts calls per name; a paragraph of only calls becomes their blocks.
    assert!(body.contains("<p id=\"number1\">1 is equal to 1.</p>\n<p id=\"number2\">2 is equal to 2.</p>"), "{body}");
    assert!(!body.contains("<p><p"), "{body}");
    // An .html shortcode gets its body raw; an .md one's output is markdown, with page context.
    assert!(body.contains("<blockquote class=\"quote\">A *quote*<br>-- Vincent</blockquote>"), "{body}");
    assert!(
        body.contains(
            "<p><strong>Note on A post:</strong> Read <a href=\"/blog/\">the blog</a> and <em>this</em>.</p>"
        ),
        "{body}"
    );
    // An .html shortcode may render its body with Zola's `markdown` filter.
    assert!(
        body.contains(
            "<aside class=\"aside\"><p>An <em>aside</em>, rendered by the <code>markdown</code> filter.</p>\n</aside>"
        ),
        "{body}"
    );
    // Escapes print as Zola prints them, in prose and in code; calls in code stay literal.
    assert!(body.contains("<p>Escaped: {{ badge(label=\"x\") }} and {% quote(author=\"V\") %}</p>"), "{body}");
    assert!(body.contains("{{ badge(label=\"in code\") }}\n{{ youtube(id=\"abc\") }}\n{% if page.title %}"), "{body}");
    assert!(body.contains("<code>{{ badge(label=\"in span\") }}</code>"), "{body}");
    // No marker leaks into the index.
    let search = t.files_under("public/search").join(" ");
    for f in t.files_under("public/search") {
        let text = String::from_utf8_lossy(&t.read_bytes(&format!("public/search/{f}"))).to_string();
        assert!(!text.contains('\u{FFF9}'), "a marker in {f} ({search})");
    }
}

#[test]
fn an_unknown_shortcode_is_an_error_at_the_call_with_a_suggestion() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.write("content/blog/bad.md", "+++\ntitle = \"Bad\"\n+++\nText.\n\nSee {{ qoute(author=\"x\") }} here.\n");
    t.build()
        .fails(1)
        .stderr_has("error: content/blog/bad.md:6:5")
        .stderr_has("unknown shortcode `qoute` (did you mean `quote`?)");
}

#[test]
fn bad_argument_syntax_is_located_at_the_fault() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.write("content/blog/bad.md", "+++\ntitle = \"Bad\"\n+++\n{{ badge(label=, n=1) }}\n");
    t.build().fails(1).stderr_has("content/blog/bad.md:4:16").stderr_has("expected a value");
    t.write("content/blog/bad.md", "+++\ntitle = \"Bad\"\n+++\nok\n{% quote(author=\"a\") %}\nno end\n");
    t.build().fails(1).stderr_has("content/blog/bad.md:5:1").stderr_has("has a body but no `{% end %}`");
}

#[test]
fn a_template_error_inside_a_shortcode_names_the_call() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.write("content/blog/bad.md", "+++\ntitle = \"Bad\"\n+++\n\nFirst.\n\n  {{ broken() }}\n");
    t.build()
        .fails(1)
        .stderr_has("content/blog/bad.md:7:3")
        .stderr_has("shortcode `broken` failed")
        .stderr_has("missing_variable");
}

#[test]
fn diagnostics_after_a_shortcode_keep_their_line_and_column() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    let text = "+++\ntitle = \"Later\"\n+++\n{% quote(author=\"ü\") %}\nline one\nline two\n{% end %}\nA {{ badge(label=\"é\", n=1, f=1.0, on=false, tags=[]) }} then [x](@/nowhere.md).\n";
    t.write("content/blog/later.md", text);
    // `[x]`'s column on line 8 of the original file, in characters (`é` is two bytes).
    let line = text.lines().nth(7).unwrap();
    let col = line[..line.find("[x]").unwrap()].chars().count() + 1;
    t.build().ok().stderr_has(&format!("content/blog/later.md:8:{col}")).stderr_has("broken link");
}

#[test]
fn the_sites_shortcode_wins_over_the_themes() {
    let t = SiteTest::from_fixture("shortcodes/theme");
    t.write("templates/shortcodes/figure.html", "<p class=\"mine\">{{ caption }}</p>");
    t.build().ok();
    t.assert_contains("public/demo/index.html", &["<p class=\"mine\">The rupture and repair cycle.</p>"]);
}

#[test]
fn the_theme_ships_figure_details_youtube_and_key_points() {
    let t = SiteTest::from_fixture("shortcodes/theme");
    t.build().ok().stderr_lacks("warning");
    let body = content(&t, "public/demo/index.html");
    assert!(
        body.contains("<figure class=\"figure\">")
            && body.contains("<figcaption>The rupture and repair cycle.</figcaption>"),
        "{body}"
    );
    assert!(body.contains("<summary class=\"callout-title\">What counts as a rupture?</summary>"), "{body}");
    assert!(body.contains("<p>A <strong>strain</strong> in the working alliance"), "{body}");
    assert!(
        body.contains("data-callout=\"key-points\"") && body.contains("<li>Name the rupture <em>gently</em>.</li>"),
        "{body}"
    );
    // No player, so no request to YouTube, until clicked; without JS a plain link.
    assert!(body.contains("<a class=\"youtube-link\" href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">"), "{body}");
    assert!(!body.contains("<iframe") && !body.contains("youtube-nocookie.com/embed"), "{body}");
    assert!(t.read("public/theme.js").contains("youtube-nocookie.com/embed/"));
    assert!(body.contains("<dl>\n<dt>Alliance</dt>\n<dd>The collaborative bond"), "{body}");
    assert!(t.read("public/style.css").contains(".youtube-frame"));
}

#[test]
fn hugo_shortcodes_are_left_byte_for_byte_with_one_warning_per_name() {
    let t = SiteTest::from_fixture("shortcodes/hugo_docs");
    let run = t.build();
    run.ok().stderr_lacks("broken link");
    assert_eq!(run.stderr_count("is a Hugo shortcode"), 3, "{}", run.stderr);
    run.stderr_has(
        "`{{< code-toggle >}}` is a Hugo shortcode rapport does not run; left as written (3 uses in 2 files)",
    )
    .stderr_has("`{{% note %}}` is a Hugo shortcode rapport does not run; left as written (1 use in 1 file)");
    let source = t.read("content/docs/config.md");
    let body = content(&t, "public/docs/config/index.html");
    for (from, to) in [("{{< code-toggle file", "{{< /code-toggle >}}"), ("{{% note %}}", "{{% /note %}}")] {
        let (a, b) = (source.find(from).unwrap(), source.find(to).unwrap() + to.len());
        let written = &source[a..b];
        let pre = format!(
            "<pre class=\"foreign-shortcode\">{}</pre>",
            written.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        );
        assert!(body.contains(&pre), "{written} not left as written in\n{body}");
    }
    assert!(unescape(&body).contains("<code class=\"foreign-shortcode\">{{< kbd \"Ctrl\" >}}</code>"), "{body}");
    // No smart quotes or links inside them; prose around them still gets its typography.
    assert!(!body.contains("href=\"/menus") && body.contains("\"quoted\" = 'single'"), "{body}");
    assert!(body.contains("<dt>title</dt>\n<dd>The site’s title.</dd>\n<dd>Shown in the header.</dd>"), "{body}");
    assert!(body.contains("<p>Back to prose after the list: a line.</p>"), "{body}");
}

/// What a shortcode writes is the page's text for search, as a reader sees it.
#[test]
fn shortcode_output_is_searchable_text_of_its_page() {
    use std::io::Read;
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.build().ok();
    let text: String = t
        .files_under("public/search/f")
        .iter()
        .map(|f| {
            let mut plain = Vec::new();
            let bytes = t.read_bytes(&format!("public/search/f/{f}"));
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut plain).expect("fragments are gzip");
            String::from_utf8_lossy(&plain).into_owned()
        })
        .collect();
    assert!(text.contains("2 is equal to 2."), "an .html shortcode's text:\n{text}");
    assert!(text.contains("rendered by the markdown filter"), "a body rendered by `markdown`:\n{text}");
    assert!(!text.contains("<p id="), "no tags in the text:\n{text}");
}

#[test]
fn editing_a_shortcode_template_rerenders_only_the_pages_using_it() {
    let t = SiteTest::from_fixture("shortcodes/zola_site");
    t.write("content/blog/plain.md", "+++\ntitle = \"Plain\"\n+++\nNo shortcode here.\n");
    let root = t.root().canonicalize().unwrap();
    let mut live = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let template = root.join("templates/shortcodes/true_statement.html");
    std::fs::write(&template, "<p class=\"edited\">{{ value }}/{{ nth }}</p>\n").unwrap();
    let update = live.apply(&Batch { changes: vec![(template, ChangeKind::Template)], rescan: false }).unwrap();
    // Only what shows the page whose markdown ran it is due (the page, its
    // listing, its preview bucket), not every output of the site.
    assert!(update.written.contains(&std::path::PathBuf::from("blog/post/index.html")), "{:?}", update.written);
    assert!(update.rendered <= 4, "{} outputs due for one page's shortcode", update.rendered);
    let post = String::from_utf8_lossy(&live.outputs[std::path::Path::new("blog/post/index.html")]).to_string();
    assert!(post.contains("<p class=\"edited\">2/2</p>"), "{post}");
    let fresh = LiveSite::build(&root, &BuildOptions::default()).unwrap();
    let differing: Vec<_> = fresh.outputs.keys().filter(|p| fresh.outputs.get(*p) != live.outputs.get(*p)).collect();
    assert!(differing.is_empty(), "differs from a full build: {differing:?}");
}
