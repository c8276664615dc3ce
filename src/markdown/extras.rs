//! Obsidian's inline syntax inside text: `%%comments%%` (removed from the
//! output), `==highlights==` and inline `#tags`. Code spans and fences never
//! reach here, so they stay literal.

#[derive(Debug, PartialEq)]
pub enum Piece {
    Text(String),
    Mark(String),
    Tag(String),
}

/// Drops text between `%%` pairs; `in_comment` carries an open comment to the next text.
pub fn strip_comments(text: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    for (i, part) in text.split("%%").enumerate() {
        if i > 0 {
            *in_comment = !*in_comment;
        }
        if !*in_comment {
            out.push_str(part);
        }
    }
    out
}

/// Splits text into plain runs, highlights and (when `tags`) tags.
pub fn split(text: &str, tags: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("==") {
            if let Some(end) = after.find("==").filter(|&e| e > 0) {
                flush(&mut plain, &mut pieces);
                pieces.push(Piece::Mark(after[..end].to_string()));
                rest = &after[end + 2..];
                continue;
            }
        }
        if tags
            && rest.starts_with('#')
            && (plain.is_empty() && pieces.is_empty() || plain.ends_with(char::is_whitespace))
        {
            let len = tag_len(&rest[1..]);
            if len > 0 {
                flush(&mut plain, &mut pieces);
                pieces.push(Piece::Tag(rest[1..1 + len].to_string()));
                rest = &rest[1 + len..];
                continue;
            }
        }
        let c = rest.chars().next().expect("non-empty");
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut plain, &mut pieces);
    pieces
}

fn flush(plain: &mut String, pieces: &mut Vec<Piece>) {
    if !plain.is_empty() {
        pieces.push(Piece::Text(std::mem::take(plain)));
    }
}

/// Length of an Obsidian tag at the start of `s`: letters, digits, `_`, `-`, `/`,
/// with at least one character that is not a digit.
fn tag_len(s: &str) -> usize {
    let len: usize =
        s.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/')).map(char::len_utf8).sum();
    let tag = s[..len].trim_end_matches('/');
    if tag.chars().all(|c| c.is_ascii_digit()) {
        0
    } else {
        tag.len()
    }
}

/// `300` → width 300; `300x200` → width and height.
pub fn parse_size(label: &str) -> Option<(u32, Option<u32>)> {
    let (w, h) = match label.split_once('x') {
        Some((w, h)) => (w, Some(h)),
        None => (label, None),
    };
    let w = w.trim().parse().ok()?;
    match h {
        Some(h) => Some((w, Some(h.trim().parse().ok()?))),
        None => Some((w, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_span_events() {
        let mut open = false;
        assert_eq!(strip_comments("a %%hidden%% b", &mut open), "a  b");
        assert_eq!(strip_comments("c %%start", &mut open), "c ");
        assert!(open);
        assert_eq!(strip_comments("still end%% d", &mut open), " d");
        assert!(!open);
    }

    #[test]
    fn highlights_and_tags() {
        assert_eq!(
            split("see ==this== and #feature/dates, not a#b or #123", true),
            vec![
                Piece::Text("see ".into()),
                Piece::Mark("this".into()),
                Piece::Text(" and ".into()),
                Piece::Tag("feature/dates".into()),
                Piece::Text(", not a#b or #123".into()),
            ]
        );
        assert_eq!(split("#start", true), vec![Piece::Tag("start".into())]);
        assert_eq!(split("a == b", true), vec![Piece::Text("a == b".into())]);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("300"), Some((300, None)));
        assert_eq!(parse_size("300x200"), Some((300, Some(200))));
        assert_eq!(parse_size("caption"), None);
    }
}
