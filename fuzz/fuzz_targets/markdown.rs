//! The markdown pipeline (wikilinks, embeds, callouts, extras, highlighting,
//! link rewriting) never panics, and no tag carries a `javascript:` URL.
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
    // Text may mention `href="javascript:` (quotes need no escaping in text);
    // what must never appear is a tag carrying such a URL, or a script element.
    for tag in lower.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
        let squeezed: String = tag.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(!squeezed.contains("=\"javascript:") && !squeezed.contains("='javascript:"), "{}", out.html);
        assert!(!tag.starts_with("script"), "{}", out.html);
    }
});
