//! Words for the search index: Unicode word segmentation (UAX #29), then
//! case and diacritic folding, then stemming in the site's language.
//!
//! The client folds query words the same way (lower case, NFKD without marks,
//! curly apostrophes made straight) but never stems: the index ships the
//! folded word forms with their stem, so the stemmer lives only here.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Longer "words" (URLs, hashes, base64) are left out of the index.
pub const MAX_WORD_CHARS: usize = 40;

/// Stems folded words in the site's language, or leaves them as they are.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
}

impl Analyzer {
    /// `language` is a site.toml language tag (`en`, `en-GB`, `fr`); an
    /// unsupported language means no stemming rather than wrong stemming.
    pub fn for_language(language: &str) -> Analyzer {
        let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        Analyzer { stemmer: algorithm(&primary).map(Stemmer::create) }
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

/// Calls `f` with every folded word of `text`, in order.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for word in text.unicode_words() {
        fold_into(word, &mut buf);
        if !buf.is_empty() && (buf.len() <= MAX_WORD_CHARS || buf.chars().count() <= MAX_WORD_CHARS) {
            f(&buf);
        }
    }
}

/// Lower case without diacritics; `’` becomes `'`, and edge apostrophes go.
pub fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

fn fold_into(word: &str, out: &mut String) {
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
        for_each_word(text, |w| v.push(w.to_string()));
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
}
