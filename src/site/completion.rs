//! Completion over time: how many issues were completed by the end of each
//! month, for a notice and for the whole portal. The chart drawn from it
//! answers what a single figure cannot: whether the work is moving.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::load::content::IssueFront;
use crate::model::date::Date;
use crate::model::status::Status;

/// A calendar month, counted from year 0 so that months subtract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    pub fn of(date: Date) -> Month {
        let date = date.naive();
        // A month number is 1..=12, so the cast cannot wrap.
        Month(date.year() * 12 + date.month0() as i32)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// 1 for January.
    pub fn number(self) -> i32 {
        self.0.rem_euclid(12) + 1
    }

    pub fn next(self) -> Month {
        Month(self.0 + 1)
    }

    /// How many months from `self` to `later`, both counted.
    pub fn span_to(self, later: Month) -> usize {
        usize::try_from(later.0 - self.0 + 1).unwrap_or(0)
    }

    /// `2025年3月`.
    pub fn chinese(self) -> String {
        format!("{}年{}月", self.year(), self.number())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{:04}-{:02}", self.year(), self.number()))
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let parsed = text.split_once('-').and_then(|(year, month)| {
            let year: i32 = year.parse().ok()?;
            let month: i32 = month.parse().ok()?;
            (1..=12)
                .contains(&month)
                .then_some(Month(year * 12 + month - 1))
        });
        parsed.ok_or_else(|| serde::de::Error::custom(format!("not a month: {text}")))
    }
}

/// The issues completed in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MonthCount {
    pub month: Month,
    pub completed: usize,
}

/// Completed issues by the month of their completion date, over a span of
/// months that runs from the inspection's feedback (or the first completion)
/// to the date the figures stand at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Completion {
    pub total: usize,
    /// Completed issues that give no date: counted in the figures, not in
    /// the chart, and said so under it.
    pub undated: usize,
    pub from: Month,
    pub to: Month,
    /// Months with completions only, oldest first.
    pub months: Vec<MonthCount>,
}

impl Completion {
    /// The completion of one notice's issues. `start` is where the span
    /// begins at the latest (the feedback date, or the publication date),
    /// `stands_at` the date its figures stand at.
    pub fn of_issues<'a>(
        issues: impl IntoIterator<Item = &'a IssueFront>,
        start: Date,
        stands_at: Date,
    ) -> Completion {
        let mut by_month: BTreeMap<Month, usize> = BTreeMap::new();
        let mut total = 0;
        let mut undated = 0;
        for front in issues {
            total += 1;
            match front.completion_date() {
                Some(date) => *by_month.entry(Month::of(date)).or_default() += 1,
                None if front.status == Status::Completed => undated += 1,
                None => {}
            }
        }
        Completion::from_counts(
            by_month,
            total,
            undated,
            Month::of(start),
            Month::of(stands_at),
        )
    }

    /// Many completions as one, over the span of all and up to `stands_at`.
    pub fn merged<'a>(
        parts: impl IntoIterator<Item = &'a Completion>,
        stands_at: Date,
    ) -> Completion {
        let mut by_month: BTreeMap<Month, usize> = BTreeMap::new();
        let (mut total, mut undated) = (0, 0);
        let mut from: Option<Month> = None;
        for part in parts {
            total += part.total;
            undated += part.undated;
            from = Some(from.map_or(part.from, |from| from.min(part.from)));
            for month in &part.months {
                *by_month.entry(month.month).or_default() += month.completed;
            }
        }
        let to = Month::of(stands_at);
        Completion::from_counts(by_month, total, undated, from.unwrap_or(to), to)
    }

    fn from_counts(
        by_month: BTreeMap<Month, usize>,
        total: usize,
        undated: usize,
        start: Month,
        stands_at: Month,
    ) -> Completion {
        let first = by_month.keys().next().copied();
        let last = by_month.keys().next_back().copied();
        let from = first.map_or(start, |first| first.min(start));
        // A completion dated after the figures' date is an error `check`
        // reports; the span still shows it rather than dropping it.
        let to = last.map_or(stands_at, |last| last.max(stands_at)).max(from);
        Completion {
            total,
            undated,
            from,
            to,
            months: by_month
                .into_iter()
                .map(|(month, completed)| MonthCount { month, completed })
                .collect(),
        }
    }

    /// Whether there is anything to draw: at least one dated completion.
    pub fn has_dates(&self) -> bool {
        !self.months.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::Progress;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a date")
    }

    fn issue(status: Status, completed: Option<&str>, progress: &[(&str, Status)]) -> IssueFront {
        let mut front = crate::site::tests::issue("x", None, None, status, None).front;
        front.completed = completed.map(date);
        front.progress = progress
            .iter()
            .map(|&(day, status)| Progress {
                date: date(day),
                status: Some(status),
                note: None,
            })
            .collect();
        front
    }

    #[test]
    fn completions_are_counted_by_month_from_their_own_dates() {
        let issues = [
            issue(Status::Completed, Some("2025-01-20"), &[]),
            issue(Status::Completed, Some("2025-01-31"), &[]),
            issue(
                Status::Completed,
                None,
                &[
                    ("2024-12-10", Status::InProgress),
                    ("2025-03-02", Status::Completed),
                ],
            ),
            issue(Status::Completed, None, &[]),
            issue(
                Status::InProgress,
                None,
                &[("2025-02-01", Status::Completed)],
            ),
            issue(Status::Partial, None, &[]),
        ];
        let completion = Completion::of_issues(&issues, date("2024-11-15"), date("2025-04-30"));
        assert_eq!(completion.total, 6);
        assert_eq!(completion.undated, 1, "the completed issue without a date");
        assert_eq!(completion.from, Month::of(date("2024-11-01")));
        assert_eq!(completion.to, Month::of(date("2025-04-01")));
        let months: Vec<(String, usize)> = completion
            .months
            .iter()
            .map(|m| (m.month.chinese(), m.completed))
            .collect();
        assert_eq!(
            months,
            [("2025年1月".to_owned(), 2), ("2025年3月".to_owned(), 1)]
        );
    }

    #[test]
    fn the_span_stretches_to_completions_outside_it() {
        let issues = [
            issue(Status::Completed, Some("2024-06-03"), &[]),
            issue(Status::Completed, Some("2024-12-03"), &[]),
        ];
        let completion = Completion::of_issues(&issues, date("2024-09-01"), date("2024-10-01"));
        assert_eq!(completion.from, Month::of(date("2024-06-01")));
        assert_eq!(completion.to, Month::of(date("2024-12-01")));
    }

    #[test]
    fn merged_completions_add_up_month_by_month() {
        let one = Completion::of_issues(
            &[issue(Status::Completed, Some("2025-01-05"), &[])],
            date("2024-12-01"),
            date("2025-02-01"),
        );
        let two = Completion::of_issues(
            &[
                issue(Status::Completed, Some("2025-01-25"), &[]),
                issue(Status::Completed, Some("2025-05-25"), &[]),
                issue(Status::InProgress, None, &[]),
            ],
            date("2025-01-01"),
            date("2025-06-01"),
        );
        let all = Completion::merged([&one, &two], date("2025-09-30"));
        assert_eq!((all.total, all.undated), (4, 0));
        assert_eq!(all.from, Month::of(date("2024-12-01")));
        assert_eq!(all.to, Month::of(date("2025-09-01")));
        let counts: Vec<usize> = all.months.iter().map(|m| m.completed).collect();
        assert_eq!(counts, [2, 1]);
    }

    #[test]
    fn months_are_written_and_read_as_year_and_month() {
        let month = Month::of(date("2025-03-17"));
        let json = serde_json::to_string(&month).expect("serialises");
        assert_eq!(json, r#""2025-03""#);
        let back: Month = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, month);
        assert!(serde_json::from_str::<Month>(r#""2025-13""#).is_err());
        assert_eq!(
            Month::of(date("2024-12-31")).next(),
            Month::of(date("2025-01-01"))
        );
    }
}
