//! The dates front matter gives (`2024-05-12`, optionally followed by a
//! time), read in one place for the front matter, properties and reviews.

/// The calendar date at the start of a front matter date value.
pub fn parse_date(value: &str) -> Option<chrono::NaiveDate> {
    let head = value.get(..10)?;
    let date = chrono::NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = &value[10..];
    let rest_ok = rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ');
    rest_ok.then_some(date)
}
