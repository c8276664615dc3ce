//! Smart punctuation for the plain-text strings a page shows outside its
//! body (titles and descriptions from front matter): the body gets curly
//! quotes and dashes from pulldown-cmark, so the title above it must too.
//! Follows `[markdown] smart_punctuation`.

use std::borrow::Cow;

/// `"x"` → “x”, `'x'`/`it's` → ‘x’/it’s, `--` → –, `---` → —, `...` → ….
/// Text without straight quotes, double hyphens or three dots is returned as is.
pub fn smart(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\'']) && !text.contains("--") && !text.contains("...") {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    let mut in_code = false;
    while i < chars.len() {
        let c = chars[i];
        // `--flag` in backticks is code: left as typed.
        if c == '`' {
            in_code = !in_code;
        }
        if in_code || c == '`' {
            out.push(c);
            i += 1;
            continue;
        }
        let before = i.checked_sub(1).map(|j| chars[j]);
        let opens = before.is_none_or(|b| b.is_whitespace() || "([{-–—/".contains(b));
        match c {
            '"' => out.push(if opens { '“' } else { '”' }),
            '\'' => out.push(if opens { '‘' } else { '’' }),
            '-' if chars.get(i + 1) == Some(&'-') => {
                let em = chars.get(i + 2) == Some(&'-');
                out.push(if em { '—' } else { '–' });
                i += if em { 2 } else { 1 };
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 2;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    Cow::Owned(out)
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
    }
}
