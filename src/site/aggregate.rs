//! An aggregate portal: many units' figures side by side, read from their
//! open data (`load::units`), with the overdue issues of every unit and
//! the issues by department across units. No unit's page is rendered here;
//! every issue links into its own unit's portal.

use serde::Serialize;

use crate::load::units::{OverdueIssue, Unit};
use crate::model::counts::Counts;

/// How many overdue issues a page of the aggregate's overdue list holds.
pub const OVERDUE_PER_PAGE: usize = 100;
/// How many departments the departments page lists.
pub const DEPARTMENTS_SHOWN: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Aggregate {
    /// In the order of `sources:`.
    pub units: Vec<Unit>,
    pub totals: Counts,
    pub notices: usize,
    /// Every unit's overdue issues, longest overdue first: (unit, issue).
    pub overdue: Vec<(usize, usize)>,
    /// Departments by how many issues name them, most first.
    pub departments: Vec<Department>,
    /// How many departments there are besides those listed.
    pub departments_left_out: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Department {
    pub name: String,
    pub counts: Counts,
    /// How many units have issues for it.
    pub units: usize,
}

impl Aggregate {
    pub fn of(mut units: Vec<Unit>) -> Aggregate {
        units.sort_by_key(|unit| unit.order);
        let mut totals = Counts::default();
        let mut departments: std::collections::HashMap<&str, Department> =
            std::collections::HashMap::new();
        for unit in &units {
            totals.add(&unit.counts);
            for (name, counts) in &unit.departments {
                let entry = departments.entry(name).or_insert_with(|| Department {
                    name: name.clone(),
                    counts: Counts::default(),
                    units: 0,
                });
                entry.counts.add(counts);
                entry.units += 1;
            }
        }
        let mut departments: Vec<Department> = departments.into_values().collect();
        departments.sort_by(|a, b| {
            b.counts
                .total
                .cmp(&a.counts.total)
                .then_with(|| a.name.cmp(&b.name))
        });
        let departments_left_out = departments.len().saturating_sub(DEPARTMENTS_SHOWN);
        departments.truncate(DEPARTMENTS_SHOWN);
        let mut overdue: Vec<(usize, usize)> = units
            .iter()
            .enumerate()
            .flat_map(|(u, unit)| (0..unit.overdue.len()).map(move |i| (u, i)))
            .collect();
        let issue = |&(u, i): &(usize, usize)| &units[u].overdue[i];
        overdue.sort_by(|a, b| issue(b).days.cmp(&issue(a).days).then_with(|| a.cmp(b)));
        Aggregate {
            notices: units.iter().map(|unit| unit.notices).sum(),
            totals,
            overdue,
            departments,
            departments_left_out,
            units,
        }
    }

    /// The overdue issue at `index` of the list, with its unit.
    pub fn overdue_issue(&self, index: usize) -> (&Unit, &OverdueIssue) {
        let (u, i) = self.overdue[index];
        (&self.units[u], &self.units[u].overdue[i])
    }

    /// How many pages the overdue list takes.
    pub fn overdue_pages(&self) -> usize {
        self.overdue.len().div_ceil(OVERDUE_PER_PAGE).max(1)
    }
}
