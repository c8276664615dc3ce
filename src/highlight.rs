//! Code highlighting with syntect at build time, as CSS classes (never inline
//! styles), so one generated stylesheet serves a light and a dark scheme.
//!
//! The syntax set is loaded once per build. Unknown languages, over-long lines
//! and oversized blocks fall back to escaped plain `<pre>`: highlighting must
//! never be the slow or failing part of a build.

use crate::diagnostic::Diagnostic;
use std::path::Path;
use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
/// Lines longer than this are not highlighted (regex engines go superlinear on them).
pub const MAX_LINE: usize = 2_000;
/// Blocks larger than this are not highlighted.
pub const MAX_BLOCK: usize = 256 * 1024;

fn themes() -> &'static ThemeSet {
    static THEMES: OnceLock<ThemeSet> = OnceLock::new();
    THEMES.get_or_init(ThemeSet::load_defaults)
}

pub fn theme_exists(name: &str) -> bool {
    themes().themes.contains_key(name)
}

pub fn theme_names() -> Vec<String> {
    themes().themes.keys().cloned().collect()
}

pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Highlighter {
    /// Syntect's bundled syntaxes plus any `.sublime-syntax` files in `syntaxes_dir`.
    pub fn new(syntaxes_dir: &Path) -> Result<Self, Diagnostic> {
        if !syntaxes_dir.is_dir() {
            return Ok(Highlighter { syntaxes: SyntaxSet::load_defaults_newlines() });
        }
        let mut builder: SyntaxSetBuilder = SyntaxSet::load_defaults_newlines().into_builder();
        builder
            .add_from_folder(syntaxes_dir, true)
            .map_err(|e| Diagnostic::error(syntaxes_dir, format!("cannot load syntax definitions: {e}")))?;
        Ok(Highlighter { syntaxes: builder.build() })
    }

    /// HTML for one fenced block. `lang` is the info string's first word.
    /// Also says why the block was left plain when it has a language that
    /// could be highlighted but the block is too big or would grow too much.
    pub fn block(&self, lang: &str, code: &str) -> (String, Option<String>) {
        let lang = sanitise_lang(lang);
        let Some(syntax) = (!lang.is_empty()).then(|| self.syntaxes.find_syntax_by_token(&lang)).flatten() else {
            return (plain(&lang, code), None);
        };
        if code.len() > MAX_BLOCK {
            let why =
                format!("the block is {} KB, over the {} KB highlighting cap", code.len() / 1024, MAX_BLOCK / 1024);
            return (plain(&lang, code), Some(why));
        }
        if let Some(n) = code.lines().position(|l| l.len() > MAX_LINE) {
            let why = format!("line {} of the block is longer than {MAX_LINE} bytes", n + 1);
            return (plain(&lang, code), Some(why));
        }
        match self.spans(syntax, code) {
            Ok(html) => (wrap(&lang, &html), None),
            Err(Fallback::Grew) => {
                let why = format!("its highlighted HTML would be over {MAX_GROWTH} times the size of the code");
                (plain(&lang, code), Some(why))
            }
            Err(Fallback::Failed) => (plain(&lang, code), None),
        }
    }

    /// The highlighted spans of `code`, given up as soon as they outgrow the
    /// lines read so far (checked line by line, against [`max_output`] of
    /// those lines), so both the time spent and the memory held stay
    /// proportional to the input.
    fn spans(&self, syntax: &SyntaxReference, code: &str) -> Result<String, Fallback> {
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 4);
        let (mut open, mut read): (isize, usize) = (0, 0);
        for line in LinesWithEndings::from(code) {
            read += line.len();
            let ops = state.parse_line(line, &self.syntaxes).map_err(|_| Fallback::Failed)?;
            let (spans, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).map_err(|_| Fallback::Failed)?;
            open += delta;
            html.push_str(&spans);
            if html.len() > max_output(read) {
                return Err(Fallback::Grew);
            }
        }
        html.push_str(&"</span>".repeat(open.max(0) as usize));
        Ok(html)
    }
}

/// Why highlighting gave up on a block.
#[derive(Debug)]
enum Fallback {
    /// The HTML passed [`max_output`].
    Grew,
    /// syntect reported an error (a broken syntax definition).
    Failed,
}

/// How many times its code's size a highlighted block may grow. On the
/// bundled site and the corpora in ../shared real blocks grow 16 times at the
/// median and at most 19 times past 2 KB (HTML, CSS); small JSON and JS
/// blocks reach 42 times, covered by the slack. Generated token soup
/// (`a,a,…`, `f(a,b)` lines, nested brackets) grows 40 to 120 times: a
/// 238 KB block became 28 MB of HTML.
pub const MAX_GROWTH: usize = 32;

/// Room for a small block, whose few spans are large next to its code.
const GROWTH_SLACK: usize = 8 * 1024;

/// Most bytes of highlighted HTML for `code_len` bytes of code.
fn max_output(code_len: usize) -> usize {
    code_len * MAX_GROWTH + GROWTH_SLACK
}

fn wrap(lang: &str, spans: &str) -> String {
    format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{spans}</code></pre>\n")
}

/// Escaped code without highlighting.
pub fn plain(lang: &str, code: &str) -> String {
    let lang = sanitise_lang(lang);
    let mut escaped = String::with_capacity(code.len() + 16);
    pulldown_cmark_escape::escape_html_body_text(&mut escaped, code).expect("writing to a String cannot fail");
    if lang.is_empty() {
        format!("<pre class=\"code\"><code>{escaped}</code></pre>\n")
    } else {
        format!("<pre class=\"code\" data-lang=\"{lang}\"><code class=\"language-{lang}\">{escaped}</code></pre>\n")
    }
}

/// Keeps only `[A-Za-z0-9_+-]` so a fence's language can never break out of an attribute.
pub fn sanitise_lang(lang: &str) -> String {
    lang.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')).take(32).collect()
}

/// The stylesheet for highlighted code: the light theme by default, the dark
/// one under `prefers-color-scheme: dark` and `[data-theme="dark"]`, unless
/// `[data-theme="light"]` forces light.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let css = |name: &str| {
        let theme = &themes().themes[name];
        let css = syntect::html::css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
        let bg = theme.settings.background.map_or((255, 255, 255), |c| (c.r, c.g, c.b));
        let fg = theme
            .settings
            .foreground
            .map_or(if luminance(bg) > 0.5 { (0, 0, 0) } else { (255, 255, 255) }, |c| (c.r, c.g, c.b));
        // Code blocks take the theme's own colours, so token colours are read on the background they were made for.
        let block = format!("pre.code {{\n color: {};\n background-color: {};\n}}\n", hex(fg), hex(bg));
        readable(&(block + &css), bg)
    };
    let dark_css = css(dark);
    format!(
        "/* generated by rapport: code highlighting ({light} / {dark}) */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n{}\n",
        css(light),
        scope(&dark_css, ":root:not([data-theme=\"light\"])"),
        scope(&dark_css, ":root[data-theme=\"dark\"]")
    )
}

/// Contrast every code colour must reach against its background (WCAG AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;

/// The stylesheet with every `color` darkened (on light backgrounds) or
/// lightened (on dark ones) just enough to reach [`MIN_CONTRAST`] against the
/// rule's own `background-color`, else the theme's background `bg`. Many
/// bundled themes draw comments and constants too faint to read.
fn readable(css: &str, bg: Rgb) -> String {
    let mut out = String::with_capacity(css.len());
    for rule in css.split_inclusive('}') {
        let own_bg = rule
            .lines()
            .filter_map(|l| l.trim().strip_prefix("background-color:"))
            .find_map(|v| parse_hex(v.trim().trim_end_matches(';')));
        let against = own_bg.unwrap_or(bg);
        for line in rule.split_inclusive('\n') {
            let fixed =
                line.trim().strip_prefix("color:").and_then(|v| parse_hex(v.trim().trim_end_matches(';'))).map(|c| {
                    let ending = if line.ends_with('\n') { "\n" } else { "" };
                    format!(" color: {};{ending}", hex(with_contrast(c, against)))
                });
            out.push_str(fixed.as_deref().unwrap_or(line));
        }
    }
    out
}

type Rgb = (u8, u8, u8);

fn parse_hex(v: &str) -> Option<Rgb> {
    let h = v.strip_prefix('#')?;
    let byte = |i: usize| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok());
    match h.len() {
        6 | 8 => Some((byte(0)?, byte(2)?, byte(4)?)),
        _ => None,
    }
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` mixed toward black or white (away from `bg`) until it reaches [`MIN_CONTRAST`].
fn with_contrast(c: Rgb, bg: Rgb) -> Rgb {
    let target: f64 = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |x: u8, t: f64| (f64::from(x) + (target - f64::from(x)) * t).round() as u8;
    (0..=20)
        .map(|step| f64::from(step) / 20.0)
        .map(|t| (mix(c.0, t), mix(c.1, t), mix(c.2, t)))
        .find(|&m| contrast(m, bg) >= MIN_CONTRAST)
        .unwrap_or(if target == 0.0 { (0, 0, 0) } else { (255, 255, 255) })
}

/// Prefixes every selector of a flat stylesheet with `prefix`.
fn scope(css: &str, prefix: &str) -> String {
    css.lines()
        .map(|line| match line.trim_end().strip_suffix('{') {
            Some(selectors) if !line.trim_start().starts_with('@') => {
                let scoped: Vec<String> = selectors.split(',').map(|s| format!("{prefix} {}", s.trim())).collect();
                format!("{} {{", scoped.join(", "))
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_classes_and_falls_back() {
        let h = Highlighter::new(Path::new("/nonexistent")).unwrap();
        let (html, why) = h.block("rust", "fn main() {}\n");
        assert!(html.contains("class=\"hl-") && !html.contains("style=") && why.is_none(), "{html}");
        let (unknown, why) = h.block("nosuchlang", "<b>\n");
        assert!(unknown.contains("&lt;b&gt;") && !unknown.contains("hl-") && why.is_none(), "{unknown}");
        let (long, why) = h.block("rust", &format!("let x = \"{}\";\n", "a".repeat(MAX_LINE)));
        assert!(!long.contains("hl-") && why.is_some_and(|w| w.contains("line 1")));
    }

    #[test]
    fn every_code_colour_is_readable_on_its_background() {
        for (light, dark) in [("InspiredGitHub", "base16-ocean.dark"), ("Solarized (light)", "Solarized (dark)")] {
            let css = stylesheet(light, dark);
            let mut bg = None;
            for rule in css.split_inclusive('}') {
                let value = |key: &str| {
                    rule.lines().find_map(|l| {
                        l.trim().strip_prefix(key).and_then(|v| parse_hex(v.trim().trim_end_matches(';')))
                    })
                };
                if rule.contains("pre.code {") {
                    bg = value("background-color:");
                }
                if let (Some(c), Some(b)) = (value("color:"), value("background-color:").or(bg)) {
                    assert!(
                        contrast(c, b) >= MIN_CONTRAST - 0.01,
                        "{light}/{dark}: {} on {} in {rule}",
                        hex(c),
                        hex(b)
                    );
                }
            }
        }
        assert!(contrast(with_contrast((0x96, 0x98, 0x96), (255, 255, 255)), (255, 255, 255)) >= MIN_CONTRAST);
        assert_eq!(with_contrast((0, 0, 0), (255, 255, 255)), (0, 0, 0), "already readable colours are kept");
    }

    #[test]
    fn language_is_sanitised() {
        assert_eq!(sanitise_lang("js\" onmouseover=\"x"), "jsonmouseoverx");
    }
}

#[cfg(test)]
mod growth {
    use super::*;
    use std::path::PathBuf;

    /// Fenced blocks (language, code) of every markdown file under `dir`.
    fn fenced_blocks(dir: &Path) -> Vec<(String, String, PathBuf)> {
        let mut blocks = Vec::new();
        for e in walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok) {
            let Ok(text) = std::fs::read_to_string(e.path()) else { continue };
            let mut lines = text.lines();
            while let Some(line) = lines.next() {
                let t = line.trim_start();
                let Some(fence) = ["```", "~~~"].into_iter().find(|f| t.starts_with(f)) else { continue };
                let lang = t.trim_start_matches(['`', '~']).split([' ', ',', '{']).next().unwrap_or("");
                let code: String = lines
                    .by_ref()
                    .take_while(|l| !l.trim_start().starts_with(fence))
                    .map(|l| format!("{l}\n"))
                    .collect();
                blocks.push((lang.to_string(), code, e.path().to_path_buf()));
            }
        }
        blocks
    }

    /// The bound is set from real code: every block of the bundled site and
    /// of the corpora beside the repository still highlights.
    #[test]
    fn real_code_blocks_stay_highlighted() {
        let h = Highlighter::new(Path::new("/nonexistent")).unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut highlighted = 0;
        for dir in [repo.join("content"), repo.join("../shared/corpora")] {
            for (lang, code, file) in fenced_blocks(&dir) {
                let (html, why) = h.block(&lang, &code);
                assert!(why.is_none(), "{}: a {lang} block was left plain: {why:?}", file.display());
                highlighted += usize::from(html.contains("hl-"));
            }
        }
        assert!(highlighted > 0, "no code block was highlighted");
    }

    /// Token soup wraps every character in spans: it is cut off early and left plain.
    #[test]
    fn token_soup_is_left_plain() {
        let h = Highlighter::new(Path::new("/nonexistent")).unwrap();
        for (lang, code) in
            [("python", format!("{}\n", "a,".repeat(500)).repeat(200)), ("python", "f(a,b)\n".repeat(20_000))]
        {
            let (html, why) = h.block(lang, &code);
            assert!(!html.contains("hl-") && html.len() < code.len() + 200, "{lang}: {} bytes", html.len());
            assert!(why.is_some_and(|w| w.contains("times the size")), "{lang}");
        }
    }
}
