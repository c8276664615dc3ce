//! The live-reload client in headless Chromium, against `rapport serve`: a
//! stylesheet edit swaps CSS in place (no reload), a content edit reloads the
//! page, and a broken save shows the error overlay with its `file:line:col`
//! until the fix reloads the page without it.

use crate::cdp::{Browser, Page};
use crate::serve::{start, Server};
use crate::support::SiteTest;

/// Counts the live-reload streams this document has open, so a test edits
/// only once the server is listening for it (an edit before that would be
/// missed by design: a stream learns only of later rebuilds).
const COUNT_STREAMS: &str = "(function () {
  var Native = window.EventSource;
  window.__rapportStreams = 0;
  window.EventSource = function (url, options) {
    var es = new Native(url, options);
    es.addEventListener('open', function () { window.__rapportStreams += 1; });
    return es;
  };
  window.EventSource.prototype = Native.prototype;
})();";

/// `basic/site` with its own `style.css` (over the theme's), served, and a browser.
fn served() -> (SiteTest, Server, Browser) {
    let t = SiteTest::from_fixture("basic/site");
    t.write("static/style.css", "body { color: rgb(1, 2, 3); }\n");
    let server = start(&t);
    (t, server, Browser::launch())
}

/// Opens `path` and waits until its reload stream is open.
fn open<'b>(b: &'b mut Browser, s: &Server, path: &str) -> Page<'b> {
    let mut p = b.open("about:blank");
    p.on_new_document(COUNT_STREAMS);
    p.goto(&format!("http://127.0.0.1:{}{path}", s.port));
    p.wait_for("window.__rapportStreams > 0", "the reload stream to open");
    p
}

const BODY_COLOUR: &str = "getComputedStyle(document.body).color";

#[test]
fn a_stylesheet_edit_swaps_css_without_reloading_the_page() {
    let (t, s, mut b) = served();
    let mut p = open(&mut b, &s, "/guides/first/");
    assert_eq!(p.eval(BODY_COLOUR), "rgb(1, 2, 3)", "the site's style.css applies");
    p.eval("window.__beforeEdit = 42");
    t.write("static/style.css", "body { color: rgb(4, 5, 6); }\n");
    p.wait_for(&format!("{BODY_COLOUR} === 'rgb(4, 5, 6)'"), "the new stylesheet to apply");
    // The same document: a reload would have dropped the variable.
    assert_eq!(p.eval("window.__beforeEdit"), 42, "the page was reloaded");
    let swapped =
        p.eval("[...document.querySelectorAll('link[rel=stylesheet]')].some(l => /style\\.css\\?v=/.test(l.href))");
    assert_eq!(swapped, true, "the stylesheet link was re-requested in place");
}

#[test]
fn a_content_edit_reloads_the_page() {
    let (t, s, mut b) = served();
    let mut p = open(&mut b, &s, "/guides/second/");
    p.eval("window.__beforeEdit = 42");
    p.expect_navigation();
    t.write("content/guides/second.md", t.read("content/guides/second.md").replace("Second body", "Edited body"));
    p.wait_navigation();
    p.wait_for("document.body.textContent.includes('Edited body')", "the edited text");
    assert_eq!(p.eval("window.__beforeEdit === undefined"), true, "a new document was loaded");
}

#[test]
fn a_broken_save_shows_the_located_error_until_it_is_fixed() {
    let (t, s, mut b) = served();
    let mut p = open(&mut b, &s, "/guides/second/");
    t.write("content/guides/second.md", "+++\ntitle = 42\n+++\nBroken.\n");
    let overlay = "(document.getElementById('rapport-error') || {}).textContent || ''";
    let text = p.wait_for(&format!("{overlay}.includes('content/guides/second.md:2:1') && {overlay}"), "the overlay");
    assert!(text.as_str().unwrap().contains("showing the last good version"), "{text}");
    assert_eq!(p.eval("document.getElementById('rapport-error').getAttribute('role')"), "alert");
    assert_eq!(p.eval("document.body.textContent.includes('Second body')"), true, "the last good page stays");
    p.expect_navigation();
    t.write("content/guides/second.md", "+++\ntitle = \"Fixed\"\n+++\nFixed body.\n");
    p.wait_navigation();
    p.wait_for("document.body.textContent.includes('Fixed body.')", "the fixed page");
    assert_eq!(p.eval("document.getElementById('rapport-error') === null"), true, "the overlay is gone");
}
