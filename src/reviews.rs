//! Review dates: when a page was last reviewed (`reviewed`), by whom
//! (`reviewed_by`), and how often it must be (`review_every`, else
//! `[reviews] every` in `site.toml`). From these and today's date comes the
//! date a review falls due, which the theme shows, `check` warns about and
//! `check --reviews` lists.
//!
//! "Today" is read in one place ([`today`]) and kept in the config, so a
//! build's output depends on it the way it depends on any setting, and tests
//! set it with `RAPPORT_TODAY=YYYY-MM-DD` instead of depending on the clock.

use chrono::{Months, NaiveDate};
use serde::Serialize;

/// The environment variable that fixes today's date (`2026-12-02`).
pub const TODAY_VAR: &str = "RAPPORT_TODAY";

/// How often a page is reviewed: `12 months`, `6 weeks`, `1 year`, `30 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    count: u32,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Interval {
    /// Parses `N unit`; the message says what is expected.
    pub fn parse(text: &str) -> Result<Interval, String> {
        let expected = || format!("expected a period like \"12 months\", \"6 weeks\" or \"1 year\", got `{text}`");
        let mut words = text.split_whitespace();
        let (Some(n), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(expected());
        };
        let count: u32 = n.parse().ok().filter(|&n| n > 0 && n <= 1200).ok_or_else(expected)?;
        let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            "year" => Unit::Years,
            _ => return Err(expected()),
        };
        Ok(Interval { count, unit })
    }

    /// The date this long after `from` (a month on from 31 January is the
    /// last day of February).
    pub fn after(self, from: NaiveDate) -> NaiveDate {
        let n = self.count;
        let later = match self.unit {
            Unit::Days => from.checked_add_days(chrono::Days::new(n.into())),
            Unit::Weeks => from.checked_add_days(chrono::Days::new(u64::from(n) * 7)),
            Unit::Months => from.checked_add_months(Months::new(n)),
            Unit::Years => from.checked_add_months(Months::new(n * 12)),
        };
        later.unwrap_or(NaiveDate::MAX)
    }
}

/// Today's date: `RAPPORT_TODAY` when set (an error when it is not a date),
/// else the local clock's.
pub fn today() -> Result<NaiveDate, String> {
    match std::env::var(TODAY_VAR) {
        Ok(v) => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{TODAY_VAR} must be a date like 2026-12-02, got `{v}`")),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

/// `[reviews]` as resolved: the default period, and the date reviews are
/// judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSettings {
    pub every: Option<Interval>,
    pub today: NaiveDate,
}

/// A page's review state, for the theme and for `check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// `YYYY-MM-DD` when the review is due; none without a period.
    pub due: Option<String>,
    /// True when `due` is before today.
    pub overdue: bool,
}

/// The review state of a page reviewed on `reviewed` (front matter, already
/// validated), with its own period `every` if any.
pub fn review(reviewed: Option<&str>, every: Option<&str>, settings: &ReviewSettings) -> Option<Review> {
    let reviewed = crate::dates::parse_date(reviewed?)?;
    let every = every.and_then(|e| Interval::parse(e).ok()).or(settings.every);
    let due = every.map(|e| e.after(reviewed));
    Some(Review {
        due: due.map(|d| d.format("%Y-%m-%d").to_string()),
        overdue: due.is_some_and(|d| d < settings.today),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_parse_in_each_unit_and_bad_ones_say_what_is_expected() {
        let d = date("2024-01-31");
        assert_eq!(Interval::parse("12 months").unwrap().after(d), date("2025-01-31"));
        assert_eq!(Interval::parse("1 Month").unwrap().after(d), date("2024-02-29"));
        assert_eq!(Interval::parse("6 weeks").unwrap().after(d), date("2024-03-13"));
        assert_eq!(Interval::parse("2 years").unwrap().after(d), date("2026-01-31"));
        assert_eq!(Interval::parse(" 10  days ").unwrap().after(d), date("2024-02-10"));
        for bad in ["", "12", "months", "0 months", "-1 weeks", "twelve months", "12 fortnights", "1 year ago"] {
            let e = Interval::parse(bad).unwrap_err();
            assert!(e.contains("12 months"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_review_is_overdue_only_after_its_due_date() {
        let settings = ReviewSettings { every: Interval::parse("12 months").ok(), today: date("2026-12-02") };
        let r = review(Some("2025-12-02"), None, &settings).unwrap();
        assert_eq!((r.due.as_deref(), r.overdue), (Some("2026-12-02"), false));
        let r = review(Some("2025-12-01"), None, &settings).unwrap();
        assert_eq!((r.due.as_deref(), r.overdue), (Some("2026-12-01"), true));
        let r = review(Some("2026-11-01T09:00:00Z"), Some("4 weeks"), &settings).unwrap();
        assert_eq!((r.due.as_deref(), r.overdue), (Some("2026-11-29"), true));
        let none = ReviewSettings { every: None, ..settings };
        assert_eq!(review(Some("2020-01-01"), None, &none), Some(Review { due: None, overdue: false }));
        assert_eq!(review(None, Some("1 week"), &none), None);
    }
}
