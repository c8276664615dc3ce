//! Small text helpers of the markdown renderer: plain text of events, the
//! sentence around a link, word counts and attribute escaping.

use pulldown_cmark::Event;

/// The text of some events, without markup (breaks become spaces).
pub fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The sentence of `text` containing byte offset `at`, at most ~240 characters,
/// its white space collapsed. A sentence ends at `.`, `!` or `?` followed by
/// white space (so ".38" stays whole), and at a `\n`, which marks a line the
/// reader sees apart (see `break_in_context`).
pub fn sentence_around(text: &str, at: usize) -> String {
    const MAX: usize = 240;
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let is_end = |i: usize| {
        bytes[i] == b'\n'
            || matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace)
    };
    let start = (0..at).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
    let end = (at..bytes.len()).find(|&i| is_end(i)).map_or(bytes.len(), |i| i + 1);
    let sentence = text[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
    if sentence.chars().count() <= MAX {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX).collect();
    format!("{}…", cut.trim_end())
}

/// True when `line` opens with a list marker: `-`, `*` or `+`, or up to nine
/// digits and `.` or `)`, followed by white space or the line's end.
pub fn starts_list_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = match line.as_bytes().first() {
        Some(b'-' | b'*' | b'+') => &line[1..],
        Some(b'0'..=b'9') if digits <= 9 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) => {
            &line[digits + 1..]
        }
        _ => return false,
    };
    rest.is_empty() || rest.starts_with([' ', '\t'])
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
    use super::{sentence_around, starts_list_item};

    #[test]
    fn sentence_keeps_decimals_whole() {
        let text = "First one. The correlation was .38 here, see X. Last.";
        assert_eq!(sentence_around(text, text.find("see").unwrap()), "The correlation was .38 here, see X.");
        assert_eq!(sentence_around("No stop", 3), "No stop");
    }

    #[test]
    fn a_new_line_ends_the_sentence_and_white_space_collapses() {
        let text = "uses  Target's delete facility:\n- - [ ] Delete me";
        assert_eq!(sentence_around(text, 6), "uses Target's delete facility:");
        assert_eq!(sentence_around(text, text.len() - 2), "- - [ ] Delete me");
    }

    #[test]
    fn list_markers_are_recognised() {
        for yes in ["- x", "* x", "+", "1. x", "2) x", "- [ ] task"] {
            assert!(starts_list_item(yes), "{yes}");
        }
        for no in ["-x", "1.5 litres", "word", "", "**bold**", "1234567890. x"] {
            assert!(!starts_list_item(no), "{no}");
        }
    }
}
