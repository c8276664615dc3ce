//! The words the theme shows: one table per language shipped with the
//! default theme (`themes/rapport/labels/<lang>.toml`), then the site's own
//! `[labels]` on top, so a site can rename "page" to "guide" or translate
//! every string without copying a template.

use std::collections::BTreeMap;

const EN: &str = include_str!("../themes/rapport/labels/en.toml");
const FR: &str = include_str!("../themes/rapport/labels/fr.toml");

/// Languages with a shipped table; any other falls back to English.
pub const SHIPPED: &[&str] = &["en", "fr"];

/// The table for `language` (`fr`, `fr-CA`, `en-GB`: the primary subtag
/// picks it), with `overrides` applied. When a site names its pages
/// (`page = "guide"`) but not their plural, the plural is the word plus "s".
pub fn resolve(language: &str, overrides: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let primary = language.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    let mut labels = shipped(if primary == "fr" { FR } else { EN });
    if let Some(page) = overrides.get("page") {
        if !overrides.contains_key("pages") {
            labels.insert("pages".into(), format!("{page}s"));
        }
    }
    labels.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    labels
}

fn shipped(text: &str) -> BTreeMap<String, String> {
    toml::from_str(text).expect("the theme's label tables are valid TOML of strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_table_has_every_english_key() {
        let en = shipped(EN);
        let fr = shipped(FR);
        let missing: Vec<&String> = en.keys().filter(|k| !fr.contains_key(*k)).collect();
        assert!(missing.is_empty(), "fr.toml lacks {missing:?}");
        let extra: Vec<&String> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(extra.is_empty(), "fr.toml has keys en.toml lacks: {extra:?}");
    }

    #[test]
    fn a_site_word_for_page_gives_its_plural_unless_set() {
        let o = BTreeMap::from([("page".to_string(), "guide".to_string())]);
        let l = resolve("en", &o);
        assert_eq!((l["page"].as_str(), l["pages"].as_str()), ("guide", "guides"));
        let o = BTreeMap::from([("page".to_string(), "entry".into()), ("pages".to_string(), "entries".into())]);
        assert_eq!(resolve("en", &o)["pages"], "entries");
        assert_eq!(resolve("fr-CA", &BTreeMap::new())["home"], "Accueil");
        assert_eq!(resolve("de", &BTreeMap::new())["home"], "Home");
    }
}
