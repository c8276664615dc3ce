//! Glossary links: when a site names a glossary section (`glossary =
//! "glossary"` in site.toml), the first use of each of its terms on a page
//! links to the term's entry, so the reader gets its preview there, without
//! marking every later occurrence. The terms come through
//! [`LinkTargets::glossary_terms`](super::links::LinkTargets::glossary_terms),
//! so what a page read about other pages is known to the engine.

/// One name a glossary entry is known by (its title or an alias).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GlossaryTerm {
    pub name: String,
    /// Full URL path of the entry.
    pub url: String,
}

/// The terms still to link on one page, and the first use of any in a text.
#[derive(Debug, Default)]
pub struct Linker {
    /// Lower-case (ASCII) name and URL, longest first; removed once used.
    left: Vec<(String, String)>,
}

/// Where a term's first use sits in a text, and what it links to.
#[derive(Debug, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

impl Linker {
    /// A linker for the page at `own_url`, whose own entry is never linked.
    pub fn new(terms: Vec<GlossaryTerm>, own_url: Option<&str>) -> Linker {
        let left = terms
            .into_iter()
            .filter(|t| Some(t.url.as_str()) != own_url)
            .map(|t| (t.name.to_ascii_lowercase(), t.url))
            .collect();
        Linker { left }
    }

    pub fn is_done(&self) -> bool {
        self.left.is_empty()
    }

    /// The earliest use in `text` of a term not yet linked on this page (a
    /// whole word, any case, with an optional plural `s`); every name of
    /// that entry is then done.
    pub fn find(&mut self, text: &str) -> Option<Found> {
        if self.left.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        let mut best: Option<(usize, usize, usize)> = None;
        for (i, (name, _)) in self.left.iter().enumerate() {
            if let Some((start, end)) = whole_word(&lower, name) {
                if best.is_none_or(|(s, e, _)| start < s || start == s && end > e) {
                    best = Some((start, end, i));
                }
            }
        }
        let (start, end, i) = best?;
        let url = self.left[i].1.clone();
        self.left.retain(|(_, u)| *u != url);
        Some(Found { start, end, url })
    }
}

/// First occurrence of `name` in `text` standing as a word of its own.
fn whole_word(text: &str, name: &str) -> Option<(usize, usize)> {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut from = 0;
    while let Some(at) = text[from..].find(name) {
        let start = from + at;
        let mut end = start + name.len();
        if text[end..].starts_with('s') && !word(text[end + 1..].chars().next()) {
            end += 1;
        }
        if !word(text[..start].chars().next_back()) && !word(text[end..].chars().next()) {
            return Some((start, end));
        }
        from = start + name.len().max(1);
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> Linker {
        let t = |name: &str, url: &str| GlossaryTerm { name: name.into(), url: url.into() };
        Linker::new(
            vec![t("Withdrawal Rupture", "/g/wr/"), t("Rupture", "/g/r/"), t("Ruptura", "/g/r/"), t("Bond", "/g/b/")],
            Some("/g/b/"),
        )
    }

    #[test]
    fn first_whole_word_use_links_once_longest_name_first() {
        let mut l = linker();
        let text = "A withdrawal rupture is one kind of rupture; ruptures heal.";
        let f = l.find(text).unwrap();
        assert_eq!((&text[f.start..f.end], f.url.as_str()), ("withdrawal rupture", "/g/wr/"));
        let rest = &text[f.end..];
        let f = l.find(rest).unwrap();
        assert_eq!((&rest[f.start..f.end], f.url.as_str()), ("rupture", "/g/r/"));
        assert_eq!(l.find("ruptures and a ruptura again"), None, "each entry is linked once, by any name");
    }

    #[test]
    fn parts_of_words_and_the_page_itself_are_not_terms() {
        let mut l = linker();
        assert_eq!(l.find("Bonding and bond"), None, "the page's own entry is left alone");
        assert_eq!(l.find("interruptured"), None);
        let f = l.find("Ruptures.").unwrap();
        assert_eq!((f.start, f.end), (0, 8), "a plural s belongs to the term");
    }
}
