//! Small text helpers of the markdown renderer: plain text of events, the
//! sentence around a link, word counts and attribute escaping.

use pulldown_cmark::Event;

/// The text of some events, without markup (breaks become spaces).
pub fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The sentence of `text` containing byte offset `at`, at most ~240 characters.
/// A sentence ends at `.`, `!` or `?` followed by white space (so ".38" stays whole).
pub fn sentence_around(text: &str, at: usize) -> String {
    const MAX: usize = 240;
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let is_end =
        |i: usize| matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace);
    let start = (0..at).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let end = (at..bytes.len()).find(|&i| is_end(i)).map_or(bytes.len(), |i| i + 1);
    let sentence = text[start..end].trim();
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}

/// Words in `text`: runs of bytes that are not ASCII white space.
pub fn count_words(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for b in text.bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
    }
    count
}

/// A task list checkbox with an accessible name (pulldown-cmark's has none).
pub fn task_marker(done: bool) -> &'static str {
    if done {
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
    } else {
        "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
    }
}

pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::sentence_around;

    #[test]
    fn sentence_keeps_decimals_whole() {
        let text = "First one. The correlation was .38 here, see X. Last.";
        assert_eq!(sentence_around(text, text.find("see").unwrap()), "The correlation was .38 here, see X.");
        assert_eq!(sentence_around("No stop", 3), "No stop");
    }
}
