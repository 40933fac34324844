//! A rectification ledger (整改台账): a table with a header row — 序号, 反馈问题,
//! 整改措施, 责任单位, 整改时限, 完成情况 … — one problem per row. Pasted into a
//! text as tab-separated lines; the same columns serve every table read.

use std::fmt::Write as _;

use super::ImportedIssue;
use super::text::{self, clean_title};
use crate::load::content::IssueFront;
use crate::model::status::Status;

/// The column of each field a ledger may have, by its header.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Columns {
    pub aspect: Option<usize>,
    pub problem: usize,
    pub measures: Option<usize>,
    pub department: Option<usize>,
    pub lead: Option<usize>,
    pub deadline: Option<usize>,
    pub status: Option<usize>,
    /// Headers not taken into any field, for the report.
    pub unmapped: Vec<String>,
}

/// How a notice or a ledger labels the department responsible.
pub const DEPARTMENT_LABELS: &[&str] =
    &["责任单位", "责任部门", "责任科室", "牵头部门", "责任处室"];
/// How a notice or a ledger labels the leader responsible.
pub const LEAD_LABELS: &[&str] = &["责任领导", "牵头领导", "责任人", "分管领导"];

/// Header words of each field, the more specific first.
const HEADERS: &[(&str, &[&str])] = &[
    ("number", &["序号", "编号"]),
    ("aspect", &["方面", "问题类别", "类别", "问题类型"]),
    ("measures", &["整改措施", "措施", "整改举措"]),
    (
        "status",
        &[
            "完成情况",
            "整改进展",
            "整改状态",
            "进展情况",
            "整改情况",
            "状态",
        ],
    ),
    ("deadline", &["整改时限", "完成时限", "时限", "完成时间"]),
    ("lead", LEAD_LABELS),
    ("department", DEPARTMENT_LABELS),
    (
        "problem",
        &[
            "反馈问题",
            "问题描述",
            "存在问题",
            "问题清单",
            "具体问题",
            "问题",
        ],
    ),
];

impl Columns {
    /// The columns named by a header row, if it names the problems and at
    /// least one more field (a title row above it names problems too).
    pub fn of(header: &[String]) -> Option<Columns> {
        let mut columns = Columns::default();
        let mut problem = None;
        for (index, cell) in header.iter().enumerate() {
            let name: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
            let field = (name.chars().count() <= 10).then_some(()).and(
                HEADERS
                    .iter()
                    .find(|(_, words)| words.iter().any(|word| name.contains(word)))
                    .map(|(field, _)| *field),
            );
            let slot = match field {
                Some("number") => continue,
                Some("aspect") => &mut columns.aspect,
                Some("measures") => &mut columns.measures,
                Some("status") => &mut columns.status,
                Some("deadline") => &mut columns.deadline,
                Some("lead") => &mut columns.lead,
                Some("department") => &mut columns.department,
                Some("problem") => &mut problem,
                _ => {
                    if !name.is_empty() {
                        columns.unmapped.push(name);
                    }
                    continue;
                }
            };
            match slot {
                None => *slot = Some(index),
                Some(_) => columns.unmapped.push(name),
            }
        }
        columns.problem = problem?;
        let more = [
            columns.measures,
            columns.status,
            columns.deadline,
            columns.department,
            columns.lead,
        ];
        more.iter().any(Option::is_some).then_some(columns)
    }

    /// The problem a row of the table gives, if it has one; `aspect` is the
    /// aspect of the rows above when this row's cell is empty (merged).
    pub fn issue(&self, row: &[String], aspect: &mut Option<String>) -> Option<ImportedIssue> {
        let cell = |column: Option<usize>| {
            column
                .and_then(|at| row.get(at))
                .map(|text| text.trim())
                .filter(|text| !text.is_empty())
        };
        if let Some(named) = cell(self.aspect) {
            *aspect = Some(named.to_owned());
        }
        let problem = cell(Some(self.problem))?;
        let mut front = IssueFront {
            aspect: aspect.clone(),
            department: cell(self.department).map(str::to_owned),
            lead: cell(self.lead).map(str::to_owned),
            ..IssueFront::new(clean_title(problem), Status::InProgress)
        };
        let mut issue_said = None;
        if let Some(deadline) = cell(self.deadline) {
            front.deadline = text::deadline(deadline);
            front.long_term |= Status::long_term_said_in(deadline);
        }
        if let Some(status) = cell(self.status) {
            issue_said = text::status_line(&format!("整改进展：{status}"));
        }
        let mut body = String::new();
        if let Some(measures) = cell(self.measures) {
            let _ = writeln!(body, "**整改措施：**{measures}\n");
        }
        if let Some(status) = cell(self.status) {
            let _ = writeln!(body, "**整改进展：**{status}\n");
        }
        let mut issue = ImportedIssue {
            front,
            body,
            heading: problem.to_owned(),
            stated: issue_said.is_some(),
            grouped: false,
        };
        if let Some(said) = issue_said {
            issue.say(&said);
        }
        Some(issue)
    }
}

/// The problems of a table's rows below its header: a row whose only
/// text is in one cell names the aspect of the rows under it (a merged
/// group row), a row without a problem carries more measures of the one
/// above (a merged problem cell), every other row is a problem.
pub fn issues_of_rows(
    columns: &Columns,
    rows: &[Vec<String>],
    aspect: &mut Option<String>,
) -> (Vec<ImportedIssue>, Vec<String>) {
    let mut issues: Vec<ImportedIssue> = Vec::new();
    let mut unplaced = Vec::new();
    for row in rows {
        let filled: Vec<(usize, &String)> = row
            .iter()
            .enumerate()
            .filter(|(_, cell)| !cell.trim().is_empty())
            .collect();
        let of_a_problem = [
            Some(columns.problem),
            columns.measures,
            columns.status,
            columns.deadline,
            columns.department,
            columns.lead,
        ];
        match filled.as_slice() {
            [] => continue,
            [(at, only)] if !of_a_problem.contains(&Some(*at)) => {
                *aspect = Some(group_name(only));
                continue;
            }
            _ => {}
        }
        if let Some(issue) = columns.issue(row, aspect) {
            issues.push(issue);
        } else if let Some(last) = issues.last_mut() {
            let more = columns.issue(&row_with_problem(row, columns.problem), aspect);
            if let Some(more) = more {
                last.body.push_str(&more.body);
            }
        } else {
            unplaced.push(row.join(" "));
        }
    }
    (issues, unplaced)
}

/// `row` with a placeholder in its problem cell, to read its other cells.
fn row_with_problem(row: &[String], problem: usize) -> Vec<String> {
    let mut row = row.to_vec();
    if row.len() <= problem {
        row.resize(problem + 1, String::new());
    }
    row[problem] = "（续）".to_owned();
    row
}

/// An aspect from a group row: `一、党的建设方面` → `党的建设方面`.
fn group_name(cell: &str) -> String {
    let name = text::strip_marker(cell.trim());
    if name.is_empty() {
        cell.trim().to_owned()
    } else {
        name
    }
}

/// A whole ledger: the rows of a spreadsheet or CSV file. A title row
/// above the header (`…巡察反馈问题整改台账`) names the unit; the notice's
/// own title and date are left for the clerk (a draft).
pub fn import_rows(rows: &[Vec<String>]) -> Option<super::Imported> {
    let (header_at, columns) = rows
        .iter()
        .enumerate()
        .find_map(|(at, row)| Columns::of(row).map(|columns| (at, columns)))?;
    let mut imported = super::Imported::default();
    let title_row = rows[..header_at]
        .iter()
        .flatten()
        .map(|cell| cell.trim())
        .find(|cell| !cell.is_empty());
    if let Some(title) = title_row {
        imported.title_body = super::body_in_title(title);
        imported.dropped.push(title.to_owned());
        imported.guesses.push(format!(
            "台账标题是“{title}”：请填写通报的标题（title）和发布日期"
        ));
    }
    let mut aspect = None;
    let (issues, unplaced) = issues_of_rows(&columns, &rows[header_at + 1..], &mut aspect);
    imported.guesses.push(columns.report());
    imported.issues = issues;
    let mut body = String::from("<!-- issues -->\n\n");
    for line in unplaced {
        let _ = writeln!(body, "{line}\n");
    }
    imported.body = body;
    super::finish_metadata(&mut imported);
    Some(imported)
}

impl Columns {
    /// Which header went into which field, and which into none.
    pub fn report(&self) -> String {
        let mut mapped = vec![format!("问题←第{}列", self.problem + 1)];
        for (name, column) in [
            ("方面", self.aspect),
            ("整改措施", self.measures),
            ("责任单位", self.department),
            ("牵头领导", self.lead),
            ("整改时限", self.deadline),
            ("整改状态", self.status),
        ] {
            if let Some(column) = column {
                mapped.push(format!("{name}←第{}列", column + 1));
            }
        }
        let mut report = format!("台账的列：{}", mapped.join("，"));
        if !self.unmapped.is_empty() {
            let _ = write!(
                report,
                "；没有对应字段、未导入的列：{}",
                self.unmapped.join("、")
            );
        }
        report
    }
}

/// The cells of a tab-separated line, if it has any tab.
pub fn tab_cells(line: &str) -> Option<Vec<String>> {
    line.contains('\t').then(|| {
        line.split('\t')
            .map(|cell| cell.trim().to_owned())
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> Vec<String> {
        tab_cells(line).expect("tabs")
    }

    #[test]
    fn a_header_row_maps_its_columns_and_names_those_it_does_not_know() {
        let columns = Columns::of(&cells(
            "序号\t反馈问题\t整改措施\t责任单位\t整改时限\t完成情况\t备注",
        ))
        .expect("a ledger");
        assert_eq!(columns.problem, 1);
        assert_eq!(columns.measures, Some(2));
        assert_eq!(columns.department, Some(3));
        assert_eq!(columns.deadline, Some(4));
        assert_eq!(columns.status, Some(5));
        assert_eq!(columns.unmapped, ["备注"]);
        assert!(Columns::of(&cells("姓名\t电话")).is_none());
    }

    #[test]
    fn a_row_gives_its_problem_and_an_empty_aspect_cell_is_the_one_above() {
        let columns = Columns::of(&cells("方面\t问题\t整改时限\t整改进展")).expect("a ledger");
        let mut aspect = None;
        let first = columns
            .issue(
                &cells("党的建设\t学习不深入\t2025年6月底\t已完成"),
                &mut aspect,
            )
            .expect("row");
        let second = columns
            .issue(
                &cells("\t支部活动少\t长期坚持\t已完成，长期坚持"),
                &mut aspect,
            )
            .expect("row");
        assert_eq!(first.front.aspect.as_deref(), Some("党的建设"));
        assert_eq!(first.front.status, Status::Completed);
        assert_eq!(
            first.front.deadline.map(|d| d.to_string()).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(second.front.aspect.as_deref(), Some("党的建设"));
        assert!(second.front.long_term);
        assert_eq!(second.front.deadline, None);
    }
}
