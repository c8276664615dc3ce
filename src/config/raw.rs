//! The raw form of `site.toml`: serde structs that mirror the file key by
//! key (unknown keys are errors), read before anything is checked; the
//! module above validates them into a [`super::Config`].

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) base_url: Option<String>,
    pub(super) language: Option<String>,
    pub(super) theme: Option<String>,
    pub(super) output_dir: Option<String>,
    #[serde(default)]
    pub(super) taxonomies: Option<Vec<RawTaxonomy>>,
    pub(super) strict_links: Option<bool>,
    pub(super) strict_front_matter: Option<bool>,
    pub(super) disclaimer: Option<String>,
    pub(super) home: Option<String>,
    #[serde(default)]
    pub(super) ignore: Vec<String>,
    #[serde(default)]
    pub(super) markdown: RawMarkdown,
    #[serde(default)]
    pub(super) check: RawCheck,
    #[serde(default)]
    pub(super) search: RawSearch,
    pub(super) extra: Option<toml::Table>,
    /// Theme words: `page = "guide"`, or any string a theme's table holds.
    #[serde(default)]
    pub(super) labels: std::collections::BTreeMap<String, String>,
    pub(super) favicon: Option<String>,
    pub(super) logo: Option<String>,
    #[serde(default)]
    pub(super) schema: RawSchema,
    pub(super) glossary: Option<String>,
    pub(super) offline: Option<bool>,
    pub(super) bibliography: Option<String>,
    pub(super) citation_style: Option<String>,
    #[serde(default)]
    pub(super) reviews: RawReviews,
}

/// `[reviews]`: how often a page with a `reviewed` date is due again.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReviews {
    pub(super) every: Option<String>,
}

/// `[schema]`: the schema.org type of pages in JSON-LD and who they are for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSchema {
    #[serde(rename = "type")]
    pub(super) page_type: Option<String>,
    pub(super) audience: Option<String>,
    pub(super) audience_type: Option<String>,
}

/// `[check]`: findings `rapport check` reports only when asked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCheck {
    pub(super) orphans: Option<bool>,
}

/// `[search]`: settings of the search index.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSearch {
    #[serde(default)]
    pub(super) synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawTaxonomy {
    Name(String),
    Table(RawTaxonomyTable),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTaxonomyTable {
    pub(super) name: String,
    /// Zola's per-term feeds: `feed = true` writes `/<taxonomy>/<term>/atom.xml`.
    #[serde(default)]
    pub(super) feed: bool,
    /// Zola's term pagination: `paginate_by` pages to each term page.
    pub(super) paginate_by: Option<usize>,
    /// Where a term's pagers 2.. live: `/<taxonomy>/<term>/<paginate_path>/2/`.
    pub(super) paginate_path: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkdown {
    pub(super) smart_punctuation: Option<bool>,
    pub(super) highlight_code: Option<bool>,
    pub(super) highlight_theme: Option<String>,
    pub(super) highlight_theme_dark: Option<String>,
    pub(super) unsafe_html: Option<bool>,
    pub(super) external_links_new_tab: Option<bool>,
    pub(super) properties: Option<bool>,
}
