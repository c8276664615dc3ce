//! Where the dictionary files a word form (its shard key) and how it
//! classes a stem's document frequency. The shards that write the
//! dictionary and the cards that must agree with it both ask here, so
//! neither depends on the other for it.

use std::collections::BTreeSet;

/// Letters a shard key has before any split: two.
const KEY_CHARS: usize = 2;

/// The dictionary shard key of a folded form: its first two letters (one
/// for CJK, whose forms are bigrams), one more for each split prefix, never
/// more than the form itself.
pub(super) fn shard_key(form: &str, split: &BTreeSet<String>) -> String {
    shard_key_of(form, split).to_string()
}

/// [`shard_key`] as a slice of `form` (no allocation: it runs for every form).
pub(super) fn shard_key_of<'f>(form: &'f str, split: &BTreeSet<String>) -> &'f str {
    let mut n = key_chars(form);
    loop {
        let key = match form.char_indices().nth(n) {
            Some((end, _)) => &form[..end],
            None => return form,
        };
        if !split.contains(key) {
            return key;
        }
        n += 1;
    }
}

/// Letters a shard key starts with: two, or one when the form is CJK.
pub(super) fn key_chars(form: &str) -> usize {
    if form.chars().next().is_some_and(super::tokenize::is_cjk) {
        1
    } else {
        KEY_CHARS
    }
}

/// Document frequency on a half-log scale: enough to rank prefix
/// completions, and stable under most edits.
pub(super) fn df_class(df: usize) -> u32 {
    ((df as f64).log2() * 2.0).floor() as u32
}
