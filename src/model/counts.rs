//! Issues counted by status and by flag, and the rules for the flags an
//! issue is counted under (overdue, not updated): one place for the site,
//! `check` and an aggregate portal, which judges other units' issues.

use serde::Serialize;

use crate::model::date::Date;
use crate::model::status::Status;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Counts {
    pub total: usize,
    pub completed: usize,
    pub partial: usize,
    pub in_progress: usize,
    pub long_term: usize,
    pub overdue: usize,
    pub stale: usize,
}

impl Counts {
    /// One issue in `status`, with its flags.
    pub fn one(status: Status, long_term: bool, overdue: bool, stale: bool) -> Counts {
        let mut counts = Counts {
            total: 1,
            long_term: usize::from(long_term),
            overdue: usize::from(overdue),
            stale: usize::from(stale),
            ..Counts::default()
        };
        match status {
            Status::Completed => counts.completed = 1,
            Status::Partial => counts.partial = 1,
            Status::InProgress => counts.in_progress = 1,
        }
        counts
    }

    pub fn add(&mut self, other: &Counts) {
        self.total += other.total;
        self.completed += other.completed;
        self.partial += other.partial;
        self.in_progress += other.in_progress;
        self.long_term += other.long_term;
        self.overdue += other.overdue;
        self.stale += other.stale;
    }

    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Completed => self.completed,
            Status::Partial => self.partial,
            Status::InProgress => self.in_progress,
        }
    }
}

/// Not completed, and its deadline before `as_of`: the one rule for
/// overdue, which the site counts, `check` reports and an aggregate
/// applies to every unit.
pub fn is_overdue(status: Status, deadline: Option<Date>, as_of: Date) -> bool {
    status != Status::Completed && deadline.is_some_and(|deadline| deadline < as_of)
}

/// The days since the date its status stands at, when the issue is not
/// completed and that is `stale_after_days` or more (N天未更新).
pub fn stale_days(
    status: Status,
    status_as_of: Date,
    as_of: Date,
    stale_after_days: u32,
) -> Option<i64> {
    let days = days_between(status_as_of, as_of);
    (status != Status::Completed && days >= i64::from(stale_after_days)).then_some(days)
}

/// Days from `from` to `to`.
pub fn days_between(from: Date, to: Date) -> i64 {
    (to.naive() - from.naive()).num_days()
}
