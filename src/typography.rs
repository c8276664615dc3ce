//! Smart punctuation for the plain-text strings a page shows outside its
//! body (titles and descriptions from front matter): the body gets curly
//! quotes and dashes from pulldown-cmark, so the title above it must too.
//! Follows `[markdown] smart_punctuation`.

use std::borrow::Cow;

/// `"x"` → “x”, `'x'`/`it's` → ‘x’/it’s, `--` → –, `---` → —, `...` → …,
/// as pulldown-cmark's smart punctuation does the body: the text is read as
/// one escaped paragraph, so nothing but quotes, dashes and dots can change,
/// and a `code span` stays as typed, backticks included.
/// Text without straight quotes, double hyphens or three dots is returned as is.
pub fn smart(text: &str) -> Cow<'_, str> {
    use pulldown_cmark::{Event, Options, Parser};
    if !text.contains(['"', '\'']) && !text.contains("--") && !text.contains("...") {
        return Cow::Borrowed(text);
    }
    let escaped = escape_all_but_smart(text);
    let mut out = String::with_capacity(text.len() + 8);
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(t) => out.push_str(&t),
            Event::Code(code) if code.contains('`') => out.push_str(&format!("`` {code} ``")),
            Event::Code(code) => out.push_str(&format!("`{code}`")),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// `text` with every ASCII punctuation mark backslash-escaped but those
/// smart punctuation reads: quotes, runs of hyphens and of dots, and code
/// spans (backslashes are literal there). So `1. Intro`, `- note` or
/// `*x*` stay text.
fn escape_all_but_smart(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let run = |i: usize, c: char| {
        let before = chars[..i].iter().rev().take_while(|&&x| x == c).count();
        let after = chars[i..].iter().take_while(|&&x| x == c).count();
        before + after
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        in_code ^= c == '`';
        let smart = in_code
            || match c {
                '"' | '\'' | '`' => true,
                '-' => run(i, c) >= 2,
                '.' => run(i, c) >= 3,
                _ => false,
            };
        if c.is_ascii_punctuation() && !smart {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// [`smart`] when the site asks for smart punctuation, else the text unchanged.
pub fn title<'a>(site: &crate::model::Site, text: &'a str) -> Cow<'a, str> {
    if site.config.markdown.smart_punctuation {
        smart(text)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::smart;

    #[test]
    fn quotes_curl_by_position_and_dashes_and_dots_join() {
        assert_eq!(smart(r#"The "good enough" therapist's view"#), "The “good enough” therapist’s view");
        assert_eq!(smart("'Rupture' -- repair --- and after..."), "‘Rupture’ – repair — and after…");
        assert_eq!(smart("(\"quoted\")"), "(“quoted”)");
        assert!(matches!(smart("Plain title - one hyphen"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(smart("Using `--dry-run` -- \"safely\""), "Using `--dry-run` – “safely”");
        // Only quotes, dashes and dots change: nothing is read as markdown.
        assert_eq!(smart("1. \"First\" *steps* & [links]"), "1. “First” *steps* & [links]");
        assert_eq!(smart("- 'note' <b>x</b> # 2"), "- ‘note’ <b>x</b> # 2");
    }
}
