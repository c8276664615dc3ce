//! Mermaid: ```` ```mermaid ```` fences become inline SVG at build time for
//! every kind rapport documents; each is an image with a title whose colours
//! are the theme's variables; what cannot be drawn stays code, with a
//! located warning.

use crate::support::SiteTest;

#[test]
fn every_documented_kind_draws_as_an_svg_image_with_a_title() {
    let t = SiteTest::from_fixture("diagrams/kinds");
    let run = t.build();
    run.ok().stderr_has("content/page.md:57:1").stderr_has("diagram left as code");
    assert_eq!(run.stderr_count("diagram left as code"), 1, "{}", run.stderr);
    let html = t.read("public/page/index.html");
    let main = &html[html.find("<main").expect("a main element")..];
    let figures: Vec<&str> = main.split("<figure class=\"diagram\">").skip(1).collect();
    assert_eq!(figures.len(), 7, "{main}");
    let titles = [
        "Flowchart",
        "Sequence diagram",
        "Class diagram",
        "State diagram",
        "Entity relationship diagram",
        "Treatment plan",
        "Sessions",
    ];
    for (figure, title) in figures.iter().zip(titles) {
        let svg = &figure[..figure.find("</figure>").expect("a closed figure")];
        assert!(
            svg.starts_with("<svg") && svg.contains(&format!(" role=\"img\"><title>{title}</title>")),
            "{title}: {svg}"
        );
        assert!(svg.contains("var(--fg"), "{title}: colours are not the theme's: {svg}");
        assert!(!svg.contains("<script") && !svg.contains("href=\"http"), "{title}: {svg}");
    }
    for label in ["Safety plan", "Therapist", "Supervision", "Repair", "THERAPIST", "Assessment", "Attended"] {
        assert!(main.contains(label), "no {label} in {main}");
    }
    assert!(
        main.contains("<pre class=\"code\" data-lang=\"mermaid\"><code class=\"language-mermaid\">notadiagram"),
        "{main}"
    );
}

#[test]
fn ids_differ_between_diagrams_on_one_page() {
    let t = SiteTest::from_fixture("diagrams/kinds");
    t.build().ok();
    let html = t.read("public/page/index.html");
    let mut ids: Vec<&str> =
        html.match_indices("<svg id=\"").map(|(i, _)| &html[i + 9..i + 9 + html[i + 9..].find('"').unwrap()]).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((n, ids.len()), (7, 7), "{ids:?}");
}
