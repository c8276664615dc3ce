//! The markdown pipeline (wikilinks, embeds, callouts, extras, highlighting,
//! link rewriting) never panics, and no tag carries a `javascript:` URL.
#![no_main]
use libfuzzer_sys::fuzz_target;
use rapport::highlight::Highlighter;
use rapport::markdown::links::{LinkTargets, WikiTarget};
use rapport::markdown::{render, LeadH1, MarkdownContext, Source};
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
        shortcodes: &rapport::shortcodes::Registry::default(),
    };
    // Both ways of treating an opening `# Heading`, picked by the input.
    let lead_h1 = if data.len() % 2 == 0 { LeadH1::Hide } else { LeadH1::Show };
    let src = Source { file: Path::new("content/a/x.md"), dir: Path::new("a"), text: data, body_offset: 0, lead_h1, title: "x" };
    let out = render(&src, &cx);
    let lower = out.html.to_lowercase();
    // Text may mention `href="javascript:` (quotes need no escaping in text);
    // what must never appear is a URL attribute whose scheme is script, or a
    // script element.
    for (attr, value) in url_attributes(&lower) {
        let start: String = value.chars().filter(|c| !c.is_control() && !c.is_whitespace()).take(11).collect();
        assert!(
            !start.starts_with("javascript:") && !start.starts_with("vbscript:"),
            "{attr}={value:?} in {}",
            out.html
        );
    }
    for tag in lower.split('<').skip(1) {
        assert!(!tag.starts_with("script"), "{}", out.html);
    }
});

/// Values of `href` and `src` attributes inside tags of rendered HTML.
fn url_attributes(html: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
        for attr in ["href", "src"] {
            let needle = format!(" {attr}=\"");
            let mut rest = tag;
            while let Some(i) = rest.find(&needle) {
                let value = &rest[i + needle.len()..];
                let end = value.find('"').unwrap_or(value.len());
                out.push((attr, value[..end].to_string()));
                rest = &value[end..];
            }
        }
    }
    out
}
