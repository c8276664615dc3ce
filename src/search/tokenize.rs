//! Words for the search index: Unicode word segmentation (UAX #29), then
//! case and diacritic folding, then stemming in the site's language.
//!
//! Besides each word, the index holds the forms readers type for it: the
//! parts of camelCase, dotted and snake_case names (`getPage` is also `get`
//! and `page`), the two halves of a hyphenated pair joined (`Auto-Save` is
//! also `autosave`), and Chinese and Japanese text as overlapping character
//! bigrams (a run of ideographs has no spaces to cut it at).
//!
//! The client folds query words the same way (lower case, NFKD without marks,
//! curly apostrophes made straight, CJK as bigrams) but never stems: the
//! index ships the folded word forms with their stem, so the stemmer lives
//! only here.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Longer "words" (URLs, hashes, base64) are left out of the index.
pub const MAX_WORD_CHARS: usize = 40;

/// Stems folded words in the site's language, or leaves them as they are.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    /// The primary language tag the stemmer was chosen by.
    language: String,
}

impl Analyzer {
    /// `language` is a site.toml language tag (`en`, `en-GB`, `fr`); an
    /// unsupported language means no stemming rather than wrong stemming.
    pub fn for_language(language: &str) -> Analyzer {
        let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Analyzer { stemmer: algorithm(&primary).map(Stemmer::create), language: primary }
    }

    /// The primary language tag (what [`Analyzer::stem`] depends on).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// The stem group of a folded word form.
    pub fn stem(&self, folded: &str) -> String {
        match &self.stemmer {
            Some(s) => s.stem(folded).into_owned(),
            None => folded.to_string(),
        }
    }
}

fn algorithm(primary: &str) -> Option<Algorithm> {
    use Algorithm::*;
    Some(match primary {
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "en" => English,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return None,
    })
}

/// What a token is to the text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A word as written (or a CJK bigram): what lengths and synonyms count.
    Word,
    /// Another form of the word before it: a part, or a hyphenated pair joined.
    Extra,
}

/// Calls `f` with every folded word of `text`, in order, each followed by its
/// extra forms (see the module comment).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, Kind)) {
    let mut bufs = Buffers::default();
    let mut plain = 0;
    if !text.is_ascii() {
        for (start, end) in cjk_runs(text) {
            plain_words(&text[plain..start], &mut bufs, &mut f);
            bigrams(&text[start..end], &mut bufs.word, &mut f);
            plain = end;
        }
    }
    plain_words(&text[plain..], &mut bufs, &mut f);
}

#[derive(Default)]
struct Buffers {
    word: String,
    prev: String,
    extra: String,
}

/// Han, kana and the iteration marks: scripts written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3005}'..='\u{3007}' | '\u{3041}'..='\u{309f}' | '\u{30a1}'..='\u{30fa}' | '\u{30fc}'..='\u{30ff}'
        | '\u{31f0}'..='\u{31ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}' | '\u{20000}'..='\u{2ffff}')
}

/// Byte ranges of the maximal runs of CJK characters.
fn cjk_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| is_cjk(*c))?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !is_cjk(c) {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// A CJK run as overlapping pairs of characters (a lone character as itself).
fn bigrams(run: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    let ends: Vec<usize> = run.char_indices().map(|(i, _)| i).skip(1).chain([run.len()]).collect();
    if ends.len() == 1 {
        fold_into(run, buf);
        if !buf.is_empty() {
            f(buf, Kind::Word);
        }
        return;
    }
    let mut start = 0;
    for pair in ends.windows(2) {
        fold_into(&run[start..pair[1]], buf);
        if !buf.is_empty() {
            f(buf, Kind::Word);
        }
        start = pair[0];
    }
}

fn plain_words(text: &str, bufs: &mut Buffers, f: &mut impl FnMut(&str, Kind)) {
    let bytes = text.as_bytes();
    // The previous word's end, and whether it was itself the second of a hyphenated pair.
    let mut last: Option<(usize, bool)> = None;
    for (start, word) in text.unicode_word_indices() {
        fold_into(word, &mut bufs.word);
        if bufs.word.is_empty() || !short_enough(&bufs.word) {
            last = None;
            continue;
        }
        f(&bufs.word, Kind::Word);
        parts(word, &mut bufs.extra, f);
        let end = start + word.len();
        let hyphenated = last.is_some_and(|(e, _)| e + 1 == start && bytes[e] == b'-');
        let chained = last.is_some_and(|(_, joined)| joined);
        if hyphenated && !chained && !hyphen_follows(bytes, end) {
            bufs.extra.clear();
            bufs.extra.push_str(&bufs.prev);
            bufs.extra.push_str(&bufs.word);
            if short_enough(&bufs.extra) {
                f(&bufs.extra, Kind::Extra);
            }
        }
        last = Some((end, hyphenated));
        std::mem::swap(&mut bufs.prev, &mut bufs.word);
    }
}

fn short_enough(word: &str) -> bool {
    word.len() <= MAX_WORD_CHARS || word.chars().count() <= MAX_WORD_CHARS
}

/// A hyphen right after `end` with a word character after it: a longer chain.
fn hyphen_follows(bytes: &[u8], end: usize) -> bool {
    bytes.get(end) == Some(&b'-') && bytes.get(end + 1).is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80)
}

/// The parts of `getPage`, `HTMLParser`, `page.extra.author`, `in_search_index`
/// (two letters or more each), when a word has more than one.
fn parts(word: &str, buf: &mut String, f: &mut impl FnMut(&str, Kind)) {
    // Most words have no place to cut (none of `._:`, no capital after the first letter).
    let may_cut = |(k, c): (usize, char)| matches!(c, '.' | '_' | ':') || (k > 0 && c.is_uppercase());
    if !word.chars().enumerate().any(may_cut) {
        return;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if matches!(c, '.' | '_' | ':') {
            cuts.push((start, i));
            start = i + c.len_utf8();
        } else if k > 0 && c.is_uppercase() && camel_boundary(&chars, k) && i > start {
            cuts.push((start, i));
            start = i;
        }
    }
    if cuts.is_empty() {
        return;
    }
    cuts.push((start, word.len()));
    for (a, b) in cuts {
        fold_into(&word[a..b], buf);
        if buf.chars().nth(1).is_some() {
            f(buf, Kind::Extra);
        }
    }
}

/// `tP` in getPage, or `LP` followed by a lower-case letter in HTMLParser.
fn camel_boundary(chars: &[(usize, char)], k: usize) -> bool {
    let before = chars[k - 1].1;
    before.is_lowercase()
        || before.is_ascii_digit()
        || (before.is_uppercase() && chars.get(k + 1).is_some_and(|(_, c)| c.is_lowercase()))
}

/// Lower case without diacritics; `’` becomes `'`, and edge apostrophes go.
pub fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

pub(super) fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.nfkd().filter(|c| !is_combining_mark(*c)) {
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
    }
    let trimmed = out.trim_matches('\'');
    if trimmed.len() != out.len() {
        *out = trimmed.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w, kind| {
            if kind == Kind::Word {
                v.push(w.to_string());
            }
        });
        v
    }

    fn extras(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        for_each_word(text, |w, kind| {
            if kind == Kind::Extra {
                v.push(w.to_string());
            }
        });
        v
    }

    #[test]
    fn segments_and_folds() {
        assert_eq!(words("Rupture-and-repair: Café ÉTÉ, don’t!"), ["rupture", "and", "repair", "cafe", "ete", "don't"]);
        assert_eq!(words("ﬁnal 2024 naïve"), ["final", "2024", "naive"]);
    }

    #[test]
    fn stems_in_english_and_not_in_unknown_languages() {
        let en = Analyzer::for_language("en-GB");
        assert_eq!(en.stem("boundaries"), en.stem("boundary"));
        assert_eq!(en.stem("ruptures"), "ruptur");
        assert_eq!(Analyzer::for_language("xx").stem("boundaries"), "boundaries");
    }

    #[test]
    fn overlong_words_are_skipped() {
        assert!(words(&"a".repeat(MAX_WORD_CHARS + 1)).is_empty());
    }

    #[test]
    fn compound_names_also_give_their_parts() {
        assert_eq!(words("call getPage on page.extra.author"), ["call", "getpage", "on", "page.extra.author"]);
        assert_eq!(extras("call getPage on page.extra.author"), ["get", "page", "page", "extra", "author"]);
        assert_eq!(extras("an HTMLParser and in_search_index"), ["html", "parser", "in", "search", "index"]);
        assert!(extras("a11y h264 plain words, don't").is_empty(), "digits and apostrophes do not cut a word");
    }

    #[test]
    fn hyphenated_pairs_are_also_joined() {
        assert_eq!(extras("Auto-Save is on; re-open it"), ["autosave", "reopen"]);
        assert!(extras("rupture-and-repair").is_empty(), "a longer chain is a phrase, not a compound");
        assert!(extras("auto - save").is_empty());
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(words("学习心理学"), ["学习", "习心", "心理", "理学"]);
        assert_eq!(words("東京タワーへ行く。"), ["東京", "京タ", "タワ", "ワー", "ーへ", "へ行", "行く"]);
        assert_eq!(words("Rust学习 and 心"), ["rust", "学习", "and", "心"]);
    }
}
