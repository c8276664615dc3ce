//! The review queue of a site: the pages whose review is due, most overdue
//! first, as `check` warns about them and `check --reviews` lists them. Kept
//! apart from [`crate::reviews`], which the config and front matter use and
//! which must not depend on the assembled site.

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::reviews::review;
use chrono::NaiveDate;

/// One line of the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub file: std::path::PathBuf,
    pub url: String,
    pub due: NaiveDate,
    pub reviewed_by: Option<String>,
}

/// Every page and section with a due date, the most overdue first.
pub fn queue(site: &Site) -> Vec<Due> {
    let docs = site.pages.iter().map(|p| (&p.doc, &p.url)).chain(site.sections.iter().map(|s| (&s.doc, &s.url)));
    let mut list: Vec<Due> = docs
        .filter_map(|(doc, url)| {
            let r = review(doc.fm.reviewed.as_deref(), doc.fm.review_every.as_deref(), &site.config.reviews)?;
            let due = NaiveDate::parse_from_str(r.due.as_deref()?, "%Y-%m-%d").ok()?;
            Some(Due { file: doc.file.clone(), url: site.full_url(url), due, reviewed_by: doc.fm.reviewed_by.clone() })
        })
        .collect();
    list.sort_by(|a, b| (a.due, &a.file).cmp(&(b.due, &b.file)));
    list
}

/// What `check` says of an overdue page: a warning at its `reviewed` key,
/// or an error when `strict` (`--strict-reviews`).
pub fn findings(site: &Site, strict: bool) -> Vec<Diagnostic> {
    let today = site.config.reviews.today;
    let docs = site.pages.iter().map(|p| &p.doc).chain(site.sections.iter().map(|s| &s.doc));
    let sources: std::collections::HashMap<&std::path::Path, &str> =
        docs.map(|d| (d.file.as_path(), d.source.as_ref())).collect();
    queue(site)
        .into_iter()
        .filter(|d| d.due < today)
        .map(|d| {
            let message = format!("review overdue: due since {} ({} days ago)", d.due, (today - d.due).num_days());
            let mut finding =
                if strict { Diagnostic::error(&d.file, message) } else { Diagnostic::warning(&d.file, message) };
            if let Some(source) = sources.get(d.file.as_path()) {
                if let Some(at) = crate::config::find_key(source, "reviewed") {
                    finding = finding.at_offset(source, at);
                }
            }
            finding
        })
        .collect()
}

/// The queue as `check --reviews` prints it: one line a page.
pub fn format_queue(list: &[Due], today: NaiveDate) -> String {
    if list.is_empty() {
        return "no page has a review due date (set `reviewed` and `review_every`, or `[reviews] every`)\n".into();
    }
    let mut out = String::new();
    for d in list {
        let days = (d.due - today).num_days();
        let when = match days {
            ..0 => format!("overdue by {} days", -days),
            0 => "due today".to_string(),
            _ => format!("due in {days} days"),
        };
        let by = d.reviewed_by.as_deref().map(|b| format!(" (last reviewed by {b})")).unwrap_or_default();
        out.push_str(&format!("{}  {when:<20}  {}{by}\n", d.due, d.file.display()));
    }
    out
}
