//! Finding Pandoc citations in a run of text: `[@key]`, `[@key, p. 33]`,
//! `[see @a; -@b]` and narrative `@key`.
//!
//! A bracketed group is a citation whatever its keys (an unknown one is an
//! error the caller reports); a bare `@word` is a citation only when the
//! bibliography holds the key, as Pandoc's citeproc and Quartz do, so email
//! addresses, handles and `@` in prose stay text. The caller says which
//! bytes were escaped (`\@`) or are not plain text, and those never start one.

use std::ops::Range;

/// One cited work inside a citation.
#[derive(Debug, Clone, PartialEq)]
pub struct CiteItem {
    pub key: String,
    /// `-@key`: the author is left out (the year only).
    pub suppress_author: bool,
    /// Text before the key (`see` in `[see @key]`).
    pub prefix: String,
    /// What follows the key's comma (`p. 33`).
    pub suffix: String,
    /// Byte range of `@key` in the text.
    pub at: Range<usize>,
}

/// A citation: one bracketed group, or one narrative `@key`.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub items: Vec<CiteItem>,
    pub narrative: bool,
    /// Byte range of the whole citation in the text.
    pub span: Range<usize>,
}

/// Every citation in `text`, in order. `known` says whether a key is in the
/// bibliography; `plain` whether byte `i` of the text is the source's own
/// (not an escape or entity), so `\@` is never a citation.
pub fn find(text: &str, known: &dyn Fn(&str) -> bool, plain: &dyn Fn(usize) -> bool) -> Vec<Citation> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' if plain(i) => {
                if let Some(c) = bracketed(text, i, plain) {
                    i = c.span.end;
                    found.push(c);
                    continue;
                }
            }
            b'@' if plain(i) && starts_word(text, i) => {
                if let Some(key) = key_at(text, i + 1) {
                    if known(key) {
                        let at = i..i + 1 + key.len();
                        let item = CiteItem {
                            key: key.to_string(),
                            suppress_author: false,
                            prefix: String::new(),
                            suffix: String::new(),
                            at: at.clone(),
                        };
                        found.push(Citation { items: vec![item], narrative: true, span: at.clone() });
                        i = at.end;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// True when the `@` at `i` does not continue a word (`a@b.org`, `x@`).
fn starts_word(text: &str, i: usize) -> bool {
    match text[..i].chars().next_back() {
        None => true,
        Some(c) => !(c.is_alphanumeric() || "_@.-+\\/".contains(c)),
    }
}

/// A Pandoc citation key at `start`: it begins with a letter, digit or `_`
/// and may hold internal punctuation (`:.#$%&-+?<>~/`), never at its end.
fn key_at(text: &str, start: usize) -> Option<&str> {
    let rest = &text[start..];
    let first = rest.chars().next()?;
    if !(first.is_alphanumeric() || first == '_') {
        return None;
    }
    let mut last_word = 0;
    for (j, c) in rest.char_indices() {
        if c.is_alphanumeric() || c == '_' {
            last_word = j + c.len_utf8();
        } else if !":.#$%&-+?<>~/".contains(c) {
            break;
        }
    }
    Some(&rest[..last_word])
}

/// `[ ... ]` at `open` holding one or more `;`-separated items, each with an
/// `@key`; `None` when the brackets hold anything else.
fn bracketed(text: &str, open: usize, plain: &dyn Fn(usize) -> bool) -> Option<Citation> {
    let close = open + 1 + text[open + 1..].find(']')?;
    let inner = &text[open + 1..close];
    if !inner.contains('@') || inner.contains('[') {
        return None;
    }
    let mut items = Vec::new();
    let mut at = open + 1;
    for part in inner.split(';') {
        items.push(item(text, at, part, plain)?);
        at += part.len() + 1;
    }
    Some(Citation { items, narrative: false, span: open..close + 1 })
}

/// One `prefix @key, suffix` item of a bracketed citation, starting at byte `at`.
fn item(text: &str, at: usize, part: &str, plain: &dyn Fn(usize) -> bool) -> Option<CiteItem> {
    let opens = |j: usize| starts_word(text, at + j) || part[..j].ends_with('-') && starts_word(text, at + j - 1);
    let sign = part.char_indices().find(|&(j, c)| c == '@' && plain(at + j) && opens(j))?.0;
    let key = key_at(part, sign + 1)?;
    let mut prefix = part[..sign].trim_start();
    let suppress_author = prefix.ends_with('-');
    if suppress_author {
        prefix = &prefix[..prefix.len() - 1];
    }
    let after = &part[sign + 1 + key.len()..];
    let suffix = after.trim_start().strip_prefix(',').unwrap_or(after).trim();
    Some(CiteItem {
        key: key.to_string(),
        suppress_author,
        prefix: prefix.trim().to_string(),
        suffix: suffix.to_string(),
        at: at + sign..at + sign + 1 + key.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(Vec<String>, bool)> {
        let known = |k: &str| ["smith2020", "doe:2019", "lee"].contains(&k);
        find(text, &known, &|_| true)
            .into_iter()
            .map(|c| (c.items.into_iter().map(|i| i.key).collect(), c.narrative))
            .collect()
    }

    #[test]
    fn bracketed_and_narrative_citations() {
        assert_eq!(keys("As shown [@smith2020]."), vec![(vec!["smith2020".into()], false)]);
        assert_eq!(keys("[@smith2020; @doe:2019]"), vec![(vec!["smith2020".into(), "doe:2019".into()], false)]);
        assert_eq!(keys("@smith2020 says."), vec![(vec!["smith2020".into()], true)]);
        assert_eq!(keys("(see @lee)."), vec![(vec!["lee".into()], true)]);
    }

    #[test]
    fn emails_handles_and_unknown_words_stay_text() {
        assert!(keys("write to smith2020@example.org").is_empty());
        assert!(keys("ask @someone on the forum").is_empty());
        assert!(keys("[link text] and [not @ a cite]").is_empty());
    }

    #[test]
    fn unknown_keys_in_brackets_are_still_citations() {
        assert_eq!(keys("[@nobody]"), vec![(vec!["nobody".into()], false)]);
    }

    #[test]
    fn locator_prefix_and_suppressed_author() {
        let c = &find("[see -@smith2020, p. 33]", &|_| true, &|_| true)[0];
        let item = &c.items[0];
        assert_eq!((item.prefix.as_str(), item.suppress_author, item.suffix.as_str()), ("see", true, "p. 33"));
        assert_eq!(&"[see -@smith2020, p. 33]"[item.at.clone()], "@smith2020");
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_the_key() {
        assert_eq!(keys("@doe:2019."), vec![(vec!["doe:2019".into()], true)]);
    }

    #[test]
    fn escaped_at_sign_is_text() {
        let text = "@smith2020";
        assert!(find(text, &|_| true, &|i| i != 0).is_empty());
    }
}
