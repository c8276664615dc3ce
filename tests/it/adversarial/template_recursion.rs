//! Recursive templates (issue 12, item 2): include, extends and import cycles
//! are located errors when templates load, a macro that always calls itself
//! is refused, and one that recurses too deep fails its render, in `build`,
//! `check` and `serve`, never with a stack overflow.

use crate::serve::{events_until, get, open_events, start, wait_for};
use crate::support::SiteTest;

/// The basic fixture with extra template files.
fn site_with(templates: &[(&str, &str)]) -> SiteTest {
    let t = SiteTest::from_fixture("basic/site");
    for (name, text) in templates {
        t.write(&format!("templates/{name}"), text);
    }
    t
}

#[test]
fn a_template_that_includes_itself_is_a_located_cycle() {
    let t = site_with(&[("page.html", "<main>\n  {% include \"page.html\" %}\n</main>\n")]);
    t.refused_everywhere(&[
        "error: templates/page.html:2:3: template cycle: `page.html` includes `page.html` (templates/page.html:2:3)",
        "2 |   {% include \"page.html\" %}",
    ]);
    let json = t.run(&["check", "--format", "json"]).json();
    let cycle = json.as_array().unwrap().iter().find(|d| d["message"].as_str().unwrap().contains("cycle")).unwrap();
    assert_eq!(
        (cycle["file"].as_str(), cycle["line"].as_u64(), cycle["col"].as_u64()),
        (Some("templates/page.html"), Some(2), Some(3))
    );
}

#[test]
fn a_base_that_extends_itself_is_a_located_cycle() {
    let t = site_with(&[("base.html", "{% extends \"base.html\" %}\n")]);
    t.refused_everywhere(&["templates/base.html:1:1: template cycle: `base.html` extends `base.html`"]);
}

#[test]
fn partials_that_include_each_other_are_one_cycle_naming_both_tags() {
    let t = site_with(&[
        ("partials/a.html", "A\n{%- include \"partials/b.html\" -%}\n"),
        ("partials/b.html", "B {% if true %}{% include 'partials/a.html' %}{% endif %}"),
        (
            "page.html",
            "{% extends \"base.html\" %}{% block content %}{% include \"partials/a.html\" %}{% endblock content %}",
        ),
    ]);
    t.refused_everywhere(
        &["templates/partials/a.html:2:1: template cycle: `partials/a.html` includes `partials/b.html` \
           (templates/partials/a.html:2:1), `partials/b.html` includes `partials/a.html` (templates/partials/b.html:1:16)"],
    );
    assert_eq!(t.check().stderr_count("template cycle"), 1, "one cycle, reported once");
}

#[test]
fn macro_files_that_import_each_other_are_a_located_cycle() {
    let t = site_with(&[
        ("partials/m1.html", "{% import \"partials/m2.html\" as m2 %}{% macro a() %}a{% endmacro a %}"),
        ("partials/m2.html", "{% import \"partials/m1.html\" as m1 %}{% macro b() %}b{% endmacro b %}"),
    ]);
    t.refused_everywhere(&[
        "templates/partials/m1.html:1:1: template cycle: `partials/m1.html` imports `partials/m2.html`",
    ]);
}

#[test]
fn a_macro_that_always_calls_itself_is_refused_when_templates_load() {
    let t = site_with(&[(
        "page.html",
        "{% extends \"base.html\" %}\n{% macro loop(n) %}{{ self::loop(n=n + 1) }}{% endmacro loop %}\n\
         {% block content %}{{ self::loop(n=0) }}{% endblock content %}",
    )]);
    t.refused_everywhere(&["templates/page.html:2:1: macro `loop` calls itself on every path"]);
}

/// Recursion that would end, but only after more levels than the stack holds.
const TOO_DEEP: &str = "{% extends \"base.html\" %}\n{% macro down(n) %}{% if n < 1000000 %}{{ self::down(n=n + 1) }}{% endif %}{% endmacro down %}\n\
     {% block content %}{{ self::down(n=0) }}{% endblock content %}";

#[test]
fn a_macro_that_recurses_too_deep_fails_its_render_at_the_macro() {
    let t = site_with(&[("page.html", TOO_DEEP)]);
    let run = t.build();
    run.fails(1)
        .stderr_has("error: templates/page.html:2:1: template recursion too deep in macro `down` of `page.html`")
        .stderr_has("(while rendering content/");
    assert_eq!(run.stderr_count("template recursion too deep"), 1, "one message for every page it broke");
    t.assert_absent("public");
}

#[test]
fn the_theme_nav_tree_still_recurses_through_twelve_levels() {
    let t = SiteTest::from_fixture("basic/site");
    let deep: String = (1..=12).map(|i| format!("l{i}/")).collect();
    t.write(&format!("content/{deep}leaf.md"), "+++\ntitle = \"Leaf\"\n+++\nDeep leaf.\n");
    t.build().ok();
    let page = t.assert_contains(&format!("public/{deep}leaf/index.html"), &["Deep leaf."]);
    assert!(page.matches("<details").count() >= 12, "the nav tree opens every level:\n{page}");
}

#[test]
fn saving_recursive_templates_under_serve_shows_the_error_and_keeps_serving() {
    let t = site_with(&[(".keep", "")]);
    let s = start(&t);
    wait_for(&s, "/guides/first/", |st, _| st == 200);
    let mut events = open_events(s.port);
    let mut seen = String::new();
    events_until(&mut events, &mut seen, "retry:");
    t.write("templates/page.html", "{% include \"page.html\" %}");
    events_until(&mut events, &mut seen, "templates/page.html:1:1: template cycle");
    let (status, body) = get(s.port, "/guides/first/", "");
    assert!(status == 200 && body.contains("First guide"), "the last good site stays served");
    seen.clear();
    t.write("templates/page.html", TOO_DEEP);
    events_until(&mut events, &mut seen, "templates/page.html:2:1: template recursion too deep in macro `down`");
    assert!(get(s.port, "/guides/first/", "").0 == 200, "still serving after a too-deep render");
    t.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}RECOVERED{% endblock content %}");
    events_until(&mut events, &mut seen, "event: reload");
    wait_for(&s, "/guides/first/", |_, b| b.contains("RECOVERED"));
}
