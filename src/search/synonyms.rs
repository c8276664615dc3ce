//! Synonym groups from `[search] synonyms` in site.toml (`[["a11y",
//! "accessibility"], ["WAI", "working alliance inventory"]]`), applied when
//! the index is built: a document that says one member of a group is also
//! indexed under the words of the others, so the client needs no table and a
//! query fetches no more than before.

use super::tokenize::{for_each_word, Kind};
use rustc_hash::FxHashMap;

/// Folded groups, ready to match a document's words against.
#[derive(Default)]
pub struct Synonyms {
    /// Each member as folded words, with its group.
    members: Vec<(Vec<String>, usize)>,
    /// Member indexes by their last word.
    by_last: FxHashMap<String, Vec<usize>>,
    /// Per group: every member's words.
    groups: Vec<Vec<Vec<String>>>,
    longest: usize,
}

impl Synonyms {
    pub fn new(groups: &[Vec<String>]) -> Synonyms {
        let mut s = Synonyms::default();
        for group in groups {
            let members: Vec<Vec<String>> = group.iter().map(|m| folded_words(m)).filter(|w| !w.is_empty()).collect();
            let g = s.groups.len();
            for words in &members {
                s.longest = s.longest.max(words.len());
                s.by_last.entry(words[words.len() - 1].clone()).or_default().push(s.members.len());
                s.members.push((words.clone(), g));
            }
            s.groups.push(members);
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// A print of the members and their groups (what analysis depends on).
    pub fn print(&self) -> u64 {
        crate::prints::hash_of(&self.members)
    }

    /// The longest member, in words: how many recent words a matcher keeps.
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// Members that end at the last of `recent` (oldest first): (group, member index in group).
    pub fn ending_at<'s>(&'s self, recent: &'s [String]) -> impl Iterator<Item = usize> + 's {
        let last = recent.last().map(String::as_str).unwrap_or("");
        self.by_last.get(last).into_iter().flatten().filter_map(move |&m| {
            let (words, group) = &self.members[m];
            (recent.len() >= words.len() && recent[recent.len() - words.len()..] == words[..]).then_some(*group)
        })
    }

    /// Every word of every member of `group`.
    pub fn words_of(&self, group: usize) -> impl Iterator<Item = &str> {
        self.groups[group].iter().flatten().map(String::as_str)
    }
}

fn folded_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w, kind| {
        if kind == Kind::Word {
            out.push(w.to_string());
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(g: &[&[&str]]) -> Vec<Vec<String>> {
        g.iter().map(|m| m.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn members_match_where_they_end() {
        let s = Synonyms::new(&groups(&[&["a11y", "Accessibility"], &["WAI", "Working Alliance Inventory"]]));
        let recent: Vec<String> = ["the", "working", "alliance", "inventory"].map(String::from).to_vec();
        assert_eq!(s.ending_at(&recent).collect::<Vec<_>>(), [1]);
        assert_eq!(s.ending_at(&recent[..3]).count(), 0, "a part of a phrase is not the member");
        assert_eq!(s.ending_at(&["a11y".to_string()]).collect::<Vec<_>>(), [0]);
        assert_eq!(s.words_of(1).collect::<Vec<_>>(), ["wai", "working", "alliance", "inventory"]);
        assert_eq!(s.longest(), 3);
    }
}
