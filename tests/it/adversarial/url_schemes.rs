//! One scheme allow-list (http, https, mailto, tel, relative) for every URL a
//! site supplies (issue 12, item 3): `redirect_to` was written verbatim into
//! the redirect page when it held `://`, so `javascript://%0aalert(1)` ran.

use crate::support::SiteTest;

fn site_with(rel: &str, text: &str) -> SiteTest {
    let t = SiteTest::from_fixture("basic/site");
    t.write(rel, text);
    t
}

#[test]
fn a_javascript_redirect_to_is_an_error_at_its_value() {
    for (front, at) in [
        ("+++\ntitle = \"Old\"\nredirect_to = \"javascript://%0aalert(document.domain)\"\n+++\n", "3:16"),
        ("---\ntitle: Old\nredirect_to: \"JavaScript://%0aalert(1)\"\n---\n", "3:15"),
        ("+++\ntitle = \"Old\"\nredirect_to = \"&#106;avascript:alert(1)\"\n+++\n", "3:16"),
    ] {
        let t = site_with("content/old/_index.md", front);
        t.build()
            .fails(1)
            .stderr_has(&format!("content/old/_index.md:{at}: redirect_to: "))
            .stderr_has("which is not allowed (only http:, https:, mailto:, tel: and relative URLs)");
        t.assert_absent("public");
        t.check().fails(1).stderr_has(&format!("content/old/_index.md:{at}"));
    }
}

#[test]
fn allowed_redirects_still_work() {
    let t =
        site_with("content/old/_index.md", "+++\ntitle = \"Old\"\nredirect_to = \"https://example.net/new/\"\n+++\n");
    t.write("content/older/_index.md", "+++\ntitle = \"Older\"\nredirect_to = \"/guides/\"\n+++\n");
    t.build().ok();
    t.assert_contains(
        "public/old/index.html",
        &["url=https://example.net/new/\"", "href=\"https://example.net/new/\""],
    );
    t.assert_contains("public/older/index.html", &["url=/guides/\""]);
}

/// Markdown links and images are read after decoding too; an unsafe one is
/// removed with a warning at its line and column (the existing rule).
#[test]
fn encoded_unsafe_schemes_in_markdown_are_removed() {
    let t = site_with(
        "content/evil.md",
        "+++\ntitle = \"Evil\"\n+++\n[a](%6Aavascript:alert(1)) ![b](javascript://%0aalert(2))\n\n[c](ftp://files.example/x)\n",
    );
    t.build()
        .ok()
        .stderr_has("content/evil.md:4:1: link `%6Aavascript:alert(1)` uses a scheme that is not allowed")
        .stderr_has("content/evil.md:4:28: link `javascript://%0aalert(2)`")
        .stderr_has("content/evil.md:6:1: link `ftp://files.example/x`");
    let html = t.assert_lacks("public/evil/index.html", &["avascript", "alert(", "ftp:"]);
    assert!(html.contains("<a href=\"#\">a</a>"), "{html}");
}

/// Raw HTML is sanitised with the same list (ammonia's own allowed ftp:, sms:, …).
#[test]
fn raw_html_urls_use_the_same_allow_list() {
    let t = site_with(
        "content/raw.md",
        "+++\ntitle = \"Raw\"\n+++\n<a href=\"ftp://files.example/x\">f</a> <a href=\"tel:+123\">t</a>\n",
    );
    t.build().ok();
    let html = t.assert_lacks("public/raw/index.html", &["ftp:"]);
    assert!(html.contains("href=\"tel:+123\""), "{html}");
}

/// A theme that renders a URL from `extra` passes it through `safe_url`.
#[test]
fn the_safe_url_filter_refuses_an_unsafe_extra_link() {
    let t = SiteTest::from_fixture("basic/site");
    let toml = t.read("site.toml");
    let template = "<a href=\"{{ site.extra.link | safe_url }}\">x</a>\n";
    t.write("templates/page.html", template);
    t.write("site.toml", format!("{toml}\n[extra]\nlink = \"javascript:alert(1)\"\n"));
    t.build()
        .fails(1)
        .stderr_has("templates/page.html")
        .stderr_has("`javascript:alert(1)` uses the scheme `javascript:`");
    t.write("site.toml", format!("{toml}\n[extra]\nlink = \"https://example.net/\"\n"));
    t.build().ok();
    t.assert_contains("public/guides/first/index.html", &["<a href=\"https://example.net/\">x</a>"]);
}

/// base_url was already limited to http(s) and `/`; it goes through the same check.
#[test]
fn an_unsafe_base_url_is_refused() {
    let t = SiteTest::from_fixture("basic/site");
    t.run(&["build", "--base-url", "javascript://x/"]).fails(2).stderr_has("base_url");
    let toml = t.read("site.toml").replace("https://example.org/", "javascript://example.org/");
    t.write("site.toml", toml);
    t.build().fails(1).stderr_has("site.toml:").stderr_has("base_url");
    t.assert_absent("public");
}
