//! The markdown pipeline (wikilinks, embeds, callouts, extras, highlighting,
//! link rewriting) never panics, and no `javascript:` URL survives into HTML.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rapport::highlight::Highlighter;
use rapport::markdown::links::{LinkTargets, WikiTarget};
use rapport::markdown::{render, MarkdownContext, Source};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Targets;

impl LinkTargets for Targets {
    fn url_of(&self, p: &Path) -> Option<String> {
        (p == Path::new("a/b.md")).then(|| "/a/b/".to_string())
    }
    fn base_path(&self) -> &str {
        "/"
    }
    fn wikilink(&self, name: &str) -> WikiTarget {
        match name.to_lowercase().as_str() {
            "b" => WikiTarget::Page(PathBuf::from("a/b.md")),
            "pic.png" => WikiTarget::Asset(PathBuf::from("img/pic.png")),
            _ => WikiTarget::Missing,
        }
    }
}

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(|| Highlighter::new(Path::new("/nonexistent")).expect("bundled syntaxes load"))
}

fuzz_target!(|data: &str| {
    let cx = MarkdownContext {
        highlighter: highlighter(),
        targets: &Targets,
        smart_punctuation: true,
        highlight_code: true,
        unsafe_html: false,
        external_links_new_tab: false,
        strict_links: false,
    };
    let src = Source { file: Path::new("content/a/x.md"), dir: Path::new("a"), text: data, body_offset: 0 };
    let out = render(&src, &cx);
    let lower = out.html.to_lowercase();
    assert!(!lower.contains("href=\"javascript:"), "{}", out.html);
    assert!(!lower.contains("<script"), "{}", out.html);
});
