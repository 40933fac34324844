//! The part of a notice that goes through the problems: which numbered
//! section it is, which level of its headings names a problem (the others
//! name aspects, items, status groups or measures), and the statuses said
//! beside each problem, above it (a status group) or in a later summary.

use std::fmt::Write as _;
use std::mem::Discriminant;

use super::ledger::{Columns, DEPARTMENT_LABELS, LEAD_LABELS, issues_of_rows, tab_cells};
use super::text::{self, Marker, clean_title, marker, normalize, quoted, strip_marker};
use super::{Imported, ImportedIssue};
use crate::load::content::IssueFront;
use crate::model::status::Status;

/// What a numbered section (一、…) of a notice does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// How the work was organised: slogans and prose, never problems.
    Organising,
    /// Next steps (下一步, 打算): prose.
    Plans,
    /// Goes through the problems.
    Problems,
    Other,
}

/// Lines grouped under their 一、 二、 … headings.
pub fn split_sections(lines: &[String]) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        match marker(line) {
            Some(Marker::Section(_)) => sections.push((line.clone(), Vec::new())),
            _ => match sections.last_mut() {
                Some((_, content)) => content.push(line.clone()),
                None => sections.push((String::new(), vec![line.clone()])),
            },
        }
    }
    sections
}

/// What the section under `heading` does. Its heading tells organising and
/// plans apart (组织, 主体责任, 下一步 …; a heading that speaks of 问题 or
/// 反馈 is about the problems); the problems are told by status lines, a
/// ledger table, or numbered headings that name problems.
pub fn section_kind(heading: &str, content: &[String]) -> SectionKind {
    const ORGANISING: &[&str] = &[
        "主体责任",
        "组织",
        "领导",
        "基本情况",
        "开展情况",
        "推进情况",
        "工作情况",
        "总体情况",
    ];
    const PLANS: &[&str] = &["打算", "下一步", "工作计划", "巩固", "长效", "进一步"];
    let about_problems = heading.contains("问题") || heading.contains("反馈");
    if PLANS.iter().any(|word| heading.contains(word)) && !about_problems {
        return SectionKind::Plans;
    }
    if ORGANISING.iter().any(|word| heading.contains(word)) && !about_problems {
        return SectionKind::Organising;
    }
    if table_header(content).is_some() {
        return SectionKind::Problems;
    }
    let names_problems = content
        .iter()
        .filter(|line| {
            marker(line).is_some()
                && (line.contains("问题") || line.contains("针对") || line.contains("方面"))
        })
        .count();
    let about_rectification = heading.contains("整改")
        && (heading.contains("落实") || heading.contains("进展") || heading.contains("情况"));
    let statuses = content
        .iter()
        .filter(|line| text::status_line(line).is_some())
        .count();
    // 一、关于…方面存在的问题, followed by numbered problems.
    let names_its_problems = (heading.contains("问题") || heading.contains("方面"))
        && content.iter().any(|line| marker(line).is_some());
    let labelled = content
        .iter()
        .any(|line| matches!(marker(line), Some(Marker::Labelled(_))));
    if statuses > 0
        || labelled
        || (about_rectification && names_problems >= 2)
        || names_its_problems
    {
        SectionKind::Problems
    } else {
        SectionKind::Other
    }
}

/// `一、关于贯彻落实党中央决策部署方面存在的问题` → `贯彻落实党中央决策部署方面`.
pub fn aspect_from_section(heading: &str) -> String {
    let name = strip_marker(heading);
    let name = name.strip_prefix("关于").unwrap_or(&name);
    match name.find("方面") {
        Some(at) => name[..at + "方面".len()].to_owned(),
        None => name.trim_end_matches(['。', '.']).to_owned(),
    }
}

/// The line of `content` that heads a ledger table, and its columns.
fn table_header(content: &[String]) -> Option<(usize, Columns)> {
    let rows = content.iter().filter(|line| line.contains('\t')).count();
    if rows < 2 {
        return None;
    }
    content.iter().enumerate().find_map(|(at, line)| {
        let cells = tab_cells(line)?;
        Columns::of(&cells).map(|columns| (at, columns))
    })
}

/// The status a group heading gives the problems under it:
/// `（一）已完成（含基本完成）的整改事项`, `（二）正在推进的整改事项`.
fn group_status(heading: &str) -> Option<Status> {
    let name = strip_marker(heading);
    let names_a_group = ["事项", "问题", "任务"]
        .iter()
        .any(|word| name.contains(word))
        && name.chars().count() <= 30
        && quoted(&name).is_none();
    if !names_a_group {
        return None;
    }
    Status::READING_ORDER
        .into_iter()
        .find(|status| status.said_in(&name))
        .map(|status| match status {
            // 已完成（含基本完成）: the group of what is done.
            Status::Partial if Status::Completed.said_in(&name) => Status::Completed,
            other => other,
        })
}

/// A heading that names its problem by a formula: `关于“…”问题的整改`,
/// `针对“…”问题`.
fn formulaic(line: &str) -> bool {
    let name = strip_marker(line);
    ((name.starts_with("关于") || name.starts_with("针对")) && quoted(&name).is_some())
        || name.contains("问题的整改")
}

/// Which marker kinds nest in the problem section, outermost first.
fn levels(content: &[String]) -> Vec<Discriminant<Marker>> {
    let mut kinds: Vec<Discriminant<Marker>> = Vec::new();
    for line in content {
        if let Some(found) = marker(line)
            && !matches!(found, Marker::Section(_))
        {
            let kind = std::mem::discriminant(&found);
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    kinds
}

/// The level of headings that names the problems: the level of `问题1：`
/// labels, else the innermost whose headings mostly quote a finding (those
/// below it are measures, those above aspects and items), else the
/// innermost.
fn problem_level(content: &[String], kinds: &[Discriminant<Marker>]) -> Option<usize> {
    let of_kind = |kind: Discriminant<Marker>| {
        content
            .iter()
            .filter(move |line| marker(line).map(|m| std::mem::discriminant(&m)) == Some(kind))
    };
    if let Some(at) = kinds.iter().position(|kind| {
        of_kind(*kind)
            .next()
            .is_some_and(|line| matches!(marker(line), Some(Marker::Labelled(_))))
    }) {
        return Some(at);
    }
    let quoting = kinds.iter().rposition(|kind| {
        let (all, quoting) = of_kind(*kind).fold((0, 0), |(all, quoting), line| {
            (all + 1, quoting + usize::from(formulaic(line)))
        });
        all > 0 && quoting * 2 > all
    });
    quoting.or_else(|| kinds.len().checked_sub(1))
}

/// The problems of a problem section, and the lines that belong to none.
pub fn parse_issues(
    content: &[String],
    preset_aspect: Option<String>,
    imported: &mut Imported,
) -> (Vec<ImportedIssue>, Vec<String>) {
    if let Some((header_at, columns)) = table_header(content) {
        return table_issues(content, header_at, &columns, preset_aspect, imported);
    }
    let kinds = levels(content);
    let problem_at = problem_level(content, &kinds);
    let problem_kind = problem_at.map(|at| kinds[at]);
    // Levels above the problem name aspects and items, or status groups.
    let groups: Vec<Discriminant<Marker>> =
        problem_at.map_or(Vec::new(), |at| kinds[..at].to_vec());
    let group_is_status: Vec<bool> = groups
        .iter()
        .map(|kind| {
            content
                .iter()
                .filter(|line| marker(line).map(|m| std::mem::discriminant(&m)) == Some(*kind))
                .all(|line| group_status(line).is_some())
        })
        .collect();
    let naming: Vec<Discriminant<Marker>> = groups
        .iter()
        .zip(&group_is_status)
        .filter(|(_, status)| !**status)
        .map(|(kind, _)| *kind)
        .collect();
    let aspect_kind = naming.first().copied();
    let item_kind = naming.get(1).copied();
    // How each level's headings begin (关于…, 针对…), to place a heading
    // whose number was left out.
    let opener = |line: &str| strip_marker(line).chars().take(2).collect::<String>();
    let openers = |level: Option<Discriminant<Marker>>| -> Vec<String> {
        content
            .iter()
            .filter(|line| {
                level.is_some() && marker(line).map(|m| std::mem::discriminant(&m)) == level
            })
            .map(|line| opener(line))
            .collect()
    };
    let by_opener = [
        (problem_kind, openers(problem_kind), "问题"),
        (item_kind, openers(item_kind), "大项"),
        (aspect_kind, openers(aspect_kind), "方面"),
    ];
    let mut issues: Vec<ImportedIssue> = Vec::new();
    let mut unplaced = Vec::new();
    let mut aspect: Option<String> = preset_aspect;
    let mut item: Option<String> = None;
    let mut group: Option<Status> = None;
    for line in content {
        let mut kind = marker(line).map(|m| std::mem::discriminant(&m));
        if kind.is_none() && looks_like_heading(line) {
            let start: String = line.chars().take(2).collect();
            if let Some((level, _, name)) = by_opener
                .iter()
                .find(|(level, openers, _)| level.is_some() && openers.contains(&start))
            {
                kind = *level;
                imported
                    .guesses
                    .push(format!("“{line}”没有编号，按{name}导入"));
            }
        }
        let status_group = kind.and_then(|kind| {
            groups
                .iter()
                .zip(&group_is_status)
                .any(|(level, status)| *level == kind && *status)
                .then(|| group_status(line))
                .flatten()
        });
        if let Some(status) = status_group {
            group = Some(status);
        } else if kind.is_some() && kind == aspect_kind {
            aspect = Some(group_name(line));
            item = None;
        } else if kind.is_some() && kind == item_kind {
            item = Some(group_name(line));
        } else if kind.is_some() && kind == problem_kind {
            issues.push(new_issue(line, aspect.clone(), item.clone(), group));
        } else if kind.is_none() && is_summary(line) {
            // 上述问题中，第1、3项已整改完成…: about the list, not its last problem.
            unplaced.push(line.clone());
        } else if let Some(issue) = issues.last_mut() {
            read_problem_line(issue, line);
        } else {
            unplaced.push(line.clone());
        }
    }
    for issue in &mut issues {
        if issue.body.trim().is_empty() {
            imported
                .guesses
                .push(format!("“{}”：没有找到整改措施", issue.front.title));
        }
    }
    (issues, unplaced)
}

/// A problem from its heading. `（一）理论学习不深入。整改情况：……` carries its
/// text on the heading line; a status group above gives its status.
fn new_issue(
    line: &str,
    aspect: Option<String>,
    item: Option<String>,
    group: Option<Status>,
) -> ImportedIssue {
    let heading = strip_marker(line);
    let (title, inline) = match heading.split_once('。') {
        Some((title, rest)) if !rest.trim().is_empty() && title.chars().count() <= 40 => {
            (title.to_owned(), Some(rest.trim().to_owned()))
        }
        _ => (heading.clone(), None),
    };
    let mut issue = ImportedIssue {
        front: IssueFront {
            aspect,
            item,
            ..IssueFront::new(clean_title(&title), group.unwrap_or(Status::InProgress))
        },
        body: String::new(),
        heading: line.to_owned(),
        stated: false,
        grouped: group.is_some(),
    };
    if let Some(inline) = inline {
        // `整改情况：…。完成情况：基本完成。` on the heading's line: each label
        // read on its own.
        for part in super::lines::cut_run_together(&inline) {
            read_problem_line(&mut issue, &part);
        }
    }
    issue
}

/// A line under a problem's heading: a status sentence, a department or
/// a leader, or measures. Every line stays in the body too: nothing is lost.
fn read_problem_line(issue: &mut ImportedIssue, line: &str) {
    if let Some(status) = text::status_line(line) {
        if status.from_deadline_only && issue.stated {
            // 完成时限 after the status: a deadline, not a second status.
            issue.front.deadline = status.deadline.or(issue.front.deadline);
            issue.front.long_term |= status.long_term;
        } else {
            // Several lines may speak (完成时限, then 整改进展): the last
            // status wins, a deadline or long-term flag once said stays.
            issue.say(&status);
            issue.stated = true;
        }
    }
    let normal = normalize(line);
    if let Some((label, value)) = normal.split_once(':') {
        let value = value.trim().trim_end_matches(['。', ';']).to_owned();
        let label = label.trim();
        if !value.is_empty() && value.chars().count() <= 40 {
            if DEPARTMENT_LABELS.contains(&label) {
                issue.front.department = Some(value);
            } else if LEAD_LABELS.contains(&label) {
                issue.front.lead = Some(value);
            }
        }
    }
    let _ = writeln!(issue.body, "{}\n", text::bold_label(line));
}

/// The problems of a ledger table pasted as text, and the lines that are
/// not its rows.
fn table_issues(
    content: &[String],
    header_at: usize,
    columns: &Columns,
    preset_aspect: Option<String>,
    imported: &mut Imported,
) -> (Vec<ImportedIssue>, Vec<String>) {
    let mut unplaced = content[..header_at].to_vec();
    let mut aspect = preset_aspect;
    let (rows, others): (Vec<&String>, Vec<&String>) = content[header_at + 1..]
        .iter()
        .partition(|line| line.contains('\t'));
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .filter_map(|line| tab_cells(line))
        .collect();
    let (issues, left) = issues_of_rows(columns, &rows, &mut aspect);
    unplaced.extend(left);
    unplaced.extend(others.into_iter().cloned());
    imported.guesses.push(columns.report());
    (issues, unplaced)
}

/// A sentence about the problems as a list: it names them by number
/// (第1、3项) or speaks of all of them (上述问题, 以上问题).
fn is_summary(line: &str) -> bool {
    let normal = normalize(line);
    ["上述", "以上", "综上"]
        .iter()
        .any(|word| normal.starts_with(word))
        || normal
            .split(['。', ';', ','])
            .any(|clause| clause.contains('第') && !text::problem_numbers(clause).is_empty())
}

/// A line that reads like a heading whose number was left out:
/// `关于“…”的问题`, `针对“…”问题。`.
fn looks_like_heading(line: &str) -> bool {
    let line = line.trim_end_matches(['。', '.']);
    (line.starts_with("关于") || line.starts_with("针对"))
        && line.chars().count() <= 60
        && (line.ends_with("问题") || line.ends_with("方面") || line.ends_with("整改"))
        && quoted(line).is_some()
}

/// An aspect or item name from its heading: `(一)“…”方面。` → `…方面`,
/// `（一）在“…”方面` → `…方面`, `（一）反馈问题：…` → `…`.
fn group_name(line: &str) -> String {
    let name = strip_marker(line);
    let name = name.trim_end_matches(['。', '.', '：', ':']);
    let name = ["反馈问题：", "反馈问题:", "问题类别：", "在"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name);
    match quoted(name) {
        Some(inner) if name.ends_with("方面") && name.starts_with(['“', '"']) => {
            format!("{inner}方面")
        }
        _ => name.to_owned(),
    }
}

/// Statuses said in a summary rather than beside each problem:
/// `第5、9项继续整改，2025年12月底前完成`, `（14）（20）项已整改完成`. A
/// sentence may speak of several groups: each run of clauses from one
/// that names problems to the next is read on its own.
pub fn apply_summaries(lines: &[String], imported: &mut Imported) {
    for line in lines {
        let normal = normalize(line);
        for sentence in normal.split(['。', ';']) {
            let mut runs: Vec<String> = Vec::new();
            for clause in sentence.split(',') {
                match runs.last_mut() {
                    Some(run) if text::problem_numbers(clause).is_empty() => {
                        run.push(',');
                        run.push_str(clause);
                    }
                    _ => runs.push(clause.to_owned()),
                }
            }
            for run in runs {
                apply_summary(&run, imported);
            }
        }
    }
}

fn apply_summary(clause: &str, imported: &mut Imported) {
    let in_progress = Status::InProgress.said_in(clause);
    let completed = Status::Completed.said_in(clause);
    let long_term = Status::long_term_said_in(clause);
    if !(in_progress || completed || long_term) {
        return;
    }
    let numbers = text::problem_numbers(clause);
    if numbers.is_empty() {
        return;
    }
    let said = if in_progress {
        Status::InProgress
    } else {
        Status::Completed
    };
    let status = text::StatusLine {
        status: said,
        long_term,
        deadline: text::deadline(clause).filter(|_| in_progress),
        dated: text::status_date(clause, said),
        from_deadline_only: false,
    };
    for number in numbers {
        let Some(issue) = imported.issues.get_mut(number.wrapping_sub(1)) else {
            continue;
        };
        if issue.stated {
            continue;
        }
        issue.say(&status);
        issue.stated = true;
        imported.guesses.push(format!(
            "“{}”：状态取自“{}”",
            issue.front.title,
            clause.trim()
        ));
    }
}

/// A later section that goes through some problems again under status
/// groups (`三、需要进一步整改的事项` → `（一）基本完成的事项` → the problem's
/// title, 情况说明, 完成时限): the status, deadline and long-term flag it
/// gives are taken over.
pub fn apply_restated(
    sections: &[(String, Vec<String>)],
    kinds: &[SectionKind],
    imported: &mut Imported,
) {
    for ((_, content), kind) in sections.iter().zip(kinds) {
        if *kind == SectionKind::Problems {
            continue;
        }
        let mut group = None;
        // The problem the lines are about: its title begins a line, and
        // the lines after it (情况说明, 完成时限) speak of it too.
        let mut current: Option<usize> = None;
        for line in content {
            if marker(line).is_some() {
                group = group_status(line);
                current = None;
                continue;
            }
            let named = imported.issues.iter().position(|issue| {
                issue.front.title.chars().count() >= 4 && line.starts_with(&issue.front.title)
            });
            if let Some(at) = named {
                current = Some(at);
                let issue = &mut imported.issues[at];
                if let Some(status) = group {
                    issue.front.status = status;
                    issue.stated = true;
                }
                imported.guesses.push(format!(
                    "“{}”：状态与完成时限取自后文“{}”",
                    issue.front.title,
                    line.chars().take(30).collect::<String>()
                ));
            }
            let Some(issue) = current.and_then(|at| imported.issues.get_mut(at)) else {
                continue;
            };
            let normal = normalize(line);
            issue.front.long_term |= Status::long_term_said_in(&normal);
            if let Some(at) = normal.find("时限") {
                issue.front.deadline = text::deadline(&normal[at..]).or(issue.front.deadline);
            }
        }
    }
}
